#pragma once
// CorpusOptions: a benchmark corpus of many simulated jobs with a documented mix
// (docs/simulate.md, "Corpus mix"): 20% normal, failed jobs cycling through every fault type,
// styles and layouts rotating, 4 to 128 nodes with most jobs small.
#include <cstdint>
#include <string>

namespace l4::simulate {

struct CorpusOptions {
  std::string out_dir;     // DIR/<job_id>/{logs/,truth.json} and DIR/corpus.json
  int jobs = 20;
  std::uint64_t seed = 1;
  int threads = 2;         // output is identical for any thread count
  bool gzip = false;
  // The smallest job. The mix's small band is min_nodes..max(8, 2 * min_nodes); larger bands start
  // no lower than it. The default 4 gives the documented 4-8 band.
  int min_nodes = 4;
};

// Writes the corpus; returns the number of log bytes written (uncompressed).
std::uint64_t simulate_corpus(const CorpusOptions& options);

}  // namespace l4::simulate
