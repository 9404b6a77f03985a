#include "format/fixed_splitter.hpp"

#include <limits>

#include "text/chars.hpp"

namespace l4::format {
namespace {

using Item = FixedSplitter::Item;
using Sequence = FixedSplitter::Sequence;
constexpr std::size_t kUnbounded = std::numeric_limits<std::size_t>::max();
constexpr std::size_t kNone = std::string_view::npos;

std::bitset<256> digits() {
  std::bitset<256> s;
  for (int c = '0'; c <= '9'; ++c) s.set(static_cast<std::size_t>(c));
  return s;
}
std::bitset<256> spaces() {  // RE2's \s: [\t\n\f\r ]
  std::bitset<256> s;
  for (const char c : {'\t', '\n', '\f', '\r', ' '}) s.set(static_cast<unsigned char>(c));
  return s;
}
std::bitset<256> word() {
  std::bitset<256> s = digits();
  for (int c = 'a'; c <= 'z'; ++c) s.set(static_cast<std::size_t>(c));
  for (int c = 'A'; c <= 'Z'; ++c) s.set(static_cast<std::size_t>(c));
  s.set('_');
  return s;
}
// Only ASCII is decided here; bytes >= 0x80 make the match undecided (see match()).
std::bitset<256> ascii(std::bitset<256> s) {
  for (std::size_t c = 0x80; c < 256; ++c) s.reset(c);
  return s;
}

// Recursive-descent parser of the supported subset.
class Parser {
 public:
  Parser(std::string_view p, bool dot_nl) : p_(p), dot_nl_(dot_nl) {}

  std::optional<std::vector<Sequence>> alternatives(int& groups) {
    std::vector<Sequence> alts(1);
    while (i_ < p_.size() && p_[i_] != ')') {
      if (p_[i_] == '|') {
        ++i_;
        alts.emplace_back();
        continue;
      }
      auto item = atom(groups);
      if (!item || !quantifier(*item)) return std::nullopt;
      alts.back().push_back(std::move(*item));
    }
    return alts;
  }
  [[nodiscard]] bool at_end() const { return i_ == p_.size(); }

 private:
  std::optional<Item> atom(int& groups) {
    Item it;
    const char c = p_[i_++];
    switch (c) {
      case '(': {
        it.kind = Item::Kind::group;
        if (p_.substr(i_, 2) == "?:") {
          i_ += 2;
        } else if (p_.substr(i_, 3) == "?P<") {
          const auto close = p_.find('>', i_);
          if (close == std::string_view::npos) return std::nullopt;
          i_ = close + 1;
          it.capture = ++groups;
        } else if (i_ < p_.size() && p_[i_] == '?') {
          return std::nullopt;  // flags, lookaround: not supported
        } else {
          it.capture = ++groups;
        }
        auto alts = alternatives(groups);
        if (!alts || i_ >= p_.size() || p_[i_] != ')') return std::nullopt;
        ++i_;
        it.alternatives = std::move(*alts);
        return it;
      }
      case '[':
        return bracket();
      case '.':
        it.set.set();
        if (!dot_nl_) it.set.reset('\n');
        it.set = ascii(it.set);
        return it;
      case '^':
        it.kind = Item::Kind::line_start;
        return it;
      case '$':
        it.kind = Item::Kind::line_end;
        return it;
      case '\\': {
        auto set = escape();
        if (!set) return std::nullopt;
        it.set = *set;
        return it;
      }
      case '*': case '+': case '?': case '{': case ')': case '|':
        return std::nullopt;
      default:
        if (static_cast<unsigned char>(c) >= 0x80) return std::nullopt;
        it.set.set(static_cast<unsigned char>(c));
        return it;
    }
  }

  // After a backslash: a class or an escaped literal.
  std::optional<std::bitset<256>> escape() {
    if (i_ >= p_.size()) return std::nullopt;
    const char c = p_[i_++];
    std::bitset<256> s;
    switch (c) {
      case 'd': return digits();
      case 'D': return ascii(~digits());
      case 's': return spaces();
      case 'S': return ascii(~spaces());
      case 'w': return word();
      case 'W': return ascii(~word());
      case 't': s.set('\t'); return s;
      case 'n': s.set('\n'); return s;
      case 'r': s.set('\r'); return s;
      case 'f': s.set('\f'); return s;
      default:
        // punctuation is literal; letters and digits are classes, anchors or references we lack
        if (text::is_alnum(c) || static_cast<unsigned char>(c) >= 0x80) {
          return std::nullopt;
        }
        s.set(static_cast<unsigned char>(c));
        return s;
    }
  }

  std::optional<Item> bracket() {
    Item it;
    bool negate = false;
    if (i_ < p_.size() && p_[i_] == '^') {
      negate = true;
      ++i_;
    }
    bool first = true;
    while (i_ < p_.size() && (p_[i_] != ']' || first)) {
      first = false;
      std::bitset<256> one;
      int lo = -1;
      if (p_[i_] == '\\') {
        ++i_;
        auto s = escape();
        if (!s) return std::nullopt;
        one = *s;
        if (one.count() == 1) {
          for (int c = 0; c < 256; ++c) {
            if (one.test(static_cast<std::size_t>(c))) lo = c;
          }
        }
      } else {
        const auto c = static_cast<unsigned char>(p_[i_++]);
        if (c >= 0x80 || c == '[') return std::nullopt;
        one.set(c);
        lo = c;
      }
      // a range "a-z" (a '-' before ']' is literal)
      if (lo >= 0 && i_ + 1 < p_.size() && p_[i_] == '-' && p_[i_ + 1] != ']') {
        ++i_;
        int hi = static_cast<unsigned char>(p_[i_++]);
        if (hi == '\\') {
          auto s = escape();
          if (!s || s->count() != 1) return std::nullopt;
          for (int c = 0; c < 256; ++c) {
            if (s->test(static_cast<std::size_t>(c))) hi = c;
          }
        }
        if (hi < lo || hi >= 0x80) return std::nullopt;
        for (int c = lo; c <= hi; ++c) one.set(static_cast<std::size_t>(c));
      }
      it.set |= one;
    }
    if (i_ >= p_.size()) return std::nullopt;
    ++i_;  // ']'
    if (negate) it.set = ascii(~it.set);
    return it;
  }

  bool quantifier(Item& it) {
    if (i_ >= p_.size()) return true;
    const char c = p_[i_];
    if (c == '?' || c == '*' || c == '+') {
      ++i_;
      it.min = c == '+' ? 1 : 0;
      it.max = c == '?' ? 1 : kUnbounded;
    } else if (c == '{') {
      const auto close = p_.find('}', i_);
      if (close == std::string_view::npos) return false;
      const std::string_view body = p_.substr(i_ + 1, close - i_ - 1);
      const auto comma = body.find(',');
      auto number = [](std::string_view s, std::size_t& out) {
        if (s.empty() || s.size() > 4) return false;
        out = 0;
        for (const char d : s) {
          if (d < '0' || d > '9') return false;
          out = out * 10 + static_cast<std::size_t>(d - '0');
        }
        return true;
      };
      if (comma == std::string_view::npos) {
        if (!number(body, it.min)) return false;
        it.max = it.min;
      } else {
        if (!number(body.substr(0, comma), it.min)) return false;
        if (comma + 1 == body.size()) it.max = kUnbounded;
        else if (!number(body.substr(comma + 1), it.max) || it.max < it.min) return false;
      }
      i_ = close + 1;
    } else {
      return true;
    }
    if (it.kind == Item::Kind::line_start || it.kind == Item::Kind::line_end) return false;
    // a repeated group other than "(...)?" would need a capture per repetition: not supported
    if (it.kind == Item::Kind::group && !(it.min == 0 && it.max == 1)) return false;
    if (i_ < p_.size() && p_[i_] == '?') {
      it.lazy = true;
      ++i_;
    }
    return true;
  }

  std::string_view p_;
  bool dot_nl_;
  std::size_t i_ = 0;
};

// Prepares a parsed sequence for matching: set words, and runs of single characters taken once
// as one literal.
void finalize(Sequence& seq) {
  Sequence out;
  for (auto& it : seq) {
    for (auto& alt : it.alternatives) finalize(alt);
    if (it.kind == Item::Kind::set) {
      for (std::size_t c = 0; c < 256; ++c) {
        it.takes[c] = c >= 0x80 ? Item::kNonAscii : it.set.test(c) ? Item::kTakes : Item::kRefuses;
      }
      if (it.set.count() == 1 && it.min == 1 && it.max == 1) {
        char ch = 0;
        for (std::size_t c = 0; c < 256; ++c) {
          if (it.set.test(c)) ch = static_cast<char>(c);
        }
        if (!out.empty() && out.back().kind == Item::Kind::literal) {
          out.back().literal.push_back(ch);
          continue;
        }
        Item lit;
        lit.kind = Item::Kind::literal;
        lit.literal.assign(1, ch);
        out.push_back(std::move(lit));
        continue;
      }
    }
    out.push_back(std::move(it));
  }
  seq = std::move(out);
}

// The continuation of a match: what follows the end of a group (then its parent's continuation).
struct Continuation {
  const Sequence* seq;
  std::size_t index;
  int capture;
  std::size_t start;
  const Continuation* next;
};

// Whether `at` starts with `literal` (header literals are a few bytes: no call to memcmp).
bool same_bytes(const char* at, const std::string& literal) {
  for (std::size_t i = 0; i < literal.size(); ++i) {
    if (at[i] != literal[i]) return false;
  }
  return true;
}

class Matcher {
 public:
  Matcher(std::string_view line, bool whole_line, std::vector<std::pair<std::size_t, std::size_t>>& groups)
      : line_(line), whole_(whole_line), groups_(groups) {}

  bool run(const Sequence& top) { return seq(top, 0, 0, nullptr); }
  [[nodiscard]] bool saw_non_ascii() const { return non_ascii_; }
  [[nodiscard]] std::size_t end() const { return end_; }

 private:
  bool test(const Item& it, std::size_t pos) {
    const std::uint8_t t = it.takes[static_cast<unsigned char>(line_[pos])];
    if (t == Item::kNonAscii) non_ascii_ = true;
    return t == Item::kTakes;
  }

  bool finish(std::size_t pos, const Continuation* k) {
    if (k == nullptr) {
      if (whole_ && pos != line_.size()) return false;
      end_ = pos;
      return true;
    }
    auto& g = groups_[static_cast<std::size_t>(k->capture)];
    const auto saved = g;
    if (k->capture > 0) g = {k->start, pos};
    if (seq(*k->seq, k->index, pos, k->next)) return true;
    g = saved;
    return false;
  }

  bool seq(const Sequence& s, std::size_t i, std::size_t pos, const Continuation* k) {
    // items without a choice are matched in a loop; only a choice (a variable count, a group)
    // recurses
    for (;; ++i) {
      if (++steps_ > kMaxSteps) return false;
      if (i == s.size()) return finish(pos, k);
      const Item& it = s[i];
      switch (it.kind) {
        case Item::Kind::line_start:
          if (pos != 0) return false;
          continue;
        case Item::Kind::line_end:
          if (pos != line_.size()) return false;
          continue;
        case Item::Kind::literal:
          // an ASCII literal never matches a non-ASCII byte, for RE2 neither
          if (line_.size() - pos < it.literal.size() || !same_bytes(line_.data() + pos, it.literal)) return false;
          pos += it.literal.size();
          continue;
        case Item::Kind::group:
          return group(s, i, pos, k);
        case Item::Kind::set:
          break;
      }
      // how many bytes the item can take here
      std::size_t n = 0;
      while (n < it.max && pos + n < line_.size() && test(it, pos + n)) ++n;
      if (n < it.min) return false;
      if (n == it.min || it.possessive) {
        pos += n;
        continue;
      }
      if (it.lazy) {
        for (std::size_t c = it.min; c <= n; ++c) {
          if (seq(s, i + 1, pos + c, k)) return true;
        }
        return false;
      }
      for (std::size_t c = n + 1; c-- > it.min;) {
        if (seq(s, i + 1, pos + c, k)) return true;
      }
      return false;
    }
  }

  bool group(const Sequence& s, std::size_t i, std::size_t pos, const Continuation* k) {
    const Item& it = s[i];
    const Continuation after{&s, i + 1, it.capture, pos, k};
    auto inside = [&] {
      for (const auto& alt : it.alternatives) {
        if (seq(alt, 0, pos, &after)) return true;
      }
      return false;
    };
    if (it.min == 0 && it.lazy) return seq(s, i + 1, pos, k) || inside();
    if (inside()) return true;
    return it.min == 0 && seq(s, i + 1, pos, k);
  }

  static constexpr std::size_t kMaxSteps = 1U << 16U;
  std::string_view line_;
  bool whole_;
  std::vector<std::pair<std::size_t, std::size_t>>& groups_;
  bool non_ascii_ = false;
  std::size_t steps_ = 0;
  std::size_t end_ = 0;

 public:
  [[nodiscard]] bool gave_up() const { return steps_ > kMaxSteps; }
};

// The bytes a match of `seq` from item `i` on can start with; `nullable` says whether it can match
// the empty string (then what follows the sequence may start it too).
std::bitset<256> first_bytes(const Sequence& seq, std::size_t i, bool& nullable) {
  std::bitset<256> out;
  for (; i < seq.size(); ++i) {
    const Item& it = seq[i];
    switch (it.kind) {
      case Item::Kind::line_start:
        continue;
      case Item::Kind::line_end:
        nullable = true;
        return out;
      case Item::Kind::literal:
        out.set(static_cast<unsigned char>(it.literal[0]));
        nullable = false;
        return out;
      case Item::Kind::set:
        out |= it.set;
        if (it.min > 0) {
          nullable = false;
          return out;
        }
        continue;
      case Item::Kind::group: {
        bool any_nullable = it.min == 0;
        for (const auto& alt : it.alternatives) {
          bool alt_nullable = false;
          out |= first_bytes(alt, 0, alt_nullable);
          any_nullable = any_nullable || alt_nullable;
        }
        if (!any_nullable) {
          nullable = false;
          return out;
        }
        continue;
      }
    }
  }
  nullable = true;
  return out;
}

// Marks the repeated sets of `seq` (and of the groups in it) that need no backtracking.
void mark_possessive(Sequence& seq) {
  for (std::size_t i = 0; i < seq.size(); ++i) {
    Item& it = seq[i];
    for (auto& alt : it.alternatives) mark_possessive(alt);
    if (it.kind != Item::Kind::set || it.min == it.max) continue;
    bool nullable = false;
    const std::bitset<256> next = first_bytes(seq, i + 1, nullable);
    it.possessive = !nullable && (next & it.set).none();
  }
}

}  // namespace

std::optional<FixedSplitter> FixedSplitter::compile(std::string_view pattern, bool dot_matches_newline) {
  Parser parser(pattern, dot_matches_newline);
  FixedSplitter out;
  auto alts = parser.alternatives(out.groups_);
  if (!alts || !parser.at_end()) return std::nullopt;
  for (auto& alt : *alts) {
    finalize(alt);
    mark_possessive(alt);
  }
  if (alts->size() == 1) {
    out.top_ = std::move((*alts)[0]);
  } else {
    Item group;
    group.kind = Item::Kind::group;
    group.alternatives = std::move(*alts);
    out.top_.push_back(std::move(group));
  }
  bool nullable = false;
  out.first_ = first_bytes(out.top_, 0, nullable);
  if (nullable) out.first_.set();
  return out;
}

FixedSplitter::Result FixedSplitter::match(std::string_view line, bool whole_line,
                                           std::vector<std::pair<std::size_t, std::size_t>>& groups) const {
  if (!line.empty()) {
    const auto c = static_cast<unsigned char>(line[0]);
    if (c < 0x80 && !first_.test(c)) return Result::no_match;
  }
  groups.assign(static_cast<std::size_t>(groups_) + 1, {kNone, kNone});
  Matcher m(line, whole_line, groups);
  const bool ok = m.run(top_);
  if (m.saw_non_ascii() || m.gave_up()) return Result::undecided;
  if (!ok) return Result::no_match;
  groups[0] = {0, m.end()};
  return Result::match;
}

}  // namespace l4::format
