// The training loop: each iteration's numbers and log lines, the per-node step timers, benign
// noise, and the evaluations and checkpoints on the schedule; the fault strikes in an iteration,
// an evaluation or a save as planned, or (a slow node) drags the loop until the time limit.
#include <algorithm>
#include <cmath>

#include "job_run.hpp"

namespace l4::simulate {
namespace {

// Learning rate, loss and gradient norm of the current iteration, and its step time.
void train_numbers(JobRun& job) {
  const auto& p = job.plan.train;
  auto& s = job.state.train;
  auto& rng = job.rng;
  const double x = static_cast<double>(p.resume + s.iter);
  const double warm = 2000.0;
  const double peak = p.peak_lr;
  s.lr = x < warm ? peak * x / warm : peak * 0.5 * (1.0 + std::cos(3.14159265 * std::min(1.0, x / 500000.0)));
  s.loss = 1.8 + 8.5 * std::exp(-x / 700.0) + 0.6 * std::exp(-x / 20000.0) + rng.uniform(-0.06, 0.06);
  s.gnorm = rng.uniform(0.15, 1.6) + (x < 200 ? rng.uniform(0, 8) : 0.0);
  // Synchronous training runs at the pace of the slowest node: its compute plus the collectives.
  s.ms = p.base_ms * (s.straggle > 1.0 ? 0.83 * s.straggle + 0.17 : 1.0) * rng.uniform(0.97, 1.05);
  const auto& f = job.plan.fault;
  const int strike = f.strike_iter;
  // A diverging run: the numbers climb over the six iterations before the NaN.
  if (f.table != nullptr && f.table->diverges && strike > 0 && s.iter > strike - 6) {
    s.gnorm *= 5.0 * (s.iter - strike + 7);
    s.loss *= 1.0 + 0.3 * (s.iter - strike + 7);
  }
}

// Per-node step timer on each node's first rank: the slow node computes, the others wait.
void node_timers(JobRun& job) {
  const int n = job.plan.nodes(), k = job.plan.ranks_per_node();
  auto& s = job.state.train;
  auto& rng = job.rng;
  const auto& cascade = job.state.cascade;
  const double compute = job.plan.train.base_ms * rng.uniform(0.80, 0.86);
  for (int node = 0; node < n; ++node) {
    if (cascade.done[static_cast<std::size_t>(node)] != 0) continue;
    const bool slow = cascade.slow_node[static_cast<std::size_t>(node)] != 0;
    s.rms = s.ms * rng.uniform(0.995, 1.0);
    const double mine = slow ? compute * s.straggle : compute * rng.uniform(0.98, 1.02);
    s.fwd = mine * 0.33;
    s.bwd = mine * 0.62;
    s.opt_ms = mine * 0.05;
    s.wait = std::max(0.5, s.rms - mine);
    const auto& blocks = job.plan.style->hook("iter_node");
    job.state.line.force_evidence = slow;
    for (const auto& b : blocks) job.out.block(b, node, node * k, node * k, slow ? Role::root : Role::none);
    job.state.line.force_evidence = false;
  }
}

void log_iteration(JobRun& job) {
  job.out.rank_hook("iter_rank0", 0);
  if (job.state.train.iter % job.plan.style->log_every == 0) job.out.rank_hook("log_rank0", 0);
  node_timers(job);
}

bool evaluation(JobRun& job) {
  auto& s = job.state.train;
  const auto& blocks = job.plan.style->hook("eval_rank0");
  const std::size_t half = (blocks.size() + 1) / 2;
  s.evloss = s.loss + job.rng.uniform(0.01, 0.2);
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    if (i == half && job.strike_here(Stage::evaluation, s.iter)) return job.strike();
    job.out.block(blocks[i], 0, 0, 0);
    job.out.advance(kSecond, 20 * kSecond);
  }
  if (job.strike_here(Stage::evaluation, s.iter)) return job.strike();
  return true;
}

bool checkpoint(JobRun& job) {
  auto& out = job.out;
  out.rank_hook("ckpt_rank0_begin", 0);
  out.advance(kSecond, 10 * kSecond);
  const bool here = job.strike_here(Stage::checkpoint, job.state.train.iter);
  const int W = job.plan.world();
  int stop_at = W;
  if (here) {
    const auto& f = job.plan.fault;
    stop_at = f.table->scope == FaultScope::rank ? f.faulty_rank : static_cast<int>(job.rng.range(0, W - 1));
  }
  for (int r = 0; r < W; ++r) {
    if (r == stop_at) return job.strike();
    out.rank_hook("ckpt_rank", r);
  }
  out.advance(kSecond, 5 * kSecond);
  out.rank_hook("ckpt_rank0_end", 0);
  return true;
}

// What follows a completed step: overflow notes, the step's lines, noise, evaluation and save.
bool after_step(JobRun& job) {
  const auto& p = job.plan.train;
  auto& s = job.state.train;
  auto& rng = job.rng;
  auto& out = job.out;
  const int W = job.plan.world();
  if (job.plan.style->fp16 && s.iter <= 6 && rng.chance(0.7)) {
    out.rank_hook("overflow_rank0", 0);
    s.lscale /= 2;
    ++s.skipped;
  }
  log_iteration(job);
  s.last_completed = s.iter;
  if (s.iter == 1) {
    for (int r = 0; r < W; ++r) out.rank_hook("first_iter_rank", r);
  }
  // Benign noise: a warning on some rank now and then, a retried error rarely.
  if (rng.chance(0.05)) out.pool("benign_rank_pool", static_cast<int>(rng.range(0, W - 1)));
  if (rng.chance(0.004)) out.pool("retry_pool", static_cast<int>(rng.range(0, W - 1)));
  s.seq = static_cast<std::int64_t>(p.resume + s.iter) * 12 + 7;
  if (s.iter % p.eval_every == 0 && s.iter < p.iters) {
    if (!evaluation(job)) return false;
  }
  if (s.iter % p.save_every == 0 || s.iter == p.iters) {
    if (!checkpoint(job)) return false;
  }
  return true;
}

}  // namespace

bool training_stage(JobRun& job) {
  const auto& p = job.plan.train;
  const auto& f = job.plan.fault;
  auto& s = job.state.train;
  const bool slow = f.table != nullptr && f.table->behaviour == FaultBehaviour::slow;
  int slow_iters = 0;
  for (s.iter = 1; s.iter <= p.iters; ++s.iter) {
    if (slow && s.iter == f.strike_iter) {
      job.cascade.start_straggling();
      slow_iters = std::min(static_cast<int>(job.rng.range(8, 30)), p.iters - f.strike_iter);
    }
    if (job.state.cascade.struck && slow && s.iter >= f.strike_iter) {
      s.straggle = std::min(6.0, s.straggle * job.rng.uniform(1.15, 1.5));
      if (s.iter - f.strike_iter >= slow_iters) return job.strike();  // the scheduler's time limit
    }
    if (job.strike_here(Stage::training, s.iter) && !slow) {
      s.seq = static_cast<std::int64_t>(p.resume + s.iter) * 12 + 7;
      return job.strike();
    }
    job.state.clock.now += static_cast<std::int64_t>(s.ms * 1000.0);
    train_numbers(job);
    if (!after_step(job)) return false;
  }
  s.iter = p.iters;
  return true;
}

}  // namespace l4::simulate
