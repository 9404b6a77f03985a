// plan_job: the draws that decide a job before its first line, in the order the generator has
// always made them (options and fault, identity, training, then the fault's variant, stage,
// iteration, ranks and phrasings): byte-identical output depends on that order.
#include "job_plan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

#include "l4/error.hpp"
#include "time_format.hpp"

namespace l4::simulate {
namespace {

const char* const kHostPatterns[] = {"gpu-a{:03d}", "node-{:02d}", "dgx-b{:02d}", "h100-{:03d}", "trn-c{:03d}"};
const char* const kNics[] = {"eth0", "ens81f0", "bond0", "ib0"};
const char* const kModels[] = {"llama-2-7b", "llama-2-13b", "gpt3-6.7b", "mistral-7b", "gpt-neox-20b"};
const char* const kDatasets[] = {"/data/pile", "/data/redpajama", "/datasets/c4-en", "/lustre/corpus/slimpajama"};

// An element of `items` drawn uniformly.
template <typename T>
const T& pick(const std::vector<T>& items, Rng& rng) {
  return items[static_cast<std::size_t>(rng.range(0, static_cast<std::int64_t>(items.size()) - 1))];
}

void check_shape(const SimOptions& o) {
  if (o.nodes < 1 || o.nodes > 4096) throw InputError("--nodes must be between 1 and 4096");
  if (o.ranks_per_node < 1 || o.ranks_per_node > 64) throw InputError("--ranks-per-node must be between 1 and 64");
  if (o.iterations < 1) throw InputError("--iterations must be at least 1");
}

// A fault seen only by its peers (a lost node, a hang) needs peers to see it.
bool observable(const FaultTable& f, const SimOptions& o) {
  if (f.behaviour == FaultBehaviour::silent) return o.nodes >= 2;
  if (f.behaviour == FaultBehaviour::hang) return o.nodes * o.ranks_per_node >= 2;
  return true;
}

// The fault of --fault: a named one, one drawn ("random"), or none.
const FaultTable* choose_fault(const SimOptions& o, const SimTables& tables, Rng& rng) {
  if (o.fault == "random") {
    std::vector<const FaultTable*> ok;
    for (const auto& f : tables.faults) {
      if (observable(f, o)) ok.push_back(&f);
    }
    return pick(ok, rng);
  }
  if (o.fault == "none") return nullptr;
  const FaultTable* fault = tables.find_fault(o.fault);
  if (fault == nullptr) throw InputError("unknown --fault '" + o.fault + "' (see l4 simulate --list-faults)");
  if (!observable(*fault, o)) {
    throw InputError("--fault " + o.fault + " leaves no evidence without peers: use --nodes 2 or more");
  }
  return fault;
}

JobIdentity draw_identity(const SimOptions& o, Rng& rng) {
  JobIdentity id;
  const int n = o.nodes, k = o.ranks_per_node;
  const auto* pattern = kHostPatterns[rng.range(0, std::size(kHostPatterns) - 1)];
  const int first = static_cast<int>(rng.range(1, 40));
  const int subnet = static_cast<int>(rng.range(0, 200));
  for (int i = 0; i < n; ++i) {
    id.hosts.push_back(fmt::format(fmt::runtime(pattern), first + i));
    const int host_no = 10 + first + i;
    id.ips.push_back(fmt::format("10.{}.{}.{}", subnet, host_no / 250, host_no % 250 + 2));
    id.agent_pids.push_back(static_cast<int>(rng.range(1000, 99999)));
    id.boot.push_back(rng.range(1, 40) * 86400 * kSecond + rng.range(0, 86400) * kSecond);
    id.skew.push_back(rng.range(0, 40000));
  }
  for (int r = 0; r < n * k; ++r) {
    id.pids.push_back(static_cast<int>(rng.range(1000, 4000000)));
    id.tids.push_back(id.pids.back() + static_cast<int>(rng.range(300, 900)));
  }
  id.nic = kNics[rng.range(0, std::size(kNics) - 1)];
  id.model = kModels[rng.range(0, std::size(kModels) - 1)];
  id.dataset = kDatasets[rng.range(0, std::size(kDatasets) - 1)];
  id.ckpt = fmt::format("/checkpoints/{}/{}", id.model, o.job_id);
  id.job_number = fmt::format("{}", rng.range(10000, 999999));
  id.port = static_cast<int>(rng.range(0, 3) == 0 ? rng.range(20000, 40000) : 29500);
  // 2023-01-01 .. 2025-06-30
  id.start = (1672531200LL + rng.range(0, 910 * 86400)) * kSecond + rng.range(0, 999999);
  return id;
}

TrainingPlan draw_training(const SimOptions& o, Rng& rng) {
  TrainingPlan t;
  const int n = o.nodes, k = o.ranks_per_node;
  t.iters = o.iterations;
  t.resume = rng.chance(0.5) ? 0 : static_cast<int>(rng.range(1, 50)) * 1000;
  t.eval_every = std::max(5, t.iters / static_cast<int>(rng.range(3, 6)));
  t.save_every = std::max(5, t.iters / static_cast<int>(rng.range(2, 3)));
  t.mbs = static_cast<int>(rng.range(1, 4));
  t.gbs = t.mbs * n * k * static_cast<int>(rng.range(1, 16));
  t.seqlen = 1024 << rng.range(0, 3);
  t.nlayers = static_cast<int>(rng.range(24, 80));
  t.hidden = 1024 * static_cast<int>(rng.range(4, 8));
  t.heads = t.hidden / 128;
  t.params = static_cast<std::int64_t>(12) * t.nlayers * t.hidden * t.hidden / k;
  t.base_ms = rng.uniform(700, 9000);
  t.peak_lr = rng.uniform(1e-4, 6e-4);
  t.tflops = rng.uniform(110, 420);
  t.epoch_steps = static_cast<int>(rng.range(20000, 200000));
  t.mem_mb = static_cast<int>(rng.range(20000, 70000));
  t.numel = rng.range(10000000, 400000000);
  t.first_loss = rng.uniform(9.5, 11.0);
  return t;
}

const FaultVariant& choose_variant(const FaultTable& fault, const std::string& style, Rng& rng) {
  std::vector<const FaultVariant*> ok;
  for (const auto& v : fault.variants) {
    if (v.styles.empty() || std::find(v.styles.begin(), v.styles.end(), style) != v.styles.end()) ok.push_back(&v);
  }
  if (ok.empty()) throw Error("simulate table: fault " + fault.info.type + " has no variant for style " + style);
  return *pick(ok, rng);
}


Stage choose_stage(const FaultPlan& f, int iters, Rng& rng) {
  const auto& stages = f.variant->stages.empty() ? f.table->stages : f.variant->stages;
  std::vector<Stage> feasible;
  for (const Stage s : stages) {
    if (in_iterations(s) && iters < 12) continue;
    feasible.push_back(s);
  }
  if (feasible.empty()) feasible.push_back(stages.front());
  // Most real failures strike mid-training; the other stages share the rest.
  const bool train_ok = std::find(feasible.begin(), feasible.end(), Stage::training) != feasible.end();
  if (train_ok && rng.chance(0.5)) return Stage::training;
  return pick(feasible, rng);
}

int choose_strike_iter(const FaultPlan& f, const TrainingPlan& t, Rng& rng) {
  const int iters = t.iters;
  int strike = -1;
  if (f.stage == Stage::training) {
    const int lo = std::min(iters - 1, std::max(2, iters / 5));
    strike = static_cast<int>(rng.range(lo, std::max(lo, iters - 1)));
    if (f.table->behaviour == FaultBehaviour::slow) strike = static_cast<int>(rng.range(std::max(2, iters / 4), std::max(3, iters / 2)));
  } else if (f.stage == Stage::evaluation) {
    const int count = std::max(1, (iters - 1) / t.eval_every);
    strike = t.eval_every * static_cast<int>(rng.range(1, count));
  } else if (f.stage == Stage::checkpoint) {
    const int count = std::max(1, (iters - 1) / t.save_every);
    strike = t.save_every * static_cast<int>(rng.range(1, count));
    if (strike > iters) strike = iters;  // the final save always happens
  }
  if (f.stage == Stage::training) strike = std::clamp(strike, 1, iters);
  return strike;
}

std::vector<int> faulty_ranks(const FaultPlan& f, int world, int k) {
  std::vector<int> ranks;
  if (f.table->scope == FaultScope::all) {
    for (int r = 0; r < world; ++r) ranks.push_back(r);
  } else if (f.table->scope == FaultScope::node) {
    for (int r = f.faulty_node * k; r < (f.faulty_node + 1) * k; ++r) ranks.push_back(r);
  } else {
    ranks.push_back(f.faulty_rank);
  }
  return ranks;
}

// One phrasing per symptom for the whole job: every rank runs the same stack version.
std::map<std::string, const Block*> choose_phrasings(const FaultTable& fault, const SimTables& tables, Rng& rng) {
  std::map<std::string, const Block*> phrasing;
  for (const auto& name : fault.symptoms) {
    const auto it = tables.symptoms.find(name);
    if (it == tables.symptoms.end()) continue;
    const auto& p = it->second.phrasings;
    const auto choice = p.size() > 1 ? rng.range(0, static_cast<std::int64_t>(p.size()) - 1) : 0;
    phrasing[name] = &p[static_cast<std::size_t>(choice)].block;
  }
  return phrasing;
}

FaultPlan draw_fault(const JobPlan& plan, const FaultTable& table, const SimTables& tables, Rng& rng) {
  FaultPlan f;
  f.table = &table;
  f.variant = &choose_variant(table, plan.options.style, rng);
  f.stage = choose_stage(f, plan.train.iters, rng);
  f.strike_iter = choose_strike_iter(f, plan.train, rng);
  f.faulty_rank = f.variant->rank0 ? 0 : static_cast<int>(rng.range(0, plan.world() - 1));
  f.faulty_node = plan.node_of(f.faulty_rank);
  f.faulty_ranks = faulty_ranks(f, plan.world(), plan.ranks_per_node());
  f.phrasing = choose_phrasings(table, tables, rng);
  return f;
}

}  // namespace

std::uint64_t job_seed(const SimOptions& o) {
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a
  const auto mix = [&h](std::string_view s) {
    for (const char c : s) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    h = (h ^ 0xffU) * 1099511628211ULL;
  };
  mix(o.fault);
  mix(o.style);
  mix(o.layout);
  mix(fmt::format("{}/{}/{}", o.nodes, o.ranks_per_node, o.iterations));
  return o.seed ^ h;
}

JobPlan plan_job(const SimOptions& options, const SimTables& tables, Rng& rng) {
  JobPlan plan;
  plan.options = options;
  const SimOptions& o = plan.options;
  check_shape(o);
  const auto s = tables.styles.find(o.style);
  if (s == tables.styles.end()) throw InputError("unknown --style '" + o.style + "' (megatron, deepspeed, hf)");
  plan.style = &s->second;
  const auto layout = parse_layout(o.layout);
  if (!layout) throw InputError("unknown --layout '" + o.layout + "' (per-node, per-rank, merged)");
  plan.layout = *layout;
  const FaultTable* fault = choose_fault(o, tables, rng);
  if (o.out_dir.empty()) throw InputError("--out is required");
  if (o.job_id.empty()) plan.options.job_id = fmt::format("sim-{}", o.seed);
  plan.id = draw_identity(o, rng);
  plan.train = draw_training(o, rng);
  plan.peer_node = o.nodes > 1 ? 1 : 0;
  if (fault == nullptr) return plan;
  plan.fault = draw_fault(plan, *fault, tables, rng);
  plan.peer_node = o.nodes > 1 ? (plan.fault.faulty_node + 1) % o.nodes : plan.fault.faulty_node;
  return plan;
}

const Block& FaultPlan::phrasing_of(const std::string& symptom) const {
  const auto it = phrasing.find(symptom);
  if (it == phrasing.end()) throw Error("simulate table: fault " + table->info.type + " prints symptom " + symptom + " it does not list");
  return *it->second;
}

JobTruth planned_truth(const JobPlan& plan) {
  JobTruth truth;
  truth.job_id = plan.options.job_id;
  truth.style = plan.options.style;
  truth.layout = plan.options.layout;
  truth.nodes = plan.id.hosts;
  truth.ranks_per_node = plan.ranks_per_node();
  if (!plan.fails()) return truth;
  const auto& f = plan.fault;
  const auto variant_index = static_cast<std::size_t>(f.variant - f.table->variants.data());
  const auto& info = f.table->info.variants.at(variant_index);
  truth.fault_type = info.type;
  truth.fault_category = info.category;
  truth.simulated_fault = f.table->info.type;
  truth.variant = static_cast<int>(variant_index);
  truth.source = info.source;
  truth.stage = diagnose::to_string(f.stage);
  truth.faulty_ranks = f.faulty_ranks;
  for (int r : f.faulty_ranks) {
    const auto& h = plan.id.hosts[static_cast<std::size_t>(plan.node_of(r))];
    if (std::find(truth.faulty_nodes.begin(), truth.faulty_nodes.end(), h) == truth.faulty_nodes.end()) {
      truth.faulty_nodes.push_back(h);
    }
  }
  return truth;
}

}  // namespace l4::simulate
