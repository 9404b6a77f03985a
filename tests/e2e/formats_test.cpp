// End-to-end: `l4 formats list|check` and `--formats FILE` on the commands that read logs.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "l4/format/format_table.hpp"
#include "support/test_support.hpp"

using l4::test::fixture;
using l4::test::run_l4;
using nlohmann::json;

TEST_CASE("l4 formats list shows the known formats with their samples, user formats first", "[e2e][formats]") {
  auto r = run_l4({"formats", "list", "--format", "json"});
  REQUIRE(r.exit_code == 0);
  const auto builtin = json::parse(r.out)["formats"];
  REQUIRE(builtin.size() == l4::format::load_known_formats().size());
  for (const auto& f : builtin) {
    CHECK(f["source"] == "built-in");
    CHECK_FALSE(f["samples"].empty());
  }
  CHECK(builtin[0]["name"] == "pytorch-c10d");

  const auto ray = fixture("formats/ray.json").string();
  r = run_l4({"formats", "list", "--formats", ray, "--format", "json"});
  REQUIRE(r.exit_code == 0);
  const auto with_user = json::parse(r.out)["formats"];
  CHECK(with_user.size() == builtin.size() + 1);
  CHECK(with_user[0]["name"] == "ray");
  CHECK(with_user[0]["source"] == ray);

  r = run_l4({"formats", "list"});
  CHECK(r.out.find("pytorch-c10d (built-in)\n") != std::string::npos);
  CHECK(r.out.find("  sample: [E321 02:07:08.408271257 ProcessGroupNCCL.cpp:607]") != std::string::npos);
}

TEST_CASE("l4 formats check validates a formats file against its own samples", "[e2e][formats]") {
  auto r = run_l4({"formats", "check"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("built-in: ") == 0);
  CHECK(r.out.find(": ok\n") != std::string::npos);

  r = run_l4({"formats", "check", fixture("formats/ray.json").string()});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("1 format, 2 sample lines: ok") != std::string::npos);

  const auto bad = fixture("formats/bad.json").string();
  r = run_l4({"formats", "check", "--format", "json", bad});
  CHECK(r.exit_code == 2);
  const auto doc = json::parse(r.out);
  CHECK(doc["ok"] == false);
  std::vector<std::string> paths;
  for (const auto& p : doc["problems"]) paths.push_back(p["path"]);
  CHECK(paths == std::vector<std::string>{"formats[0].samples[0].levle", "formats[0].samples[1].level",
                                          "formats[1].samples[0]", "formats[2].regex", "formats[3].samples",
                                          "formats[3].name", "formats[3].regex", "formats[4].samples[0].line"});
  CHECK(doc["problems"][2]["message"].get<std::string>().find("format \"ray\" (formats[0]) comes first") == 0);

  r = run_l4({"formats", "check", bad});
  CHECK(r.out.find(bad + ": formats[0].samples[1].level: expected \"WARNING\", got \"INFO\"\n") != std::string::npos);
  CHECK(r.out.find(bad + ": 5 formats, 5 sample lines: 8 problems\n") != std::string::npos);
  CHECK(run_l4({"formats", "check", "/nonexistent.json"}).exit_code == 2);
}

TEST_CASE("a user formats file (--formats) adds to the known formats of every command that splits lines",
          "[e2e][formats]") {
  const auto ray = fixture("formats/ray.json").string();
  const auto log = fixture("formats/ray-head.log").string();
  auto r = run_l4({"parse", "--formats", ray, "--format", "jsonl", log});
  REQUIRE(r.exit_code == 0);
  CHECK(json::parse(r.out.substr(0, r.out.find('\n')))["template"] == "Using IP address <*> for this node.");
  r = run_l4({"parse", "--format", "jsonl", log});
  CHECK(json::parse(r.out.substr(0, r.out.find('\n')))["template"] == "scripts.py:<*> -- Using IP address <*> for this node.");

  r = run_l4({"extract", "--formats", ray, "--all", "--min-score", "0", "--format", "jsonl", log});
  CHECK(r.err.find("error") == std::string::npos);
  CHECK(r.out.find("\"template\":\"Using IP address <*> for this node.\"") != std::string::npos);

  const l4::test::TempDir dir;
  const auto db = (dir.path() / "h.db").string();
  r = run_l4({"history", "add", "--db", db, "--formats", ray, "--job-id", "ray-1", log});
  CHECK(r.exit_code == 0);
  CHECK(run_l4({"diagnose", "--db", db, "--formats", ray, log}).exit_code <= 1);

  // A table that does not pass its check is an input error naming the file and the JSON path.
  const auto bad = fixture("formats/bad.json").string();
  for (const std::string command : {"diagnose", "extract", "parse"}) {
    INFO(command);
    r = run_l4({command, "--formats", bad, log});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(bad + ": formats[0].samples[0].levle: unknown key") != std::string::npos);
  }
  r = run_l4({"diagnose", "--formats", ray, "--log-format", "<Date> <Content>", log});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("excludes") != std::string::npos);
}
