#include "l4/parse/token_masker.hpp"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <array>
#include <cstring>

#include <nlohmann/json.hpp>

#include "l4/embedded_data.hpp"
#include "l4/error.hpp"
#include "parse/token_hash.hpp"
#include "table/json_table.hpp"
#include "text/chars.hpp"

namespace l4::parse {
namespace {

using text::is_digit;

// A '<' or '>' that is a comparison sign ("<1", ">=500", "a->b"), not part of a "<*>" variable:
// it separates words, so the number it qualifies is masked on its own ("lifetime <1 sec").
inline bool comparison_sign_at(std::string_view piece, std::size_t k) {
  const char c = piece[k];
  if (c == '<') return piece.substr(k, 3) != "<*>";
  if (c == '>') return k < 2 || piece.substr(k - 2, 3) != "<*>";
  return false;
}

// Characters without which a token cannot change under masking except for a boolean word: digit
// runs, URLs, MACs, paths, host names, comparison signs and "<*>" all need one of them.
constexpr bool may_mask(char c) {
  return is_digit(c) || c == '/' || c == ':' || c == '.' || c == '-' || c == '<' || c == '>';
}
using text::is_space;

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (const char c : s) {
    if (!is_digit(c)) return false;
  }
  return true;
}
bool has_digit(std::string_view s) {
  for (const char c : s) {
    if (is_digit(c)) return true;
  }
  return false;
}
bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (x != b[i]) return false;
  }
  return true;
}
bool is_boolean_word(std::string_view w) { return iequals(w, "true") || iequals(w, "false") || iequals(w, "null"); }

// A token the masker leaves as it is, decided in one pass (most tokens are plain words).
bool unchanged_by_masking(std::string_view token) {
  std::size_t word = 0;
  for (std::size_t i = 0; i <= token.size(); ++i) {
    if (i < token.size() && may_mask(token[i])) return false;
    if (i == token.size() || is_word_delimiter(token[i])) {
      if (i - word >= 4 && i - word <= 5 && is_boolean_word(token.substr(word, i - word))) return false;
      word = i + 1;
    }
  }
  return true;
}

// "/a/b", "/x" (PS rule): one or more "/" each followed by non-slash text.
bool is_path(std::string_view s) {
  if (s.size() < 2 || s[0] != '/') return false;
  bool need = true;  // after a '/', at least one non-slash char ("//" is no path)
  for (std::size_t i = 1; i < s.size(); ++i) {
    if (s[i] == '/') {
      if (need) return false;
      need = true;
    } else {
      need = false;
    }
  }
  if (need && s.size() == 2) return false;
  return true;  // a trailing '/' is part of a directory path
}

using text::is_alnum;
using text::is_xdigit;

// A MAC address ("FF:F2:9F:16:E2:A0", "00-1b-21-3a-4f-5c") starting at `text[i]`.
bool mac_at(std::string_view text, std::size_t i) {
  if (i + 17 > text.size()) return false;
  const char sep = text[i + 2];
  if (sep != ':' && sep != '-') return false;
  for (std::size_t g = 0; g < 6; ++g) {
    const std::size_t at = i + g * 3;
    if (!is_xdigit(text[at]) || !is_xdigit(text[at + 1])) return false;
    if (g < 5 && text[at + 2] != sep) return false;
  }
  if (i > 0 && is_alnum(text[i - 1])) return false;
  return i + 17 == text.size() || !is_alnum(text[i + 17]);
}

void replace_all(std::string& s, std::string_view from, std::string_view to) {
  for (;;) {
    const auto pos = s.find(from);
    if (pos == std::string::npos) return;
    s.replace(pos, from.size(), to);
  }
}

RE2::Options quiet_options() {
  RE2::Options o;
  o.set_log_errors(false);
  return o;
}

// A regex that sees digits only as a class: after removing "0-9" ranges, "{m,n}" counts and a
// "0" before [xX] / x / X, no digit is left.
bool regex_digit_blind(std::string_view regex) {
  for (std::size_t i = 0; i < regex.size(); ++i) {
    const char c = regex[i];
    if (c == '{') {
      const auto close = regex.find('}', i);
      if (close != std::string_view::npos) {
        i = close;
        continue;
      }
    }
    if (!is_digit(c)) continue;
    if (c == '0' && i + 2 < regex.size() && regex[i + 1] == '-' && regex[i + 2] == '9') {
      i += 2;
      continue;
    }
    if (c == '0' && i + 1 < regex.size() &&
        (regex[i + 1] == 'x' || regex[i + 1] == 'X' || regex.substr(i + 1, 4) == "[xX]" || regex.substr(i + 1, 4) == "[Xx]")) {
      continue;
    }
    return false;
  }
  return true;
}

}  // namespace

struct TokenMasker::Impl {
  RE2::Set set{quiet_options(), RE2::ANCHOR_BOTH};
  std::vector<std::string> names;
  bool digit_blind = true;
  std::vector<std::string> domain_suffixes;  // ".com", ...: a dotted name ending so is a host name
  std::array<bool, 256> suffix_last{};        // the last characters of domain_suffixes (quick reject)
  bool any = false;

  [[nodiscard]] bool host_name(std::string_view piece) const {
    if (piece.empty() || !suffix_last[static_cast<unsigned char>(piece.back())]) return false;
    const auto first_dot = piece.find('.');
    if (first_dot == std::string_view::npos || first_dot == 0) return false;
    if (piece.find('.', first_dot + 1) == std::string_view::npos) return false;  // at least a.b.tld
    for (const char c : piece) {
      const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '-' || c == '.';
      if (!ok) return false;
    }
    for (const auto& suffix : domain_suffixes) {
      if (piece.size() > suffix.size() && piece.substr(piece.size() - suffix.size()) == suffix) return true;
    }
    return false;
  }
};

std::shared_ptr<const TokenMasker::Impl> TokenMasker::compile(std::string_view text) {
  auto impl = std::make_shared<Impl>();
  l4::table::load(text, "parse_masks.json", [&](const l4::table::Value& doc) {
    doc.keys({"description", "domain_suffixes", "unit_words", "patterns"});
    if (auto patterns = doc.find("patterns")) {
      for (const auto& p : patterns->items()) {
        p.keys({"name", "regex", "samples"});
        const std::string name = p["name"].text();
        const std::string regex = p["regex"].pattern();
        std::string error;
        if (impl->set.Add(regex, &error) < 0) p["regex"].fail("pattern " + name + ": " + error);
        if (auto samples = p.find("samples")) {
          const RE2 re(regex, quiet_options());
          for (const auto& sample : samples->items()) {
            if (!RE2::FullMatch(sample.text(), re)) sample.fail("the pattern of " + name + " does not match its sample");
          }
        }
        impl->names.push_back(name);
        impl->digit_blind = impl->digit_blind && regex_digit_blind(regex);
      }
    }
    if (auto suffixes = doc.find("domain_suffixes")) {
      for (const auto& d : suffixes->texts()) {
        impl->domain_suffixes.push_back("." + d);
        impl->digit_blind = impl->digit_blind && !has_digit(impl->domain_suffixes.back());
        impl->suffix_last[static_cast<unsigned char>(impl->domain_suffixes.back().back())] = true;
      }
    }
    if (auto units = doc.find("unit_words")) (void)units->texts();  // read by ContrastiveGrouper
  });
  impl->any = !impl->names.empty();
  if (impl->any && !impl->set.Compile()) throw l4::InputError("parse_masks.json: patterns do not compile");
  return impl;
}

// The embedded table is compiled once per process and shared by every masker (it is immutable;
// RE2::Set matching is const and thread-safe): a miner costs no table parse and no RE2 compile.
TokenMasker::TokenMasker(std::string_view patterns_json) {
  if (patterns_json.empty()) {
    static const auto embedded = compile(l4::embedded::data("parse_masks.json"));
    impl_ = embedded;
  } else {
    impl_ = compile(patterns_json);
  }
}

TokenMasker::TokenMasker(TokenMasker&&) noexcept = default;
TokenMasker& TokenMasker::operator=(TokenMasker&&) noexcept = default;
TokenMasker::~TokenMasker() = default;

const std::vector<std::string>& TokenMasker::pattern_names() const { return impl_->names; }
bool TokenMasker::digit_blind() const { return impl_->digit_blind; }

std::string TokenMasker::mask(std::string_view token) const {
  std::string out;
  mask_into(token, out);
  return out;
}

namespace {

// A URL keeps its scheme: "hdfs://host:9000/a" -> "hdfs://<*>". True when `token` is one (appended).
bool append_url(std::string_view token, std::string& out) {
  const auto scheme = token.find("://");
  if (scheme == std::string_view::npos || scheme == 0 || scheme + 3 >= token.size()) return false;
  const bool letters = std::all_of(token.begin(), token.begin() + static_cast<std::ptrdiff_t>(scheme),
                                   [](char c) { return text::is_alpha(c) || c == '+' || c == '.' || c == '-'; });
  if (!letters) return false;
  out.append(token.substr(0, scheme + 3));
  out.append("<*>");
  return true;
}

// `token` with its MAC addresses as <*> (in `scratch`), or `token` itself when it holds none: done
// first, since their ':' would otherwise split them into pieces.
std::string_view without_macs(std::string_view token, std::string& scratch) {
  if (token.size() < 17 || (token.find(':') == std::string_view::npos && token.find('-') == std::string_view::npos)) {
    return token;
  }
  scratch.clear();
  for (std::size_t k = 0; k < token.size();) {
    if (mac_at(token, k)) {
      if (scratch.empty()) scratch.assign(token.substr(0, k));
      scratch.append("<*>");
      k += 17;
      continue;
    }
    if (!scratch.empty()) scratch.push_back(token[k]);
    ++k;
  }
  return scratch.empty() ? token : std::string_view(scratch);
}

// The words of a piece: digit runs and booleans become <*>, a word holding <*> becomes <*>.
// True when a word was masked.
bool append_masked_words(std::string_view piece, std::string& out) {
  bool changed = false;
  std::size_t k = 0;
  while (k < piece.size()) {
    if (is_word_delimiter(piece[k]) || comparison_sign_at(piece, k)) {
      out.push_back(piece[k++]);
      continue;
    }
    std::size_t m = k;
    while (m < piece.size() && !is_word_delimiter(piece[m]) && !comparison_sign_at(piece, m)) ++m;
    const std::string_view word = piece.substr(k, m - k);
    k = m;
    if (all_digits(word) || is_boolean_word(word) ||
        (word.find("<*>") != std::string_view::npos && word.find('/') == std::string_view::npos)) {
      out.append("<*>");
      changed = true;
    } else {
      out.append(word);
    }
  }
  return changed;
}

// Loghub conventions: "<*>.<*>" and "<*><*>" are one variable (in `out` from `start` on).
void join_adjacent_variables(std::string& out, std::size_t start) {
  std::string tail = out.substr(start);
  std::size_t before = 0;
  do {
    before = tail.size();
    replace_all(tail, "<*>.<*>", "<*>");
    replace_all(tail, "<*><*>", "<*>");
  } while (tail.size() != before);
  out.resize(start);
  out.append(tail);
}

}  // namespace

void TokenMasker::mask_into(std::string_view token, std::string& out) const {
  if (unchanged_by_masking(token)) {
    out.append(token);
    return;
  }
  if (append_url(token, out)) return;
  const std::size_t start = out.size();
  std::string macs_masked;
  token = without_macs(token, macs_masked);
  bool changed = false;
  std::size_t i = 0;
  while (i < token.size()) {
    if (is_piece_delimiter(token[i])) {
      out.push_back(token[i++]);
      continue;
    }
    std::size_t j = i;
    while (j < token.size() && !is_piece_delimiter(token[j])) ++j;
    const std::string_view piece = token.substr(i, j - i);
    i = j;
    if (piece == "<*>") {
      out.append(piece);
      changed = true;
      continue;
    }
    // (a digit run is <*> whichever rule sees it; the pattern set is the costly one)
    if (all_digits(piece) || is_path(piece) || impl_->host_name(piece) ||
        (impl_->any && has_digit(piece) && impl_->set.Match(re2::StringPiece(piece.data(), piece.size()), nullptr))) {
      out.append("<*>");
      changed = true;
      continue;
    }
    changed = append_masked_words(piece, out) || changed;
  }
  if (changed) join_adjacent_variables(out, start);
}

void tokenize(std::string_view text, std::vector<std::string_view>& out, std::vector<std::uint64_t>& hashes) {
  tokenize(text, out);
  hashes.resize(out.size());
  for (std::size_t i = 0; i < out.size(); ++i) hashes[i] = token_hash(out[i]);
}

void digit_shape(std::string_view token, std::string& out) {
  out.resize(token.size());
  char* o = out.data();
  // eight bytes at a time: bytes '0'..'9' become '1'; note whether an 'x' or 'X' occurs
  constexpr std::uint64_t kLow7 = 0x7F7F7F7F7F7F7F7FULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  std::uint64_t any_x = 0;
  std::size_t i = 0;
  for (; i + 8 <= token.size(); i += 8) {
    std::uint64_t w = 0;
    std::memcpy(&w, token.data() + i, 8);
    const std::uint64_t above_nine = (w & kLow7) + 0x4646464646464646ULL;  // high bit: byte > '9'
    const std::uint64_t from_zero = (w & kLow7) + 0x5050505050505050ULL;   // high bit: byte >= '0'
    const std::uint64_t digit = from_zero & ~above_nine & ~w & kHigh;
    const std::uint64_t x = (w | 0x2020202020202020ULL) ^ 0x7878787878787878ULL;  // zero byte: 'x' or 'X'
    any_x |= (x - kOnes) & ~x & kHigh;
    const std::uint64_t mask = (digit >> 7U) * 0xFFU;
    w = (w & ~mask) | (0x3131313131313131ULL & mask);
    std::memcpy(o + i, &w, 8);
  }
  for (; i < token.size(); ++i) {
    o[i] = is_digit(token[i]) ? '1' : token[i];
    any_x |= (token[i] | 0x20) == 'x' ? 1U : 0U;
  }
  if (any_x == 0) return;
  // "0x" keeps its zero: hex_prefixed patterns name it
  for (std::size_t k = 0; k + 1 < token.size(); ++k) {
    if (token[k] == '0' && (token[k + 1] == 'x' || token[k + 1] == 'X')) o[k] = '0';
  }
}

void tokenize(std::string_view text, std::vector<std::string_view>& out) {
  static constexpr std::array<bool, 256> kSpace = [] {
    std::array<bool, 256> t{};
    for (const char c : {' ', '\t', '\n', '\r', '\f', '\v'}) t[static_cast<unsigned char>(c)] = true;
    return t;
  }();
  auto space = [](char c) { return kSpace[static_cast<unsigned char>(c)]; };
  out.clear();
  const char* p = text.data();
  const char* const end = p + text.size();
  while (p != end) {
    while (p != end && space(*p)) ++p;
    if (p == end) break;
    const char* q = p;
    while (q != end && !space(*q)) ++q;
    out.emplace_back(p, static_cast<std::size_t>(q - p));
    p = q;
  }
}

}  // namespace l4::parse
