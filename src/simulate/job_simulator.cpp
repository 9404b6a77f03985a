// simulate_job: plans the job, opens its files, walks the stages in time order and, when the
// planned fault strikes, lets the cascade end the job; then closes the files and writes the truth.
#include "l4/simulate/job_simulator.hpp"

#include <filesystem>
#include <fstream>

#include "emitter.hpp"
#include "fault_cascade.hpp"
#include "job_plan.hpp"
#include "job_run.hpp"
#include "job_state.hpp"
#include "l4/error.hpp"
#include "log_files.hpp"
#include "rng.hpp"
#include "sim_tables.hpp"

namespace l4::simulate {
namespace {

namespace fs = std::filesystem;

// Runs the stages until the job completes or the fault ends it; true when it completed.
bool run_stages(JobRun& job) {
  bool ok = launch_stage(job) && init_stage(job);
  if (ok) ok = loading_stage(job);
  if (ok) ok = training_stage(job);
  if (ok && job.plan.fails() && !job.state.cascade.struck) {
    // Safety net for tiny runs whose planned strike point never came: strike at the end.
    job.state.train.last_completed = job.plan.train.iters;
    job.cascade.strike();
    ok = false;
  }
  if (ok) finish_stage(job);
  return ok;
}

void write_truth(const JobTruth& truth, const std::string& out_dir) {
  const fs::path path = fs::path(out_dir) / "truth.json";
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << truth.to_json().dump(2) << '\n';
  if (!out) throw Error("cannot write " + path.string());
}

}  // namespace

JobTruth simulate_job(const SimOptions& options) {
  Rng rng(job_seed(options));
  const JobPlan plan = plan_job(options, SimTables::get(), rng);
  JobTruth truth = planned_truth(plan);
  const auto& o = plan.options;
  LogFiles files(LogShape{(fs::path(o.out_dir) / "logs").string(), plan.layout, plan.id.hosts, o.ranks_per_node,
                          plan.style->rank_prefix, o.gzip});
  JobState state = initial_state(plan);
  Emitter out(plan, state, rng, files, truth.lines);
  FaultCascade cascade(plan, state, rng, out, truth);
  JobRun job{plan, state, rng, out, cascade};
  run_stages(job);
  const auto [bytes, lines] = files.close();
  truth.bytes_written += bytes;
  truth.lines_written += lines;
  write_truth(truth, o.out_dir);
  return truth;
}

}  // namespace l4::simulate
