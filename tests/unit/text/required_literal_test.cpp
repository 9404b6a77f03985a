#include <re2/re2.h>

#include <catch2/catch.hpp>

#include <random>
#include <string>

#include "text/required_literal.hpp"

using l4::text::contains_literal;
using l4::text::required_literal;

TEST_CASE("required_literal: the longest text every match contains", "[text][regex]") {
  // data/stages.json's return_trace: NCCL's "init.cc:1079 -> 3"
  CHECK(required_literal(R"(\b([A-Za-z_][\w-]*\.(?:cc|cpp|cu|c|h)):\d+ -> [1-9]\d*\b)") == " -> ");
  CHECK(required_literal("Watchdog caught collective operation timeout") == "Watchdog caught collective operation timeout");
  CHECK(required_literal(R"(exit code: \d+)") == "exit code: ");
  CHECK(required_literal(R"(a\.b\(c\))") == "a.b(c)");  // escaped punctuation is literal
}

TEST_CASE("required_literal: optional and repeated characters, groups and classes end a run", "[text][regex]") {
  CHECK(required_literal("colou?r") == "colo");      // 'u' may be absent: "colo" and "r" remain
  CHECK(required_literal("ab*cdef") == "cdef");
  CHECK(required_literal("ab{0,3}cd") == "cd");
  CHECK(required_literal("xa+yz") == "xa");         // one 'a' is sure, but not "ay"
  CHECK(required_literal("ab(cdefgh)?ij") == "ab");  // nothing from inside a group
  CHECK(required_literal("ab[cdefgh]ij") == "ab");
  CHECK(required_literal(R"(ab[]x)]yz)") == "ab");  // a ']' first in a class is literal
  CHECK(required_literal(R"(x\d\d\dyz)") == "yz");
  CHECK(required_literal("a.bc") == "bc");
}

TEST_CASE("required_literal: no filter where a match need not contain a literal", "[text][regex]") {
  CHECK(required_literal("abc|def").empty());       // either alternative
  CHECK(required_literal("(?i)timeout").empty());  // case-insensitive: not byte for byte
  CHECK(required_literal(R"(\d+\s\w+)").empty());
  CHECK(required_literal("").empty());
}

TEST_CASE("required_literal: a line without the literal never matches the pattern", "[text][regex]") {
  const char* patterns[] = {R"(\b([A-Za-z_][\w-]*\.(?:cc|cpp|cu|c|h)):\d+ -> [1-9]\d*\b)", "colou?r", "xa+yz",
                            R"(ab[]x)]yz)", "ab(cdefgh)?ij", R"(exit code: \d+)"};
  const char* lines[] = {"host [0] NCCL INFO init.cc:1079 -> 3", "init.cc:1079 ->3", "color", "colour", "xaaayz",
                         "ab]yz", "abij", "abcdefghij", "exit code: 1", "exit code 1", "nothing at all"};
  for (const char* p : patterns) {
    const RE2 re(p);
    REQUIRE(re.ok());
    const std::string lit = required_literal(p);
    for (const char* line : lines) {
      if (RE2::PartialMatch(line, re)) CHECK(contains_literal(line, lit));
    }
  }
  CHECK(contains_literal("abc", ""));
  CHECK_FALSE(contains_literal("ab", "abc"));
}

TEST_CASE("contains_literal finds the literal wherever it is, as find does", "[text][regex]") {
  CHECK(contains_literal(" -> 3", " -> "));
  CHECK(contains_literal("a.cc:1 -> ", " -> "));
  CHECK_FALSE(contains_literal("a -- > b ->", " -> "));
  CHECK_FALSE(contains_literal(">", " -> "));
  std::mt19937 rng(3);
  const std::string alphabet = " ->a1:";
  for (int round = 0; round < 20000; ++round) {
    std::string text, literal;
    for (std::size_t i = rng() % 14; i > 0; --i) text.push_back(alphabet[rng() % alphabet.size()]);
    for (std::size_t i = 1 + rng() % 4; i > 0; --i) literal.push_back(alphabet[rng() % alphabet.size()]);
    INFO('"' << text << "\" / \"" << literal << '"');
    REQUIRE(contains_literal(text, literal) == (text.find(literal) != std::string::npos));
  }
}
