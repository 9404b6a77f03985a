#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "l4/report/finding_report.hpp"
#include "l4/report/history_report.hpp"
#include "l4/report/ingest_report.hpp"
#include "l4/report/json.hpp"

using namespace l4;

namespace {
std::vector<std::string> keys(const report::Json& j) {
  std::vector<std::string> out;
  for (const auto& [k, v] : j.items()) out.push_back(k);
  return out;
}
}  // namespace

TEST_CASE("report JSON keeps keys in the documented order, not alphabetical", "[report][json]") {
  io::FileSummary file;
  file.path = "node-01.log";
  file.node = "node-01";
  const auto ingest = report::to_json(io::summarize({file}));
  CHECK(keys(ingest) == std::vector<std::string>{"files", "nodes", "total"});
  CHECK(keys(ingest["total"]["lines"]) ==
        std::vector<std::string>{"read", "used", "skipped", "invalid_utf8", "truncated", "crlf", "nul", "nul_bytes_skipped"});
  CHECK(report::dump(ingest, -1).rfind("{\"files\":[{\"path\":\"node-01.log\",\"node\":\"node-01\",", 0) == 0);

  history::JobInfo job;
  job.id = "normal-1";
  CHECK(keys(report::to_json(job)) ==
        std::vector<std::string>{"id", "style", "nodes", "lines", "templates", "added_at"});
  CHECK(keys(report::stats_json(history::HistoryStats{}, false)) ==
        std::vector<std::string>{"db", "exists", "schema_version", "jobs", "templates", "lines"});

  extract::Finding f;
  CHECK(keys(report::to_json(f, "node-01")) ==
        std::vector<std::string>{"node", "file", "line", "level", "template_id", "template", "description", "fip",
                                 "parameters", "score", "occurrences", "group"});
}

TEST_CASE("report::dump replaces invalid UTF-8 from log text instead of failing", "[report][json]") {
  const report::Json j = {{"text", std::string("bad \xff byte")}};
  CHECK(report::dump(j, -1) == "{\"text\":\"bad \xEF\xBF\xBD byte\"}");
  CHECK_THROWS(j.dump());  // what a plain dump would do with a log line kept byte-exact
}
