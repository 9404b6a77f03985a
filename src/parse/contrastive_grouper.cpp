#include "l4/parse/contrastive_grouper.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <string_view>
#include <tuple>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "l4/embedded_data.hpp"
#include "l4/parse/template_store.hpp"
#include "l4/parse/token_masker.hpp"

namespace l4::parse {
namespace {

bool variable_like(std::string_view token) { return has_wildcard(token); }

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

// True when the values at positions p and q determine each other (a bijection between them).
bool one_to_one(std::span<const MaskedLine> lines, std::span<const std::size_t> members, std::size_t p,
                std::size_t q) {
  std::map<std::string_view, std::string_view> pq;
  std::map<std::string_view, std::string_view> qp;
  for (const std::size_t m : members) {
    const std::string_view a = lines[m].tokens[p];
    const std::string_view b = lines[m].tokens[q];
    const auto [i, new_a] = pq.emplace(a, b);
    if (!new_a && i->second != b) return false;
    const auto [k, new_b] = qp.emplace(b, a);
    if (!new_b && k->second != a) return false;
  }
  return true;
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

// The parameter token for position p over `members`: the one value when it is all masked, else
// the shape the values share (generalize).
std::string shape_of(std::span<const MaskedLine> lines, std::span<const std::size_t> members, std::size_t p) {
  std::vector<std::string_view> values;
  values.reserve(members.size());
  for (const std::size_t m : members) values.push_back(lines[m].tokens[p]);
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  if (values.size() == 1) return has_wildcard(values[0]) ? std::string(values[0]) : std::string("<*>");
  return generalize(values);
}

// One token of a template in step 4: its text and, for a run slot, the fewest tokens it covers.
struct SlotToken {
  std::string text;
  std::optional<std::size_t> run_min;
  friend bool operator==(const SlotToken&, const SlotToken&) = default;
};
// The tokens between two anchors (or before the first, after the last).
using Gap = std::vector<SlotToken>;

bool holds_variable(std::span<const SlotToken> gap) {
  return std::any_of(gap.begin(), gap.end(), [](const SlotToken& t) { return has_wildcard(t.text); });
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
std::optional<Gap> merge_gaps(const Gap& a, const Gap& b) {
  if (!holds_variable(a) && !holds_variable(b)) return std::nullopt;
  Gap out;
  if (a.size() == b.size() && !has_run(a) && !has_run(b)) {
    for (std::size_t k = 0; k < a.size(); ++k) {
      if (a[k] == b[k]) {
        out.push_back(a[k]);
        continue;
      }
      std::vector<std::string_view> values{a[k].text, b[k].text};
      std::sort(values.begin(), values.end());
      out.push_back({generalize(values), std::nullopt});
    }
    return out;
  }
  auto fixed_same = [](const SlotToken& x, const SlotToken& y) {
    return x == y && !x.run_min && !has_wildcard(x.text);
  };
  const std::size_t shorter = std::min(a.size(), b.size());
  std::size_t head = 0;
  while (head < shorter && fixed_same(a[head], b[head])) ++head;
  std::size_t tail = 0;
  while (head + tail < shorter && fixed_same(a[a.size() - 1 - tail], b[b.size() - 1 - tail])) ++tail;
  const std::span<const SlotToken> mid_a(a.begin() + static_cast<std::ptrdiff_t>(head), a.size() - head - tail);
  const std::span<const SlotToken> mid_b(b.begin() + static_cast<std::ptrdiff_t>(head), b.size() - head - tail);
  if (!holds_variable(mid_a) && !holds_variable(mid_b)) return std::nullopt;
  out.assign(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(head));
  const bool may_be_empty = fewest_tokens(mid_a) == 0 || fewest_tokens(mid_b) == 0;
  out.push_back({"<*>", may_be_empty ? 0U : 1U});
  out.insert(out.end(), a.end() - static_cast<std::ptrdiff_t>(tail), a.end());
  return out;
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

bool ContrastiveGrouper::is_unit(std::string_view token) const {
  while (!token.empty() && (token.back() == ',' || token.back() == ';' || token.back() == ')' || token.back() == '.')) {
    token.remove_suffix(1);
  }
  return std::find(options_.unit_words.begin(), options_.unit_words.end(), token) != options_.unit_words.end();
}

bool ContrastiveGrouper::parameter_like(std::string_view token) const {
  // "(<*>", "<*>:<*>", "<<*>" are variables in punctuation; "user=<*>" holds template text (its key)
  return (has_wildcard(token) && skeleton(token).empty()) || is_unit(token);
}

std::optional<MinedTemplate> ContrastiveGrouper::merged_runs(const MinedTemplate& a, const MinedTemplate& b) const {
  // templates of one length without runs were compared position by position in step 3
  if (a.tokens.size() == b.tokens.size() && a.runs.empty() && b.runs.empty()) return std::nullopt;
  auto decompose = [this](const MinedTemplate& t, std::vector<std::string_view>& anchors, std::vector<Gap>& gaps) {
    gaps.assign(1, Gap{});
    std::size_t r = 0;
    for (std::size_t p = 0; p < t.tokens.size(); ++p) {
      const bool run = r < t.runs.size() && t.runs[r].position == p;
      if (!run && !parameter_like(t.tokens[p])) {
        anchors.push_back(t.tokens[p]);
        gaps.emplace_back();
        continue;
      }
      gaps.back().push_back({t.tokens[p], run ? std::optional(t.runs[r].min_tokens) : std::nullopt});
      if (run) ++r;
    }
  };
  std::vector<std::string_view> anchors_a;
  std::vector<std::string_view> anchors_b;
  std::vector<Gap> gaps_a;
  std::vector<Gap> gaps_b;
  decompose(a, anchors_a, gaps_a);
  decompose(b, anchors_b, gaps_b);
  if (anchors_a.empty() || anchors_a != anchors_b) return std::nullopt;
  MinedTemplate m;
  for (std::size_t g = 0; g < gaps_a.size(); ++g) {
    std::optional<Gap> gap = gaps_a[g] == gaps_b[g] ? std::optional(gaps_a[g]) : merge_gaps(gaps_a[g], gaps_b[g]);
    if (!gap) return std::nullopt;
    for (auto& tok : *gap) {
      if (tok.run_min) m.runs.push_back({m.tokens.size(), *tok.run_min});
      m.tokens.push_back(std::move(tok.text));
    }
    if (g < anchors_a.size()) m.tokens.emplace_back(anchors_a[g]);
  }
  m.count = a.count + b.count;
  m.members.reserve(a.members.size() + b.members.size());
  std::merge(a.members.begin(), a.members.end(), b.members.begin(), b.members.end(), std::back_inserter(m.members));
  return m;
}

std::vector<MinedTemplate> ContrastiveGrouper::merge_runs(std::vector<MinedTemplate> templates) const {
  auto by_text = [](const MinedTemplate& a, const MinedTemplate& b) {
    return std::tie(a.tokens, a.runs) < std::tie(b.tokens, b.runs);
  };
  // only templates with the same anchor text can merge: compare inside those buckets
  std::map<std::string, std::vector<MinedTemplate>> buckets;
  std::vector<MinedTemplate> out;
  for (auto& t : templates) {
    std::string key;
    for (const auto& tok : t.tokens) {
      if (parameter_like(tok)) continue;
      key.append(tok);
      key.push_back('\x1f');
    }
    if (key.empty()) out.push_back(std::move(t));
    else buckets[key].push_back(std::move(t));
  }
  for (auto& [key, group] : buckets) {
    std::sort(group.begin(), group.end(), by_text);
    bool changed = true;
    while (changed) {
      changed = false;
      for (std::size_t i = 0; i < group.size() && !changed; ++i) {
        for (std::size_t j = i + 1; j < group.size() && !changed; ++j) {
          auto merged = merged_runs(group[i], group[j]);
          if (!merged) continue;
          group[i] = std::move(*merged);
          group.erase(group.begin() + static_cast<std::ptrdiff_t>(j));
          std::sort(group.begin(), group.end(), by_text);
          changed = true;
        }
      }
    }
    for (auto& t : group) out.push_back(std::move(t));
  }
  std::sort(out.begin(), out.end(), by_text);
  return out;
}

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
  split(lines, std::vector<std::size_t>(members.begin(), members.end()), std::vector<std::string>(n), out);
  return out;
}

void ContrastiveGrouper::split(std::span<const MaskedLine> lines, std::vector<std::size_t> members,
                               std::vector<std::string> variable, std::vector<MinedTemplate>& out) const {
  // variable[p]: empty while position p is template text, else the parameter's shape ("<*>",
  // "user=<*>", "<*>:<*>") fixed where it was found to vary (sub-units inherit it)
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
  std::vector<std::size_t> many_words;   // plain-word positions with many values
  std::vector<std::size_t> varying;      // every position with more than one value
  for (std::size_t p = 0; p < n; ++p) {
    if (!variable[p].empty()) continue;
    std::map<std::string_view, std::uint64_t> values;
    bool var_like = false;
    for (const std::size_t m : members) {
      const std::string_view tok = lines[m].tokens[p];
      values[tok] += lines[m].count;
      var_like = var_like || variable_like(tok);
    }
    if (values.size() == 1) continue;
    varying.push_back(p);
    if (var_like) {
      // "dcbf.....<*>" vs "icbi.....<*>": different words around the variable separate templates
      // (only when they differ from the first word on: "rhost=<*>" and "rhost=<*>.example.om"
      // are one parameter)
      std::set<std::string> skeletons;
      std::set<std::string> first_words;
      bool all_words = true;
      for (const auto& [value, count] : values) {
        std::string sk = skeleton(value);
        all_words = all_words && !sk.empty();
        first_words.insert(sk.substr(0, sk.find(' ')));
        skeletons.insert(std::move(sk));
      }
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
    if (p > 0 && std::all_of(values.begin(), values.end(), [&](const auto& v) { return is_unit(v.first); })) {
      bool after_parameter = !variable[p - 1].empty();
      for (const std::size_t m : members) after_parameter = after_parameter || has_wildcard(lines[m].tokens[p - 1]);
      if (after_parameter) {
        pending.push_back(p);
        continue;
      }
    }
    candidate(p, values.size(), false);
  }
  // Many different words at a position are a parameter, unless they co-vary one-to-one with
  // another varying position: then both are template text of different templates.
  for (const std::size_t p : many_words) {
    bool covaries = false;
    for (const std::size_t q : varying) {
      if (q != p && one_to_one(lines, members, p, q)) {
        covaries = true;
        break;
      }
    }
    if (covaries) {
      std::set<std::string_view> distinct;
      for (const std::size_t m : members) distinct.insert(lines[m].tokens[p]);
      candidate(p, distinct.size(), false);
    } else {
      variable[p] = shape_of(lines, members, p);
    }
  }
  if (split_pos < n) {
    std::map<std::string, std::vector<std::size_t>> parts;
    for (const std::size_t m : members) {
      const std::string_view tok = lines[m].tokens[split_pos];
      parts[split_by_skeleton ? skeleton(tok) : std::string(tok)].push_back(m);
    }
    for (auto& [value, part] : parts) split(lines, std::move(part), variable, out);
    return;
  }
  for (const std::size_t p : pending) variable[p] = shape_of(lines, members, p);
  MinedTemplate t;
  t.tokens.reserve(n);
  const auto& first = lines[members[0]].tokens;
  for (std::size_t p = 0; p < n; ++p) t.tokens.push_back(variable[p].empty() ? first[p] : variable[p]);
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
  return merge_runs(std::move(all));
}

}  // namespace l4::parse
