// The job generator: walks the stages of one multi-node training job in time order, asks the style
// table what each stack prints at each point, and, when the planned fault strikes, plays the
// fault's cascade (root evidence on the faulty node, symptoms elsewhere, launcher teardown).
// Every evidence line is recorded in the truth as it is written.
#include "l4/simulate/job_simulator.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bitset>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>

#include "file_sink.hpp"
#include "l4/error.hpp"
#include "l4/simulate/sim_catalogue.hpp"
#include "rng.hpp"
#include "sim_tables.hpp"

namespace l4::simulate {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kVarCount = static_cast<std::size_t>(Var::literal);
constexpr std::int64_t kSecond = 1'000'000;  // time unit: microseconds

enum class Role : std::uint8_t { none, root, symptom };

const char* const kHostPatterns[] = {"gpu-a{:03d}", "node-{:02d}", "dgx-b{:02d}", "h100-{:03d}", "trn-c{:03d}"};
const char* const kNics[] = {"eth0", "ens81f0", "bond0", "ib0"};
const char* const kModels[] = {"llama-2-7b", "llama-2-13b", "gpt3-6.7b", "mistral-7b", "gpt-neox-20b"};
const char* const kDatasets[] = {"/data/pile", "/data/redpajama", "/datasets/c4-en", "/lustre/corpus/slimpajama"};
const char* const kBusIds[] = {"18000", "2a000", "3a000", "5d000", "9a000", "ab000", "ba000", "db000"};

// Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
void civil(std::int64_t days, int& y, int& m, int& d) {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = static_cast<int>(yoe + era * 400 + (m <= 2 ? 1 : 0));
}

// Fast number formatting for the hot path (fmt's general float path dominates otherwise).
constexpr std::int64_t kPow10[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000};

void put_int(std::string& out, std::int64_t v) {
  const fmt::format_int f(v);
  out.append(f.data(), f.size());
}

void put_pad(std::string& out, std::int64_t v, int width) {  // zero-padded, v >= 0
  char buf[24];
  int n = 0;
  do {
    buf[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0 && n < 20);
  for (int i = n; i < width; ++i) out.push_back('0');
  while (n > 0) out.push_back(buf[--n]);
}

// Writes what printf writes for a non-finite value (and returns false), or the sign of a
// negative one, leaving `v` its magnitude.
bool put_sign(std::string& out, double& v) {
  if (!std::isfinite(v)) {
    out += std::isnan(v) ? "nan" : "inf";
    return false;
  }
  if (v < 0) {
    out.push_back('-');
    v = -v;
  }
  return true;
}

// printf("%.<decimals>f").
void put_fixed(std::string& out, double v, int decimals) {
  if (!put_sign(out, v)) return;
  const auto scaled = static_cast<std::int64_t>(std::llround(v * static_cast<double>(kPow10[decimals])));
  put_int(out, scaled / kPow10[decimals]);
  if (decimals > 0) {
    out.push_back('.');
    put_pad(out, scaled % kPow10[decimals], decimals);
  }
}

// printf("%.<digits>E").
void put_sci(std::string& out, double v, int digits) {
  if (!put_sign(out, v)) return;
  int e = v == 0 ? 0 : static_cast<int>(std::floor(std::log10(v)));
  auto m = static_cast<std::int64_t>(std::llround(v / std::pow(10.0, e) * static_cast<double>(kPow10[digits])));
  if (m >= kPow10[digits + 1]) {
    m /= 10;
    ++e;
  }
  put_int(out, m / kPow10[digits]);
  out.push_back('.');
  put_pad(out, m % kPow10[digits], digits);
  out.push_back('E');
  out.push_back(e < 0 ? '-' : '+');
  put_pad(out, e < 0 ? -e : e, 2);
}

// The stages that run inside the training loop (they have an iteration).
bool in_iterations(Stage s) { return s == Stage::training || s == Stage::evaluation || s == Stage::checkpoint; }

struct Stream {
  int sink = 0;
  std::string prefix;
};

class Job {
 public:
  explicit Job(const SimOptions& o);
  JobTruth run();

 private:
  // ---- setup
  void plan_fault();
  void open_sinks();
  // ---- emission
  void emit(const LineTemplate& t, int node, int rank, int ctx_rank, Role role);
  void block(const Block& b, int node, int rank, int ctx_rank, Role role = Role::none);
  void hook(const std::string& name, int node, int rank, int ctx_rank = -1, Role role = Role::none);
  void rank_hook(const std::string& name, int rank) { hook(name, node_of(rank), rank, rank); }
  void node_hook(const std::string& name, int node, int ctx_rank = -1) { hook(name, node, -1, ctx_rank); }
  void pool(const std::string& name, int rank);
  void expand(std::string& out, Var v);
  void put_time(std::string& out, Var v);
  void advance(std::int64_t lo_us, std::int64_t hi_us) { now_ += rng_.range(lo_us, hi_us); }
  // ---- stages
  bool launch();
  bool init();
  bool loading();
  bool training();
  void train_numbers();
  void log_iteration();
  bool evaluation();
  bool checkpoint();
  void finish_normal();
  // ---- fault
  bool strike_here(Stage stage) const { return fault_ && !struck_ && stage_ == stage; }
  void strike();
  void teardown_node(int node, int first_rank, const std::string& exit, const std::string& signame);
  void symptom_block(const std::string& name, int rank);
  [[nodiscard]] const Block& phrasing(const std::string& symptom) const;
  void record_parameters();

  [[nodiscard]] int node_of(int rank) const { return rank / opt_.ranks_per_node; }
  [[nodiscard]] int world() const { return opt_.nodes * opt_.ranks_per_node; }

  SimOptions opt_;
  Rng rng_;
  const SimTables& tables_;
  const StyleTable* style_ = nullptr;
  const FaultTable* fault_ = nullptr;
  const FaultVariant* variant_ = nullptr;
  std::map<std::string, const Block*> phrasing_;  // the phrasing this job prints for each symptom
  JobTruth truth_;

  // identity
  std::vector<std::string> hosts_, ips_;
  std::vector<int> pids_, tids_, agent_pids_;
  std::vector<std::int64_t> boot_, skew_;
  std::string nic_, model_, dataset_, ckpt_, job_number_, hex_;
  int port_ = 29500;

  // output
  std::vector<std::unique_ptr<FileSink>> sinks_;
  std::vector<Stream> rank_stream_, node_stream_;

  // expansion context
  int ctx_node_ = 0, ctx_rank_ = 0;
  bool ctx_node_stream_ = false;
  int channel_ = 0;
  bool force_evidence_ = false;  // record every line of the current block (straggler timings)
  std::array<std::string, kVarCount> ov_;
  std::bitset<kVarCount> has_ov_;

  // time and its formatting cache
  std::int64_t now_ = 0, line_time_ = 0, start_ = 0;
  std::int64_t cached_sec_ = -1;
  char date_[32]{};  // "YYYY-MM-DD" + ' ' + "HH:MM:SS"
  int month_ = 1, day_ = 1;

  // training state
  int iters_ = 0, iter_ = 0, resume_ = 0, eval_every_ = 0, save_every_ = 0;
  int gbs_ = 512, mbs_ = 1, seqlen_ = 4096, nlayers_ = 32, hidden_ = 4096, heads_ = 32;
  std::int64_t params_ = 0;
  double ms_ = 1000, base_ms_ = 1000, loss_ = 10, lr_ = 0, gnorm_ = 1, lscale_ = 65536, evloss_ = 0;
  double rms_ = 0, fwd_ = 0, bwd_ = 0, opt_ms_ = 0, wait_ = 0;
  int skipped_ = 0, mem_mb_ = 30000;
  std::int64_t seq_ = 0, numel_ = 0;
  double straggle_ = 1.0;
  double peak_lr_ = 3e-4, tflops_ = 200;
  int epoch_steps_ = 10000;  // optimizer steps per epoch (HF 'epoch')

  // fault plan and cascade state
  Stage stage_ = Stage::init;  // planned stage of the fault
  int strike_iter_ = -1;
  bool struck_ = false;
  int faulty_rank_ = 0, faulty_node_ = 0, peer_node_ = 0;
  std::vector<int> faulty_ranks_;
  std::vector<char> dead_, done_, slow_node_;
  int last_completed_ = -1;
};

// The generator's seed: the user's seed mixed with the job's shape, so two jobs that differ only in
// fault or style do not share host names, pids and numbers.
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

Job::Job(const SimOptions& o) : opt_(o), rng_(job_seed(o)), tables_(SimTables::get()) {
  if (opt_.nodes < 1 || opt_.nodes > 4096) throw InputError("--nodes must be between 1 and 4096");
  if (opt_.ranks_per_node < 1 || opt_.ranks_per_node > 64) throw InputError("--ranks-per-node must be between 1 and 64");
  if (opt_.iterations < 1) throw InputError("--iterations must be at least 1");
  const auto s = tables_.styles.find(opt_.style);
  if (s == tables_.styles.end()) throw InputError("unknown --style '" + opt_.style + "' (megatron, deepspeed, hf)");
  style_ = &s->second;
  const auto& layouts = SimCatalogue::layouts();
  if (std::find(layouts.begin(), layouts.end(), opt_.layout) == layouts.end()) {
    throw InputError("unknown --layout '" + opt_.layout + "' (per-node, per-rank, merged)");
  }
  // A fault seen only by its peers (a lost node, a hang) needs peers to see it.
  const auto observable = [this](const FaultTable& f) {
    if (f.behaviour == FaultBehaviour::silent) return opt_.nodes >= 2;
    if (f.behaviour == FaultBehaviour::hang) return opt_.nodes * opt_.ranks_per_node >= 2;
    return true;
  };
  if (opt_.fault == "random") {
    std::vector<const FaultTable*> ok;
    for (const auto& f : tables_.faults) {
      if (observable(f)) ok.push_back(&f);
    }
    fault_ = ok[static_cast<std::size_t>(rng_.range(0, static_cast<std::int64_t>(ok.size()) - 1))];
  } else if (opt_.fault != "none") {
    fault_ = tables_.find_fault(opt_.fault);
    if (fault_ == nullptr) throw InputError("unknown --fault '" + opt_.fault + "' (see l4 simulate --list-faults)");
    if (!observable(*fault_)) {
      throw InputError("--fault " + opt_.fault + " leaves no evidence without peers: use --nodes 2 or more");
    }
  }
  if (opt_.out_dir.empty()) throw InputError("--out is required");
  if (opt_.job_id.empty()) opt_.job_id = fmt::format("sim-{}", opt_.seed);

  // identity of the job
  const int n = opt_.nodes, k = opt_.ranks_per_node;
  const auto* pattern = kHostPatterns[rng_.range(0, std::size(kHostPatterns) - 1)];
  const int first = static_cast<int>(rng_.range(1, 40));
  const int subnet = static_cast<int>(rng_.range(0, 200));
  for (int i = 0; i < n; ++i) {
    hosts_.push_back(fmt::format(fmt::runtime(pattern), first + i));
    const int host_no = 10 + first + i;
    ips_.push_back(fmt::format("10.{}.{}.{}", subnet, host_no / 250, host_no % 250 + 2));
    agent_pids_.push_back(static_cast<int>(rng_.range(1000, 99999)));
    boot_.push_back(rng_.range(1, 40) * 86400 * kSecond + rng_.range(0, 86400) * kSecond);
    skew_.push_back(rng_.range(0, 40000));
  }
  for (int r = 0; r < n * k; ++r) {
    pids_.push_back(static_cast<int>(rng_.range(1000, 4000000)));
    tids_.push_back(pids_.back() + static_cast<int>(rng_.range(300, 900)));
  }
  nic_ = kNics[rng_.range(0, std::size(kNics) - 1)];
  model_ = kModels[rng_.range(0, std::size(kModels) - 1)];
  dataset_ = kDatasets[rng_.range(0, std::size(kDatasets) - 1)];
  ckpt_ = fmt::format("/checkpoints/{}/{}", model_, opt_.job_id);
  job_number_ = fmt::format("{}", rng_.range(10000, 999999));
  port_ = static_cast<int>(rng_.range(0, 3) == 0 ? rng_.range(20000, 40000) : 29500);
  // 2023-01-01 .. 2025-06-30
  start_ = (1672531200LL + rng_.range(0, 910 * 86400)) * kSecond + rng_.range(0, 999999);
  now_ = start_;

  iters_ = opt_.iterations;
  resume_ = rng_.chance(0.5) ? 0 : static_cast<int>(rng_.range(1, 50)) * 1000;
  eval_every_ = std::max(5, iters_ / static_cast<int>(rng_.range(3, 6)));
  save_every_ = std::max(5, iters_ / static_cast<int>(rng_.range(2, 3)));
  mbs_ = static_cast<int>(rng_.range(1, 4));
  gbs_ = mbs_ * n * k * static_cast<int>(rng_.range(1, 16));
  seqlen_ = 1024 << rng_.range(0, 3);
  nlayers_ = static_cast<int>(rng_.range(24, 80));
  hidden_ = 1024 * static_cast<int>(rng_.range(4, 8));
  heads_ = hidden_ / 128;
  params_ = static_cast<std::int64_t>(12) * nlayers_ * hidden_ * hidden_ / k;
  base_ms_ = rng_.uniform(700, 9000);
  peak_lr_ = rng_.uniform(1e-4, 6e-4);
  tflops_ = rng_.uniform(110, 420);
  epoch_steps_ = static_cast<int>(rng_.range(20000, 200000));
  ms_ = base_ms_;
  mem_mb_ = static_cast<int>(rng_.range(20000, 70000));
  numel_ = rng_.range(10000000, 400000000);
  loss_ = rng_.uniform(9.5, 11.0);
  dead_.assign(static_cast<std::size_t>(n * k), 0);
  done_.assign(static_cast<std::size_t>(n), 0);
  slow_node_.assign(static_cast<std::size_t>(n), 0);
}

void Job::plan_fault() {
  truth_.job_id = opt_.job_id;
  truth_.style = opt_.style;
  truth_.layout = opt_.layout;
  truth_.nodes = hosts_;
  truth_.ranks_per_node = opt_.ranks_per_node;
  peer_node_ = opt_.nodes > 1 ? 1 : 0;
  if (fault_ == nullptr) return;
  std::vector<const FaultVariant*> ok;
  for (const auto& v : fault_->variants) {
    if (v.styles.empty() || std::find(v.styles.begin(), v.styles.end(), opt_.style) != v.styles.end()) ok.push_back(&v);
  }
  if (ok.empty()) throw Error("simulate table: fault " + fault_->info.type + " has no variant for style " + opt_.style);
  variant_ = ok[static_cast<std::size_t>(rng_.range(0, static_cast<std::int64_t>(ok.size()) - 1))];
  const auto& stages = variant_->stages.empty() ? fault_->stages : variant_->stages;
  std::vector<Stage> feasible;
  for (const Stage s : stages) {
    if (in_iterations(s) && iters_ < 12) continue;
    feasible.push_back(s);
  }
  if (feasible.empty()) feasible.push_back(stages.front());
  // Most real failures strike mid-training; the other stages share the rest.
  const bool train_ok = std::find(feasible.begin(), feasible.end(), Stage::training) != feasible.end();
  if (train_ok && rng_.chance(0.5)) {
    stage_ = Stage::training;
  } else {
    stage_ = feasible[static_cast<std::size_t>(rng_.range(0, static_cast<std::int64_t>(feasible.size()) - 1))];
  }
  const int k = opt_.ranks_per_node;
  if (stage_ == Stage::training) {
    const int lo = std::min(iters_ - 1, std::max(2, iters_ / 5));
    strike_iter_ = static_cast<int>(rng_.range(lo, std::max(lo, iters_ - 1)));
    if (fault_->behaviour == FaultBehaviour::slow) strike_iter_ = static_cast<int>(rng_.range(std::max(2, iters_ / 4), std::max(3, iters_ / 2)));
  } else if (stage_ == Stage::evaluation) {
    const int count = std::max(1, (iters_ - 1) / eval_every_);
    strike_iter_ = eval_every_ * static_cast<int>(rng_.range(1, count));
  } else if (stage_ == Stage::checkpoint) {
    const int count = std::max(1, (iters_ - 1) / save_every_);
    strike_iter_ = save_every_ * static_cast<int>(rng_.range(1, count));
    if (strike_iter_ > iters_) strike_iter_ = iters_;  // the final save always happens
  }
  if (stage_ == Stage::training) strike_iter_ = std::clamp(strike_iter_, 1, iters_);
  faulty_rank_ = variant_->rank0 ? 0 : static_cast<int>(rng_.range(0, world() - 1));
  faulty_node_ = node_of(faulty_rank_);
  peer_node_ = opt_.nodes > 1 ? (faulty_node_ + 1) % opt_.nodes : faulty_node_;
  if (fault_->scope == FaultScope::all) {
    for (int r = 0; r < world(); ++r) faulty_ranks_.push_back(r);
  } else if (fault_->scope == FaultScope::node) {
    for (int r = faulty_node_ * k; r < (faulty_node_ + 1) * k; ++r) faulty_ranks_.push_back(r);
  } else {
    faulty_ranks_.push_back(faulty_rank_);
  }
  for (const auto& [var, value] : variant_->set) {
    ov_[static_cast<std::size_t>(var)] = value;
    has_ov_.set(static_cast<std::size_t>(var));
  }
  const auto variant_index = static_cast<std::size_t>(variant_ - fault_->variants.data());
  const auto& info = fault_->info.variants.at(variant_index);
  truth_.fault_type = info.type;
  truth_.fault_category = info.category;
  truth_.simulated_fault = fault_->info.type;
  truth_.variant = static_cast<int>(variant_index);
  truth_.source = info.source;
  truth_.stage = diagnose::to_string(stage_);
  truth_.faulty_ranks = faulty_ranks_;
  for (int r : faulty_ranks_) {
    const auto& h = hosts_[static_cast<std::size_t>(node_of(r))];
    if (std::find(truth_.faulty_nodes.begin(), truth_.faulty_nodes.end(), h) == truth_.faulty_nodes.end()) {
      truth_.faulty_nodes.push_back(h);
    }
  }
  // One phrasing per symptom for the whole job: every rank runs the same stack version.
  for (const auto& name : fault_->symptoms) {
    const auto it = tables_.symptoms.find(name);
    if (it == tables_.symptoms.end()) continue;
    const auto& p = it->second.phrasings;
    const auto pick = p.size() > 1 ? rng_.range(0, static_cast<std::int64_t>(p.size()) - 1) : 0;
    phrasing_[name] = &p[static_cast<std::size_t>(pick)].block;
  }
}

void Job::open_sinks() {
  const fs::path logs = fs::path(opt_.out_dir) / "logs";
  std::error_code ec;
  fs::remove_all(logs, ec);
  fs::create_directories(logs, ec);
  if (ec) throw Error("cannot create " + logs.string() + ": " + ec.message());
  const std::string ext = opt_.gzip ? ".log.gz" : ".log";
  const int n = opt_.nodes, k = opt_.ranks_per_node;
  const std::size_t files = opt_.layout == "per-rank" ? static_cast<std::size_t>(n * k)
                            : opt_.layout == "per-node" ? static_cast<std::size_t>(n) : 1;
  const std::size_t flush = std::clamp<std::size_t>((std::size_t{96} << 20) / files, 64 << 10, 8 << 20);
  auto add = [&](const std::string& rel) {
    sinks_.push_back(std::make_unique<FileSink>((logs / rel).string(), rel, opt_.gzip, flush));
    return static_cast<int>(sinks_.size() - 1);
  };
  rank_stream_.resize(static_cast<std::size_t>(n * k));
  node_stream_.resize(static_cast<std::size_t>(n));
  const int merged = opt_.layout == "merged" ? add("job" + ext) : -1;
  for (int node = 0; node < n; ++node) {
    const auto& host = hosts_[static_cast<std::size_t>(node)];
    int node_sink = merged;
    if (opt_.layout == "per-node") node_sink = add(host + ext);
    if (opt_.layout == "per-rank") fs::create_directories(logs / host, ec);
    for (int l = 0; l < k; ++l) {
      const int r = node * k + l;
      auto& s = rank_stream_[static_cast<std::size_t>(r)];
      if (opt_.layout == "per-rank") {
        s.sink = add(fmt::format("{}/rank_{}{}", host, r, ext));
        if (l == 0) node_stream_[static_cast<std::size_t>(node)].sink = s.sink;
      } else {
        s.sink = node_sink;
        if (opt_.layout == "merged") s.prefix = host + ": ";
        if (style_->rank_prefix) s.prefix += fmt::format("[rank{}]:", r);
      }
    }
    if (opt_.layout != "per-rank") {
      node_stream_[static_cast<std::size_t>(node)].sink = node_sink;
      if (opt_.layout == "merged") node_stream_[static_cast<std::size_t>(node)].prefix = host + ": ";
    }
  }
}

// ---------------------------------------------------------------- emission

void Job::emit(const LineTemplate& t, int node, int rank, int ctx_rank, Role role) {
  const auto& stream = rank >= 0 ? rank_stream_[static_cast<std::size_t>(rank)] : node_stream_[static_cast<std::size_t>(node)];
  auto& sink = *sinks_[static_cast<std::size_t>(stream.sink)];
  ctx_node_ = node;
  ctx_rank_ = ctx_rank >= 0 ? ctx_rank : (rank >= 0 ? rank : node * opt_.ranks_per_node);
  ctx_node_stream_ = rank < 0;
  line_time_ = now_ + skew_[static_cast<std::size_t>(node)];
  now_ += static_cast<std::int64_t>(rng_.next() % 700);
  auto& out = sink.buffer();
  out += stream.prefix;
  for (const auto& seg : t.segments) {
    if (seg.var == Var::literal) {
      out += seg.text;
    } else {
      expand(out, seg.var);
    }
  }
  const auto line_no = sink.end_line();
  if ((t.evidence || force_evidence_) && role != Role::none) {
    truth_.lines.push_back(TruthLine{sink.display(), line_no, role == Role::root ? "root" : "symptom",
                                     hosts_[static_cast<std::size_t>(node)]});
  }
}

void Job::block(const Block& b, int node, int rank, int ctx_rank, Role role) {
  for (const auto& t : b) emit(t, node, rank, ctx_rank, role);
}

void Job::hook(const std::string& name, int node, int rank, int ctx_rank, Role role) {
  for (const auto& b : style_->hook(name)) {
    block(b, node, rank, ctx_rank, role);
    advance(100, 3000);
  }
}

void Job::pool(const std::string& name, int rank) {
  const auto& blocks = style_->hook(name);
  if (blocks.empty()) return;
  const auto& b = blocks[static_cast<std::size_t>(rng_.range(0, static_cast<std::int64_t>(blocks.size()) - 1))];
  block(b, node_of(rank), rank, rank);
}

void Job::put_time(std::string& out, Var v) {
  const std::int64_t sec = line_time_ / kSecond;
  const auto us = static_cast<int>(line_time_ % kSecond);
  if (sec != cached_sec_) {
    cached_sec_ = sec;
    int y = 0;
    civil(sec / 86400, y, month_, day_);
    const auto s = sec % 86400;
    fmt::format_to_n(date_, sizeof date_, "{:04d}-{:02d}-{:02d} {:02d}:{:02d}:{:02d}", y, month_, day_, s / 3600,
                     s / 60 % 60, s % 60);
  }
  const std::string_view date(date_, 10), clock(date_ + 11, 8);
  auto it = std::back_inserter(out);
  switch (v) {
    case Var::py: out.append(date_, 19); out.push_back(','); put_pad(out, us / 1000, 3); break;
    case Var::glog:
      put_pad(out, month_, 2);
      put_pad(out, day_, 2);
      out.push_back(' ');
      out += clock;
      out.push_back('.');
      put_pad(out, us, 6);
      break;
    case Var::c10d:
      put_int(out, month_);
      put_pad(out, day_, 2);
      out.push_back(' ');
      out += clock;
      out.push_back('.');
      put_pad(out, us, 6);
      put_pad(out, static_cast<std::int64_t>(rng_.next() % 1000), 3);
      break;
    case Var::iso: fmt::format_to(it, "{}T{}", date, clock); break;
    case Var::tsu: fmt::format_to(it, "{}_{}", date, clock); break;
    case Var::hms: out += clock; break;
    case Var::kt: {
      const auto up = line_time_ - start_ + boot_[static_cast<std::size_t>(ctx_node_)];
      fmt::format_to(it, "{:5d}.{:06d}", up / kSecond, up % kSecond);
      break;
    }
    default: break;
  }
}

void Job::expand(std::string& out, Var v) {
  const auto vi = static_cast<std::size_t>(v);
  if (has_ov_[vi]) {
    out += ov_[vi];
    return;
  }
  auto it = std::back_inserter(out);
  const auto node = static_cast<std::size_t>(ctx_node_);
  const auto rank = static_cast<std::size_t>(ctx_rank_);
  const int k = opt_.ranks_per_node;
  const int lrank = ctx_rank_ % k;
  switch (v) {
    case Var::py: case Var::glog: case Var::c10d: case Var::kt: case Var::iso: case Var::hms: case Var::tsu:
      put_time(out, v);
      break;
    case Var::host: out += hosts_[node]; break;
    case Var::ip: out += ips_[node]; break;
    case Var::rank: put_int(out, ctx_rank_); break;
    case Var::lrank: case Var::gpu: put_int(out, lrank); break;
    case Var::lrank2: fmt::format_to(it, "{:02d}", lrank); break;
    case Var::noderank: put_int(out, ctx_node_); break;
    case Var::world: put_int(out, world()); break;
    case Var::nnodes: put_int(out, opt_.nodes); break;
    case Var::nproc: put_int(out, k); break;
    case Var::pid: put_int(out, ctx_node_stream_ ? agent_pids_[node] : pids_[rank]); break;
    case Var::wpid: put_int(out, pids_[rank]); break;
    case Var::tid: put_int(out, tids_[rank]); break;
    case Var::master: out += hosts_[0]; break;
    case Var::master_ip: out += ips_[0]; break;
    case Var::port: put_int(out, port_); break;
    case Var::job: out += job_number_; break;
    case Var::busid: out += kBusIds[lrank % 8]; break;
    case Var::pci: fmt::format_to(it, "0000:{}:00", std::string_view(kBusIds[lrank % 8]).substr(0, 2)); break;
    case Var::hca: fmt::format_to(it, "mlx5_{}", lrank % 8); break;
    case Var::nic: out += nic_; break;
    case Var::entry: out += style_->entry; break;
    case Var::iter: put_int(out, resume_ + iter_); break;
    case Var::iters: case Var::steps: put_int(out, resume_ + iters_); break;
    case Var::iter7: fmt::format_to(it, "{:07d}", resume_ + iter_); break;
    case Var::fault_iter: put_int(out, resume_ + strike_iter_); break;
    case Var::consumed: put_int(out, static_cast<std::int64_t>(resume_ + iter_) * gbs_); break;
    case Var::ms: put_fixed(out, ms_, 1); break;
    case Var::lr: if (style_->scientific) { put_sci(out, lr_, 6); } else { fmt::format_to(it, "{:.4g}", lr_); } break;
    case Var::loss: if (style_->scientific) { put_sci(out, loss_, 6); } else { put_fixed(out, loss_, 4); } break;
    case Var::gnorm: put_fixed(out, gnorm_, 3); break;
    case Var::lscale: put_int(out, static_cast<std::int64_t>(lscale_)); break;
    case Var::lscale2: put_int(out, std::max<std::int64_t>(1, static_cast<std::int64_t>(lscale_) / 2)); break;
    case Var::skipped: put_int(out, skipped_); break;
    case Var::sps: put_fixed(out, gbs_ * 1000.0 / ms_, 2); break;
    case Var::tflops: put_fixed(out, tflops_ * base_ms_ / ms_, 1); break;
    case Var::epoch: put_fixed(out, static_cast<double>(resume_ + iter_) / epoch_steps_, 2); break;
    case Var::pct: fmt::format_to(it, "{:3d}", iter_ * 100 / std::max(1, iters_)); break;
    case Var::bar: {
      const int fill = iter_ * 10 / std::max(1, iters_);
      out.append(static_cast<std::size_t>(fill), '#');
      out.append(static_cast<std::size_t>(10 - fill), ' ');
      break;
    }
    case Var::elapsed: {
      const auto s = (now_ - start_) / kSecond;
      fmt::format_to(it, "{:02d}:{:02d}:{:02d}", s / 3600, s / 60 % 60, s % 60);
      break;
    }
    case Var::remain: {
      const auto s = static_cast<std::int64_t>((iters_ - iter_) * ms_ / 1000.0);
      fmt::format_to(it, "{:02d}:{:02d}:{:02d}", s / 3600, s / 60 % 60, s % 60);
      break;
    }
    case Var::spit: put_fixed(out, ms_ / 1000.0, 2); break;
    case Var::evloss: if (style_->scientific) { put_sci(out, evloss_, 6); } else { put_fixed(out, evloss_, 4); } break;
    case Var::evppl: put_sci(out, std::exp(evloss_), 6); break;
    case Var::rms: put_fixed(out, rms_, 1); break;
    case Var::fwd: put_fixed(out, fwd_, 1); break;
    case Var::bwd: put_fixed(out, bwd_, 1); break;
    case Var::opt: put_fixed(out, opt_ms_, 1); break;
    case Var::wait: put_fixed(out, wait_, 1); break;
    case Var::ckpt: out += ckpt_; break;
    case Var::params: put_int(out, params_); break;
    case Var::nlayers: put_int(out, nlayers_); break;
    case Var::hidden: put_int(out, hidden_); break;
    case Var::heads: put_int(out, heads_); break;
    case Var::gbs: put_int(out, gbs_); break;
    case Var::mbs: put_int(out, mbs_); break;
    case Var::seqlen: put_int(out, seqlen_); break;
    case Var::peer_host: out += hosts_[static_cast<std::size_t>(peer_node_)]; break;
    case Var::peer_ip: out += ips_[static_cast<std::size_t>(peer_node_)]; break;
    case Var::peer_rank: put_int(out, peer_node_ * k + lrank); break;
    // One NCCL connection port per job, so a root line and its 'Last error:' repeat agree.
    case Var::pport: put_int(out, 32768 + (numel_ + faulty_rank_ * 7919) % 28000); break;
    case Var::xid: out += "13"; break;
    case Var::seq: put_int(out, seq_); break;
    case Var::seqm1: put_int(out, seq_ - 1); break;
    case Var::numel: put_int(out, numel_); break;
    case Var::timeout: out += "600000"; break;
    case Var::ran: put_int(out, 600000 + rng_.range(2, 90)); break;
    case Var::exit: out += "1"; break;
    case Var::signame: out += "SIGABRT"; break;
    case Var::signal: {
      const std::string exit = has_ov_[static_cast<std::size_t>(Var::exit)] ? ov_[static_cast<std::size_t>(Var::exit)] : "1";
      if (!exit.empty() && exit.front() == '-') {
        const auto& name = ov_[static_cast<std::size_t>(Var::signame)];
        fmt::format_to(it, "Signal {} ({}) received by PID {}", std::string_view(exit).substr(1), name.empty() ? "SIGABRT" : name, pids_[rank]);
      } else {
        out += "<N/A>";
      }
      break;
    }
    case Var::gib: put_fixed(out, rng_.uniform(0.5, 20), 2); break;
    case Var::freegib: put_fixed(out, rng_.uniform(0.01, 0.5), 2); break;
    case Var::resgib: put_fixed(out, rng_.uniform(40, 78), 2); break;
    case Var::ch: fmt::format_to(it, "{:02d}", channel_); break;
    case Var::next: put_int(out, (ctx_rank_ + 1) % world()); break;
    case Var::prev: put_int(out, (ctx_rank_ + world() - 1) % world()); break;
    case Var::n2: put_int(out, rng_.range(10, 99)); break;
    case Var::n3: put_int(out, rng_.range(100, 999)); break;
    case Var::n4: put_int(out, rng_.range(1000, 9999)); break;
    case Var::n5: put_int(out, rng_.range(10000, 99999)); break;
    case Var::hex8: fmt::format_to(it, "{:08x}", static_cast<std::uint32_t>(rng_.next())); break;
    case Var::ver: out += "2.20.5"; break;
    case Var::mem: put_int(out, mem_mb_ + static_cast<int>(rng_.range(0, 999))); break;
    case Var::dataset: out += dataset_; break;
    case Var::retry: put_int(out, rng_.range(1, 4)); break;
    case Var::uptime: put_int(out, (line_time_ - start_ + boot_[node]) / kSecond); break;
    case Var::dsver: out += "0.14.4"; break;
    case Var::model: out += model_; break;
    case Var::literal: break;
  }
}

// ---------------------------------------------------------------- stages

bool Job::launch() {
  const int n = opt_.nodes, k = opt_.ranks_per_node;
  node_hook("launch_master", 0);
  for (int node = 0; node < n; ++node) {
    advance(20000, 400000);
    node_hook("launch_node", node);
    for (int l = 0; l < k; ++l) node_hook("spawn_rank", node, node * k + l);
  }
  return true;
}

bool Job::init() {
  const int W = world();
  advance(2 * kSecond, 8 * kSecond);
  const bool early = fault_ != nullptr && fault_->scope == FaultScope::all;
  for (int r = 0; r < W; ++r) {
    rank_hook("init_rank", r);
    if (rng_.chance(0.3)) pool("retry_pool", r);
  }
  if (early && strike_here(Stage::init)) {
    strike();
    return false;
  }
  for (int r = 0; r < W; ++r) {
    advance(1000, 20000);
    rank_hook("pg_options", r);
    rank_hook("nccl_rank", r);
    const int benign = static_cast<int>(rng_.range(1, 3));
    for (int b = 0; b < benign; ++b) pool("benign_rank_pool", r);
  }
  if (strike_here(Stage::init)) {
    strike();
    return false;
  }
  advance(500000, 3 * kSecond);
  const auto& channel = style_->hook("nccl_channel");
  const int channels = W > 1 ? 16 : 0;
  for (int r = 0; r < W; ++r) {
    for (channel_ = 0; channel_ < channels; ++channel_) {
      for (const auto& b : channel) block(b, node_of(r), r, r);
    }
    rank_hook("nccl_rank_end", r);
  }
  // One retried-and-recovered error somewhere in every job.
  pool("retry_pool", static_cast<int>(rng_.range(0, W - 1)));
  advance(kSecond, 5 * kSecond);
  rank_hook("init_rank0", 0);
  return true;
}

bool Job::loading() {
  advance(2 * kSecond, 20 * kSecond);
  iter_ = 0;
  rank_hook("loading_rank0", 0);
  if (strike_here(Stage::loading)) {
    strike();
    return false;
  }
  advance(5 * kSecond, 60 * kSecond);
  for (int r = 0; r < world(); ++r) rank_hook("loading_rank", r);
  advance(kSecond, 10 * kSecond);
  rank_hook("train_start_rank0", 0);
  return true;
}

void Job::train_numbers() {
  const double x = static_cast<double>(resume_ + iter_);
  const double warm = 2000.0;
  const double peak = peak_lr_;
  lr_ = x < warm ? peak * x / warm : peak * 0.5 * (1.0 + std::cos(3.14159265 * std::min(1.0, x / 500000.0)));
  loss_ = 1.8 + 8.5 * std::exp(-x / 700.0) + 0.6 * std::exp(-x / 20000.0) + rng_.uniform(-0.06, 0.06);
  gnorm_ = rng_.uniform(0.15, 1.6) + (x < 200 ? rng_.uniform(0, 8) : 0.0);
  // Synchronous training runs at the pace of the slowest node: its compute plus the collectives.
  ms_ = base_ms_ * (straggle_ > 1.0 ? 0.83 * straggle_ + 0.17 : 1.0) * rng_.uniform(0.97, 1.05);
  if (fault_ != nullptr && fault_->info.type == "framework/numerics" && strike_iter_ > 0 && iter_ > strike_iter_ - 6) {
    gnorm_ *= 5.0 * (iter_ - strike_iter_ + 7);
    loss_ *= 1.0 + 0.3 * (iter_ - strike_iter_ + 7);
  }
}

void Job::log_iteration() {
  const int n = opt_.nodes, k = opt_.ranks_per_node;
  rank_hook("iter_rank0", 0);
  if (iter_ % style_->log_every == 0) rank_hook("log_rank0", 0);
  // Per-node step timer on each node's first rank: the slow node computes, the others wait.
  const double compute = base_ms_ * rng_.uniform(0.80, 0.86);
  for (int node = 0; node < n; ++node) {
    if (done_[static_cast<std::size_t>(node)] != 0) continue;
    const bool slow = slow_node_[static_cast<std::size_t>(node)] != 0;
    rms_ = ms_ * rng_.uniform(0.995, 1.0);
    const double mine = slow ? compute * straggle_ : compute * rng_.uniform(0.98, 1.02);
    fwd_ = mine * 0.33;
    bwd_ = mine * 0.62;
    opt_ms_ = mine * 0.05;
    wait_ = std::max(0.5, rms_ - mine);
    const auto& blocks = style_->hook("iter_node");
    force_evidence_ = slow;
    for (const auto& b : blocks) block(b, node, node * k, node * k, slow ? Role::root : Role::none);
    force_evidence_ = false;
  }
}

bool Job::evaluation() {
  const auto& blocks = style_->hook("eval_rank0");
  const std::size_t half = (blocks.size() + 1) / 2;
  evloss_ = loss_ + rng_.uniform(0.01, 0.2);
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    if (i == half && strike_here(Stage::evaluation) && iter_ == strike_iter_) {
      strike();
      return false;
    }
    block(blocks[i], 0, 0, 0);
    advance(kSecond, 20 * kSecond);
  }
  if (strike_here(Stage::evaluation) && iter_ == strike_iter_) {
    strike();
    return false;
  }
  return true;
}

bool Job::checkpoint() {
  rank_hook("ckpt_rank0_begin", 0);
  advance(kSecond, 10 * kSecond);
  const bool here = strike_here(Stage::checkpoint) && iter_ == strike_iter_;
  const int W = world();
  int stop_at = W;
  if (here) stop_at = fault_->scope == FaultScope::rank ? faulty_rank_ : static_cast<int>(rng_.range(0, W - 1));
  for (int r = 0; r < W; ++r) {
    if (r == stop_at) {
      strike();
      return false;
    }
    rank_hook("ckpt_rank", r);
  }
  advance(kSecond, 5 * kSecond);
  rank_hook("ckpt_rank0_end", 0);
  return true;
}

bool Job::training() {
  const int W = world();
  const bool slow = fault_ != nullptr && fault_->behaviour == FaultBehaviour::slow;
  int slow_iters = 0;
  for (iter_ = 1; iter_ <= iters_; ++iter_) {
    if (slow && iter_ == strike_iter_) {
      struck_ = true;
      slow_node_[static_cast<std::size_t>(faulty_node_)] = 1;
      truth_.failed_at = resume_ + iter_;
      slow_iters = std::min(static_cast<int>(rng_.range(8, 30)), iters_ - strike_iter_);
    }
    if (struck_ && slow && iter_ >= strike_iter_) {
      straggle_ = std::min(6.0, straggle_ * rng_.uniform(1.15, 1.5));
      if (iter_ - strike_iter_ >= slow_iters) {
        strike();  // the scheduler's time limit ends the job
        return false;
      }
    }
    if (strike_here(Stage::training) && iter_ == strike_iter_ && !slow) {
      seq_ = static_cast<std::int64_t>(resume_ + iter_) * 12 + 7;
      strike();
      return false;
    }
    now_ += static_cast<std::int64_t>(ms_ * 1000.0);
    train_numbers();
    if (style_->fp16 && iter_ <= 6 && rng_.chance(0.7)) {
      rank_hook("overflow_rank0", 0);
      lscale_ /= 2;
      ++skipped_;
    }
    log_iteration();
    last_completed_ = iter_;
    if (iter_ == 1) {
      for (int r = 0; r < W; ++r) rank_hook("first_iter_rank", r);
    }
    // Benign noise: a warning on some rank now and then, a retried error rarely.
    if (rng_.chance(0.05)) pool("benign_rank_pool", static_cast<int>(rng_.range(0, W - 1)));
    if (rng_.chance(0.004)) pool("retry_pool", static_cast<int>(rng_.range(0, W - 1)));
    seq_ = static_cast<std::int64_t>(resume_ + iter_) * 12 + 7;
    if (iter_ % eval_every_ == 0 && iter_ < iters_) {
      if (!evaluation()) return false;
    }
    if (iter_ % save_every_ == 0 || iter_ == iters_) {
      if (!checkpoint()) return false;
    }
  }
  iter_ = iters_;
  return true;
}

void Job::finish_normal() {
  advance(kSecond, 5 * kSecond);
  rank_hook("end_rank0", 0);
  const int k = opt_.ranks_per_node;
  for (int node = 0; node < opt_.nodes; ++node) {
    advance(1000, 300000);
    for (int l = 0; l < k; ++l) node_hook("end_rank_node", node, node * k + l);
    node_hook("end_node", node);
    for (int l = 0; l < k; ++l) {
      if (rng_.chance(0.5)) rank_hook("end_rank", node * k + l);
    }
  }
}

// ---------------------------------------------------------------- fault cascade

const Block& Job::phrasing(const std::string& symptom) const {
  const auto it = phrasing_.find(symptom);
  if (it == phrasing_.end()) throw Error("simulate table: fault " + fault_->info.type + " prints symptom " + symptom + " it does not list");
  return *it->second;
}

void Job::symptom_block(const std::string& name, int rank) {
  block(phrasing(name), node_of(rank), rank, rank, Role::symptom);
}

void Job::teardown_node(int node, int first_rank, const std::string& exit, const std::string& signame) {
  auto& d = done_[static_cast<std::size_t>(node)];
  if (d != 0) return;
  d = 1;
  const int k = opt_.ranks_per_node;
  const std::string saved_exit = ov_[static_cast<std::size_t>(Var::exit)];
  const std::string saved_sig = ov_[static_cast<std::size_t>(Var::signame)];
  const bool had_exit = has_ov_[static_cast<std::size_t>(Var::exit)];
  const bool had_sig = has_ov_[static_cast<std::size_t>(Var::signame)];
  advance(200000, 2 * kSecond);
  for (int l = 0; l < k; ++l) {
    const int r = node * k + l;
    if (r == first_rank) continue;
    const auto& blocks = style_->hook("sigterm");
    for (const auto& b : blocks) block(b, node, -1, r, Role::symptom);
    dead_[static_cast<std::size_t>(r)] = 1;
  }
  advance(kSecond, 6 * kSecond);
  ov_[static_cast<std::size_t>(Var::exit)] = exit;
  has_ov_.set(static_cast<std::size_t>(Var::exit));
  ov_[static_cast<std::size_t>(Var::signame)] = signame;
  has_ov_.set(static_cast<std::size_t>(Var::signame), !signame.empty());
  for (const auto& b : style_->hook("fail_local")) block(b, node, -1, first_rank, Role::symptom);
  ov_[static_cast<std::size_t>(Var::exit)] = saved_exit;
  ov_[static_cast<std::size_t>(Var::signame)] = saved_sig;
  has_ov_.set(static_cast<std::size_t>(Var::exit), had_exit);
  has_ov_.set(static_cast<std::size_t>(Var::signame), had_sig);
  dead_[static_cast<std::size_t>(first_rank)] = 1;
}

void Job::record_parameters() {
  // Expand each parameter template for the first faulty rank, outside any file.
  std::string value;
  ctx_node_ = faulty_node_;
  ctx_rank_ = faulty_rank_;
  ctx_node_stream_ = false;
  line_time_ = now_;
  for (const auto& [type, tpl] : fault_->parameters) {
    value.clear();
    for (const auto& seg : tpl.segments) {
      if (seg.var == Var::literal) {
        value += seg.text;
      } else {
        expand(value, seg.var);
      }
    }
    // A variant that does not print a value (an ECC error seen without its kernel Xid line) sets it
    // empty: the truth lists only what the logs show.
    if (!value.empty()) truth_.parameters.push_back(TruthParameter{type, value});
  }
}

void Job::strike() {
  struck_ = true;
  const int n = opt_.nodes, k = opt_.ranks_per_node;
  const auto& f = *fault_;
  if (in_iterations(stage_)) {
    if (last_completed_ >= 0) truth_.last_completed = resume_ + last_completed_;
    if (!truth_.failed_at) truth_.failed_at = resume_ + iter_;  // in progress (training) or just done
  }
  if (seq_ == 0) seq_ = rng_.range(3, 40);
  record_parameters();
  const std::string exit = has_ov_[static_cast<std::size_t>(Var::exit)] ? ov_[static_cast<std::size_t>(Var::exit)] : "1";
  const std::string sig = ov_[static_cast<std::size_t>(Var::signame)];

  if (f.behaviour == FaultBehaviour::slow) {
    // The scheduler's time limit: every node is cancelled, the agents terminate their workers.
    advance(kSecond, 30 * kSecond);
    for (int node = 0; node < n; ++node) {
      block(phrasing("time_limit"), node, -1, node * k, Role::symptom);
      for (int l = 0; l < k; ++l) {
        for (const auto& b : style_->hook("sigterm")) block(b, node, -1, node * k + l, Role::symptom);
      }
      done_[static_cast<std::size_t>(node)] = 1;
    }
    return;
  }

  // 1. Root evidence on the faulty node: kernel/node-level lines, then each faulty process.
  std::vector<char> faulty_node(static_cast<std::size_t>(n), 0);
  for (int r : faulty_ranks_) faulty_node[static_cast<std::size_t>(node_of(r))] = 1;
  if (!variant_->node_root.empty()) {
    const auto& b = variant_->node_root[static_cast<std::size_t>(rng_.range(0, static_cast<std::int64_t>(variant_->node_root.size()) - 1))];
    block(b, faulty_node_, -1, faulty_rank_, Role::root);
    advance(1000, 500000);
  }
  if (f.behaviour == FaultBehaviour::crash && !variant_->root.empty()) {
    const auto& b = variant_->root[static_cast<std::size_t>(rng_.range(0, static_cast<std::int64_t>(variant_->root.size()) - 1))];
    for (int r : faulty_ranks_) {
      block(b, node_of(r), r, r, Role::root);
      advance(100, 20000);
    }
  }
  if (f.behaviour == FaultBehaviour::crash) {
    for (int r : faulty_ranks_) dead_[static_cast<std::size_t>(r)] = 1;
  }
  if (f.behaviour == FaultBehaviour::silent) {
    for (int l = 0; l < k; ++l) dead_[static_cast<std::size_t>(faulty_node_ * k + l)] = 1;
    done_[static_cast<std::size_t>(faulty_node_)] = 1;
  }

  // 2. The faulty node's agent notices the failed worker and tears the node down.
  if (f.has_symptom("local_teardown")) {
    advance(kSecond, 5 * kSecond);
    for (int node = 0; node < n; ++node) {
      if (faulty_node[static_cast<std::size_t>(node)] == 0) continue;
      int first = node == faulty_node_ ? faulty_rank_ : node * k;
      teardown_node(node, first, exit, sig);
    }
  }

  // 3. Ring neighbours see the connection to the dead peer (the faulty node) close; they keep waiting.
  if (f.has_symptom("peer_closed") && n > 1) {
    advance(kSecond, 20 * kSecond);
    const int lrank = faulty_rank_ % k;
    const int saved_peer = peer_node_;
    peer_node_ = faulty_node_;
    for (int node : {(faulty_node_ + n - 1) % n, (faulty_node_ + 1) % n}) {
      if (done_[static_cast<std::size_t>(node)] != 0) continue;
      symptom_block("peer_closed", node * k + lrank);
      if (n == 2) break;
    }
    peer_node_ = saved_peer;
  }

  // 4. Network errors surface on the peers' NCCL proxies at once: they abort.
  if (f.has_symptom("remote_error")) {
    advance(500000, 4 * kSecond);
    const int lrank = faulty_rank_ % k;
    const int saved_peer = peer_node_;
    peer_node_ = faulty_node_;
    for (int node = 0; node < n; ++node) {
      if (done_[static_cast<std::size_t>(node)] != 0) continue;
      const int r = node * k + lrank;
      symptom_block("remote_error", r);
      dead_[static_cast<std::size_t>(r)] = 1;
      teardown_node(node, r, "-6", "SIGABRT");
    }
    peer_node_ = saved_peer;
  }

  // 5. A lost node stops sending rendezvous heartbeats.
  if (f.has_symptom("heartbeat") && n > 1) {
    advance(30 * kSecond, 90 * kSecond);
    const int master = faulty_node_ == 0 ? 1 : 0;
    const int saved_peer = peer_node_;
    peer_node_ = faulty_node_;
    block(phrasing("heartbeat"), master, -1, master * k, Role::symptom);
    peer_node_ = saved_peer;
  }

  // 6. Everyone else blocks in the collective until the NCCL watchdog fires (same SeqNum).
  if (f.has_symptom("watchdog")) {
    now_ += 600 * kSecond;
    for (int node = 0; node < n; ++node) {
      if (done_[static_cast<std::size_t>(node)] != 0) continue;
      int first = -1;
      for (int l = 0; l < k; ++l) {
        const int r = node * k + l;
        if (dead_[static_cast<std::size_t>(r)] != 0) continue;
        if (f.behaviour == FaultBehaviour::hang && r == faulty_rank_) continue;  // stuck: never enqueued it
        symptom_block("watchdog", r);
        if (first < 0) first = r;
      }
      if (first >= 0) teardown_node(node, first, "-6", "SIGABRT");
    }
  }
}

JobTruth Job::run() {
  plan_fault();
  open_sinks();
  bool ok = launch() && init();
  if (ok) ok = loading();
  if (ok) ok = training();
  if (ok && fault_ != nullptr && !struck_) {
    // Safety net for tiny runs whose planned strike point never came: strike at the end.
    struck_ = false;
    last_completed_ = iters_;
    strike();
    ok = false;
  }
  if (ok) finish_normal();
  for (auto& s : sinks_) {
    truth_.bytes_written += s->bytes();
    truth_.lines_written += s->lines();
    s->close();
  }
  const fs::path truth_path = fs::path(opt_.out_dir) / "truth.json";
  std::ofstream out(truth_path, std::ios::binary | std::ios::trunc);
  out << truth_.to_json().dump(2) << '\n';
  if (!out) throw Error("cannot write " + truth_path.string());
  return truth_;
}

}  // namespace

JobTruth simulate_job(const SimOptions& options) {
  Job job(options);
  return job.run();
}

}  // namespace l4::simulate
