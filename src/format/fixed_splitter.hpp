#pragma once
// FixedSplitter: splits a line by a header format without a regex engine. Header formats (the known
// formats of data/formats.json and compiled --log-format strings) use a small part of RE2's syntax
// — literals, classes (\d \s \w \S [..] [^..] .), quantifiers (? * + {m} {m,n}, greedy or lazy),
// (?:..) and (?P<name>..) groups with alternatives, ^ and $ — and match a few dozen header bytes.
// A backtracking matcher over that subset takes the same match as RE2 (leftmost-first, the way
// Perl would) at a fraction of the cost of RE2's submatch extraction, which was a fifth of the time
// of `l4 diagnose`. Patterns outside the subset do not compile (nullopt): RE2 stays their splitter.
// A line whose examined bytes are not all ASCII is left to RE2 as well (kUndecided), so UTF-8
// handling never differs.
#include <array>
#include <bitset>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace l4::format {

class FixedSplitter {
 public:
  enum class Result : std::uint8_t { match, no_match, undecided };

  // Compiles `pattern` (RE2 syntax, as given to RE2 with dot_nl = `dot_matches_newline`); nullopt
  // when it uses syntax outside the subset.
  static std::optional<FixedSplitter> compile(std::string_view pattern, bool dot_matches_newline);

  // Matches at the start of `line`; with `whole_line` the match must end at the line's end
  // (RE2::ANCHOR_BOTH), else it may end anywhere (RE2::ANCHOR_START). On a match, `groups` holds
  // [start, end) of every capturing group (by group number, 1-based; index 0 is the whole match),
  // {npos, npos} for a group that did not take part.
  Result match(std::string_view line, bool whole_line, std::vector<std::pair<std::size_t, std::size_t>>& groups) const;

  [[nodiscard]] int group_count() const { return groups_; }

  struct Item;
  using Sequence = std::vector<Item>;
  struct Item {
    enum class Kind : std::uint8_t { set, literal, group, line_start, line_end };
    Kind kind = Kind::set;
    std::bitset<256> set;
    // `set` as the matcher reads it, a byte at a time: kTakes, kRefuses, or kNonAscii (undecided)
    static constexpr std::uint8_t kRefuses = 0, kTakes = 1, kNonAscii = 2;
    std::array<std::uint8_t, 256> takes{};
    std::string literal;                  // Kind::literal: consecutive single characters
    int capture = 0;  // group: capture number, 0 = non-capturing
    std::vector<Sequence> alternatives;
    std::size_t min = 1;
    std::size_t max = 1;
    bool lazy = false;
    // a set repeated a variable number of times whose count has no choice: what follows it in its
    // sequence cannot be empty and cannot start with a byte of the set, so only the longest run
    // can be followed (the same match, without trying the shorter ones)
    bool possessive = false;
  };

 private:
  Sequence top_;
  int groups_ = 0;
  // bytes a match can start with (all when the pattern can match the empty string first): lines
  // of other formats are rejected before any matching
  std::bitset<256> first_;
};

}  // namespace l4::format
