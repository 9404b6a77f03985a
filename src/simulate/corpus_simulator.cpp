// The corpus generator: a fixed, documented mix of jobs (docs/simulate.md, "Corpus mix"). Each job
// is planned from (seed, index) alone, so the corpus is identical for any thread count.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "l4/error.hpp"
#include "l4/simulate/corpus_options.hpp"
#include "l4/simulate/job_simulator.hpp"
#include "l4/simulate/sim_catalogue.hpp"
#include "rng.hpp"

namespace l4::simulate {
namespace {

// One band of the corpus's job sizes: jobs drawn below `upto` (cumulative share) and above the
// previous band's fall in it; bigger jobs run fewer iterations.
struct SizeBand {
  double upto;
  int min_nodes, max_nodes;
  int min_iterations, max_iterations;
};

// 60% 4-8, 25% 9-32, 12% 33-64, 3% 65-128 nodes; with a larger smallest job the small band is
// smallest..max(8, 2 smallest) and no band starts below it.
std::array<SizeBand, 4> size_bands(int smallest) {
  const int low = std::max(1, smallest);
  return {{{0.60, low, std::max(8, 2 * low), 150, 600},
           {0.85, std::max(9, low), std::max(32, low), 100, 300},
           {0.97, std::max(33, low), std::max(64, low), 60, 150},
           {1.00, std::max(65, low), std::max(128, low), 40, 100}}};
}

SimOptions plan_job(const CorpusOptions& c, int index, int failed_before) {
  const auto& cat = SimCatalogue::instance();
  std::uint64_t mix = c.seed * 0x9e3779b97f4a7c15ULL + static_cast<std::uint64_t>(index);
  Rng rng(Rng::splitmix(mix));
  SimOptions o;
  o.seed = rng.next() >> 16;
  o.job_id = fmt::format("job-{:04d}", index + 1);
  o.out_dir = (std::filesystem::path(c.out_dir) / o.job_id).string();
  o.gzip = c.gzip;
  o.style = cat.styles()[static_cast<std::size_t>(index) % cat.styles().size()];
  o.layout = SimCatalogue::layouts()[static_cast<std::size_t>(index / 3) % 3];
  // Every fifth job is normal; failed jobs cycle through the catalogue.
  if (index % 5 == 4) {
    o.fault = "none";
  } else {
    o.fault = cat.faults()[static_cast<std::size_t>(failed_before) % cat.faults().size()].type;
  }
  const double u = rng.unit();
  const auto bands = size_bands(c.min_nodes);
  const auto band = std::find_if(bands.begin(), bands.end() - 1, [&](const SizeBand& b) { return u < b.upto; });
  o.nodes = static_cast<int>(rng.range(band->min_nodes, band->max_nodes));
  o.iterations = static_cast<int>(rng.range(band->min_iterations, band->max_iterations));
  o.ranks_per_node = rng.chance(0.8) ? 8 : 4;
  return o;
}

}  // namespace

std::uint64_t simulate_corpus(const CorpusOptions& c) {
  if (c.out_dir.empty()) throw InputError("--corpus needs a directory");
  if (c.jobs < 1) throw InputError("--jobs must be at least 1");
  std::error_code ec;
  std::filesystem::create_directories(c.out_dir, ec);
  if (ec) throw Error("cannot create " + c.out_dir + ": " + ec.message());
  std::vector<SimOptions> plans;
  int failed = 0;
  for (int i = 0; i < c.jobs; ++i) {
    plans.push_back(plan_job(c, i, failed));
    if (plans.back().fault != "none") ++failed;
  }
  std::vector<JobTruth> truths(plans.size());
  std::atomic<std::size_t> next{0};
  std::mutex error_mutex;
  std::string first_error;
  auto worker = [&] {
    for (std::size_t i = next++; i < plans.size(); i = next++) {
      try {
        truths[i] = simulate_job(plans[i]);
      } catch (const std::exception& e) {
        const std::lock_guard lock(error_mutex);
        if (first_error.empty()) first_error = e.what();
      }
    }
  };
  const int threads = std::max(1, std::min(c.threads, c.jobs));
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  if (!first_error.empty()) throw Error(first_error);

  nlohmann::ordered_json index = nlohmann::ordered_json::array();
  std::uint64_t bytes = 0;
  for (std::size_t i = 0; i < plans.size(); ++i) {
    const auto& t = truths[i];
    bytes += t.bytes_written;
    index.push_back({{"job_id", t.job_id}, {"seed", plans[i].seed}, {"style", t.style}, {"layout", t.layout},
                     {"nodes", plans[i].nodes}, {"ranks_per_node", plans[i].ranks_per_node},
                     {"iterations", plans[i].iterations}, {"fault", t.fault_type}, {"category", t.fault_category},
                     {"simulated", t.variant ? t.simulated_fault : t.fault_type},
                     {"stage", t.stage.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(t.stage)},
                     {"log_bytes", t.bytes_written}, {"log_lines", t.lines_written}});
  }
  std::string sizes;
  double below = 0;
  for (const auto& b : size_bands(c.min_nodes)) {
    sizes += fmt::format("{}{:.0f}% {}-{}", sizes.empty() ? "" : ", ", (b.upto - below) * 100, b.min_nodes, b.max_nodes);
    below = b.upto;
  }
  const nlohmann::ordered_json doc = {
      {"seed", c.seed},
      {"mix", "every 5th job normal; failed jobs cycle through all fault types; styles rotate per job, layouts per 3 "
              "jobs; nodes " + sizes},
      {"jobs", index}};
  const auto path = std::filesystem::path(c.out_dir) / "corpus.json";
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << doc.dump(2) << '\n';
  if (!out) throw Error("cannot write " + path.string());
  return bytes;
}

}  // namespace l4::simulate
