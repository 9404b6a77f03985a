#pragma once
// Emitter: writes table lines into a job's log files. A line goes to the stream of the rank (or
// node agent) that prints it, stamped with the job's clock plus its node's skew, its variables
// filled from the plan and the state; an evidence line of a root or symptom block is recorded in
// the truth as it is written (never searched for afterwards). Every line advances the clock a
// little, so the order of calls is the order of time.
#include <cstdint>
#include <string>
#include <vector>

#include "job_plan.hpp"
#include "job_state.hpp"
#include "l4/simulate/job_truth.hpp"
#include "log_files.hpp"
#include "rng.hpp"
#include "time_format.hpp"

namespace l4::simulate {

// What a block's evidence lines are in the truth (none: a block that is not the fault's).
enum class Role : std::uint8_t { none, root, symptom };

class Emitter {
 public:
  Emitter(const JobPlan& plan, JobState& state, Rng& rng, LogFiles& files, std::vector<TruthLine>& truth);

  // One line on `node`: into rank `rank`'s stream, or the node agent's when rank < 0. ctx_rank is
  // whose values ({rank}, {gpu}, {pid}) it prints: -1 for the stream's own (the node's first rank
  // for the agent).
  void line(const LineTemplate& t, int node, int rank, int ctx_rank, Role role);
  void block(const Block& b, int node, int rank, int ctx_rank, Role role = Role::none);
  // Every block of the style's hook `name`, with a pause after each.
  void hook(const std::string& name, int node, int rank, int ctx_rank = -1, Role role = Role::none);
  void rank_hook(const std::string& name, int rank) { hook(name, plan_.node_of(rank), rank, rank); }
  void node_hook(const std::string& name, int node, int ctx_rank = -1) { hook(name, node, -1, ctx_rank); }
  // One block drawn from the style's pool `name` (benign noise), printed by `rank`.
  void pool(const std::string& name, int rank);
  // Moves the clock on by a drawn pause.
  void advance(std::int64_t lo_us, std::int64_t hi_us) { state_.clock.now += rng_.range(lo_us, hi_us); }
  // The template's text as rank `rank` would print it now, written nowhere (truth parameters).
  std::string text(const LineTemplate& t, int node, int rank);

 private:
  void expand_into(std::string& out, const LineTemplate& t);
  void expand(std::string& out, Var v);
  // The variable groups of expand(); each returns false for a variable that is not its own.
  bool put_process(std::string& out, Var v);
  bool put_job(std::string& out, Var v);
  bool put_training(std::string& out, Var v);
  bool put_fault(std::string& out, Var v);
  void put_noise(std::string& out, Var v);

  const JobPlan& plan_;
  JobState& state_;
  Rng& rng_;
  LogFiles& files_;
  std::vector<TruthLine>& truth_;
  TimeFormat time_;
};

}  // namespace l4::simulate
