#include "parse/contrastive_grouper.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "parse/contrastive_steps.hpp"
#include "parse/glob_match.hpp"

// Steps 3 and 4 of ContrastiveGrouper: merging templates of one token count that differ only
// where one has "<*>", and merging templates whose anchor text agrees into run slots.
namespace l4::parse {
using namespace contrastive;  // the pieces the steps share (contrastive_steps.hpp)
namespace {

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

// The shape two different tokens share (generalize).
TokenId generalized_pair(TokenId a, TokenId b, TokenVocabulary& v) {
  std::vector<std::string_view> values{v.text(a), v.text(b)};
  std::sort(values.begin(), values.end());
  return v.intern(generalize(values));
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
      out.push_back({generalized_pair(a[k].token, b[k].token, v), std::nullopt});
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
                                                  TokenVocabulary& v, TokenId wildcard) {
  std::vector<TokenId> merged = a;
  std::size_t diffs = 0;
  for (std::size_t p = 0; p < a.size(); ++p) {
    if (a[p] == b[p]) continue;
    ++diffs;
    if (v.is_wildcard(a[p]) || v.is_wildcard(b[p])) {
      merged[p] = wildcard;
    } else if (v.has_wildcard(a[p]) && glob_covers(v.text(a[p]), v.text(b[p]))) {
      merged[p] = a[p];
    } else if (v.has_wildcard(b[p]) && glob_covers(v.text(b[p]), v.text(a[p]))) {
      merged[p] = b[p];
    } else if (same_word_other_number(v.text(a[p]), v.text(b[p]))) {
      merged[p] = generalized_pair(a[p], b[p], v);
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

}  // namespace l4::parse
