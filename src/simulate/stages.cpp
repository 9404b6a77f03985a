// The stages before and after training: launch (the launcher starts its agents and workers),
// distributed init (process groups, NCCL communicators and channels), data and model loading,
// and a completed job's end. What each stack prints at each point is its style table's hooks.
#include "job_run.hpp"

namespace l4::simulate {
namespace {

// NCCL's channel setup: every rank prints each of its channels, then its ring summary.
void nccl_channels(JobRun& job) {
  const int W = job.plan.world();
  const auto& channel = job.plan.style->hook("nccl_channel");
  const int channels = W > 1 ? 16 : 0;
  auto& ch = job.state.line.channel;
  for (int r = 0; r < W; ++r) {
    for (ch = 0; ch < channels; ++ch) {
      for (const auto& b : channel) job.out.block(b, job.plan.node_of(r), r, r);
    }
    job.out.rank_hook("nccl_rank_end", r);
  }
}

}  // namespace

bool launch_stage(JobRun& job) {
  const int n = job.plan.nodes(), k = job.plan.ranks_per_node();
  auto& out = job.out;
  out.node_hook("launch_master", 0);
  for (int node = 0; node < n; ++node) {
    out.advance(20000, 400000);
    out.node_hook("launch_node", node);
    for (int l = 0; l < k; ++l) out.node_hook("spawn_rank", node, node * k + l);
  }
  return true;
}

bool init_stage(JobRun& job) {
  const int W = job.plan.world();
  auto& out = job.out;
  auto& rng = job.rng;
  out.advance(2 * kSecond, 8 * kSecond);
  // A fault of every rank (a bad argument, a missing module) strikes before the process groups.
  const bool early = job.plan.fails() && job.plan.fault.table->scope == FaultScope::all;
  for (int r = 0; r < W; ++r) {
    out.rank_hook("init_rank", r);
    if (rng.chance(0.3)) out.pool("retry_pool", r);
  }
  if (early && job.strike_here(Stage::init)) return job.strike();
  for (int r = 0; r < W; ++r) {
    out.advance(1000, 20000);
    out.rank_hook("pg_options", r);
    out.rank_hook("nccl_rank", r);
    const int benign = static_cast<int>(rng.range(1, 3));
    for (int b = 0; b < benign; ++b) out.pool("benign_rank_pool", r);
  }
  if (job.strike_here(Stage::init)) return job.strike();
  out.advance(500000, 3 * kSecond);
  nccl_channels(job);
  // One retried-and-recovered error somewhere in every job.
  out.pool("retry_pool", static_cast<int>(rng.range(0, W - 1)));
  out.advance(kSecond, 5 * kSecond);
  out.rank_hook("init_rank0", 0);
  return true;
}

bool loading_stage(JobRun& job) {
  auto& out = job.out;
  out.advance(2 * kSecond, 20 * kSecond);
  job.state.train.iter = 0;
  out.rank_hook("loading_rank0", 0);
  if (job.strike_here(Stage::loading)) return job.strike();
  out.advance(5 * kSecond, 60 * kSecond);
  for (int r = 0; r < job.plan.world(); ++r) out.rank_hook("loading_rank", r);
  out.advance(kSecond, 10 * kSecond);
  out.rank_hook("train_start_rank0", 0);
  return true;
}

void finish_stage(JobRun& job) {
  auto& out = job.out;
  out.advance(kSecond, 5 * kSecond);
  out.rank_hook("end_rank0", 0);
  const int k = job.plan.ranks_per_node();
  for (int node = 0; node < job.plan.nodes(); ++node) {
    out.advance(1000, 300000);
    for (int l = 0; l < k; ++l) out.node_hook("end_rank_node", node, node * k + l);
    out.node_hook("end_node", node);
    for (int l = 0; l < k; ++l) {
      if (job.rng.chance(0.5)) out.rank_hook("end_rank", node * k + l);
    }
  }
}

}  // namespace l4::simulate
