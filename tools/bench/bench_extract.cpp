// Micro-benchmarks of `l4 extract`'s stages on one core, over a synthetic mix of training-log
// lines (mostly benign progress lines, some faults). The coarse filter (lexicon + level score of
// every line) must stay above 1 M lines/s; the fine stage runs only on candidate lines.
//   build/bench_extract --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "l4/extract/fault_extractor.hpp"

namespace {

std::vector<std::string> corpus() {
  const std::vector<std::string> faults = {
      "NCCL WARN NET/IB : Got completion from peer 10.0.0.5<50538> with error 12, opcode 0 hca mlx5_10",
      "[Rank 9] Watchdog caught collective operation timeout: WorkNCCL(SeqNum=4242) ran for 600000 ms",
      "failed (exitcode: -6) local_rank: 1 (pid: 4242) of binary: /usr/bin/python",
      "NVRM: Xid (PCI:0000:db:00): 79, pid=1234, GPU has fallen off the bus.",
      "RuntimeError: CUDA error: an illegal memory access was encountered",
  };
  std::vector<std::string> lines;
  for (int i = 0; i < 10000; ++i) {
    if (i % 50 == 0) {
      lines.push_back(faults[static_cast<std::size_t>(i / 50) % faults.size()]);
    } else if (i % 7 == 0) {
      lines.push_back("Successfully saved checkpoint to /mnt/ckpt/step_" + std::to_string(i) + "/model.pt");
    } else {
      lines.push_back("iteration " + std::to_string(i) + "/ 100000 | consumed samples: " + std::to_string(i * 512) +
                      " | elapsed time per iteration (ms): 812.3 | learning rate: 3.000E-04 | lm loss: 2.31E+00 |");
    }
  }
  return lines;
}

std::vector<l4::extract::ExtractLine> extract_lines(const std::vector<std::string>& text) {
  std::vector<l4::extract::ExtractLine> out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    l4::extract::ExtractLine l;
    l.line_no = i + 1;
    l.level = i % 50 == 0 ? l4::format::Level::error : l4::format::Level::info;
    l.content = text[i];
    l.template_id = l4::parse::template_id(text[i].substr(0, 12));
    out.push_back(l);
  }
  return out;
}

void BM_CoarseFilter(benchmark::State& state) {
  const auto text = corpus();
  const auto lines = extract_lines(text);
  const l4::extract::FaultExtractor ex;
  std::size_t bytes = 0;
  for (const auto& t : text) bytes += t.size();
  for (auto _ : state) {
    double sum = 0;
    for (const auto& l : lines) sum += ex.coarse_score(l);
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * lines.size()));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_CoarseFilter)->Unit(benchmark::kMillisecond);

void BM_Describe(benchmark::State& state) {
  const auto text = corpus();
  const auto lines = extract_lines(text);
  const l4::extract::FaultExtractor ex;
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(ex.describe(lines[(i++ * 50) % lines.size()]));
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_Describe)->Unit(benchmark::kMicrosecond);

void BM_ExtractSet(benchmark::State& state) {
  const auto text = corpus();
  const auto lines = extract_lines(text);
  const l4::extract::FaultExtractor ex;
  for (auto _ : state) benchmark::DoNotOptimize(ex.extract(lines));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * lines.size()));
}
BENCHMARK(BM_ExtractSet)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
