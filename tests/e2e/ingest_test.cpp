// End-to-end: run the built `l4 ingest` on fixtures and on bad input; check JSON, exit codes and
// messages.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "support/test_support.hpp"

using l4::test::fixture;
using l4::test::run_l4;
using nlohmann::json;

namespace {
json read_json(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return json::parse(ss.str());
}
}  // namespace

TEST_CASE("l4 ingest on a job directory matches the golden summary", "[e2e][ingest]") {
  const auto r = run_l4({"ingest", fixture("ingest/job").string()});
  REQUIRE(r.exit_code == 0);
  CHECK(json::parse(r.out) == read_json(fixture("ingest/job.expected.json")));
}

TEST_CASE("l4 ingest on a merged file attributes lines by launcher prefix", "[e2e][ingest]") {
  const auto r = run_l4({"ingest", fixture("ingest/merged/job.log").string()});
  REQUIRE(r.exit_code == 0);
  auto got = json::parse(r.out);
  auto expected = read_json(fixture("ingest/merged.expected.json"));
  got["files"][0].erase("path");
  expected["files"][0].erase("path");
  CHECK(got == expected);
  CHECK(got["files"][0]["merged"] == true);
}

TEST_CASE("l4 ingest reads stdin and writes text or a file with -o", "[e2e][ingest]") {
  const auto r = run_l4({"ingest", "--format", "text", "-"}, "a\nb\n\n");
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("stdin") != std::string::npos);
  CHECK(r.out.find("TOTAL") != std::string::npos);
  l4::test::TempDir dir;
  const auto out = dir.path() / "summary.json";
  const auto w = run_l4({"ingest", "-o", out.string(), "-"}, "x\n");
  REQUIRE(w.exit_code == 0);
  CHECK(w.out.empty());
  CHECK(read_json(out)["total"]["lines"]["used"] == 1);
}

TEST_CASE("bad input gets a clear message and a documented exit code", "[e2e][ingest][bad-input]") {
  l4::test::TempDir dir;
  SECTION("missing file: exit 2, message names it") {
    const auto r = run_l4({"ingest", "/no/such/node-1.log"});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("/no/such/node-1.log") != std::string::npos);
    CHECK(r.out.empty());
  }
  SECTION("unreadable file: exit 2, message names it") {
    // A directory where a file is expected cannot be read as a log; as root, permissions
    // cannot make a file unreadable, so this is the portable case.
    const auto p = dir.path() / "node-1.log";
    std::filesystem::create_directories(p / "x");
    dir.write("node-1.log/x/inner.log", "a\n");
    const auto r = run_l4({"ingest", (p / "x" / "inner.log" / "deeper").string()});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("deeper") != std::string::npos);
  }
  SECTION("directory with no logs: exit 2") {
    std::filesystem::create_directories(dir.path() / "empty-job");
    const auto r = run_l4({"ingest", (dir.path() / "empty-job").string()});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("no log files") != std::string::npos);
  }
  SECTION("empty file: exit 2 naming it, the accounting still printed (status empty, zero lines)") {
    const auto p = dir.write("node-1.log", "");
    const auto r = run_l4({"ingest", p.string()});
    CHECK(r.exit_code == 2);
    const auto j = json::parse(r.out);
    CHECK(j["files"][0]["status"] == "empty");
    CHECK(j["total"]["lines"]["read"] == 0);
    CHECK(r.err.find("no usable log line in " + p.string() + " (" + p.string() + ": empty file)") !=
          std::string::npos);
  }
  SECTION("binary file: skipped with a warning, lines counted") {
    dir.write("job/node-1.log", "fine\n");
    dir.write("job/node-2.log", std::string("\0\1\2\n\3\n", 6));
    const auto r = run_l4({"ingest", (dir.path() / "job").string()});
    CHECK(r.exit_code == 0);
    CHECK(r.err.find("node-2.log: binary data") != std::string::npos);
    const auto j = json::parse(r.out);
    CHECK(j["files"][1]["status"] == "binary");
    CHECK(j["files"][1]["lines"]["skipped"]["binary"] == 2);
    CHECK(j["total"]["lines"]["read"] == 3);
  }
  SECTION("truncated .gz: lines before the cut are used, warning names the file") {
    std::string text;
    for (int i = 0; i < 5000; ++i) text += "step " + std::to_string(i) + " loss 1.0\n";
    const auto gz = l4::test::gzip(text);
    const auto p = dir.write("node-1.log.gz", gz.substr(0, gz.size() * 2 / 3));
    const auto r = run_l4({"ingest", p.string()});
    CHECK(r.exit_code == 0);
    CHECK(r.err.find("node-1.log.gz: truncated gzip") != std::string::npos);
    const auto j = json::parse(r.out);
    CHECK(j["files"][0]["status"] == "truncated-gzip");
    CHECK(j["total"]["lines"]["used"].get<int>() > 0);
    CHECK(j["total"]["lines"]["used"].get<int>() < 5000);
  }
  SECTION("invalid UTF-8 and CRLF: kept and counted") {
    const auto p = dir.write("node-1.log", "ok\r\nbad \xc3\x28 utf8\r\n");
    const auto r = run_l4({"ingest", p.string()});
    CHECK(r.exit_code == 0);
    const auto j = json::parse(r.out);
    CHECK(j["total"]["lines"]["invalid_utf8"] == 1);
    CHECK(j["total"]["lines"]["crlf"] == 2);
    CHECK(j["total"]["lines"]["used"] == 2);
  }
  SECTION("a 10 MB single line: truncated and counted") {
    const auto p = dir.write("node-1.log", std::string(10 << 20, 'z'));
    const auto r = run_l4({"ingest", p.string()});
    CHECK(r.exit_code == 0);
    const auto j = json::parse(r.out);
    CHECK(j["total"]["lines"]["truncated"] == 1);
    CHECK(j["total"]["lines"]["used"] == 1);
  }
  SECTION("1,000 tiny files: every one read") {
    for (int i = 0; i < 1000; ++i) dir.write("many/rank_" + std::to_string(i) + ".log", "x\n");
    const auto r = run_l4({"ingest", (dir.path() / "many").string()});
    CHECK(r.exit_code == 0);
    const auto j = json::parse(r.out);
    CHECK(j["total"]["files"] == 1000);
    CHECK(j["total"]["nodes"] == 1000);
    CHECK(j["total"]["lines"]["used"] == 1000);
  }
  SECTION("bad option value: exit 2") {
    const auto r = run_l4({"ingest", "--format", "yaml", "x"});
    CHECK(r.exit_code == 2);
  }
}

TEST_CASE("every command documents itself with examples", "[e2e][cli]") {
  const auto top = run_l4({"--help"});
  CHECK(top.exit_code == 0);
  CHECK(top.out.find("Exit codes") != std::string::npos);
  const auto r = run_l4({"ingest", "--help"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("Examples:") != std::string::npos);
  const auto v = run_l4({"--version"});
  CHECK(v.exit_code == 0);
  CHECK(v.out.find(L4_VERSION) != std::string::npos);
}
