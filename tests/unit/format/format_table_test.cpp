#include <catch2/catch.hpp>

#include <string>

#include "l4/error.hpp"
#include "l4/format/format_table.hpp"
#include "l4/format/header_parser.hpp"
#include "support/test_support.hpp"

using namespace l4::format;

namespace {
// A one-format table; `sample` is the JSON of its one sample.
std::string table(const std::string& regex, const std::string& sample) {
  return R"({"formats": [{"name": "f", "regex": )" + regex + R"(, "samples": [)" + sample + "]}]}";
}
}  // namespace

TEST_CASE("the built-in formats table passes its own check", "[format][formats]") {
  const auto check = check_known_formats();
  for (const auto& p : check.problems) FAIL_CHECK(p.path << ": " << p.message);
  CHECK(check.ok());
  CHECK(check.formats.size() == load_known_formats().size());
  CHECK(check.samples >= check.formats.size());
  CHECK(check.formats.front().source == "built-in");
}

TEST_CASE("a format table check names the JSON path of each problem", "[format][formats]") {
  SECTION("a sample that splits differently than it says") {
    const auto check = check_format_table(
        table(R"j("(?P<level>[A-Z]+): (?P<content>.*)")j", R"j({"line": "WARN: disk 91% full", "level": "ERROR"})j"), "t");
    REQUIRE(check.problems.size() == 1);
    CHECK(check.problems[0].path == "formats[0].samples[0].level");
    CHECK(check.problems[0].message == "expected \"ERROR\", got \"WARN\"");
  }
  SECTION("a level group that captures something that is not a level") {
    const auto check =
        check_format_table(table(R"j("(?P<level>\\w+): (?P<content>.*)")j", R"j({"line": "disk: 91% full"})j"), "t");
    REQUIRE(check.problems.size() == 1);
    CHECK(check.problems[0].path == "formats[0].samples[0].level");
    CHECK(check.problems[0].message.find("\"disk\" is not a level") == 0);
  }
  SECTION("not JSON, not a table") {
    auto check = check_format_table("{\"formats\": [", "t");
    REQUIRE(check.problems.size() == 1);
    CHECK(check.problems[0].path.empty());
    CHECK(check.problems[0].message.rfind("not JSON", 0) == 0);
    check = check_format_table(R"({"format": []})", "t");
    REQUIRE_FALSE(check.ok());
    CHECK(check.problems[0].message.find("\"formats\" array") != std::string::npos);
  }
  SECTION("a missing regex, a name that is not a string") {
    const auto check = check_format_table(R"({"formats": [{"name": 3, "samples": [{"line": "x"}]}]})", "t");
    REQUIRE(check.problems.size() == 2);
    CHECK(check.problems[0].path == "formats[0].name");
    CHECK(check.problems[0].message == "must be a string");
    CHECK(check.problems[1].path == "formats[0].regex");
    CHECK(check.problems[1].message == "missing");
  }
}

TEST_CASE("a formats file loads only when clean, and its formats are tried first", "[format][formats]") {
  const auto ray = l4::test::fixture("formats/ray.json");
  const auto formats = load_format_file(ray);
  REQUIRE(formats.size() == 1);
  CHECK(formats[0].source == ray.string());

  const std::string line = "2024-03-02 11:20:41,118\tINFO scripts.py:319 -- Using IP address 10.0.0.7 for this node.";
  const HeaderParser known;  // Header views point into the parser's formats: keep it alive
  CHECK(known.split(line).format == "iso8601");  // the known formats keep file:line in the content
  FormatOptions options;
  options.user_formats = formats;
  const HeaderParser with_user(options);
  const auto h = with_user.split(line);
  CHECK(h.format == "ray");
  CHECK(h.component == "scripts.py:319");
  CHECK(h.level == Level::info);
  CHECK(h.content == "Using IP address 10.0.0.7 for this node.");
  options.log_format = "<Date> <Time> <Content>";  // replaces every other format
  CHECK(HeaderParser(options).formats().size() == 1);

  try {
    (void)load_format_file(l4::test::fixture("formats/bad.json"));
    FAIL("bad.json loaded");
  } catch (const l4::InputError& e) {
    const std::string what = e.what();
    CHECK(what.find("bad.json: formats[0].samples[0].levle: unknown key") != std::string::npos);
    CHECK(what.find("(and 7 more; see l4 formats check") != std::string::npos);
  }
  CHECK_THROWS_AS(load_format_file("/nonexistent/formats.json"), l4::InputError);
}

TEST_CASE("a key that starts like a format's path is reported, not taken for an entry number", "[format][formats]") {
  // Fuzz finding (formats_json, 2,082,762 execs): an unknown key "formats[sam1ples" made the
  // problem's path "formats[sam1ples", which ordering problems by entry read as a number
  // (std::stoul threw: `l4 formats check` exited 3, internal error).
  const std::string json = R"J({"formats": [], "formats[sam1ples": [], "formats[": 1})J";
  const auto check = check_format_table(json, "t.json");
  REQUIRE_FALSE(check.ok());
  bool named = false;
  for (const auto& p : check.problems) named = named || p.path.find("formats[sam1ples") != std::string::npos;
  CHECK(named);
}

TEST_CASE("a format's default_level is the level of its lines that state none, and samples check it",
          "[format][formats]") {
  // A shell's own report: "<name>: <message>" is an error, "<name>: warning: <message>" a warning.
  const std::string format = R"j({"formats": [{"name": "sh", "default_level": "ERROR",
      "regex": "(?P<component>sh): (?:(?P<level>warning): )?(?P<content>.*)", "samples": [)j";
  SECTION("the line states no level: the default; it states one: its own") {
    const auto check = check_format_table(format + R"j({"line": "sh: foo: not found", "severity": "ERROR"},
        {"line": "sh: warning: x", "level": "warning", "severity": "WARN"}]}]})j", "t");
    for (const auto& p : check.problems) FAIL_CHECK(p.path << ": " << p.message);
    REQUIRE(check.ok());
    REQUIRE(check.formats[0].default_level == "ERROR");
    const HeaderParser parser(FormatOptions{std::nullopt, check.formats});
    CHECK(parser.split("sh: foo: not found").level == Level::error);
    CHECK(parser.split("sh: warning: x").level == Level::warn);
    CHECK(parser.split("sh: warning: x").content == "x");
  }
  SECTION("a sample whose line gets another level than it says") {
    const auto check = check_format_table(format + R"j({"line": "sh: warning: x", "severity": "ERROR"}]}]})j", "t");
    REQUIRE(check.problems.size() == 1);
    CHECK(check.problems[0].path == "formats[0].samples[0].severity");
    CHECK(check.problems[0].message == "expected \"ERROR\", got \"WARN\"");
  }
  SECTION("a default_level that is no level") {
    const auto check = check_format_table(
        R"j({"formats": [{"name": "sh", "default_level": "loud", "regex": "sh: (?P<content>.*)",
            "samples": [{"line": "sh: x"}]}]})j", "t");
    REQUIRE(check.problems.size() == 1);
    CHECK(check.problems[0].path == "formats[0].default_level");
  }
  SECTION("without one, a line that states no level has none") {
    const auto check = check_format_table(R"j({"formats": [{"name": "sh", "regex": "sh: (?P<content>.*)",
        "samples": [{"line": "sh: x", "severity": "ERROR"}]}]})j", "t");
    REQUIRE(check.problems.size() == 1);
    CHECK(check.problems[0].message == "expected \"ERROR\", got \"\"");
  }
}
