// End-to-end: run the built `l4 extract` on a small job fixture and on bad input; check the JSON
// contract, ranking, the text and jsonl renderings, grouping and exit codes.
#include <catch2/catch.hpp>

#include <sstream>

#include "support/test_support.hpp"

using l4::test::fixture;
using l4::test::run_l4;
using nlohmann::json;

TEST_CASE("l4 extract ranks the fault-indicating lines of a job", "[e2e][extract]") {
  const auto r = run_l4({"extract", fixture("extract/job").string()});
  REQUIRE(r.exit_code == 0);
  const auto doc = json::parse(r.out);
  CHECK(doc["lines"] == 14);
  const auto& findings = doc["findings"];
  REQUIRE(findings.size() >= 3);
  // The three fault lines of node-1 are found; no iteration or "Successfully connected" line is.
  std::vector<int> lines;
  for (const auto& f : findings) {
    CHECK(f["node"] == "node-1");
    CHECK(f["file"].get<std::string>().find("node-1.log") != std::string::npos);
    CHECK(f["template_id"].get<std::string>().size() == 16);
    CHECK(f.contains("parameters"));
    lines.push_back(f["line"].get<int>());
  }
  std::sort(lines.begin(), lines.end());
  CHECK(lines == std::vector<int>{4, 5, 6});
  // Best first: an ERROR line outranks the WARN.
  CHECK(findings[0]["level"] == "ERROR");
  for (std::size_t i = 1; i < findings.size(); ++i) {
    CHECK(findings[i - 1]["score"].get<double>() >= findings[i]["score"].get<double>());
  }
  // The typed parameters of the training-stack lines are there.
  bool hca = false, rank = false, exit_code = false, local_rank = false;
  for (const auto& f : findings) {
    for (const auto& p : f["parameters"]) {
      hca |= p["type"] == "hca" && p["value"] == "mlx5_10";
      rank |= p["type"] == "rank" && p["value"] == "9";
      exit_code |= p["type"] == "exit_code" && p["value"] == "-6";
      local_rank |= p["type"] == "local_rank" && p["value"] == "1";
    }
  }
  CHECK(hca);
  CHECK(rank);
  CHECK(exit_code);
  CHECK(local_rank);
}

TEST_CASE("l4 extract --top, jsonl and text output", "[e2e][extract]") {
  const auto top = run_l4({"extract", "--top", "1", "--format", "jsonl", fixture("extract/job").string()});
  REQUIRE(top.exit_code == 0);
  std::istringstream in(top.out);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    const auto f = json::parse(line);
    CHECK(f["level"] == "ERROR");
    CHECK_FALSE(f["description"].get<std::string>().empty());
    ++n;
  }
  CHECK(n == 1);
  const auto text = run_l4({"extract", "--format", "text", fixture("extract/job").string()});
  REQUIRE(text.exit_code == 0);
  CHECK(text.out.find("description:") != std::string::npos);
  CHECK(text.out.find("node-1.log:5") != std::string::npos);
}

TEST_CASE("l4 extract groups by node and reads stdin with a user format", "[e2e][extract]") {
  const auto r = run_l4({"extract", "--group", "node", fixture("extract/job").string()});
  REQUIRE(r.exit_code == 0);
  const auto findings = json::parse(r.out).at("findings");  // named: a range-for over a temporary's member dangles
  for (const auto& f : findings) CHECK(f["group"] == f["node"]);

  const auto s = run_l4({"extract", "--log-format", "<Level> <Content>", "-"},
                        "INFO Got assigned task 1\nINFO Got assigned task 2\n"
                        "WARN Failed to connect to /172.17.0.2:50010 for block\n");
  REQUIRE(s.exit_code == 0);
  const auto f = json::parse(s.out)["findings"].at(0);
  CHECK(f["line"] == 3);
  CHECK(f["level"] == "WARN");
  CHECK(f["description"] == "Failed to connect");
  CHECK(f["fip"] == "/172.17.0.2:50010");
}

TEST_CASE("l4 extract: nothing fault-indicating exits 1, a bad path exits 2", "[e2e][extract][bad-input]") {
  const auto quiet = run_l4({"extract", "-"}, "step 1 done\nstep 2 done\n");
  CHECK(quiet.exit_code == 1);
  CHECK(json::parse(quiet.out)["findings"].empty());
  const auto bad = run_l4({"extract", "/no/such/job.log"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("/no/such/job.log") != std::string::npos);
  CHECK(bad.out.empty());
}

TEST_CASE("l4 extract takes a shell's report under its own name as an error", "[e2e][extract]") {
  // The shell's line states no level and no error word; its form says what it is (data/formats.json
  // 'shell'): an error, found as one.
  const auto r = run_l4({"extract", "-"}, "Now CUDA_VISIBLE_DEVICES is set to:\n"
                                          "/bin/bash: line 1: export: `=/opt/agent': not a valid identifier\n");
  REQUIRE(r.exit_code == 0);
  const auto f = json::parse(r.out)["findings"].at(0);
  CHECK(f["line"] == 2);
  CHECK(f["level"] == "ERROR");
  CHECK(f["template"] == "export: `=<*>': not a valid identifier");
}
