#include "l4/extract/fault_lexicon.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <string>

#include "l4/embedded_data.hpp"
#include "l4/error.hpp"
#include "table/json_table.hpp"
#include "text/chars.hpp"

namespace l4::extract {
namespace {

constexpr int kSep = 26;
constexpr std::size_t kMaxTerms = 512;

using text::is_lower;
using text::is_upper;
constexpr auto is_letter = text::is_alpha;
inline int symbol(char c) {
  if (is_lower(c)) return c - 'a';
  if (is_upper(c)) return c - 'A';
  return kSep;
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](char c) { return is_upper(c) ? char(c - 'A' + 'a') : c; });
  return out;
}

std::vector<std::string> string_list(const table::Value& doc, const char* key) {
  if (auto list = doc.find(key)) return list->texts();
  return {};
}

bool contains_word(const std::vector<std::string>& words, std::string_view word) {
  if (word.size() > 32) return false;
  char buf[32];
  for (std::size_t i = 0; i < word.size(); ++i) buf[i] = is_upper(word[i]) ? char(word[i] - 'A' + 'a') : word[i];
  const std::string_view w(buf, word.size());
  return std::find(words.begin(), words.end(), w) != words.end();
}

}  // namespace

FaultLexicon::FaultLexicon(std::string_view json) {
  const std::string_view text = json.empty() ? embedded::data("fault_lexicon.json") : json;
  table::load(text, json.empty() ? "fault_lexicon.json" : "fault lexicon", [&](const table::Value& doc) {
    doc.keys({"description", "level_weights", "terms", "clause_separators", "sentence_separators", "quote_openers",
              "cause_markers", "trailing_stop_words", "label_markers"});
    nodes_.push_back(Node{});
    std::fill(std::begin(nodes_[0].next), std::end(nodes_[0].next), -1);
    for (const auto& t : doc["terms"].items()) {
      t.keys({"term", "weight", "match"});
      Term term;
      term.text = lower(t["term"].text());
      // Negative weights are counter-evidence ("succeeded"), so a weight is finite and non-zero.
      term.weight = t["weight"].number(-100, 100);
      if (term.weight == 0) t["weight"].fail("a term weight of 0 says nothing");
      if (auto match = t.find("match")) {
        const std::string how = match->text();
        if (how != "word" && how != "prefix") match->fail("expected \"word\" or \"prefix\"");
        term.prefix = how == "prefix";
      }
      if (!is_letter(term.text.front())) t["term"].fail("a term must start with a letter");
      // Insert into the trie: letters, and one separator symbol per run of non-letters.
      std::int32_t node = 0;
      bool in_sep = false;
      for (const char c : term.text) {
        const int sym = symbol(c);
        if (sym == kSep) {
          if (in_sep) continue;
          in_sep = true;
        } else {
          in_sep = false;
        }
        if (nodes_[node].next[sym] < 0) {
          nodes_[node].next[sym] = static_cast<std::int32_t>(nodes_.size());
          Node n{};
          std::fill(std::begin(n.next), std::end(n.next), -1);
          nodes_.push_back(n);
        }
        node = nodes_[node].next[sym];
      }
      if (nodes_[node].term >= 0) t["term"].fail("duplicate term '" + term.text + "'");
      nodes_[node].term = static_cast<std::int32_t>(terms_.size());
      terms_.push_back(std::move(term));
    }
    if (terms_.size() > kMaxTerms) doc["terms"].fail("more than 512 terms");
    if (auto lw = doc.find("level_weights")) {
      std::vector<std::string> names;
      for (std::size_t i = 0; i < 8; ++i) {
        const auto name = lower(format::to_string(static_cast<format::Level>(i)));
        names.push_back(name.empty() ? "unknown" : name);  // lines with no level
      }
      for (const auto& [name, w] : lw->members()) {
        const auto at = std::find(names.begin(), names.end(), name);
        if (at == names.end()) w.fail("unknown level (expected one of: " + fmt::format("{}", fmt::join(names, ", ")) + ")");
        level_weights_[static_cast<std::size_t>(at - names.begin())] = w.number(-100, 100);  // an offset: may be <= 0
      }
    }
    clause_separators_ = string_list(doc, "clause_separators");
    sentence_separators_ = string_list(doc, "sentence_separators");
    quote_openers_ = string_list(doc, "quote_openers");
    cause_markers_ = string_list(doc, "cause_markers");
    for (auto& s : cause_markers_) s = lower(s);
    label_markers_ = string_list(doc, "label_markers");
    for (auto& s : label_markers_) s = lower(s);
    trailing_stop_words_ = string_list(doc, "trailing_stop_words");
  });
}

template <class Visit>
void FaultLexicon::walk(std::string_view text, Visit&& visit) const {
  const char* s = text.data();
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n; ++i) {
    const char c = s[i];
    if (!is_letter(c)) continue;
    if (i > 0) {
      const char p = s[i - 1];
      const bool hump = is_upper(c) && is_lower(p);
      if (is_letter(p) && !hump) continue;
    }
    // Walk the trie from this word start.
    std::int32_t node = 0;
    std::size_t j = i;
    while (j < n) {
      const int sym = symbol(s[j]);
      node = nodes_[node].next[sym];
      if (node < 0) break;
      if (sym == kSep) {
        while (j < n && !is_letter(s[j])) ++j;
      } else {
        ++j;
      }
      const std::int32_t t = nodes_[node].term;
      if (t >= 0) {
        const Term& term = terms_[static_cast<std::size_t>(t)];
        // A word term needs a word end: no lower-case letter follows (an upper-case one starts a hump).
        if (term.prefix || j >= n || !is_lower(s[j])) {
          visit(static_cast<std::size_t>(t), i, j);
        }
      }
    }
  }
}

double FaultLexicon::score(std::string_view text) const {
  std::uint64_t seen[kMaxTerms / 64] = {};
  double total = 0;
  walk(text, [&](std::size_t t, std::size_t, std::size_t) {
    const std::uint64_t bit = 1ULL << (t % 64);
    if ((seen[t / 64] & bit) != 0) return;
    seen[t / 64] |= bit;
    total += terms_[t].weight;
  });
  return total;
}

void FaultLexicon::hits(std::string_view text, std::vector<TermHit>& out) const {
  out.clear();
  walk(text, [&](std::size_t t, std::size_t b, std::size_t e) { out.push_back(TermHit{t, b, e}); });
}

bool FaultLexicon::is_sentence_separator(std::string_view separator) const {
  return std::find(sentence_separators_.begin(), sentence_separators_.end(), separator) != sentence_separators_.end();
}

bool FaultLexicon::is_quote_opener(std::string_view separator) const {
  return std::find(quote_openers_.begin(), quote_openers_.end(), separator) != quote_openers_.end();
}

bool FaultLexicon::is_trailing_stop_word(std::string_view word) const {
  return contains_word(trailing_stop_words_, word);
}

}  // namespace l4::extract
