#pragma once
// The pieces the steps of ContrastiveGrouper share (internal to parse): token skeletons and
// generalisation, text order, folding templates, and the per-call Context. Steps 1-2 are in
// contrastive_grouper.cpp, steps 3-4 (merging) in contrastive_merge.cpp.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "l4/parse/token_masker.hpp"
#include "parse/contrastive_grouper.hpp"
#include "text/chars.hpp"

namespace l4::parse::contrastive {

// The words of a token that are not variables: alphanumeric runs without digits.
inline std::string skeleton(std::string_view token) {
  std::string out;
  std::size_t i = 0;
  using text::is_word_char;
  while (i < token.size()) {
    if (!is_word_char(token[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    bool digit = false;
    while (j < token.size() && is_word_char(token[j])) {
      digit = digit || text::is_digit(token[j]);
      ++j;
    }
    if (!digit) {
      if (!out.empty()) out.push_back(' ');
      out.append(token.substr(i, j - i));
    }
    i = j;
  }
  return out;
}

// Two different tokens that are one word with a different number in it ("bglio716" / "bglio91",
// "U11" / "U01"): the text around the digits agrees and only digit runs differ. The text recurs,
// the number varies: a parameter the masker kept because letters are glued to it. Words whose
// letters differ ("alt0" / "ee0") are different words and stay apart.
inline bool same_word_other_number(std::string_view a, std::string_view b) {
  if (a == b) return false;
  using text::is_digit;
  std::size_t i = 0;
  std::size_t j = 0;
  bool number = false;
  while (i < a.size() && j < b.size()) {
    if (is_digit(a[i]) != is_digit(b[j])) return false;
    if (is_digit(a[i])) {
      while (i < a.size() && is_digit(a[i])) ++i;
      while (j < b.size() && is_digit(b[j])) ++j;
      number = true;
      continue;
    }
    if (a[i] != b[j] || a[i] == '<') return false;  // "<": a masked variable is no word
    ++i;
    ++j;
  }
  return number && i == a.size() && j == b.size();
}

// A word that is a number or a name with a number appended: letters, then one digit run
// ("storage442", "R25"), or hex digits holding a digit ("33557fe4"). Not "mlx5_core", "ens5f1np1".
inline bool numbered_word(std::string_view w) {
  if (w.empty() || !text::is_digit(w.back())) return false;
  if (std::all_of(w.begin(), w.end(), text::is_xdigit)) return true;
  std::size_t i = w.size();
  while (i > 0 && text::is_digit(w[i - 1])) --i;
  return std::all_of(w.begin(), w.begin() + static_cast<std::ptrdiff_t>(i), text::is_alpha);
}

// A token with its numbers as variables: in each piece, the stretch from the first to the last
// word holding a digit becomes <*> ("storage442" -> "<*>", "R25-M1-N2" -> "<*>",
// "QuorumServer@33557fe4" -> "QuorumServer@<*>"); a token with no digit is returned as it is.
inline std::string numbers_as_variables(std::string_view token) {
  std::string out;
  for (std::size_t i = 0; i <= token.size();) {
    std::size_t j = i;
    while (j < token.size() && !is_piece_delimiter(token[j])) ++j;
    const std::string_view piece = token.substr(i, j - i);
    std::size_t first = std::string_view::npos;
    std::size_t last_end = 0;
    for (std::size_t k = 0; k < piece.size();) {
      if (is_word_delimiter(piece[k])) {
        ++k;
        continue;
      }
      std::size_t m = k;
      while (m < piece.size() && !is_word_delimiter(piece[m])) ++m;
      if (numbered_word(piece.substr(k, m - k))) {
        if (first == std::string_view::npos) first = k;
        last_end = m;
      }
      k = m;
    }
    if (first == std::string_view::npos) {
      out.append(piece);
    } else {
      out.append(piece.substr(0, first)).append("<*>").append(piece.substr(last_end));
    }
    if (j < token.size()) out.push_back(token[j]);
    i = j + 1;
  }
  return out;
}

// Splits a token into pieces and the delimiters between them: "a:b," -> {"a","b",""}, ":,".
inline void pieces_of(std::string_view token, std::vector<std::string_view>& pieces, std::string& delims) {
  pieces.clear();
  delims.clear();
  std::size_t start = 0;
  for (std::size_t i = 0; i < token.size(); ++i) {
    if (is_piece_delimiter(token[i])) {
      pieces.push_back(token.substr(start, i - start));
      delims.push_back(token[i]);
      start = i + 1;
    }
  }
  pieces.push_back(token.substr(start));
}

// The most specific token that keeps what all `values` share: when they have the same delimiter
// skeleton ("<host>:<port>", "'<id>'", "<n>,"), pieces that agree stay and the others become
// <*>; otherwise the whole token is a parameter.
inline std::string generalize(std::span<const std::string_view> values) {
  std::vector<std::string_view> first;
  std::string delim_skeleton;
  pieces_of(values[0], first, delim_skeleton);
  std::vector<bool> same(first.size(), true);
  std::vector<std::string_view> pieces;
  std::string delims;
  for (std::size_t v = 1; v < values.size(); ++v) {
    pieces_of(values[v], pieces, delims);
    if (delims != delim_skeleton) return "<*>";
    for (std::size_t i = 0; i < pieces.size(); ++i) same[i] = same[i] && pieces[i] == first[i];
  }
  std::string out;
  bool any_constant = false;
  for (std::size_t i = 0; i < first.size(); ++i) {
    if (same[i] && !first[i].empty() && !has_wildcard(first[i])) any_constant = true;
    out.append(same[i] ? first[i] : std::string_view("<*>"));
    if (i < delim_skeleton.size()) out.push_back(delim_skeleton[i]);
  }
  // nothing but delimiters and variables left: keep the delimiters only when there are some
  if (!any_constant && delim_skeleton.empty()) return "<*>";
  std::string tmp;
  do {
    tmp = out;
    for (auto pos = out.find("<*><*>"); pos != std::string::npos; pos = out.find("<*><*>")) out.erase(pos, 3);
  } while (tmp != out);
  return out;
}

// A token id -> value map in one flat table (open addressing), cleared between uses without
// freeing: the per-position counting of steps 1 and 2 runs once per position and group.
class IdCounter {
 public:
  void reset(std::size_t expected) {
    std::size_t size = 16;
    while (size < expected * 2) size *= 2;
    if (keys_.size() < size) {
      keys_.assign(size, kNoToken);
      values_.assign(size, 0);
    } else {
      for (const std::size_t at : used_) keys_[at] = kNoToken;
    }
    used_.clear();
  }
  std::uint64_t& operator[](TokenId key) {
    if ((used_.size() + 1) * 2 > keys_.size()) grow();
    const std::size_t at = slot(key);
    if (keys_[at] == kNoToken) {
      keys_[at] = key;
      values_[at] = 0;
      used_.push_back(at);
    }
    return values_[at];
  }
  [[nodiscard]] std::uint64_t get(TokenId key) const {
    if (keys_.empty()) return 0;
    const std::size_t at = slot(key);
    return keys_[at] == key ? values_[at] : 0;
  }
  [[nodiscard]] std::size_t size() const { return used_.size(); }
  // (key, value) pairs in insertion order
  template <typename F>
  void each(F&& f) const {
    for (const std::size_t at : used_) f(keys_[at], values_[at]);
  }

 private:
  [[nodiscard]] std::size_t slot(TokenId key) const {
    const std::size_t mask = keys_.size() - 1;
    std::size_t at = hash_combine(0, key) & mask;
    while (keys_[at] != kNoToken && keys_[at] != key) at = (at + 1) & mask;
    return at;
  }
  void grow() {
    std::vector<std::pair<TokenId, std::uint64_t>> kept;
    kept.reserve(used_.size());
    for (const std::size_t at : used_) kept.emplace_back(keys_[at], values_[at]);
    const std::size_t size = std::max<std::size_t>(16, keys_.size() * 2);
    keys_.assign(size, kNoToken);
    values_.assign(size, 0);
    used_.clear();
    for (const auto& [k, v] : kept) {
      const std::size_t at = slot(k);
      keys_[at] = k;
      values_[at] = v;
      used_.push_back(at);
    }
  }
  std::vector<TokenId> keys_;
  std::vector<std::uint64_t> values_;
  std::vector<std::size_t> used_;
};

// Text order of token sequences (the deterministic order of every step).
inline bool text_less(std::span<const TokenId> a, std::span<const TokenId> b, const TokenVocabulary& v) {
  const std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (a[i] == b[i]) continue;
    return v.text(a[i]) < v.text(b[i]);
  }
  return a.size() < b.size();
}

inline bool template_less(const MinedTemplate& a, const MinedTemplate& b, const TokenVocabulary& v) {
  if (a.tokens != b.tokens) return text_less(a.tokens, b.tokens, v);
  return a.runs < b.runs;
}

inline void sort_by_text(std::vector<MinedTemplate>& ts, const TokenVocabulary& v) {
  std::sort(ts.begin(), ts.end(), [&](const MinedTemplate& a, const MinedTemplate& b) { return template_less(a, b, v); });
}

// Folds template `from` into `into` (counts and members; tokens are set by the caller).
inline void absorb(MinedTemplate& into, MinedTemplate& from) {
  into.count += from.count;
  std::vector<std::uint32_t> all;
  all.reserve(into.members.size() + from.members.size());
  std::merge(into.members.begin(), into.members.end(), from.members.begin(), from.members.end(),
             std::back_inserter(all));
  into.members = std::move(all);
  from.members.clear();
  from.members.shrink_to_fit();
}


// Drops the templates marked gone, keeping the order of the others.
inline void compact(std::vector<MinedTemplate>& ts, const std::vector<bool>& gone) {
  std::size_t kept = 0;
  for (std::size_t i = 0; i < ts.size(); ++i) {
    if (gone[i]) continue;
    if (kept != i) ts[kept] = std::move(ts[i]);
    ++kept;
  }
  ts.resize(kept);
}

// One token of a template in step 4: its text and, for a run slot, the fewest tokens it covers.
struct SlotToken {
  TokenId token = kNoToken;
  std::optional<std::size_t> run_min;
  friend bool operator==(const SlotToken&, const SlotToken&) = default;
};
// The tokens between two anchors (or before the first, after the last).
using Gap = std::vector<SlotToken>;


}  // namespace l4::parse::contrastive

namespace l4::parse {

// Per-call state: the vocabulary and cached facts about its tokens.
struct ContrastiveGrouper::Context {
  MaskedLines* lines = nullptr;
  TokenVocabulary& vocab;
  const GrouperOptions& options;
  std::vector<std::int8_t> unit;        // per token id: -1 unknown, 0 no, 1 yes
  std::vector<std::int8_t> param_like;  // same, for parameter_like
  TokenId wildcard = kNoToken;

  Context(TokenVocabulary& v, const GrouperOptions& o) : vocab(v), options(o) { wildcard = vocab.intern("<*>"); }

  [[nodiscard]] std::span<const TokenId> tokens(std::uint32_t m) const { return lines->tokens(m); }
  [[nodiscard]] bool has_wildcard(TokenId t) const { return vocab.has_wildcard(t); }

  bool is_unit(TokenId t) {
    if (t >= unit.size()) unit.resize(vocab.size(), -1);
    if (unit[t] < 0) {
      std::string_view token = vocab.text(t);
      while (!token.empty() && (token.back() == ',' || token.back() == ';' || token.back() == ')' || token.back() == '.')) {
        token.remove_suffix(1);
      }
      unit[t] = std::find(options.unit_words.begin(), options.unit_words.end(), token) != options.unit_words.end() ? 1 : 0;
    }
    return unit[t] == 1;
  }
  // A token that can sit in a parameter run: a variable with nothing but punctuation around it
  // ("(<*>", "<*>:<*>", "<<*>"; not "user=<*>", which holds template text: its key), or a unit.
  bool parameter_like(TokenId t) {
    if (t >= param_like.size()) param_like.resize(vocab.size(), -1);
    if (param_like[t] < 0) {
      param_like[t] = ((has_wildcard(t) && contrastive::skeleton(vocab.text(t)).empty()) || is_unit(t)) ? 1 : 0;
    }
    return param_like[t] == 1;
  }
  TokenId generalized(std::vector<std::string_view>& values) {
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    return vocab.intern(contrastive::generalize(values));
  }
};

}  // namespace l4::parse
