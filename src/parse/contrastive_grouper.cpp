#include "l4/parse/contrastive_grouper.hpp"

#include <algorithm>
#include <map>
#include <string_view>
#include <unordered_map>

#include "l4/parse/template_store.hpp"
#include "l4/parse/token_masker.hpp"

namespace l4::parse {
namespace {

bool variable_like(std::string_view token) { return has_wildcard(token); }

constexpr bool is_piece_delim(char c) {
  switch (c) {
    case ',': case '!': case ';': case ':': case '=': case '|': case '"': case '\'':
    case '[': case ']': case '(': case ')': case '{': case '}':
      return true;
    default:
      return false;
  }
}

// Splits a token into pieces and the delimiters between them: "a:b," -> {"a","b",""}, ":,".
void pieces_of(std::string_view token, std::vector<std::string_view>& pieces, std::string& delims) {
  pieces.clear();
  delims.clear();
  std::size_t start = 0;
  for (std::size_t i = 0; i < token.size(); ++i) {
    if (is_piece_delim(token[i])) {
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
std::string generalize(const std::vector<std::string_view>& values) {
  std::vector<std::string_view> first;
  std::string skeleton;
  pieces_of(values[0], first, skeleton);
  std::vector<bool> same(first.size(), true);
  std::vector<std::string_view> pieces;
  std::string delims;
  for (std::size_t v = 1; v < values.size(); ++v) {
    pieces_of(values[v], pieces, delims);
    if (delims != skeleton) return "<*>";
    for (std::size_t i = 0; i < pieces.size(); ++i) same[i] = same[i] && pieces[i] == first[i];
  }
  std::string out;
  bool any_constant = false;
  for (std::size_t i = 0; i < first.size(); ++i) {
    if (same[i] && !first[i].empty() && !has_wildcard(first[i])) any_constant = true;
    out.append(same[i] ? first[i] : std::string_view("<*>"));
    if (i < skeleton.size()) out.push_back(skeleton[i]);
  }
  // nothing but delimiters and variables left: keep the delimiters only when there are some
  if (!any_constant && skeleton.empty()) return "<*>";
  std::string tmp;
  do {
    tmp = out;
    for (auto pos = out.find("<*><*>"); pos != std::string::npos; pos = out.find("<*><*>")) out.erase(pos, 3);
  } while (tmp != out);
  return out;
}

}  // namespace

std::vector<std::vector<std::size_t>> ContrastiveGrouper::anchor_groups(std::span<const MaskedLine> lines,
                                                                        std::span<const std::size_t> members) const {
  std::vector<std::vector<std::size_t>> groups;
  if (members.empty()) return groups;
  const std::size_t n = lines[members[0]].tokens.size();
  std::vector<std::unordered_map<std::string_view, std::uint64_t>> freq(n);
  for (const std::size_t m : members) {
    for (std::size_t p = 0; p < n; ++p) freq[p][lines[m].tokens[p]] += lines[m].count;
  }
  std::map<std::string, std::vector<std::size_t>> by_key;
  std::vector<std::uint64_t> f(n);
  std::vector<std::uint64_t> sorted;
  for (const std::size_t m : members) {
    const auto& toks = lines[m].tokens;
    sorted.clear();
    for (std::size_t p = 0; p < n; ++p) {
      f[p] = freq[p][toks[p]];
      if (!has_wildcard(toks[p])) sorted.push_back(f[p]);
    }
    // the anchor frequency: shared by most positions, the lower one on a tie (more of the line is kept as anchor) (tokens holding masked
    // parameters are not candidates: their frequency says nothing about the template)
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
    std::string key;
    for (std::size_t p = 0; p < n; ++p) {
      // a line made only of masked tokens is keyed by all of them
      if (sorted.empty() || (f[p] >= anchor && !has_wildcard(toks[p]))) key.append(toks[p]);
      else key.push_back('\x01');
      key.push_back('\x1f');
    }
    by_key[key].push_back(m);
  }
  for (auto& [key, group] : by_key) {
    std::sort(group.begin(), group.end());
    groups.push_back(std::move(group));
  }
  return groups;
}

std::vector<MinedTemplate> ContrastiveGrouper::contrast(std::span<const MaskedLine> lines,
                                                        std::span<const std::size_t> members) const {
  std::vector<MinedTemplate> out;
  if (members.empty()) return out;
  const std::size_t n = lines[members[0]].tokens.size();
  split(lines, std::vector<std::size_t>(members.begin(), members.end()), std::vector<bool>(n, false), out);
  return out;
}

void ContrastiveGrouper::split(std::span<const MaskedLine> lines, std::vector<std::size_t> members,
                               std::vector<bool> variable, std::vector<MinedTemplate>& out) const {
  const std::size_t n = variable.size();
  std::size_t split_pos = n;
  std::size_t split_values = 0;
  // positions that vary with masked variables among their values: parameters, unless a split on
  // a word position separates them into units where they are constant
  std::vector<std::size_t> pending;
  for (std::size_t p = 0; p < n; ++p) {
    if (variable[p]) continue;
    std::map<std::string_view, std::uint64_t> values;
    bool var_like = false;
    for (const std::size_t m : members) {
      const std::string_view tok = lines[m].tokens[p];
      values[tok] += lines[m].count;
      var_like = var_like || variable_like(tok);
    }
    if (values.size() == 1) continue;
    if (var_like) {
      pending.push_back(p);
      continue;
    }
    if (values.size() >= options_.word_param_values) {
      variable[p] = true;
      continue;
    }
    if (split_pos == n || values.size() < split_values) {
      split_pos = p;
      split_values = values.size();
    }
  }
  if (split_pos < n) {
    std::map<std::string_view, std::vector<std::size_t>> parts;
    for (const std::size_t m : members) parts[lines[m].tokens[split_pos]].push_back(m);
    for (auto& [value, part] : parts) split(lines, std::move(part), variable, out);
    return;
  }
  for (const std::size_t p : pending) variable[p] = true;
  MinedTemplate t;
  t.tokens.reserve(n);
  const auto& first = lines[members[0]].tokens;
  std::vector<std::string_view> values;
  for (std::size_t p = 0; p < n; ++p) {
    if (!variable[p]) {
      t.tokens.push_back(first[p]);
      continue;
    }
    values.clear();
    for (const std::size_t m : members) values.push_back(lines[m].tokens[p]);
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    if (values.size() == 1) {
      t.tokens.emplace_back(has_wildcard(values[0]) ? values[0] : std::string_view("<*>"));
    } else {
      t.tokens.push_back(generalize(values));
    }
  }
  for (const std::size_t m : members) t.count += lines[m].count;
  t.members = std::move(members);
  std::sort(t.members.begin(), t.members.end());
  out.push_back(std::move(t));
}

std::vector<MinedTemplate> ContrastiveGrouper::merge(std::vector<MinedTemplate> templates) {
  // order by text so that the result does not depend on the input order
  std::sort(templates.begin(), templates.end(),
            [](const MinedTemplate& a, const MinedTemplate& b) { return a.tokens < b.tokens; });
  bool changed = true;
  while (changed) {
    changed = false;
    for (std::size_t i = 0; i < templates.size() && !changed; ++i) {
      for (std::size_t j = i + 1; j < templates.size() && !changed; ++j) {
        auto& a = templates[i].tokens;
        const auto& b = templates[j].tokens;
        if (a.size() != b.size()) continue;
        bool ok = true;
        bool differ = false;
        std::vector<std::string> merged = a;
        for (std::size_t p = 0; p < a.size() && ok; ++p) {
          if (a[p] == b[p]) continue;
          differ = true;
          if (is_wildcard(a[p]) || is_wildcard(b[p])) {
            merged[p] = "<*>";
          } else if (has_wildcard(a[p]) && glob_match(a[p], b[p], nullptr)) {
            merged[p] = a[p];
          } else if (has_wildcard(b[p]) && glob_match(b[p], a[p], nullptr)) {
            merged[p] = b[p];
          } else {
            ok = false;
          }
        }
        if (!ok) continue;
        if (differ) {
          // a merge must not dissolve a template: keep template text and few differences
          std::size_t diffs = 0;
          bool constant = false;
          for (std::size_t p = 0; p < a.size(); ++p) {
            diffs += a[p] != b[p] ? 1 : 0;
            constant = constant || !has_wildcard(merged[p]);
          }
          if (!constant || diffs > std::max<std::size_t>(1, a.size() / 4)) continue;
          a = std::move(merged);
        }
        templates[i].count += templates[j].count;
        auto& mi = templates[i].members;
        const auto& mj = templates[j].members;
        std::vector<std::size_t> all;
        all.reserve(mi.size() + mj.size());
        std::merge(mi.begin(), mi.end(), mj.begin(), mj.end(), std::back_inserter(all));
        mi = std::move(all);
        templates.erase(templates.begin() + static_cast<std::ptrdiff_t>(j));
        changed = true;
      }
    }
    if (changed) {
      std::sort(templates.begin(), templates.end(),
                [](const MinedTemplate& a, const MinedTemplate& b) { return a.tokens < b.tokens; });
    }
  }
  return templates;
}

std::vector<MinedTemplate> ContrastiveGrouper::mine(std::span<const MaskedLine> lines) const {
  std::map<std::size_t, std::vector<std::size_t>> by_count;
  // deterministic member order: by masked text, independent of input order
  std::vector<std::size_t> order(lines.size());
  for (std::size_t i = 0; i < lines.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return lines[a].tokens < lines[b].tokens; });
  for (const std::size_t i : order) by_count[lines[i].tokens.size()].push_back(i);
  std::vector<MinedTemplate> all;
  for (auto& [count, members] : by_count) {
    std::vector<MinedTemplate> mined;
    for (const auto& group : anchor_groups(lines, members)) {
      auto units = contrast(lines, group);
      for (auto& u : units) mined.push_back(std::move(u));
    }
    for (auto& t : merge(std::move(mined))) all.push_back(std::move(t));
  }
  return all;
}

}  // namespace l4::parse
