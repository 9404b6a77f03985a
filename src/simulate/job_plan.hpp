#pragma once
// JobPlan: everything about one simulated job that is decided before its first line: who runs it
// (hosts, addresses, pids, clocks), what it trains (model shape, schedule, starting numbers) and
// how it fails (fault, variant, stage, iteration, faulty ranks, symptom phrasings). plan_job draws
// it from the job's Rng in a fixed order, so equal options give an equal plan and leave the Rng
// in an equal state for the stages that follow.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "l4/simulate/job_truth.hpp"
#include "l4/simulate/sim_options.hpp"
#include "log_files.hpp"
#include "rng.hpp"
#include "sim_tables.hpp"

namespace l4::simulate {

// Who runs the job.
struct JobIdentity {
  std::vector<std::string> hosts, ips;   // per node
  std::vector<int> agent_pids;           // per node: the launcher agent
  std::vector<std::int64_t> boot, skew;  // per node: kernel uptime at job start, clock skew (us)
  std::vector<int> pids, tids;           // per rank
  std::string nic, model, dataset, ckpt, job_number;
  int port = 29500;
  std::int64_t start = 0;  // job start, us since the epoch
};

// What the job trains and when it evaluates and saves.
struct TrainingPlan {
  int iters = 0, resume = 0, eval_every = 0, save_every = 0;
  int gbs = 512, mbs = 1, seqlen = 4096, nlayers = 32, hidden = 4096, heads = 32;
  std::int64_t params = 0;
  double base_ms = 1000;  // a step's time on a healthy job
  double peak_lr = 3e-4, tflops = 200;
  double first_loss = 10;  // the loss before the first step
  int epoch_steps = 10000;  // optimizer steps per epoch (HF 'epoch')
  int mem_mb = 30000;
  std::int64_t numel = 0;
};

// How the job fails; table == nullptr: it does not.
struct FaultPlan {
  const FaultTable* table = nullptr;
  const FaultVariant* variant = nullptr;
  Stage stage = Stage::init;
  // training: the iteration it strikes in; evaluation, checkpoint: the iteration whose evaluation
  // or save it strikes in; a slow fault: the iteration the node starts to slow down.
  int strike_iter = -1;
  int faulty_rank = 0, faulty_node = 0;
  std::vector<int> faulty_ranks;
  std::map<std::string, const Block*> phrasing;  // the phrasing the job prints for each symptom

  // Throws l4::Error when the fault prints a symptom its table entry does not list.
  [[nodiscard]] const Block& phrasing_of(const std::string& symptom) const;
};

struct JobPlan {
  SimOptions options;  // as given, job_id filled in
  const StyleTable* style = nullptr;
  Layout layout = Layout::per_node;
  JobIdentity id;
  TrainingPlan train;
  FaultPlan fault;
  int peer_node = 0;  // the node {peer_host} names: the faulty node's ring neighbour

  [[nodiscard]] bool fails() const { return fault.table != nullptr; }
  [[nodiscard]] int nodes() const { return options.nodes; }
  [[nodiscard]] int ranks_per_node() const { return options.ranks_per_node; }
  [[nodiscard]] int world() const { return options.nodes * options.ranks_per_node; }
  [[nodiscard]] int node_of(int rank) const { return rank / options.ranks_per_node; }
};

// The generator's seed: the user's seed mixed with the job's shape, so two jobs that differ only
// in fault or style do not share host names, pids and numbers.
std::uint64_t job_seed(const SimOptions& options);

// Checks the options (l4::InputError on a bad one) and draws the plan from `rng`.
JobPlan plan_job(const SimOptions& options, const SimTables& tables, Rng& rng);

// The truth as the plan knows it before any line is written (no lines, no iterations).
JobTruth planned_truth(const JobPlan& plan);

}  // namespace l4::simulate
