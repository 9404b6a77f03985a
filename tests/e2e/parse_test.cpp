#include <catch2/catch.hpp>

#include <algorithm>
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

TEST_CASE("l4 parse writes Loghub structured CSV, with the header columns of --log-format", "[parse][e2e]") {
  const auto log = l4::test::fixture("parse/train.log").string();
  const auto r = l4::test::run_l4({"parse", "-q", "--log-format", kFormat, log});
  REQUIRE(r.exit_code == 0);
  std::istringstream in(r.out);
  std::vector<std::string> rows;
  for (std::string row; std::getline(in, row);) rows.push_back(row);
  REQUIRE(rows.size() == 62);
  CHECK(rows[0] == "LineId,Date,Time,Level,Component,Content,EventId,EventTemplate,ParameterList");
  CHECK(rows[1].rfind("1,2024-03-01,10:00:01,INFO,trainer,step 0 loss 1.6477 lr 0.001,", 0) == 0);
  CHECK(rows[1].find(",step <*> loss <*> lr <*>,\"['0', '1.6477', '0.001']\"") != std::string::npos);
  // The line without a header: its fields are empty and Content is the whole line.
  const auto unmatched = std::count_if(rows.begin(), rows.end(), [](const std::string& row) {
    return row.find(",,,,") != std::string::npos;
  });
  CHECK(unmatched == 1);

  // Without --log-format (the known formats: a line's fields depend on which one matched) the
  // columns are Loghub's structured ones with Content alone, as before.
  const auto known = l4::test::run_l4({"parse", "-q", log});
  REQUIRE(known.exit_code == 0);
  CHECK(known.out.rfind("LineId,Content,EventId,EventTemplate,ParameterList\n", 0) == 0);
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

TEST_CASE("l4 parse gives the same output on one thread or several", "[parse][e2e]") {
  const auto log = l4::test::fixture("parse/train.log").string();
  for (const std::string format : {"csv", "json"}) {
    const auto one = l4::test::run_l4({"parse", "-q", "--threads", "1", "--log-format", kFormat, "--format", format, log});
    const auto three = l4::test::run_l4({"parse", "-q", "--threads", "3", "--log-format", kFormat, "--format", format, log});
    REQUIRE(one.exit_code == 0);
    CHECK(three.out == one.out);
  }
}

TEST_CASE("l4 parse warns when the template limit is reached and counts the rest", "[parse][e2e]") {
  const auto log = l4::test::fixture("parse/train.log").string();
  const auto r = l4::test::run_l4({"parse", "--max-templates", "3", "--log-format", kFormat, "--templates-only",
                                   "--format", "json", log});
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.find("more than 3 templates") != std::string::npos);
  const auto doc = nlohmann::json::parse(r.out);
  REQUIRE(doc["templates"].size() == 4);
  std::uint64_t total = 0;
  bool overflow = false;
  for (const auto& t : doc["templates"]) {
    total += t["count"].get<std::uint64_t>();
    overflow = overflow || t["template"] == "[l4: template limit reached] <*>";
  }
  CHECK(overflow);
  CHECK(total == 61);  // no line lost
}

TEST_CASE("l4 parse keeps line order and templates over many batches on several threads", "[parse][e2e]") {
  // > 1 MB of lines: several batches per worker in both passes and in the --templates pass
  const l4::test::TempDir dir;
  std::string text;
  for (int i = 0; i < 30000; ++i) {
    text += "2024-03-01 10:00:00 INFO worker: job " + std::to_string(i) + " moved block blk_" +
            std::to_string(i * 7919) + " to node-" + std::to_string(i % 17) + " in " + std::to_string(i % 1000) +
            " ms\n";
    if (i % 7 == 0) text += "2024-03-01 10:00:00 WARN disk: slow write on /dev/sd" + std::string(1, static_cast<char>('a' + i % 5)) + "\n";
  }
  const auto log = dir.write("big.log", text).string();
  const auto saved = (dir.path() / "t.json").string();
  const auto one = l4::test::run_l4({"parse", "-q", "--threads", "1", "--log-format", kFormat, "--save-templates", saved, log});
  const auto three = l4::test::run_l4({"parse", "-q", "--threads", "3", "--log-format", kFormat, log});
  REQUIRE(one.exit_code == 0);
  REQUIRE(three.exit_code == 0);
  CHECK(three.out == one.out);
  // line ids ascend
  std::istringstream in(one.out);
  std::string row;
  std::getline(in, row);
  std::uint64_t expected = 1;
  bool ordered = true;
  while (std::getline(in, row)) ordered = ordered && row.rfind(std::to_string(expected++) + ",", 0) == 0;
  CHECK(ordered);
  CHECK(expected == 30000 + 30000 / 7 + 1 + 1);
  const auto known_one = l4::test::run_l4({"parse", "-q", "--threads", "1", "--log-format", kFormat, "--templates", saved, log});
  const auto known_three = l4::test::run_l4({"parse", "-q", "--threads", "3", "--log-format", kFormat, "--templates", saved, log});
  REQUIRE(known_one.exit_code == 0);
  CHECK(known_three.out == known_one.out);
  CHECK(known_one.out == one.out);  // the saved templates give every line the template it was mined into
}
