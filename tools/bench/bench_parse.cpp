// Micro-benchmarks of the template miner on synthetic HDFS-like lines (no data files needed):
// matching against known templates (the steady state of `l4 parse`), masking, and batch mining.
// Items/s = lines/s on one core. Whole-process figures: bench_parse.sh.
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "l4/parse/template_miner.hpp"

namespace {

std::vector<std::string> hdfs_like(std::size_t n) {
  std::mt19937_64 rng(42);
  auto num = [&](std::uint64_t mod) { return std::to_string(rng() % mod); };
  auto ip = [&] { return "10.250." + num(256) + "." + num(256); };
  std::vector<std::string> out;
  out.reserve(n);
  for (std::size_t i = 0; out.size() < n; ++i) {
    switch (i % 6) {
      case 0: out.push_back("PacketResponder " + num(3) + " for block blk_" + num(1ULL << 62U) + " terminating"); break;
      case 1: out.push_back("Received block blk_-" + num(1ULL << 62U) + " of size " + num(67108864) + " from /" + ip()); break;
      case 2: out.push_back("Receiving block blk_" + num(1ULL << 62U) + " src: /" + ip() + ":" + num(65536) + " dest: /" + ip() + ":50010"); break;
      case 3: out.push_back("BLOCK* NameSystem.addStoredBlock: blockMap updated: " + ip() + ":50010 is added to blk_" + num(1ULL << 62U) + " size " + num(67108864)); break;
      case 4: out.push_back("Verification succeeded for blk_" + num(1ULL << 62U)); break;
      default: out.push_back(ip() + ":50010 Served block blk_" + num(1ULL << 62U) + " to /" + ip()); break;
    }
  }
  return out;
}

const std::vector<std::string>& lines() {
  static const auto data = hdfs_like(100000);
  return data;
}

void BM_MatchKnown(benchmark::State& state) {
  l4::parse::TemplateMiner miner;
  const std::vector<std::string_view> views(lines().begin(), lines().end());
  miner.mine(views);
  l4::parse::ParseResult r;
  std::size_t i = 0;
  std::size_t bytes = 0;
  for (auto _ : state) {
    const auto& l = lines()[i];
    benchmark::DoNotOptimize(miner.match(l, r));
    bytes += l.size();
    if (++i == lines().size()) i = 0;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_MatchKnown);

void BM_MaskLine(benchmark::State& state) {
  const l4::parse::TokenMasker masker;
  std::vector<std::string_view> tokens;
  std::string out;
  std::size_t i = 0;
  for (auto _ : state) {
    l4::parse::tokenize(lines()[i], tokens);
    out.clear();
    for (const auto t : tokens) masker.mask_into(t, out);
    benchmark::DoNotOptimize(out.data());
    if (++i == lines().size()) i = 0;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_MaskLine);

void BM_MineBatch(benchmark::State& state) {
  const std::vector<std::string_view> views(lines().begin(), lines().end());
  for (auto _ : state) {
    l4::parse::TemplateMiner miner;
    miner.mine(views);
    benchmark::DoNotOptimize(miner.store().size());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * views.size()));
}
BENCHMARK(BM_MineBatch)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
