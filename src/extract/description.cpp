#include "extract/description.hpp"

#include <algorithm>
#include <utility>

#include "text/chars.hpp"

namespace l4::extract::description {
namespace {

using text::is_space;
using text::is_alpha;
using text::is_word_char;
char lower(char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; }
bool is_key_end(char c) { return is_space(c) || c == '=' || c == ':' || c == ','; }

// True when `pos` lies strictly inside one of `spans`.
bool inside(const std::vector<Span>& spans, std::size_t pos) {
  return std::any_of(spans.begin(), spans.end(), [&](const Span& s) { return s.begin < pos && pos < s.end; });
}

std::string_view text_of(std::string_view content, Span s) { return content.substr(s.begin, s.size()); }

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

// True when `text` ends with `marker` (lower case) at a word boundary, ignoring case and the
// punctuation after it.
bool ends_with_marker(std::string_view text, std::string_view marker) {
  while (!text.empty() && !is_word_char(text.back())) text.remove_suffix(1);
  if (text.size() < marker.size()) return false;
  const auto tail = text.substr(text.size() - marker.size());
  for (std::size_t i = 0; i < marker.size(); ++i) {
    if (lower(tail[i]) != marker[i]) return false;
  }
  return text.size() == marker.size() || !is_word_char(text[text.size() - marker.size() - 1]);
}

// True when parameters and the punctuation between them fill `clause` ("exitCode: 10", "[url=/x]").
bool only_parameters(std::string_view content, Span clause, const ParameterLayout& layout) {
  std::size_t covered = clause.begin;
  for (bool moved = true; moved && covered < clause.end;) {
    moved = false;
    while (covered < clause.end && !is_word_char(content[covered])) {
      ++covered;
      moved = true;
    }
    for (const auto* set : {&layout.atoms, &layout.cuts}) {
      for (const auto& s : *set) {
        if (s.begin <= covered && s.end > covered) {
          covered = s.end;
          moved = true;
        }
      }
    }
  }
  return covered >= clause.end;
}

// Punctuation trimmed from both ends (a closing parenthesis stays when the span opened it:
// "executor(s)"), then trailing stop words ("Failed to connect to" -> "Failed to connect").
Span trim(std::string_view content, Span d, const FaultLexicon& lexicon) {
  for (bool changed = true; changed && d.end > d.begin;) {
    changed = false;
    while (d.begin < d.end && !is_word_char(content[d.begin])) {
      ++d.begin;
      changed = true;
    }
    while (d.end > d.begin && !is_word_char(content[d.end - 1]) &&
           (content[d.end - 1] != ')' || text_of(content, d).find('(') == std::string_view::npos)) {
      --d.end;
      changed = true;
    }
    std::size_t w = d.end;
    while (w > d.begin && is_word_char(content[w - 1])) --w;
    if (w > d.begin && w < d.end && lexicon.is_trailing_stop_word(content.substr(w, d.end - w))) {
      d.end = w;
      changed = true;
    }
  }
  return d;
}

// The runs of `clause` between the parameters' cuts; a statement ("httpCode is 500") is a run of
// its own, the text before and after it others.
std::vector<Span> runs_of(Span clause, const ParameterLayout& layout) {
  std::vector<Span> bounds;  // cuts and statements, by position
  for (const auto* set : {&layout.cuts, &layout.statements}) {
    for (const auto& s : *set) {
      if (s.end > clause.begin && s.begin < clause.end) bounds.push_back(s);
    }
  }
  std::sort(bounds.begin(), bounds.end());
  std::vector<Span> runs;
  std::size_t rb = clause.begin;
  for (const auto& s : bounds) {
    if (s.end <= rb) continue;
    if (s.begin > rb) runs.push_back({rb, s.begin});
    const bool statement = std::find(layout.statements.begin(), layout.statements.end(), s) != layout.statements.end();
    if (statement && s.begin >= rb && s.end <= clause.end) runs.push_back(s);
    rb = std::max(rb, s.end);
  }
  if (rb < clause.end) runs.push_back({rb, clause.end});
  return runs;
}

// "param has error, start to update status to fail", "Container killed on request. Exit code is
// 137": a description that takes up its whole clause runs on over a comma into the next clause of
// its message when that one states a fault too, in words only (a clause naming parameters gives
// details; it does not go on with the statement); over a sentence end only into a failure value
// stated as a sentence (the outcome of what it states).
bool runs_on(const std::vector<Clause>& clauses, std::size_t chosen, const ParameterLayout& layout,
             const FaultLexicon& lexicon) {
  if (chosen + 1 >= clauses.size()) return false;
  const auto& next = clauses[chosen + 1];
  const auto sep = next.separator_before;
  if (sep != ", " && sep != "," && !lexicon.is_sentence_separator(sep)) return false;
  const auto within = [&](const Span& c) { return c.end > next.span.begin && c.begin < next.span.end; };
  const bool names_parameters = std::any_of(layout.cuts.begin(), layout.cuts.end(), within);
  // Over a sentence end only a failure value stated as a sentence goes on with the statement.
  if (lexicon.is_sentence_separator(sep) && std::none_of(layout.statements.begin(), layout.statements.end(), within)) {
    return false;
  }
  return next.weight > 0 && !next.params_only && !names_parameters && !next.parenthetical &&
         next.message == clauses[chosen].message;
}

// The clause holding byte `pos`.
std::size_t clause_of(const std::vector<Clause>& clauses, std::size_t pos) {
  std::size_t k = 0;
  while (k + 1 < clauses.size() && clauses[k + 1].span.begin <= pos) ++k;
  return k;
}

}  // namespace

bool is_class_label(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && (is_space(text.back()) || text.back() == ':')) text.remove_suffix(1);
  if (text.empty()) return false;
  while (!text.empty()) {
    const auto sp = text.find(' ');
    const auto word = text.substr(0, sp);
    for (const char c : word) {
      if (!is_word_char(c) && c != '.' && c != '$') return false;
    }
    if (!word.empty() && !word.ends_with("Exception") && !word.ends_with("Error")) return false;
    text = sp == std::string_view::npos ? std::string_view{} : text.substr(sp + 1);
  }
  return true;
}

ParameterLayout locate_parameters(std::string_view content, std::span<const std::string_view> template_parameters,
                                  std::span<const TypedParameter> typed) {
  ParameterLayout layout;
  std::size_t cursor = 0;
  for (const auto p : template_parameters) {
    if (p.empty()) continue;
    std::size_t b = std::string_view::npos;
    if (p.data() >= content.data() && p.data() + p.size() <= content.data() + content.size()) {
      b = static_cast<std::size_t>(p.data() - content.data());
    } else {
      b = content.find(p, cursor);
    }
    if (b == std::string_view::npos) continue;
    cursor = b + p.size();
    layout.atoms.push_back({b, b + p.size()});
    // A parameter that is a plain word ("due to null") reads as text: not a cut point.
    if (std::all_of(p.begin(), p.end(), is_alpha)) continue;
    layout.cuts.push_back({b, b + p.size()});
  }
  for (const auto& p : typed) {
    if (p.states_failure) {  // "httpCode is 500" says what failed: text, not a parameter
      layout.statements.push_back({p.match_begin, p.match_end});
      continue;
    }
    // The value, with a wrapper glued before it (DatanodeInfoWithStorage[...]) but not its key.
    std::size_t b = p.value_begin;
    if (p.match_begin < b && !p.fip_with_key && p.type != "key_value") b = p.match_begin;
    // Text glued to the value with no key separator is part of it ("master3/" of
    // master3/10.0.0.5:7077, "rank" of rank3); a key ends at '=', ':' or a space.
    while (b > p.match_begin && !p.generic && !is_key_end(content[b - 1])) --b;
    layout.atoms.push_back({p.match_begin, p.match_end});
    layout.cuts.push_back({b, p.value_begin + p.value.size()});
  }
  // A template value inside a statement ("httpCode is <*>") is part of its text.
  for (auto* set : {&layout.atoms, &layout.cuts}) {
    std::erase_if(*set, [&](const Span& a) {
      return std::any_of(layout.statements.begin(), layout.statements.end(),
                         [&](const Span& st) { return st.begin <= a.begin && a.end <= st.end; });
    });
  }
  std::sort(layout.atoms.begin(), layout.atoms.end());
  std::sort(layout.cuts.begin(), layout.cuts.end());
  return layout;
}

std::vector<Clause> split_clauses(std::string_view content, const ParameterLayout& layout,
                                  const FaultLexicon& lexicon) {
  // Bytes strictly inside a parameter: no separator, parenthesis or quote there counts.
  std::vector<bool> masked(content.size() + 1, false);
  for (const auto& a : layout.atoms) {
    for (std::size_t i = a.begin + 1; i < a.end && i < masked.size(); ++i) masked[i] = true;
  }
  std::vector<std::pair<std::size_t, std::string_view>> cuts;  // position, separator
  for (const auto& sep : lexicon.clause_separators()) {
    for (std::size_t pos = content.find(sep); pos != std::string_view::npos; pos = content.find(sep, pos + 1)) {
      if (!masked[pos] && !masked[pos + sep.size() - 1]) cuts.emplace_back(pos, sep);
    }
  }
  // By position; at one position the longest separator wins.
  const auto by_position = [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : a.second.size() > b.second.size();
  };
  std::sort(cuts.begin(), cuts.end(), by_position);
  // Quoted messages: from the opener to the same quote mark not followed by a word character.
  std::vector<Span> quotes;
  for (const auto& [pos, sep] : cuts) {
    if (!lexicon.is_quote_opener(sep) || inside(quotes, pos)) continue;
    const char mark = sep.back();
    const std::size_t b = pos + sep.size();
    std::size_t e = content.find(mark, b);
    while (e != std::string_view::npos && e + 1 < content.size() && is_word_char(content[e + 1])) {
      e = content.find(mark, e + 1);
    }
    quotes.push_back({b, e == std::string_view::npos ? content.size() : e});
  }
  std::erase_if(cuts, [&](const auto& cut) {
    return inside(quotes, cut.first) && !lexicon.is_sentence_separator(cut.second);
  });
  // A quote ends its last clause.
  for (const auto& q : quotes) {
    if (q.end < content.size()) cuts.emplace_back(q.end, content.substr(q.end, 1));
  }
  std::sort(cuts.begin(), cuts.end(), by_position);
  // Parenthesis depth before each byte, counted within its message (a quote starts at depth 0).
  std::vector<int> depth(content.size() + 1, 0);
  {
    int outer = 0, level = 0;
    auto quote = quotes.begin();
    for (std::size_t i = 0; i < content.size(); ++i) {
      if (quote != quotes.end() && i == quote->begin) std::swap(outer, level), level = 0;
      if (quote != quotes.end() && i == quote->end) level = outer, ++quote;
      depth[i] = level;
      if (masked[i]) continue;
      if (content[i] == '(') ++level;
      if (content[i] == ')' && level > 0) --level;
    }
    depth[content.size()] = level;
  }
  auto message_of = [&](std::size_t pos) {
    for (const auto& q : quotes) {
      if (q.begin <= pos && pos < q.end) return q;
    }
    return Span{0, content.size()};
  };
  std::vector<Clause> clauses;
  auto push = [&](std::size_t start, std::size_t end, std::string_view before) {
    std::size_t b = start, e = end;
    while (b < e && !is_word_char(content[b]) && content[b] != '/' && content[b] != '[') ++b;
    while (e > b && is_space(content[e - 1])) --e;
    if (e <= b) return;
    clauses.push_back(Clause{.span = {b, e}, .separator_before = before, .message = message_of(b),
                             .parenthetical = depth[b] > 0});
  };
  std::size_t start = 0;
  std::string_view before;
  for (const auto& [pos, sep] : cuts) {
    if (pos < start) continue;  // overlapping separators
    push(start, pos, before);
    start = pos + sep.size();
    before = sep;
  }
  push(start, content.size(), before);
  return clauses;
}

void read_subjects(std::string_view content, const std::vector<Clause>& clauses,
                   std::span<const TypedParameter> typed, ParameterLayout& layout) {
  for (const auto& p : typed) {
    const bool code_name = p.generic && p.role == ParameterRole::candidate && p.match_begin == p.value_begin &&
                           std::all_of(p.value.begin(), p.value.end(), is_word_char);
    if (!code_name) continue;
    const auto k = clause_of(clauses, p.match_begin);
    if (clauses.empty()) continue;
    // It opens the clause, or a word of the clause stands right before it.
    const std::size_t b = p.match_begin;
    const bool opens = clauses[k].span.begin == b;
    const bool after_word = b > clauses[k].span.begin + 1 && is_space(content[b - 1]) && is_alpha(content[b - 2]);
    if (!opens && !after_word) continue;
    // Words of the clause follow it: a space, then a letter.
    const std::size_t e = p.match_end;
    if (e + 1 >= clauses[k].span.end || !is_space(content[e]) || !is_alpha(content[e + 1])) continue;
    const Span s{p.match_begin, p.match_end};
    std::erase_if(layout.cuts, [&](const Span& c) { return c.begin >= s.begin && c.end <= s.end; });
    layout.subjects.push_back(s);
  }
}

double fault_weight(std::string_view text, const FaultLexicon& lexicon) {
  std::vector<TermHit> hits;
  lexicon.hits(text, hits);
  std::vector<std::size_t> seen;
  double total = 0;
  for (const auto& h : hits) {
    std::size_t e = h.end;
    while (e < text.size() && (is_word_char(text[e]) || text[e] == '.' || text[e] == '-')) ++e;
    const bool key = e < text.size() &&
                     (text[e] == '=' || (text[e] == ':' && e + 1 < text.size() && !is_space(text[e + 1])));
    if (key || std::find(seen.begin(), seen.end(), h.term) != seen.end()) continue;
    seen.push_back(h.term);
    total += lexicon.terms()[h.term].weight;
  }
  return total;
}

void score_clauses(std::string_view content, const ParameterLayout& layout, const FaultLexicon& lexicon,
                   const Weights& weights, std::vector<Clause>& clauses) {
  for (auto& cl : clauses) {
    const auto text = text_of(content, cl.span);
    cl.weight = fault_weight(text, lexicon);
    if (std::any_of(layout.statements.begin(), layout.statements.end(),
                    [&](const Span& st) { return cl.span.begin <= st.begin && st.end <= cl.span.end; })) {
      cl.weight = std::max(cl.weight, weights.statement_weight);
    }
    cl.params_only = only_parameters(content, cl.span, layout);
    cl.class_label = is_class_label(text);
  }
  // The last clause that can carry a description (prose, not a class name).
  std::size_t last_prose = clauses.size();
  for (std::size_t i = clauses.size(); i-- > 0;) {
    if (!clauses[i].params_only && !clauses[i].class_label) {
      last_prose = i;
      break;
    }
  }
  double carry = 0;  // weight handed over to the next clause with fault words
  for (std::size_t i = 0; i < clauses.size(); ++i) {
    auto& cl = clauses[i];
    const auto text = text_of(content, cl.span);
    double s = cl.weight;
    if (cl.params_only) {
      cl.score = -1e6;
      continue;
    }
    if (cl.class_label) {
      s *= weights.class_label_factor;
    } else if (carry > 0 && (cl.weight > 0 || i == last_prose)) {
      s += carry;
      carry = 0;
    }
    for (const auto& m : lexicon.cause_markers()) {
      if (ends_with_marker(text, m)) {
        carry = std::max(carry, weights.hand_over_bonus);
        break;
      }
    }
    for (const auto& m : lexicon.label_markers()) {
      if (text.size() == m.size() && ends_with_marker(text, m)) {
        carry = std::max(carry, s + weights.hand_over_bonus);  // the label's own weight passes on
        s = 0;
        break;
      }
    }
    // An exception class opening a message ("ServiceException: …") labels it, as "error:" does.
    if (cl.class_label && (i == 0 || clauses[i - 1].message != cl.message) && i + 1 < clauses.size() &&
        clauses[i + 1].separator_before.find(':') != std::string_view::npos) {
      carry = std::max(carry, s + weights.hand_over_bonus);
      s = 0;
    }
    if (cl.parenthetical) s *= weights.parenthetical_factor;
    s -= weights.position_penalty * static_cast<double>(i);
    cl.score = s;
  }
}

std::size_t pick_clause(const std::vector<Clause>& clauses) {
  std::size_t chosen = 0;
  double best = -1e9;
  for (std::size_t i = 0; i < clauses.size(); ++i) {
    if (clauses[i].params_only || clauses[i].score <= best) continue;
    best = clauses[i].score;
    chosen = i;
  }
  return chosen;
}

Span pick_description(std::string_view content, const std::vector<Clause>& clauses, std::size_t chosen,
                      const ParameterLayout& layout, const FaultLexicon& lexicon, const Weights& weights) {
  std::size_t cb = clauses[chosen].span.begin;
  const std::size_t ce = clauses[chosen].span.end;
  // "status: FAILED": a short value after a key joins its key. Written tight ("status:failed",
  // JSON "status":"failed"), the key is one word.
  if (chosen > 0 && word_count(content.substr(cb, ce - cb)) <= 2) {
    const auto& key = clauses[chosen - 1];
    const auto sep = clauses[chosen].separator_before;
    if (sep == ": " || (sep == ":" && word_count(text_of(content, key.span)) == 1)) cb = key.span.begin;
  }
  // Runs of constant text between the parameters; the one with the most fault weight wins.
  Span desc{cb, cb};
  double best = -1e9;
  for (const auto& r : runs_of(Span{cb, ce}, layout)) {
    const auto text = text_of(content, r);
    if (!std::any_of(text.begin(), text.end(), is_alpha)) continue;
    double s = lexicon.score(text);
    if (std::find(layout.statements.begin(), layout.statements.end(), r) != layout.statements.end()) {
      s = std::max(s, weights.statement_weight);
    }
    if (s > best) {
      best = s;
      desc = r;
    }
  }
  desc = trim(content, desc, lexicon);
  if (desc.end + 1 >= ce && runs_on(clauses, chosen, layout, lexicon)) {
    desc = trim(content, Span{desc.begin, clauses[chosen + 1].span.end}, lexicon);
  }
  return desc;
}

std::size_t pick_parameter(std::span<const TypedParameter> typed, const std::vector<Clause>& clauses,
                           std::size_t chosen, Span description, const Weights& weights) {
  // Ranked by (near the description, priority); the first of equals wins.
  std::pair<bool, double> best{false, -1e9};
  std::size_t fip = typed.size();
  for (std::size_t i = 0; i < typed.size(); ++i) {
    const auto& p = typed[i];
    if (p.role == ParameterRole::none || p.states_failure) continue;
    if (p.begin >= description.begin && p.end <= description.end && !description.empty()) continue;
    const bool entity = p.role == ParameterRole::entity;
    const auto message = clauses[chosen].message;
    if (p.begin < message.begin || p.end > message.end) continue;
    const std::size_t k = clause_of(clauses, p.begin);
    double s = p.fip_priority;
    bool near = true;
    if (p.begin >= description.end || k >= chosen) {
      // Past the window only an entity: what the message names, however far after the statement.
      near = k <= chosen + weights.parameter_window;
      if (!near && !entity) continue;
      if (clauses[k].parenthetical && !entity) continue;
    } else {
      if (!entity) continue;
      s -= weights.entity_before_penalty;
    }
    if (std::pair{near, s} > best) {
      best = {near, s};
      fip = i;
    }
  }
  return fip;
}

}  // namespace l4::extract::description
