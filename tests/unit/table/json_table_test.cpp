// Table validation on load: every data table rejects unknown keys, wrong types, non-finite or
// non-positive weights, empty patterns and patterns that match every text, each error naming the
// table and the JSON path. The embedded tables themselves load (every other test depends on it).
#include <catch2/catch.hpp>

#include <string>

#include "diagnose/event_grouping.hpp"
#include "diagnose/stage_classifier.hpp"
#include "l4/error.hpp"
#include "l4/extract/fault_lexicon.hpp"
#include "l4/extract/parameter_typer.hpp"
#include "l4/format/header_parser.hpp"
#include "l4/parse/token_masker.hpp"
#include "table/json_table.hpp"

using Catch::Contains;

TEST_CASE("a table value names its JSON path in every error", "[table]") {
  const auto read = [](const std::string& json) {
    return l4::table::load(json, "t.json", [](const l4::table::Value& doc) {
      doc.keys({"items", "w"});
      double sum = 0;
      for (const auto& item : doc["items"].items()) {
        item.keys({"name", "weight", "pattern"});
        (void)item["name"].text();
        sum += item["weight"].weight();
        if (auto p = item.find("pattern")) (void)p->pattern();
      }
      return sum;
    });
  };
  CHECK(read(R"j({"items": [{"name": "a", "weight": 2}, {"name": "b", "weight": 0.5, "pattern": "x+"}]})j") == 2.5);
  CHECK_THROWS_WITH(read(R"j({"items": [], "extra": 1})j"), Contains("t.json: /extra: unknown key (expected one of: items, w)"));
  CHECK_THROWS_WITH(read(R"j({"items": [{"name": "a", "weight": 1e308}]})j"),
                    Contains("t.json: /items/0/weight: weight 1e+308 is not in (0, 1e6]"));
  CHECK_THROWS_WITH(read(R"j({"items": [{"name": "a", "weight": -1}]})j"), Contains("/items/0/weight: weight -1"));
  CHECK_THROWS_WITH(read(R"j({"items": [{"name": "a", "weight": 0}]})j"), Contains("/items/0/weight"));
  CHECK_THROWS_WITH(read(R"j({"items": [{"name": "a", "weight": "1"}]})j"), Contains("/items/0/weight: expected a number"));
  CHECK_THROWS_WITH(read(R"j({"items": [{"name": "", "weight": 1}]})j"), Contains("/items/0/name: expected a non-empty string"));
  CHECK_THROWS_WITH(read(R"j({"items": [{"weight": 1}]})j"), Contains("/items/0/name: missing"));
  CHECK_THROWS_WITH(read(R"j({"items": [{"name": "a", "weight": 1, "pattern": ""}]})j"), Contains("/items/0/pattern: expected a non-empty"));
  CHECK_THROWS_WITH(read(R"j({"items": [{"name": "a", "weight": 1, "pattern": "x*"}]})j"),
                    Contains("/items/0/pattern: pattern matches the empty string"));
  CHECK_THROWS_WITH(read(R"j({"items": [{"name": "a", "weight": 1, "pattern": "(x"}]})j"),
                    Contains("/items/0/pattern: pattern does not compile"));
  CHECK_THROWS_WITH(read(R"j({"items": {}})j"), Contains("t.json: /items: expected an array"));
  CHECK_THROWS_WITH(read("[1, 2"), Contains("t.json: malformed JSON"));
  CHECK_THROWS_AS(read(R"j({"items": {}})j"), l4::InputError);
}

TEST_CASE("each data table is validated on load, errors naming the JSON path", "[table]") {
  using l4::InputError;
  SECTION("formats") {
    // The formats table is also a user's file (`l4 formats check`): its paths read as lnav's do.
    CHECK_THROWS_WITH(l4::format::load_known_formats(R"j({"formats": [{"name": "x", "regex": "(?P<content>.*)", "typo": 1}]})j"),
                      Contains("formats[0].typo: unknown key"));
    CHECK_THROWS_WITH(l4::format::load_known_formats(R"j({"formats": [{"name": "x", "regex": "(?P<content>.*)"}]})j"),
                      Contains("formats[0].samples: a format needs sample lines"));
  }
  SECTION("fault lexicon") {
    CHECK_THROWS_WITH(l4::extract::FaultLexicon(R"j({"terms": [{"term": "error", "weight": 1, "matches": "word"}]})j"),
                      Contains("/terms/0/matches: unknown key"));
    CHECK_THROWS_WITH(l4::extract::FaultLexicon(R"j({"terms": [{"term": "error", "weight": 1e308}]})j"),
                      Contains("/terms/0/weight: 1e+308 is not in [-100, 100]"));
    CHECK_THROWS_WITH(l4::extract::FaultLexicon(R"j({"terms": [{"term": "", "weight": 1}]})j"),
                      Contains("/terms/0/term: expected a non-empty string"));
    CHECK_THROWS_WITH(l4::extract::FaultLexicon(R"j({"terms": [], "level_weights": {"eror": 2}})j"),
                      Contains("/level_weights/eror: unknown level"));
    CHECK_THROWS_WITH(l4::extract::FaultLexicon(R"j({"terms": [], "further_term_factor": 2})j"),
                      Contains("/further_term_factor: unknown key"));
  }
  SECTION("parameter types") {
    CHECK_THROWS_WITH(l4::extract::ParameterTyper(R"j({"types": [{"name": "n", "regex": "\\d+", "role": "boss"}]})j"),
                      Contains("/types/0/role: expected entity, candidate or none"));
    CHECK_THROWS_WITH(l4::extract::ParameterTyper(R"j({"types": [{"name": "n", "regex": "\\d*"}]})j"),
                      Contains("/types/0/regex: pattern of 'n' matches the empty string"));
    CHECK_THROWS_WITH(l4::extract::ParameterTyper(R"j({"types": [{"name": "n", "regex": "\\d+", "fip_priority": 1000}]})j"),
                      Contains("/types/0/fip_priority: 1000 is not in"));
  }
  SECTION("stages") {
    CHECK_THROWS_WITH(l4::diagnose::StageClassifier(R"j({"stages": [{"stage": "training", "markers": ["x|"]}], "iteration": []})j"),
                      Contains("stages table: /stages/0/markers/0: pattern matches the empty string"));
    CHECK_THROWS_WITH(l4::diagnose::StageClassifier(R"j({"stages": [{"stage": "warmup", "markers": ["x"]}], "iteration": []})j"),
                      Contains("/stages/0/stage: unknown stage"));
    CHECK_THROWS_WITH(l4::diagnose::StageClassifier(R"j({"stages": [{"stage": "training", "markers": []}], "iteration": []})j"),
                      Contains("/stages/0/markers: expected at least one pattern"));
    CHECK_THROWS_WITH(l4::diagnose::StageClassifier(R"j({"stages": [], "iteration": [], "frames": [{"stage": "training", "functions": []}]})j"),
                      Contains("/frames/0/functions: expected"));
  }
  SECTION("outcomes") {
    const auto outcomes = [](const std::string& exit) {
      const std::string entry = R"j([{"pattern": "done", "source": "s"}])j";
      return R"j({"completion": )j" + entry + R"j(, "exit": )j" + exit + R"j(, "signal": )j" + entry +
             R"j(, "exception": [{"pattern": "([A-Za-z]+Error)", "source": "s"}], "after_traceback": {"pattern": "([A-Za-z]+)", "source": "s"}})j";
    };
    CHECK_NOTHROW(l4::diagnose::StageClassifier("", outcomes(R"j([{"pattern": "exit code ([0-9]+)", "source": "s"}])j")));
    CHECK_THROWS_WITH(l4::diagnose::StageClassifier("", outcomes(R"j([{"pattern": "exit code [0-9]+", "source": "s"}])j")),
                      Contains("outcomes table: /exit/0/pattern: needs one capture group"));
    CHECK_THROWS_WITH(l4::diagnose::StageClassifier("", outcomes(R"j([{"pattern": "exit code ([0-9]+)"}])j")),
                      Contains("outcomes table: /exit/0/source: "));
  }
  SECTION("event grouping") {
    CHECK_THROWS_WITH(l4::diagnose::EventGrouper(R"j({"framing": [""], "traceback_frame": "File"})j"),
                      Contains("event_grouping.json: /framing/0: expected a non-empty string"));
    CHECK_THROWS_WITH(l4::diagnose::EventGrouper(R"j({"framing": [], "traceback_frame": "File", "block_lines": 0})j"),
                      Contains("/block_lines: 0 is not in [1, 100000]"));
  }
  SECTION("parse masks") {
    CHECK_THROWS_WITH(l4::parse::TokenMasker(R"j({"patterns": [{"name": "hex", "regex": "0x[0-9a-f]+", "samples": ["0xZZ"]}]})j"),
                      Contains("/patterns/0/samples/0: the pattern of hex does not match its sample"));
    CHECK_THROWS_WITH(l4::parse::TokenMasker(R"j({"patterns": [], "domain_sufixes": []})j"), Contains("/domain_sufixes: unknown key"));
  }
}
