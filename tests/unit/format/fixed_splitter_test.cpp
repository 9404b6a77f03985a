#include <catch2/catch.hpp>

#include <re2/re2.h>

#include <random>
#include <string>
#include <vector>

#include "format/fixed_splitter.hpp"
#include "l4/format/header_parser.hpp"

using l4::format::FixedSplitter;

namespace {

// RE2's answer for `pattern` on `line`: nullopt when no match, else every group's span (npos for
// a group that took no part), anchored at the start (and at the end with `whole`).
std::optional<std::vector<std::pair<std::size_t, std::size_t>>> re2_groups(const RE2& re, std::string_view line,
                                                                           bool whole) {
  const int n = re.NumberOfCapturingGroups();
  std::vector<re2::StringPiece> g(static_cast<std::size_t>(n) + 1);
  if (!re.Match(re2::StringPiece(line.data(), line.size()), 0, line.size(), whole ? RE2::ANCHOR_BOTH : RE2::ANCHOR_START,
                g.data(), n + 1)) {
    return std::nullopt;
  }
  std::vector<std::pair<std::size_t, std::size_t>> out;
  for (const auto& p : g) {
    if (p.data() == nullptr) out.emplace_back(std::string_view::npos, std::string_view::npos);
    else out.emplace_back(static_cast<std::size_t>(p.data() - line.data()), static_cast<std::size_t>(p.data() - line.data()) + p.size());
  }
  return out;
}

// Compares the fixed splitter with RE2 on `line`; undecided lines are left to RE2 by design.
void same_as_re2(const std::string& pattern, bool dot_nl, bool whole, const std::string& line) {
  RE2::Options o;
  o.set_log_errors(false);
  o.set_dot_nl(dot_nl);
  const RE2 re(pattern, o);
  REQUIRE(re.ok());
  const auto fixed = FixedSplitter::compile(pattern, dot_nl);
  REQUIRE(fixed.has_value());
  std::vector<std::pair<std::size_t, std::size_t>> groups;
  const auto result = fixed->match(line, whole, groups);
  if (result == FixedSplitter::Result::undecided) return;
  const auto expected = re2_groups(re, line, whole);
  INFO(pattern << " on \"" << line << "\"");
  REQUIRE((result == FixedSplitter::Result::match) == expected.has_value());
  if (expected) CHECK(groups == *expected);
}

}  // namespace

TEST_CASE("fixed splitter: the same match as RE2 for every known format, on samples and damaged samples",
          "[format][fixed]") {
  std::mt19937 rng(11);
  const std::string noise = "[]:. -_,0123456789aZ|>\t";
  for (const auto& f : l4::format::load_known_formats()) {
    std::string pattern = f.regex;
    const std::string rest = "(?P<content>.*)";
    const bool header_only = pattern.size() > rest.size() && pattern.ends_with(rest);
    if (header_only) pattern.resize(pattern.size() - rest.size());
    REQUIRE(FixedSplitter::compile(pattern, false).has_value());
    for (const auto& sample : f.samples) {
      same_as_re2(pattern, false, !header_only, sample.line);
      for (int round = 0; round < 300; ++round) {
        std::string line = sample.line;
        const int edits = 1 + static_cast<int>(rng() % 3);
        for (int e = 0; e < edits && !line.empty(); ++e) {
          const std::size_t at = rng() % line.size();
          switch (rng() % 3) {
            case 0: line[at] = noise[rng() % noise.size()]; break;
            case 1: line.erase(at, 1); break;
            default: line.insert(at, 1, noise[rng() % noise.size()]); break;
          }
        }
        same_as_re2(pattern, false, !header_only, line);
      }
    }
  }
}

TEST_CASE("fixed splitter: Loghub format patterns with lazy fields and optional groups", "[format][fixed]") {
  // the shapes LogFormat::from_loghub builds
  const std::string hdfs = R"(^(?P<Date>.*?)\s+(?P<Time>.*?)\s+(?P<Pid>.*?)\s+(?P<Level>.*?)\s+(?P<Component>.*?):\s+(?P<Content>.*?)$)";
  const std::string linux_fmt = R"(^(?P<Month>.*?)\s+(?P<Date>.*?)\s+(?P<Time>.*?)\s+(?P<Level>.*?)\s+(?P<Component>.*?)(\[(?P<PID>.*?)\])?:\s+(?P<Content>.*?)$)";
  for (const std::string line : {"081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block",
                                 "081109 203615 INFO dfs: x", "a b c d e: f: g", "", "   ", "a  b c d e:  "}) {
    same_as_re2(hdfs, true, true, line);
  }
  for (const std::string line : {"Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; logname=",
                                 "Jun 14 15:16:01 combo kernel: Linux version 2.6.5", "Jun 14 15:16:01 combo su[1]: x[2]: y",
                                 "Jun 14 15:16:01 combo su[1: x"}) {
    same_as_re2(linux_fmt, true, true, line);
  }
}

TEST_CASE("fixed splitter: syntax outside the subset does not compile; non-ASCII is left to RE2", "[format][fixed]") {
  CHECK_FALSE(FixedSplitter::compile(R"((?i)abc)", false).has_value());
  CHECK_FALSE(FixedSplitter::compile(R"((ab)+)", false).has_value());
  CHECK_FALSE(FixedSplitter::compile(R"(\bword)", false).has_value());
  CHECK_FALSE(FixedSplitter::compile(R"(a\1)", false).has_value());
  const auto f = FixedSplitter::compile(R"(\[(?P<c>[^\]]+)\] )", false);
  REQUIRE(f.has_value());
  std::vector<std::pair<std::size_t, std::size_t>> g;
  CHECK(f->match("[caf\xc3\xa9] x", false, g) == FixedSplitter::Result::undecided);
  CHECK(f->match("[cafe] x", false, g) == FixedSplitter::Result::match);
  CHECK(g[1] == std::pair<std::size_t, std::size_t>{1, 5});
  CHECK(f->match("cafe] x", false, g) == FixedSplitter::Result::no_match);
}

TEST_CASE("fixed splitter: repeats whose count has no choice match as RE2 does", "[format][fixed]") {
  // a repeat followed by bytes it cannot take is matched once, at its longest (possessive); the
  // others still backtrack: both must give RE2's match on any line
  const std::vector<std::string> patterns = {
      R"((a+)b)", R"(([a-z]+)\d)", R"(\[(\d+(?:[,.]\d+)?)\] (x))", R"(([a-z]{1,3})x)", R"(x(?P<c>[^\]]+)\] ?(y?))",
      R"((\s+)(\d+) )", R"((\d+?)\.)", R"((a*)(a?)b)", R"(([ab]+)(b))", R"((\d+)(?:x|\d)z)", R"((\w+):(\d*)$)",
      // captures after backtracking across groups, and captures inside optional groups beside them
      R"(((a+)b)?(a+)(1?))", R"((\w+)(:)(\w*)(a|1)(\.?))", R"((?:(a)|b)(1+)((?:x)?)(\d*)$)"};
  std::mt19937 rng(5);
  const std::string alphabet = "ab1x.,] [yz:";
  for (const auto& p : patterns) {
    for (int round = 0; round < 2000; ++round) {
      std::string line;
      const std::size_t n = rng() % 12;
      for (std::size_t i = 0; i < n; ++i) line.push_back(alphabet[rng() % alphabet.size()]);
      same_as_re2(p, false, false, line);
      same_as_re2(p, false, true, line);
    }
  }
}
