#pragma once
// FaultCascade: what the logs show when the planned fault strikes, in the order it spreads: the
// root evidence on the faulty node (kernel lines, then each faulty process), the faulty node's
// agent tearing its workers down, then what the peers see (a closed connection, a remote error,
// missed rendezvous heartbeats, the NCCL watchdog) and their own teardown; for a slow node, the
// scheduler's time limit instead. The fault's table entry decides which steps play: its behaviour
// and the symptoms it lists. Records the iterations and parameters in the truth.
#include <string>

#include "emitter.hpp"
#include "job_plan.hpp"
#include "job_state.hpp"
#include "l4/simulate/job_truth.hpp"
#include "rng.hpp"

namespace l4::simulate {

class FaultCascade {
 public:
  FaultCascade(const JobPlan& plan, JobState& state, Rng& rng, Emitter& out, JobTruth& truth);

  // The planned fault strikes now: plays the whole cascade.
  void strike();
  // A slow fault's onset: the faulty node starts to straggle (its end comes with strike()).
  void start_straggling();

 private:
  void record_iterations();
  void record_parameters();
  void time_limit();
  void root_evidence();
  // The steps that follow the root evidence, each played when the fault lists its symptom.
  void local_teardown();
  void peer_closed();
  void remote_error();
  void heartbeat();
  void watchdog();
  // The node's agent reports the failed worker `first_rank` and terminates the others.
  void teardown_node(int node, int first_rank, const std::string& exit, const std::string& signame);
  void symptom_block(const std::string& name, int rank);

  const JobPlan& plan_;
  const FaultPlan& fault_;
  JobState& state_;
  Rng& rng_;
  Emitter& out_;
  JobTruth& truth_;
};

}  // namespace l4::simulate
