#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

#include "support/test_support.hpp"

namespace {

const std::string kFormat = "<Date> <Time> <Level> <Component>: <Content>";

std::set<std::string> expected_templates() {
  std::ifstream in(l4::test::fixture("parse/train.templates"));
  std::set<std::string> out;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.insert(line);
  }
  return out;
}

std::vector<nlohmann::json> jsonl(const std::string& text) {
  std::vector<nlohmann::json> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(nlohmann::json::parse(line));
  return out;
}

}  // namespace

TEST_CASE("l4 parse finds the known templates of a fixture", "[parse][e2e]") {
  const auto log = l4::test::fixture("parse/train.log").string();
  const auto r = l4::test::run_l4({"parse", "--log-format", kFormat, "--format", "jsonl", log});
  REQUIRE(r.exit_code == 0);
  const auto rows = jsonl(r.out);
  REQUIRE(rows.size() == 61);  // every line, the one without a header included
  std::set<std::string> templates;
  for (const auto& row : rows) {
    templates.insert(row["template"].get<std::string>());
    CHECK(row["event_id"].get<std::string>().size() == 16);
  }
  CHECK(templates == expected_templates());
  // parameters are the text at the <*> places
  const auto& first = rows[0];
  CHECK(first["line"] == 1);
  CHECK(first["template"] == "step <*> loss <*> lr <*>");
  CHECK(first["parameters"] == nlohmann::json::array({"0", "1.6477", "0.001"}));
  CHECK(r.err.find("1 of 61 lines did not match --log-format") != std::string::npos);
}

TEST_CASE("l4 parse writes Loghub structured CSV", "[parse][e2e]") {
  const auto log = l4::test::fixture("parse/train.log").string();
  const auto r = l4::test::run_l4({"parse", "-q", "--log-format", kFormat, log});
  REQUIRE(r.exit_code == 0);
  std::istringstream in(r.out);
  std::string header;
  std::getline(in, header);
  CHECK(header == "LineId,Content,EventId,EventTemplate,ParameterList");
  std::string row;
  std::getline(in, row);
  CHECK(row.rfind("1,step 0 loss 1.6477 lr 0.001,", 0) == 0);
  CHECK(row.find(",step <*> loss <*> lr <*>,\"['0', '1.6477', '0.001']\"") != std::string::npos);
}

TEST_CASE("l4 parse saves templates and reuses them with stable ids", "[parse][e2e]") {
  const l4::test::TempDir dir;
  const auto saved = (dir.path() / "t.json").string();
  const auto log = l4::test::fixture("parse/train.log").string();
  const auto first = l4::test::run_l4(
      {"parse", "-q", "--log-format", kFormat, "--templates-only", "--format", "json", "--save-templates", saved, log});
  REQUIRE(first.exit_code == 0);
  const auto view = nlohmann::json::parse(first.out);
  CHECK(view["lines"] == 61);
  std::uint64_t total = 0;
  for (const auto& t : view["templates"]) total += t["count"].get<std::uint64_t>();
  CHECK(total == 61);

  std::ifstream in(saved);
  const auto file = nlohmann::json::parse(in);
  REQUIRE(file["templates"].size() == expected_templates().size());

  // reuse: a new file with the same kinds of lines and one new kind
  const auto other = dir.write("other.log",
                               "2024-03-02 11:00:00 INFO trainer: step 990 loss 0.5 lr 0.001\n"
                               "2024-03-02 11:00:01 ERROR io: disk /dev/sda1 failed\n");
  const auto second = l4::test::run_l4(
      {"parse", "-q", "--log-format", kFormat, "--templates", saved, "--format", "jsonl", other.string()});
  REQUIRE(second.exit_code == 0);
  const auto rows = jsonl(second.out);
  REQUIRE(rows.size() == 2);
  std::string step_id;
  for (const auto& t : file["templates"]) {
    if (t["template"] == "step <*> loss <*> lr <*>") step_id = t["id"];
  }
  CHECK(rows[0]["event_id"] == step_id);
  CHECK(rows[1]["template"] == "disk <*> failed");
}

TEST_CASE("l4 parse reads stdin and reports bad input", "[parse][e2e]") {
  const auto r = l4::test::run_l4({"parse", "-q", "--format", "jsonl", "-"},
                                  "job 1 done\njob 2 done\njob 3 done\n");
  REQUIRE(r.exit_code == 0);
  const auto rows = jsonl(r.out);
  REQUIRE(rows.size() == 3);
  CHECK(rows[2]["template"] == "job <*> done");
  const l4::test::TempDir dir;
  const auto bad = dir.write("bad.json", "{not json");
  const auto e = l4::test::run_l4({"parse", "--templates", bad.string(), "-"});  // no stdin: l4 exits before reading it
  CHECK(e.exit_code == 2);
  CHECK(e.err.find("bad.json") != std::string::npos);
  const auto f = l4::test::run_l4({"parse", "--log-format", "<Date> no content", "-"});
  CHECK(f.exit_code == 2);
  const auto empty = l4::test::run_l4({"parse", "-"}, "");
  CHECK(empty.exit_code == 2);
  CHECK(empty.err.find("no usable log line in standard input (-: empty file)") != std::string::npos);
}
