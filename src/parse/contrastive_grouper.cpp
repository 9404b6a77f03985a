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
#include "parse/contrastive_steps.hpp"

namespace l4::parse {
using namespace contrastive;  // the pieces the steps share (contrastive_steps.hpp)

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

// Per token id, how many input lines hold it (a line holding it twice counts twice).
std::vector<std::uint64_t> lines_holding(const MaskedLines& lines, std::span<const std::uint32_t> members) {
  std::vector<std::uint64_t> out(lines.vocabulary().size(), 0);
  for (const std::uint32_t m : members) {
    for (const TokenId t : lines.tokens(m)) out[t] += lines.count(m);
  }
  return out;
}

}  // namespace

// Template text recurs; a word holding a number that one input line alone holds ("storage442",
// "R25-M1-N2") is a value the masker kept because letters are glued to it: its numbers become
// variables. A word with a number that recurs ("ssh2", "L3") stays template text.
void ContrastiveGrouper::numbers_seen_once_as_variables(Context& cx, std::span<const std::uint64_t> lines_with,
                                                        MinedTemplate& t) {
  for (TokenId& tok : t.tokens) {
    if (tok >= lines_with.size() || lines_with[tok] != 1 || cx.has_wildcard(tok)) continue;
    const std::string masked = numbers_as_variables(cx.vocab.text(tok));
    if (masked != cx.vocab.text(tok)) tok = cx.vocab.intern(masked);
  }
}

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
  const std::vector<std::uint64_t> lines_with = lines_holding(lines, members);
  std::vector<MinedTemplate> all;
  for (auto& [count, same_length] : by_count) {
    std::vector<MinedTemplate> mined;
    for (const auto& group : anchor_groups(lines, same_length)) contrast(cx, group, mined);
    for (auto& t : mined) numbers_seen_once_as_variables(cx, lines_with, t);
    for (auto& t : merge(std::move(mined), lines.vocabulary())) all.push_back(std::move(t));
  }
  return merge_runs(std::move(all), lines.vocabulary());
}

}  // namespace l4::parse