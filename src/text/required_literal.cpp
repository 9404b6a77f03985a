#include "text/required_literal.hpp"

#include <algorithm>
#include <cstring>

#include "text/chars.hpp"

namespace l4::text {
namespace {

// Index just past the class "[...]" that opens at `i` (pattern.size() when unclosed).
std::size_t skip_class(std::string_view p, std::size_t i) {
  ++i;
  if (i < p.size() && p[i] == '^') ++i;
  if (i < p.size() && p[i] == ']') ++i;  // "[]...]": a ']' first is literal
  for (; i < p.size() && p[i] != ']'; ++i) {
    if (p[i] == '\\') {
      ++i;
    } else if (p[i] == '[' && i + 1 < p.size() && p[i + 1] == ':') {  // "[:alpha:]"
      const auto close = p.find(":]", i + 2);
      if (close == std::string_view::npos) return p.size();
      i = close + 1;
    }
  }
  return std::min(p.size(), i + 1);
}

// Index just past the group "(...)" that opens at `i` (pattern.size() when unclosed).
std::size_t skip_group(std::string_view p, std::size_t i) {
  int depth = 0;
  while (i < p.size()) {
    const char c = p[i];
    if (c == '[') {
      i = skip_class(p, i);
      continue;
    }
    if (c == '\\') ++i;
    if (c == '(') ++depth;
    if (c == ')' && --depth == 0) return i + 1;
    ++i;
  }
  return p.size();
}

bool is_quantifier(char c) { return c == '*' || c == '+' || c == '?' || c == '{'; }

// Index just past the quantifier at `i` (and its lazy '?'), or `i` when there is none.
std::size_t skip_quantifier(std::string_view p, std::size_t i) {
  if (i >= p.size() || !is_quantifier(p[i])) return i;
  if (p[i] == '{') {
    const auto close = p.find('}', i);
    i = close == std::string_view::npos ? p.size() : close + 1;
  } else {
    ++i;
  }
  return i < p.size() && p[i] == '?' ? i + 1 : i;
}

}  // namespace

std::string required_literal(std::string_view p) {
  std::string best;
  std::string run;
  const auto end_run = [&] {
    if (run.size() > best.size()) best = run;
    run.clear();
  };
  std::size_t i = 0;
  while (i < p.size()) {
    const char c = p[i];
    if (c == '|' || (c == '(' && i + 1 < p.size() && p[i + 1] == '?' && i + 2 < p.size() && p[i + 2] != ':' &&
                     p[i + 2] != 'P')) {
      return {};  // an alternative needs none of it; flags change what matches
    }
    if (c == '(' || c == '[') {
      end_run();
      i = skip_quantifier(p, c == '(' ? skip_group(p, i) : skip_class(p, i));
      continue;
    }
    // one literal character, or an item that ends the run
    std::size_t next = i + 1;
    bool literal = !(c == '.' || c == '^' || c == '$' || is_quantifier(c) || c == ')' ||
                     static_cast<unsigned char>(c) >= 0x80);
    if (c == '\\') {
      literal = next < p.size() && !is_alnum(p[next]) && static_cast<unsigned char>(p[next]) < 0x80;
      next = std::min(p.size(), next + 1);
    }
    const char ch = p[next - 1];
    const bool optional = next < p.size() && (p[next] == '*' || p[next] == '?' || p[next] == '{');
    const bool repeated = next < p.size() && is_quantifier(p[next]);
    if (!literal || optional) {
      end_run();
    } else {
      run.push_back(ch);
      if (repeated) end_run();  // "a+": one 'a' is sure, what follows it is not adjacent to it
    }
    i = skip_quantifier(p, next);
  }
  end_run();
  return best;
}

namespace {
// How rare a byte is in log text, roughly: spaces and lower-case letters are everywhere, digits and
// capitals less so, other punctuation ('>', '|', ':') least.
int rarity(char c) {
  if (is_space(c)) return 0;
  if (is_lower(c)) return 1;
  if (is_digit(c)) return 2;
  return is_upper(c) ? 3 : 4;
}
}  // namespace

bool contains_literal(std::string_view text, std::string_view literal) {
  if (literal.empty()) return true;
  // memchr for the literal's rarest byte, then compare around it: few candidates on most lines
  std::size_t anchor = 0;
  for (std::size_t i = 1; i < literal.size(); ++i) {
    if (rarity(literal[i]) > rarity(literal[anchor])) anchor = i;
  }
  const char* const begin = text.data();
  const char* const end = begin + text.size();
  for (const char* at = begin + std::min(anchor, text.size()); at < end;) {
    const auto* hit = static_cast<const char*>(std::memchr(at, literal[anchor], static_cast<std::size_t>(end - at)));
    if (hit == nullptr) return false;
    const char* start = hit - anchor;
    if (static_cast<std::size_t>(end - start) >= literal.size() && std::memcmp(start, literal.data(), literal.size()) == 0) {
      return true;
    }
    at = hit + 1;
  }
  return false;
}

}  // namespace l4::text
