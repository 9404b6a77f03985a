// JobScanner on two threads: the same scan as on one (the README promises that the result does not
// depend on the thread count). Under ThreadSanitizer (tools/dev.sh tsan) this is the test that
// runs the threaded scanner's workers against one frozen template store.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "diagnose/job_scanner.hpp"
#include "l4/parse/template_id.hpp"
#include "support/test_support.hpp"

using l4::diagnose::JobScan;
using l4::diagnose::JobScanner;
using l4::diagnose::ScanOptions;

namespace {

JobScan scan_with(unsigned threads, const std::vector<std::string>& paths) {
  ScanOptions options;
  options.threads = threads;
  options.sample_lines_per_file = 20;  // most lines are matched or mined after the parallel pass
  return JobScanner(options).scan(paths);
}

}  // namespace

TEST_CASE("the threaded scan equals the single-threaded one", "[diagnose][scanner][threads]") {
  const std::vector<std::string> paths{l4::test::fixture("diagnose/ecc-job").string(),
                                       std::string(L4_SOURCE_DIR) + "/data/jobs/gpu-ecc/logs"};
  const auto one = scan_with(1, paths);
  const auto two = scan_with(2, paths);
  REQUIRE(one.events.size() == two.events.size());
  for (std::size_t i = 0; i < one.events.size(); ++i) {
    INFO(one.events[i].text);
    CHECK(one.events[i].id == two.events[i].id);
    CHECK(one.events[i].count == two.events[i].count);
    CHECK(one.events[i].node_counts == two.events[i].node_counts);
    CHECK(one.events[i].first.line == two.events[i].first.line);
    CHECK(one.events[i].first.file == two.events[i].first.file);
  }
  REQUIRE(one.nodes.size() == two.nodes.size());
  for (std::size_t n = 0; n < one.nodes.size(); ++n) {
    CHECK(one.nodes[n].id == two.nodes[n].id);
    CHECK(one.nodes[n].lines == two.nodes[n].lines);
    CHECK(one.nodes[n].last_iteration == two.nodes[n].last_iteration);
  }
  CHECK(one.ingest.total.used == two.ingest.total.used);
  CHECK(one.iteration_anomalies.size() == two.iteration_anomalies.size());
}
