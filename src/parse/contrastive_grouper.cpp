#include "parse/contrastive_grouper.hpp"

#include <algorithm>
#include <map>
#include <numeric>
#include <set>
#include <string_view>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "l4/embedded_data.hpp"
#include "l4/parse/template_store.hpp"
#include "l4/parse/token_masker.hpp"

namespace l4::parse {
namespace {

// The words of a token that are not variables: alphanumeric runs without digits.
std::string skeleton(std::string_view token) {
  std::string out;
  std::size_t i = 0;
  auto word_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  };
  while (i < token.size()) {
    if (!word_char(token[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    bool digit = false;
    while (j < token.size() && word_char(token[j])) {
      digit = digit || (token[j] >= '0' && token[j] <= '9');
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

// Splits a token into pieces and the delimiters between them: "a:b," -> {"a","b",""}, ":,".
void pieces_of(std::string_view token, std::vector<std::string_view>& pieces, std::string& delims) {
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
std::string generalize(std::span<const std::string_view> values) {
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
bool text_less(std::span<const TokenId> a, std::span<const TokenId> b, const TokenVocabulary& v) {
  const std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (a[i] == b[i]) continue;
    return v.text(a[i]) < v.text(b[i]);
  }
  return a.size() < b.size();
}

bool template_less(const MinedTemplate& a, const MinedTemplate& b, const TokenVocabulary& v) {
  if (a.tokens != b.tokens) return text_less(a.tokens, b.tokens, v);
  return a.runs < b.runs;
}

void sort_by_text(std::vector<MinedTemplate>& ts, const TokenVocabulary& v) {
  std::sort(ts.begin(), ts.end(), [&](const MinedTemplate& a, const MinedTemplate& b) { return template_less(a, b, v); });
}

// Folds template `from` into `into` (counts and members; tokens are set by the caller).
void absorb(MinedTemplate& into, MinedTemplate& from) {
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
void compact(std::vector<MinedTemplate>& ts, const std::vector<bool>& gone) {
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

}  // namespace

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
      param_like[t] = ((has_wildcard(t) && skeleton(vocab.text(t)).empty()) || is_unit(t)) ? 1 : 0;
    }
    return param_like[t] == 1;
  }
  TokenId generalized(std::vector<std::string_view>& values) {
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    return vocab.intern(generalize(values));
  }
};

namespace {

// True when the values at positions p and q determine each other (a bijection between them).
bool one_to_one(const MaskedLines& lines, std::span<const std::uint32_t> members, std::size_t p, std::size_t q,
                IdCounter& pq, IdCounter& qp) {
  pq.reset(members.size());
  qp.reset(members.size());
  for (const std::uint32_t m : members) {
    const auto toks = lines.tokens(m);
    const TokenId a = toks[p];
    const TokenId b = toks[q];
    // stored +1 so that 0 means "not seen"
    auto& fa = pq[a];
    if (fa == 0) fa = std::uint64_t{b} + 1;
    else if (fa != std::uint64_t{b} + 1) return false;
    auto& fb = qp[b];
    if (fb == 0) fb = std::uint64_t{a} + 1;
    else if (fb != std::uint64_t{a} + 1) return false;
  }
  return true;
}

// True when the words at position p vary one-to-one with another varying position (`distinct`:
// values per position) and some of them recur: words that are template text recur, while unique
// request ids or names that masking missed co-vary with one another vacuously.
bool covaries(const MaskedLines& lines, std::span<const std::uint32_t> members, std::size_t p,
              std::span<const std::size_t> varying, std::span<const std::size_t> distinct, std::uint64_t lines_here) {
  if (distinct[p] >= lines_here) return false;
  IdCounter pq;
  IdCounter qp;
  for (const std::size_t q : varying) {
    if (q != p && distinct[q] == distinct[p] && one_to_one(lines, members, p, q, pq, qp)) return true;
  }
  return false;
}

bool holds_variable(std::span<const SlotToken> gap, const TokenVocabulary& v) {
  return std::any_of(gap.begin(), gap.end(), [&](const SlotToken& t) { return v.has_wildcard(t.token); });
}
bool has_run(std::span<const SlotToken> gap) {
  return std::any_of(gap.begin(), gap.end(), [](const SlotToken& t) { return t.run_min.has_value(); });
}
std::size_t fewest_tokens(std::span<const SlotToken> gap) {
  std::size_t n = 0;
  for (const SlotToken& t : gap) n += t.run_min.value_or(1);
  return n;
}

// Two different gaps as one: token by token when they are alike in length (the shape both values
// share), else one run slot between what they have in common at either end. nullopt when the
// difference holds no variable (only unit words differ: not a parameter).
std::optional<Gap> merge_gaps(const Gap& a, const Gap& b, TokenVocabulary& v, TokenId wildcard) {
  if (!holds_variable(a, v) && !holds_variable(b, v)) return std::nullopt;
  Gap out;
  if (a.size() == b.size() && !has_run(a) && !has_run(b)) {
    for (std::size_t k = 0; k < a.size(); ++k) {
      if (a[k] == b[k]) {
        out.push_back(a[k]);
        continue;
      }
      std::vector<std::string_view> values{v.text(a[k].token), v.text(b[k].token)};
      std::sort(values.begin(), values.end());
      out.push_back({v.intern(generalize(values)), std::nullopt});
    }
    return out;
  }
  auto fixed_same = [&](const SlotToken& x, const SlotToken& y) {
    return x == y && !x.run_min && !v.has_wildcard(x.token);
  };
  const std::size_t shorter = std::min(a.size(), b.size());
  std::size_t head = 0;
  while (head < shorter && fixed_same(a[head], b[head])) ++head;
  std::size_t tail = 0;
  while (head + tail < shorter && fixed_same(a[a.size() - 1 - tail], b[b.size() - 1 - tail])) ++tail;
  const std::span<const SlotToken> mid_a(a.begin() + static_cast<std::ptrdiff_t>(head), a.size() - head - tail);
  const std::span<const SlotToken> mid_b(b.begin() + static_cast<std::ptrdiff_t>(head), b.size() - head - tail);
  if (!holds_variable(mid_a, v) && !holds_variable(mid_b, v)) return std::nullopt;
  out.assign(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(head));
  const bool may_be_empty = fewest_tokens(mid_a) == 0 || fewest_tokens(mid_b) == 0;
  out.push_back({wildcard, may_be_empty ? 0U : 1U});
  out.insert(out.end(), a.end() - static_cast<std::ptrdiff_t>(tail), a.end());
  return out;
}

// Step 3's test: a and b (one length) as one template, or nullopt. They may differ only where one
// side's token covers the other's ("<*>", or a shape such as "user=<*>" matching "user=root"),
// in few positions, and template text must remain.
std::optional<std::vector<TokenId>> merged_tokens(const std::vector<TokenId>& a, const std::vector<TokenId>& b,
                                                  const TokenVocabulary& v, TokenId wildcard) {
  std::vector<TokenId> merged = a;
  std::size_t diffs = 0;
  for (std::size_t p = 0; p < a.size(); ++p) {
    if (a[p] == b[p]) continue;
    ++diffs;
    if (v.is_wildcard(a[p]) || v.is_wildcard(b[p])) {
      merged[p] = wildcard;
    } else if (v.has_wildcard(a[p]) && glob_match(v.text(a[p]), v.text(b[p]), nullptr)) {
      merged[p] = a[p];
    } else if (v.has_wildcard(b[p]) && glob_match(v.text(b[p]), v.text(a[p]), nullptr)) {
      merged[p] = b[p];
    } else {
      return std::nullopt;
    }
  }
  if (diffs == 0) return merged;
  // a merge must not dissolve a template: keep template text and few differences
  const bool constant = std::any_of(merged.begin(), merged.end(), [&](TokenId t) { return !v.has_wildcard(t); });
  if (!constant || diffs > std::max<std::size_t>(1, a.size() / 4)) return std::nullopt;
  return merged;
}

// Candidates of `self` among `list` (indexes in text order): all of a short list, else the
// `limit` neighbours of `self` in it.
void window(const std::vector<std::uint32_t>& list, std::uint32_t self, std::size_t limit,
            std::vector<std::uint32_t>& out) {
  if (list.size() <= limit + 1) {
    out.insert(out.end(), list.begin(), list.end());
    return;
  }
  const auto at = static_cast<std::size_t>(std::lower_bound(list.begin(), list.end(), self) - list.begin());
  const std::size_t from = at > limit / 2 ? at - limit / 2 : 0;
  const std::size_t to = std::min(list.size(), from + limit + 1);
  out.insert(out.end(), list.begin() + static_cast<std::ptrdiff_t>(from), list.begin() + static_cast<std::ptrdiff_t>(to));
}

}  // namespace

std::vector<std::string> default_unit_words() {
  // Read once per process: every GrouperOptions (every miner) starts from this list.
  static const std::vector<std::string> words = [] {
    std::vector<std::string> out;
    const auto doc = nlohmann::json::parse(l4::embedded::data("parse_masks.json"), nullptr, false);
    if (doc.is_object() && doc.contains("unit_words")) {
      for (const auto& u : doc["unit_words"]) {
        if (u.is_string()) out.push_back(u.get<std::string>());
      }
    }
    return out;
  }();
  return words;
}

std::string template_text(const MinedTemplate& t, const TokenVocabulary& vocabulary) {
  std::string text;
  for (const TokenId id : t.tokens) {
    if (!text.empty()) text.push_back(' ');
    text.append(vocabulary.text(id));
  }
  return text;
}

std::optional<MinedTemplate> ContrastiveGrouper::merged_runs(Context& cx, const MinedTemplate& a,
                                                            const MinedTemplate& b) const {
  // templates of one length without runs were compared position by position in step 3
  if (a.tokens.size() == b.tokens.size() && a.runs.empty() && b.runs.empty()) return std::nullopt;
  auto decompose = [&cx](const MinedTemplate& t, std::vector<TokenId>& anchors, std::vector<Gap>& gaps) {
    gaps.assign(1, Gap{});
    std::size_t r = 0;
    for (std::size_t p = 0; p < t.tokens.size(); ++p) {
      const bool run = r < t.runs.size() && t.runs[r].position == p;
      if (!run && !cx.parameter_like(t.tokens[p])) {
        anchors.push_back(t.tokens[p]);
        gaps.emplace_back();
        continue;
      }
      gaps.back().push_back({t.tokens[p], run ? std::optional(t.runs[r].min_tokens) : std::nullopt});
      if (run) ++r;
    }
  };
  std::vector<TokenId> anchors_a;
  std::vector<TokenId> anchors_b;
  std::vector<Gap> gaps_a;
  std::vector<Gap> gaps_b;
  decompose(a, anchors_a, gaps_a);
  decompose(b, anchors_b, gaps_b);
  if (anchors_a.empty() || anchors_a != anchors_b) return std::nullopt;
  MinedTemplate m;
  for (std::size_t g = 0; g < gaps_a.size(); ++g) {
    std::optional<Gap> gap =
        gaps_a[g] == gaps_b[g] ? std::optional(gaps_a[g]) : merge_gaps(gaps_a[g], gaps_b[g], cx.vocab, cx.wildcard);
    if (!gap) return std::nullopt;
    for (auto& tok : *gap) {
      if (tok.run_min) m.runs.push_back({m.tokens.size(), *tok.run_min});
      m.tokens.push_back(tok.token);
    }
    if (g < anchors_a.size()) m.tokens.push_back(anchors_a[g]);
  }
  m.count = a.count + b.count;
  m.members.reserve(a.members.size() + b.members.size());
  std::merge(a.members.begin(), a.members.end(), b.members.begin(), b.members.end(), std::back_inserter(m.members));
  return m;
}

std::vector<MinedTemplate> ContrastiveGrouper::merge_runs(std::vector<MinedTemplate> templates,
                                                          TokenVocabulary& vocabulary) const {
  Context cx(vocabulary, options_);
  // only templates with the same anchor text can merge: compare inside those buckets
  std::unordered_map<std::string, std::vector<MinedTemplate>> buckets;
  std::vector<MinedTemplate> out;
  for (auto& t : templates) {
    std::string key;
    for (const TokenId tok : t.tokens) {
      if (cx.parameter_like(tok)) continue;
      key.append(reinterpret_cast<const char*>(&tok), sizeof tok);
    }
    if (key.empty()) out.push_back(std::move(t));
    else buckets[key].push_back(std::move(t));
  }
  for (auto& [key, group] : buckets) {
    sort_by_text(group, vocabulary);
    // in text order, each template takes in the ones after it that merge with it (a bounded number
    // of them), round after round until nothing merges
    for (std::size_t round = 0; round < options_.merge_rounds && group.size() > 1; ++round) {
      bool changed = false;
      std::vector<bool> gone(group.size(), false);
      for (std::size_t i = 0; i < group.size(); ++i) {
        if (gone[i]) continue;
        std::size_t tried = 0;
        for (std::size_t j = i + 1; j < group.size() && tried < options_.merge_candidates; ++j) {
          if (gone[j]) continue;
          ++tried;
          auto merged = merged_runs(cx, group[i], group[j]);
          if (!merged) continue;
          group[i] = std::move(*merged);
          gone[j] = true;
          changed = true;
        }
      }
      if (!changed) break;
      compact(group, gone);
      sort_by_text(group, vocabulary);
    }
    for (auto& t : group) out.push_back(std::move(t));
  }
  sort_by_text(out, vocabulary);
  return out;
}

std::vector<std::vector<std::uint32_t>> ContrastiveGrouper::anchor_groups(const MaskedLines& lines,
                                                                         std::span<const std::uint32_t> members) const {
  std::vector<std::vector<std::uint32_t>> groups;
  if (members.empty()) return groups;
  const TokenVocabulary& vocab = lines.vocabulary();
  const std::size_t n = lines.tokens(members[0]).size();
  const std::size_t g = members.size();
  // per position, how many input lines hold each token there
  std::vector<std::uint64_t> freq(g * n);
  IdCounter counter;
  for (std::size_t p = 0; p < n; ++p) {
    counter.reset(g);
    for (const std::uint32_t m : members) counter[lines.tokens(m)[p]] += lines.count(m);
    for (std::size_t k = 0; k < g; ++k) freq[k * n + p] = counter.get(lines.tokens(members[k])[p]);
  }
  MaskedLines keys;  // anchor keys, numbered in first-seen order
  std::vector<TokenId> key(n);
  std::vector<std::uint64_t> sorted;
  for (std::size_t k = 0; k < g; ++k) {
    const auto toks = lines.tokens(members[k]);
    const std::uint64_t* f = freq.data() + k * n;
    sorted.clear();
    for (std::size_t p = 0; p < n; ++p) {
      if (!vocab.has_wildcard(toks[p])) sorted.push_back(f[p]);
    }
    // the anchor frequency: shared by most positions, the lower one on a tie (more of the line is
    // kept as anchor) (tokens holding masked parameters are not candidates: their frequency says
    // nothing about the template)
    std::sort(sorted.begin(), sorted.end());
    std::uint64_t anchor = 0;
    std::size_t best = 0;
    for (std::size_t i = 0; i < sorted.size();) {
      std::size_t j = i;
      while (j < sorted.size() && sorted[j] == sorted[i]) ++j;
      if (j - i > best) {
        best = j - i;
        anchor = sorted[i];
      }
      i = j;
    }
    for (std::size_t p = 0; p < n; ++p) {
      // a line made only of masked tokens is keyed by all of them
      const bool keep = sorted.empty() || (f[p] >= anchor && !vocab.has_wildcard(toks[p]));
      key[p] = keep ? toks[p] : kNoToken;
    }
    const std::uint32_t group = keys.add(key);
    if (group == groups.size()) groups.emplace_back();
    groups[group].push_back(members[k]);
  }
  for (auto& group : groups) std::sort(group.begin(), group.end());
  return groups;
}

std::vector<MinedTemplate> ContrastiveGrouper::contrast(MaskedLines& lines,
                                                        std::span<const std::uint32_t> members) const {
  std::vector<MinedTemplate> out;
  if (members.empty()) return out;
  Context cx(lines.vocabulary(), options_);
  cx.lines = &lines;
  contrast(cx, members, out);
  return out;
}

void ContrastiveGrouper::contrast(Context& cx, std::span<const std::uint32_t> members,
                                  std::vector<MinedTemplate>& out) const {
  if (members.empty()) return;
  const std::size_t n = cx.lines->tokens(members[0]).size();
  split(cx, std::vector<std::uint32_t>(members.begin(), members.end()), std::vector<TokenId>(n, kNoToken), out);
}

void ContrastiveGrouper::split(Context& cx, std::vector<std::uint32_t> members, std::vector<TokenId> variable,
                               std::vector<MinedTemplate>& out) const {
  // variable[p]: kNoToken while position p is template text, else the parameter's shape ("<*>",
  // "user=<*>", "<*>:<*>") fixed where it was found to vary (sub-units inherit it)
  const MaskedLines& lines = *cx.lines;
  const TokenVocabulary& vocab = cx.vocab;
  const std::size_t n = variable.size();
  std::size_t split_pos = n;
  std::size_t split_values = 0;
  bool split_by_skeleton = false;
  auto candidate = [&](std::size_t p, std::size_t d, bool by_skeleton) {
    if (split_pos == n || d < split_values) {
      split_pos = p;
      split_values = d;
      split_by_skeleton = by_skeleton;
    }
  };
  // positions that vary with masked variables among their values: parameters, unless a split on
  // a word position separates them into units where they are constant
  std::vector<std::size_t> pending;
  std::vector<std::size_t> many_words;  // plain-word positions with many values
  std::vector<std::size_t> varying;     // every position with more than one value
  std::vector<std::size_t> distinct(n, 1);
  IdCounter values;
  for (std::size_t p = 0; p < n; ++p) {
    if (variable[p] != kNoToken) continue;
    values.reset(members.size());
    bool var_like = false;
    for (const std::uint32_t m : members) {
      const TokenId tok = lines.tokens(m)[p];
      values[tok] += lines.count(m);
      var_like = var_like || vocab.has_wildcard(tok);
    }
    if (values.size() == 1) continue;
    distinct[p] = values.size();
    varying.push_back(p);
    if (var_like) {
      // "dcbf.....<*>" vs "icbi.....<*>": different words around the variable separate templates
      // (only when they differ from the first word on: "rhost=<*>" and "rhost=<*>.example.om"
      // are one parameter)
      std::set<std::string> skeletons;
      std::set<std::string> first_words;
      bool all_words = true;
      values.each([&](TokenId value, std::uint64_t) {
        if (!all_words || skeletons.size() >= options_.word_param_values) return;
        std::string sk = skeleton(vocab.text(value));
        all_words = all_words && !sk.empty();
        first_words.insert(sk.substr(0, sk.find(' ')));
        skeletons.insert(std::move(sk));
      });
      if (all_words && skeletons.size() > 1 && first_words.size() == skeletons.size() &&
          skeletons.size() < options_.word_param_values) {
        candidate(p, skeletons.size(), true);
      } else {
        pending.push_back(p);
      }
      continue;
    }
    if (values.size() >= options_.word_param_values) {
      many_words.push_back(p);
      continue;
    }
    // "877.0 B" / "6.0 KB": units after a parameter belong to it
    bool all_units = p > 0;
    values.each([&](TokenId value, std::uint64_t) { all_units = all_units && cx.is_unit(value); });
    if (all_units) {
      bool after_parameter = variable[p - 1] != kNoToken;
      for (const std::uint32_t m : members) after_parameter = after_parameter || vocab.has_wildcard(lines.tokens(m)[p - 1]);
      if (after_parameter) {
        pending.push_back(p);
        continue;
      }
    }
    candidate(p, values.size(), false);
  }
  // Many different words at a position are a parameter, unless they co-vary one-to-one with
  // another varying position: then both are template text of different templates.
  std::uint64_t lines_here = 0;
  for (const std::uint32_t m : members) lines_here += lines.count(m);
  for (const std::size_t p : many_words) {
    if (covaries(lines, members, p, varying, distinct, lines_here)) {
      candidate(p, distinct[p], false);
    } else {
      std::vector<std::string_view> texts;
      for (const std::uint32_t m : members) texts.push_back(vocab.text(lines.tokens(m)[p]));
      variable[p] = cx.generalized(texts);
    }
  }
  if (split_pos < n) {
    std::map<std::string, std::vector<std::uint32_t>> by_skeleton;
    std::map<TokenId, std::vector<std::uint32_t>> by_value;
    for (const std::uint32_t m : members) {
      const TokenId tok = lines.tokens(m)[split_pos];
      if (split_by_skeleton) by_skeleton[skeleton(vocab.text(tok))].push_back(m);
      else by_value[tok].push_back(m);
    }
    members.clear();
    members.shrink_to_fit();
    for (auto& [value, part] : by_skeleton) split(cx, std::move(part), variable, out);
    for (auto& [value, part] : by_value) split(cx, std::move(part), variable, out);
    return;
  }
  for (const std::size_t p : pending) {
    std::vector<std::string_view> texts;
    for (const std::uint32_t m : members) texts.push_back(vocab.text(lines.tokens(m)[p]));
    // the one value when it is all masked, else the shape the values share
    std::sort(texts.begin(), texts.end());
    texts.erase(std::unique(texts.begin(), texts.end()), texts.end());
    if (texts.size() == 1) variable[p] = has_wildcard(texts[0]) ? cx.vocab.intern(texts[0]) : cx.wildcard;
    else variable[p] = cx.generalized(texts);
  }
  MinedTemplate t;
  t.tokens.reserve(n);
  const auto first = lines.tokens(members[0]);
  for (std::size_t p = 0; p < n; ++p) t.tokens.push_back(variable[p] == kNoToken ? first[p] : variable[p]);
  for (const std::uint32_t m : members) t.count += lines.count(m);
  t.members = std::move(members);
  std::sort(t.members.begin(), t.members.end());
  out.push_back(std::move(t));
}

std::vector<MinedTemplate> ContrastiveGrouper::merge(std::vector<MinedTemplate> templates,
                                                     TokenVocabulary& vocabulary) const {
  const TokenId wildcard = vocabulary.intern("<*>");
  sort_by_text(templates, vocabulary);
  std::vector<bool> gone(templates.size(), false);
  // Two templates of n tokens that merge differ in at most k = max(1, n/4) positions, so they agree
  // on at least one of k+1 blocks of positions: only templates sharing a block are compared.
  std::vector<std::uint32_t> candidates;
  for (std::size_t round = 0; round < options_.merge_rounds; ++round) {
    std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> blocks;
    auto block_keys = [&](const std::vector<TokenId>& toks, auto&& visit) {
      const std::size_t n = toks.size();
      const std::size_t k = std::max<std::size_t>(1, n / 4);
      const std::size_t parts = std::min(n, k + 1);
      for (std::size_t b = 0; b < parts; ++b) {
        std::uint64_t h = hash_combine(n, b);
        for (std::size_t p = b * n / parts; p < (b + 1) * n / parts; ++p) h = hash_combine(h, toks[p]);
        visit(h);
      }
    };
    for (std::uint32_t i = 0; i < templates.size(); ++i) {
      if (!gone[i]) block_keys(templates[i].tokens, [&](std::uint64_t h) { blocks[h].push_back(i); });
    }
    bool changed = false;
    for (std::uint32_t i = 0; i < templates.size(); ++i) {
      if (gone[i]) continue;
      candidates.clear();
      block_keys(templates[i].tokens, [&](std::uint64_t h) {
        window(blocks[h], i, options_.merge_candidates, candidates);
      });
      std::sort(candidates.begin(), candidates.end());
      candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
      for (const std::uint32_t j : candidates) {
        if (j == i || gone[j] || templates[j].tokens.size() != templates[i].tokens.size()) continue;
        auto merged = merged_tokens(templates[i].tokens, templates[j].tokens, vocabulary, wildcard);
        if (!merged) continue;
        // the earlier template in text order takes the later one in
        const std::uint32_t into = std::min(i, j);
        const std::uint32_t from = std::max(i, j);
        templates[into].tokens = std::move(*merged);
        absorb(templates[into], templates[from]);
        gone[from] = true;
        changed = true;
        if (from == i) break;
      }
    }
    if (!changed) break;
    compact(templates, gone);
    gone.assign(templates.size(), false);
    sort_by_text(templates, vocabulary);
  }
  compact(templates, gone);
  return templates;
}

std::vector<MinedTemplate> ContrastiveGrouper::mine(MaskedLines& lines) const {
  std::vector<std::uint32_t> all(lines.size());
  std::iota(all.begin(), all.end(), 0U);
  return mine(lines, all);
}

std::vector<MinedTemplate> ContrastiveGrouper::mine(MaskedLines& lines, std::span<const std::uint32_t> members) const {
  std::map<std::size_t, std::vector<std::uint32_t>> by_count;
  for (const std::uint32_t i : members) by_count[lines.tokens(i).size()].push_back(i);
  Context cx(lines.vocabulary(), options_);
  cx.lines = &lines;
  std::vector<MinedTemplate> all;
  for (auto& [count, same_length] : by_count) {
    std::vector<MinedTemplate> mined;
    for (const auto& group : anchor_groups(lines, same_length)) contrast(cx, group, mined);
    for (auto& t : merge(std::move(mined), lines.vocabulary())) all.push_back(std::move(t));
  }
  return merge_runs(std::move(all), lines.vocabulary());
}

}  // namespace l4::parse
