// LogFiles: the layout decides the files and the text before each process's lines; content never
// sees a path.
#include "simulate/log_files.hpp"

#include <catch2/catch.hpp>

#include "l4/simulate/sim_catalogue.hpp"
#include "support/test_support.hpp"

using namespace l4::simulate;
namespace fs = std::filesystem;

namespace {

LogShape shape(const fs::path& dir, Layout layout, bool rank_prefix) {
  return LogShape{(dir / "logs").string(), layout, {"h1", "h2"}, 2, rank_prefix, false};
}

}  // namespace

TEST_CASE("layout names parse in the catalogue's order", "[simulate]") {
  const auto& names = SimCatalogue::layouts();
  REQUIRE(names.size() == 3);
  CHECK(parse_layout(names[0]) == Layout::per_node);
  CHECK(parse_layout(names[1]) == Layout::per_rank);
  CHECK(parse_layout(names[2]) == Layout::merged);
  CHECK_FALSE(parse_layout("per-gpu"));
}

TEST_CASE("per-rank files: a node's agent writes to its first rank's file", "[simulate]") {
  const l4::test::TempDir dir;
  LogFiles files(shape(dir.path(), Layout::per_rank, true));
  CHECK(files.sink(files.rank_stream(2)).display() == "h2/rank_2.log");
  CHECK(files.node_stream(1).sink == files.rank_stream(2).sink);
  CHECK(files.rank_stream(3).prefix.empty());  // one process per file: no prefix
  files.close();
  CHECK(fs::exists(dir.path() / "logs" / "h1" / "rank_1.log"));
}

TEST_CASE("merged and per-node files carry the launcher's prefixes", "[simulate]") {
  const l4::test::TempDir dir;
  {
    LogFiles merged(shape(dir.path(), Layout::merged, true));
    CHECK(merged.sink(merged.rank_stream(3)).display() == "job.log");
    CHECK(merged.rank_stream(3).prefix == "h2: [rank3]:");
    CHECK(merged.node_stream(1).prefix == "h2: ");
    merged.close();
  }
  LogFiles per_node(shape(dir.path(), Layout::per_node, false));
  CHECK(per_node.sink(per_node.rank_stream(1)).display() == "h1.log");
  CHECK(per_node.rank_stream(1).prefix.empty());
  auto& sink = per_node.sink(per_node.node_stream(0));
  sink.buffer() += "agent line";
  CHECK(sink.end_line() == 1);
  const auto [bytes, lines] = per_node.close();
  CHECK(bytes == 11);
  CHECK(lines == 1);
  CHECK_FALSE(fs::exists(dir.path() / "logs" / "job.log"));  // the logs directory starts empty
}
