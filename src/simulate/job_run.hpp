#pragma once
// JobRun: one job being written, as its stages see it: the plan, the state, the job's Rng, the
// emitter that writes lines and the fault cascade that plays when the plan says so.
#include "emitter.hpp"
#include "fault_cascade.hpp"
#include "job_plan.hpp"
#include "job_state.hpp"
#include "rng.hpp"

namespace l4::simulate {

struct JobRun {
  const JobPlan& plan;
  JobState& state;
  Rng& rng;
  Emitter& out;
  FaultCascade& cascade;

  // The planned fault strikes in `stage` and has not struck yet.
  [[nodiscard]] bool strike_here(Stage stage) const {
    return plan.fails() && !state.cascade.struck && plan.fault.stage == stage;
  }
  // ... in `stage`, at iteration `iter` (the iteration whose evaluation or save is running).
  [[nodiscard]] bool strike_here(Stage stage, int iter) const {
    return strike_here(stage) && iter == plan.fault.strike_iter;
  }
  // Plays the fault's cascade; returns false, the stage's "the job is over".
  bool strike() {
    cascade.strike();
    return false;
  }
};

// The stages in time order. Each returns false when the fault struck in it (the job is over).
bool launch_stage(JobRun& job);
bool init_stage(JobRun& job);
bool loading_stage(JobRun& job);
// The training loop with its evaluations and checkpoints (training_stage.cpp).
bool training_stage(JobRun& job);
// A job that completed: the final lines and the launchers' clean exit.
void finish_stage(JobRun& job);

}  // namespace l4::simulate
