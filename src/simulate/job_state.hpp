#pragma once
// JobState: what changes while a job is written, grouped by what it describes: the clock, the
// training numbers, the ranks and nodes the fault has taken down, the values a fault variant
// pins, and whose line is being written. The stages and the fault cascade change it; the emitter
// reads it to fill a line's variables.
#include <array>
#include <bitset>
#include <cstdint>
#include <string>
#include <vector>

#include "job_plan.hpp"
#include "line_template.hpp"

namespace l4::simulate {

inline constexpr std::size_t kVarCount = static_cast<std::size_t>(Var::literal);

struct Clock {
  std::int64_t now = 0;        // job time, us since the epoch
  std::int64_t line_time = 0;  // the current line's time on its node's (skewed) clock
};

// The numbers training prints ({iter}, {loss}, {ms}, ...), as of the current iteration.
struct TrainingState {
  int iter = 0;
  int last_completed = -1;
  double ms = 1000, loss = 10, lr = 0, gnorm = 1, lscale = 65536, evloss = 0;
  double rms = 0, fwd = 0, bwd = 0, opt_ms = 0, wait = 0;  // a node's step timer
  int skipped = 0;           // steps skipped on loss-scale overflow
  std::int64_t seq = 0;      // the collective sequence number in flight
  double straggle = 1.0;     // how much slower than the others the slow node runs
};

// What the fault has done so far.
struct CascadeState {
  bool struck = false;
  std::vector<char> dead;       // per rank: exited
  std::vector<char> done;       // per node: torn down by its agent
  std::vector<char> slow_node;  // per node: straggling
};

// The values a fault variant pins ({exit}, {signame}, {xid}, ...): they win over generated ones.
class Overrides {
 public:
  void set(Var v, std::string value, bool present = true) {
    values_[index(v)] = std::move(value);
    has_.set(index(v), present);
  }
  [[nodiscard]] bool has(Var v) const { return has_[index(v)]; }
  [[nodiscard]] const std::string& value(Var v) const { return values_[index(v)]; }  // "" if never set

 private:
  static std::size_t index(Var v) { return static_cast<std::size_t>(v); }
  std::array<std::string, kVarCount> values_;
  std::bitset<kVarCount> has_;
};

// Whose line is being written: the node and rank whose values it prints.
struct LineContext {
  int node = 0, rank = 0;
  bool agent = false;            // printed by the node's launcher agent ({pid} is the agent's)
  int channel = 0;               // NCCL channel ({ch})
  int peer_node = 0;             // the node {peer_host}, {peer_ip} and {peer_rank} name
  bool force_evidence = false;   // record every line of the current block (straggler timings)
};

struct JobState {
  Clock clock;
  TrainingState train;
  CascadeState cascade;
  Overrides overrides;
  LineContext line;
};

// The state before the first line: the clock at the job's start, training's starting numbers, the
// variant's pinned values.
inline JobState initial_state(const JobPlan& plan) {
  JobState s;
  s.clock.now = plan.id.start;
  s.train.ms = plan.train.base_ms;
  s.train.loss = plan.train.first_loss;
  s.cascade.dead.assign(static_cast<std::size_t>(plan.world()), 0);
  s.cascade.done.assign(static_cast<std::size_t>(plan.nodes()), 0);
  s.cascade.slow_node.assign(static_cast<std::size_t>(plan.nodes()), 0);
  s.line.peer_node = plan.peer_node;
  if (plan.fails()) {
    for (const auto& [var, value] : plan.fault.variant->set) s.overrides.set(var, value);
  }
  return s;
}

}  // namespace l4::simulate
