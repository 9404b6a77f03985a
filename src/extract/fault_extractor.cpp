#include "l4/extract/fault_extractor.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>
#include <utility>

namespace l4::extract {
namespace {

using Span = std::pair<std::size_t, std::size_t>;

// A clause of a message: the text between two separators.
struct Clause {
  std::size_t begin = 0, end = 0;
  std::string_view separator_before;  // "" for the first clause
  bool parenthetical = false;         // inside "( ... )": details, not the headline
  double score = 0;
};

constexpr double kCauseBonus = 2.0;        // clause after "due to :" / "caused by:"
constexpr double kPositionPenalty = 0.3;   // per clause: the headline comes first
constexpr double kTypeLabelFactor = 0.5;   // a bare exception class name is a label
constexpr double kParentheticalFactor = 0.5;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_word_char(char c) { return is_alpha(c) || (c >= '0' && c <= '9') || c == '_'; }
char lower(char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; }

bool inside(const std::vector<Span>& spans, std::size_t pos) {
  return std::any_of(spans.begin(), spans.end(), [&](const Span& s) { return s.first < pos && pos < s.second; });
}

// True when `text` ends with `marker` (case-insensitive) at a word boundary.
bool ends_with_marker(std::string_view text, std::string_view marker) {
  while (!text.empty() && !is_word_char(text.back())) text.remove_suffix(1);
  if (text.size() < marker.size()) return false;
  const auto tail = text.substr(text.size() - marker.size());
  for (std::size_t i = 0; i < marker.size(); ++i) {
    if (lower(tail[i]) != marker[i]) return false;
  }
  return text.size() == marker.size() || !is_word_char(text[text.size() - marker.size() - 1]);
}

// A clause that is only a (possibly dotted) class name ending in Exception/Error:
// "java.net.ConnectException" labels the fault, the text after it describes it.
bool is_type_label(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && (is_space(text.back()) || text.back() == ':')) text.remove_suffix(1);
  if (text.empty()) return false;
  // Every space-separated word is such a name ("ServiceException ServiceException").
  while (!text.empty()) {
    const auto sp = text.find(' ');
    auto word = text.substr(0, sp);
    for (const char c : word) {
      if (!is_word_char(c) && c != '.' && c != '$') return false;
    }
    if (!word.empty() && !word.ends_with("Exception") && !word.ends_with("Error")) return false;
    text = sp == std::string_view::npos ? std::string_view{} : text.substr(sp + 1);
  }
  return true;
}

std::size_t word_count(std::string_view text) {
  std::size_t n = 0;
  bool in = false;
  for (const char c : text) {
    const bool w = is_word_char(c);
    if (w && !in) ++n;
    in = w;
  }
  return n;
}

}  // namespace

FaultExtractor::FaultExtractor() = default;

FaultExtractor::FaultExtractor(FaultLexicon lexicon, ParameterTyper typer)
    : lexicon_(std::move(lexicon)), typer_(std::move(typer)) {}

double FaultExtractor::clause_weight(std::string_view text) const {
  // Distinct terms, as FaultLexicon::score, but a word that is a field's key ("errorCode=",
  // "exception.id:") names a field and says nothing about this message.
  std::vector<TermHit> hits;
  lexicon_.hits(text, hits);
  std::vector<std::size_t> seen;
  double total = 0;
  for (const auto& h : hits) {
    std::size_t e = h.end;
    while (e < text.size() && (is_word_char(text[e]) || text[e] == '.' || text[e] == '-')) ++e;
    const bool key = e < text.size() &&
                     (text[e] == '=' || (text[e] == ':' && e + 1 < text.size() && !is_space(text[e + 1])));
    if (key || std::find(seen.begin(), seen.end(), h.term) != seen.end()) continue;
    seen.push_back(h.term);
    total += lexicon_.terms()[h.term].weight;
  }
  return total;
}

Finding FaultExtractor::describe(const ExtractLine& line) const {
  Finding f;
  f.node = std::string(line.node);
  f.file = std::string(line.file);
  f.line_no = line.line_no;
  f.level = line.level;
  f.template_id = line.template_id;
  f.template_text = std::string(line.template_text.empty() ? line.content : line.template_text);
  f.content = std::string(line.content);
  const std::string_view c = line.content;

  // Parameter spans: the template's parameters, then every typed entity's value. `spans` cut
  // the description; `whole` (whole matches, keys included) are never split into clauses.
  std::vector<Span> spans;
  std::vector<Span> whole;
  std::size_t cursor = 0;
  for (const auto p : line.parameters) {
    if (p.empty()) continue;
    std::size_t b = std::string_view::npos;
    if (p.data() >= c.data() && p.data() + p.size() <= c.data() + c.size()) {
      b = static_cast<std::size_t>(p.data() - c.data());
    } else {
      b = c.find(p, cursor);
    }
    if (b == std::string_view::npos) continue;
    cursor = b + p.size();
    whole.emplace_back(b, b + p.size());
    // A parameter that is a plain word ("due to null") reads as text: not a cut point.
    if (std::all_of(p.begin(), p.end(), is_alpha)) continue;
    spans.emplace_back(b, b + p.size());
  }
  f.parameters = typer_.find(c);
  for (const auto& p : f.parameters) {
    // The value, with a wrapper glued before it (DatanodeInfoWithStorage[...]) but not its key.
    std::size_t b = p.value_begin;
    if (p.match_begin < b && !p.fip_with_key && p.type != "key_value") b = p.match_begin;
    whole.emplace_back(p.match_begin, p.match_end);
    spans.emplace_back(b, p.value_begin + p.value.size());
  }
  std::sort(spans.begin(), spans.end());
  std::sort(whole.begin(), whole.end());

  // Clauses.
  std::vector<std::pair<std::size_t, std::string_view>> cuts;  // position, separator
  for (const auto& sep : lexicon_.clause_separators()) {
    for (std::size_t pos = c.find(sep); pos != std::string_view::npos; pos = c.find(sep, pos + 1)) {
      if (!inside(whole, pos) && !inside(whole, pos + sep.size() - 1)) cuts.emplace_back(pos, sep);
    }
  }
  std::sort(cuts.begin(), cuts.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : a.second.size() > b.second.size();
  });
  std::vector<Clause> clauses;
  std::size_t start = 0;
  std::string_view before;
  int depth = 0;  // parenthesis depth outside parameters, up to `scanned`
  std::size_t scanned = 0;
  auto depth_at = [&](std::size_t pos) {
    for (; scanned < pos; ++scanned) {
      if (inside(whole, scanned)) continue;
      if (c[scanned] == '(') ++depth;
      if (c[scanned] == ')' && depth > 0) --depth;
    }
    return depth;
  };
  auto push = [&](std::size_t end) {
    std::size_t b = start, e = end;
    while (b < e && !is_word_char(c[b]) && c[b] != '/' && c[b] != '[') ++b;
    while (e > b && is_space(c[e - 1])) --e;
    const bool parenthetical = depth_at(b) > 0;
    if (e > b) clauses.push_back(Clause{b, e, before, parenthetical, 0});
  };
  for (const auto& [pos, sep] : cuts) {
    if (pos < start) continue;  // overlapping separators: the longest at a position wins
    push(pos);
    start = pos + sep.size();
    before = sep;
  }
  push(c.size());
  if (clauses.empty()) return f;

  // Raw weight of each clause: its fault words.
  // A clause made only of parameters ("exitCode: 10", "exception.id: vdc") is no description.
  std::vector<double> raw(clauses.size());
  std::vector<bool> params_only(clauses.size());
  std::vector<bool> type_label(clauses.size());
  for (std::size_t i = 0; i < clauses.size(); ++i) {
    const auto& cl = clauses[i];
    const auto text = c.substr(cl.begin, cl.end - cl.begin);
    raw[i] = clause_weight(text);
    // Covered when parameters and the punctuation between them ("[url=/x]") fill it.
    std::size_t covered = cl.begin;
    for (bool moved = true; moved && covered < cl.end;) {
      moved = false;
      while (covered < cl.end && !is_word_char(c[covered])) {
        ++covered;
        moved = true;
      }
      for (const auto* set : {&whole, &spans}) {
        for (const auto& [wb, we] : *set) {
          if (wb <= covered && we > covered) {
            covered = we;
            moved = true;
          }
        }
      }
    }
    params_only[i] = covered >= cl.end;
    type_label[i] = is_type_label(text);
  }
  // The last clause that can carry a description (prose, not a class name).
  std::size_t last_prose = clauses.size();
  for (std::size_t i = clauses.size(); i-- > 0;) {
    if (!params_only[i] && !type_label[i]) {
      last_prose = i;
      break;
    }
  }

  // Score clauses. A clause ending in a cause marker and a label ("error: …") hand their weight
  // on: to the next prose clause that names a fault, or to the last prose clause when none does.
  // Parameters and class names in between pass the hand-over on.
  double best = -1e9;
  std::size_t chosen = 0;
  double carry = 0;
  auto hand_over = [&](double weight) { carry = std::max(carry, weight); };
  for (std::size_t i = 0; i < clauses.size(); ++i) {
    auto& cl = clauses[i];
    const auto text = c.substr(cl.begin, cl.end - cl.begin);
    double s = raw[i];
    if (params_only[i]) {
      cl.score = -1e6;
      continue;
    }
    if (type_label[i]) {
      s *= kTypeLabelFactor;
    } else if (carry > 0 && (raw[i] > 0 || i == last_prose)) {
      s += carry;
      carry = 0;
    }
    for (const auto& m : lexicon_.cause_markers()) {
      if (ends_with_marker(text, m)) {
        hand_over(kCauseBonus);
        break;
      }
    }
    for (const auto& m : lexicon_.label_markers()) {
      if (text.size() == m.size() && ends_with_marker(text, m)) {
        hand_over(s + kCauseBonus);  // the label's own weight passes on
        s = 0;
        break;
      }
    }
    if (cl.parenthetical) s *= kParentheticalFactor;
    s -= kPositionPenalty * static_cast<double>(i);
    cl.score = s;
    if (s > best) {
      best = s;
      chosen = i;
    }
  }

  std::size_t cb = clauses[chosen].begin;
  const std::size_t ce = clauses[chosen].end;
  // "status: FAILED": a short value after a key joins its key. Written tight ("status:failed",
  // JSON "status":"failed"), the key is one word.
  if (chosen > 0 && word_count(c.substr(cb, ce - cb)) <= 2) {
    const auto& key = clauses[chosen - 1];
    const auto sep = clauses[chosen].separator_before;
    if (sep == ": " || (sep == ":" && word_count(c.substr(key.begin, key.end - key.begin)) == 1)) cb = key.begin;
  }

  // Constant runs of the clause (text between parameters); the one with most fault weight wins.
  std::vector<Span> runs;
  std::size_t rb = cb;
  for (const auto& [sb, se] : spans) {
    if (se <= rb || sb >= ce) continue;
    if (sb > rb) runs.emplace_back(rb, sb);
    rb = std::max(rb, se);
  }
  if (rb < ce) runs.emplace_back(rb, ce);
  Span desc{cb, cb};
  double best_run = -1e9;
  for (const auto& r : runs) {
    const auto text = c.substr(r.first, r.second - r.first);
    if (!std::any_of(text.begin(), text.end(), is_alpha)) continue;
    const double s = lexicon_.score(text);
    if (s > best_run) {
      best_run = s;
      desc = r;
    }
  }

  // Trim punctuation at both ends and stop words at the end.
  auto trim = [&](Span& d) {
    bool changed = true;
    while (changed && d.second > d.first) {
      changed = false;
      while (d.first < d.second && !is_word_char(c[d.first])) { ++d.first; changed = true; }
      // A closing parenthesis stays when the description opened it ("executor(s)").
      while (d.second > d.first && !is_word_char(c[d.second - 1]) &&
             (c[d.second - 1] != ')' || c.substr(d.first, d.second - d.first).find('(') == std::string_view::npos)) {
        --d.second;
        changed = true;
      }
      // last word
      std::size_t w = d.second;
      while (w > d.first && is_word_char(c[w - 1])) --w;
      if (w > d.first && w < d.second && lexicon_.is_trailing_stop_word(c.substr(w, d.second - w))) {
        d.second = w;
        changed = true;
      }
    }
  };
  trim(desc);
  f.description_begin = desc.first;
  f.description_end = desc.second;
  f.description = std::string(c.substr(desc.first, desc.second - desc.first));

  // FIP: a parameter of the description's clause or of the two after it (details in parentheses
  // only when they are entities), or an entity named before it; the type that best names the
  // fault's subject wins, then the nearest.
  auto clause_of = [&](std::size_t pos) {
    std::size_t k = 0;
    while (k + 1 < clauses.size() && clauses[k + 1].begin <= pos) ++k;
    return k;
  };
  double best_fip = -1e9;
  const TypedParameter* fip = nullptr;
  for (const auto& p : f.parameters) {
    if (p.fip_priority < 3) continue;
    const bool entity = p.fip_priority >= 7;
    const std::size_t k = clause_of(p.begin);
    double s = p.fip_priority;
    if (p.begin >= desc.second || k >= chosen) {
      if (k > chosen + 2) continue;
      if (clauses[k].parenthetical && !entity) continue;
    } else {
      if (!entity) continue;
      s -= 1.0;
    }
    if (s > best_fip) {
      best_fip = s;
      fip = &p;
    }
  }
  if (fip != nullptr) f.fip = fip->text;
  return f;
}

std::vector<Finding> FaultExtractor::extract(std::span<const ExtractLine> lines, const ExtractOptions& options) const {
  std::unordered_map<parse::TemplateId, std::uint64_t> counts;
  auto key = [](const ExtractLine& l) {
    return l.template_id != 0 ? l.template_id : parse::template_id(l.template_text.empty() ? l.content : l.template_text);
  };
  format::Level top_level = format::Level::unknown;
  for (const auto& l : lines) {
    ++counts[key(l)];
    top_level = std::max(top_level, l.level);
  }
  std::vector<Finding> out;
  std::unordered_map<parse::TemplateId, std::size_t> first;  // template -> index in out
  bool onset_seen = top_level < format::Level::error;  // no onset bonus below error level
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto& l = lines[i];
    const auto k = key(l);
    double s = coarse_score(l);
    s += options.rarity_bonus / (1.0 + std::log2(static_cast<double>(counts[k])));
    if (s < options.keep_threshold) continue;
    if (options.one_per_template) {
      if (auto it = first.find(k); it != first.end()) {
        ++out[it->second].occurrences;
        continue;
      }
      first.emplace(k, out.size());
    }
    Finding f = describe(l);
    f.index = i;
    if (!onset_seen && l.level == top_level) {
      s += options.onset_bonus;
      onset_seen = true;
    }
    int best_priority = 0;
    for (const auto& p : f.parameters) best_priority = std::max(best_priority, p.fip_priority);
    f.score = s + options.entity_bonus * (f.fip.empty() ? 0.0 : best_priority / 10.0);
    if (!options.one_per_template) f.occurrences = counts[k];
    out.push_back(std::move(f));
  }
  std::stable_sort(out.begin(), out.end(), [](const Finding& a, const Finding& b) { return a.score > b.score; });
  if (options.top != 0 && out.size() > options.top) out.resize(options.top);
  return out;
}

}  // namespace l4::extract
