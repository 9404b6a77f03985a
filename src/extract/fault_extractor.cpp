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

// "Uncaught exception:": a message that is one label ending in a colon announces details printed
// on the lines after it (a stack trace); by itself it states no fault. ("… due to : Unable to
// create executor … in awaitResult:" says more than a label.)
bool is_header(std::string_view text) {
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text.size() > 1 && text.back() == ':' && is_word_char(text[text.size() - 2]) &&
         text.find(':') == text.size() - 1;
}

// The text after a field's separator ("status:failed" -> "failed"), or "" when none.
std::string_view field_value(std::string_view field) {
  const auto is = field.find(" is ");
  const auto sep = field.find_first_of(":=");
  if (is != std::string_view::npos && (sep == std::string_view::npos || is < sep)) return field.substr(is + 4);
  return sep == std::string_view::npos ? std::string_view{} : field.substr(sep + 1);
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

// How many earlier candidates a line is checked against for quoting one.
constexpr std::size_t kRecentMessages = 16;

// The part of a message another line would quote: without the punctuation and space around it
// ("create job failed!" -> "create job failed"); "" when it is too short (under two words or
// twelve characters) to tell a quotation from a shared phrase.
std::string_view trim_punctuation(std::string_view text) {
  while (!text.empty() && !is_word_char(text.front())) text.remove_prefix(1);
  while (!text.empty() && !is_word_char(text.back())) text.remove_suffix(1);
  return text;
}
std::string_view quotable(std::string_view text) {
  text = trim_punctuation(text);
  return text.size() >= 12 && word_count(text) >= 2 ? text : std::string_view{};
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
  // A field whose value states a fault ("status:failed", "retCode is empty") is text to describe,
  // not a parameter.
  std::erase_if(f.parameters, [&](const TypedParameter& p) {
    return p.type == "key_value" && lexicon_.score(field_value(p.text)) > 0;
  });
  for (const auto& p : f.parameters) {
    // The value, with a wrapper glued before it (DatanodeInfoWithStorage[...]) but not its key.
    std::size_t b = p.value_begin;
    if (p.match_begin < b && !p.fip_with_key && p.type != "key_value") b = p.match_begin;
    whole.emplace_back(p.match_begin, p.match_end);
    if (p.type == "identifier") continue;  // a code name reads as text in the description
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
  // A quoted payload (reason='…', IndexError('…')) is one message: inside it only sentence
  // separators cut, and its first clause is no parenthetical detail.
  std::vector<Span> payloads;
  for (const auto& [pos, sep] : cuts) {
    if (!lexicon_.is_payload_opener(sep) || inside(payloads, pos)) continue;
    const char quote = sep.back();
    const std::size_t b = pos + sep.size();
    std::size_t e = c.find(quote, b);
    while (e != std::string_view::npos && e + 1 < c.size() && is_word_char(c[e + 1])) e = c.find(quote, e + 1);
    payloads.emplace_back(b, e == std::string_view::npos ? c.size() : e);
  }
  std::erase_if(cuts, [&](const auto& cut) {
    return inside(payloads, cut.first) && !lexicon_.is_sentence_separator(cut.second);
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
    const bool parenthetical = depth_at(b) > 0 && !lexicon_.is_payload_opener(before);
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

  // Raw weight of each clause: its fault words plus the values that state a fault (HTTP 503).
  // A clause made only of parameters ("exitCode: 10", "exception.id: vdc") is no description.
  std::vector<double> raw(clauses.size());
  std::vector<bool> params_only(clauses.size());
  std::vector<bool> type_label(clauses.size());
  for (std::size_t i = 0; i < clauses.size(); ++i) {
    const auto& cl = clauses[i];
    const auto text = c.substr(cl.begin, cl.end - cl.begin);
    raw[i] = clause_weight(text);
    for (const auto& p : f.parameters) {
      if (p.begin >= cl.begin && p.end <= cl.end) raw[i] += p.fault_weight;
    }
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

  // Score clauses. A clause ending in a cause marker, a label ("error: …") and an exception
  // class opening the message ("ServiceException: …") hand their weight on: to the next prose
  // clause that names a fault, or to the last prose clause when none does. Parameters and class
  // names in between pass the hand-over on.
  // The clause that receives a hand-over keeps the position of the clause that started it: a
  // root cause deep in a chain ("Cause: … reason='…'") is the headline the chain points to.
  double best = -1e9;
  std::size_t chosen = 0;
  double carry = 0;
  std::size_t carry_from = 0;
  auto hand_over = [&](double weight, std::size_t from) {
    if (carry <= 0) carry_from = from;
    carry = std::max(carry, weight);
  };
  for (std::size_t i = 0; i < clauses.size(); ++i) {
    auto& cl = clauses[i];
    const auto text = c.substr(cl.begin, cl.end - cl.begin);
    double s = raw[i];
    std::size_t position = i;
    if (params_only[i]) {
      cl.score = -1e6;
      continue;
    }
    if (type_label[i]) {
      s *= kTypeLabelFactor;
      if (i == 0 && clauses.size() > 1) hand_over(raw[i] + kCauseBonus, i);
    } else if (carry > 0 && (raw[i] > 0 || i == last_prose)) {
      s += carry;
      position = carry_from;
      carry = 0;
    }
    for (const auto& m : lexicon_.cause_markers()) {
      if (ends_with_marker(text, m)) {
        hand_over(kCauseBonus, position);
        break;
      }
    }
    // "reader request … failed, read line timed-out": a clause ending in a bare verdict hands
    // over to the fault clause right after it, which says why.
    if (i + 1 < clauses.size() && clauses[i + 1].separator_before == ", " && raw[i + 1] > 0 &&
        !params_only[i + 1] && !clauses[i + 1].parenthetical) {
      for (const auto& m : lexicon_.verdict_markers()) {
        if (ends_with_marker(text, m)) {
          hand_over(kCauseBonus, position);
          break;
        }
      }
    }
    for (const auto& m : lexicon_.label_markers()) {
      if (text.size() == m.size() && ends_with_marker(text, m)) {
        hand_over(s + kCauseBonus, position);  // the label's own weight passes on
        s = 0;
        break;
      }
    }
    if (cl.parenthetical) s *= kParentheticalFactor;
    s -= kPositionPenalty * static_cast<double>(position);
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
  std::size_t first_words = runs.size();  // first run with words
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const auto& r = runs[i];
    const auto text = c.substr(r.first, r.second - r.first);
    if (!std::any_of(text.begin(), text.end(), is_alpha)) continue;
    if (first_words == runs.size()) first_words = i;
    const double s = lexicon_.score(text);
    if (s > best_run) {
      best_run = s;
      desc = r;
    }
  }
  // "Got completion from peer <*> with error": the fault words follow the subject; the
  // description runs from the clause's first words through them (parameters included).
  if (first_words < runs.size() && runs[first_words].first < desc.first) desc.first = runs[first_words].first;

  // Trim punctuation and stop words at both ends.
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
        continue;
      }
      std::size_t v = d.first;
      while (v < d.second && is_word_char(c[v])) ++v;
      if (v < d.second && v > d.first && lexicon_.is_leading_stop_word(c.substr(d.first, v - d.first))) {
        d.first = v;
        changed = true;
      }
    }
  };
  trim(desc);
  // "… thrown in awaitResult": a code name ending the description is its parameter, not its text.
  for (const auto& p : f.parameters) {
    if (p.type == "identifier" && p.end == desc.second && p.begin > desc.first) {
      Span cut{desc.first, p.begin};
      trim(cut);
      if (cut.second > cut.first) desc = cut;
    }
  }
  // "Container killed on request. Exit code is 137": a short sentence right after a whole-clause
  // description that states more of the fault belongs to it.
  if (desc.second >= ce - 1 && chosen + 1 < clauses.size() && clauses[chosen + 1].separator_before == ". ") {
    const auto& next = clauses[chosen + 1];
    const auto text = c.substr(next.begin, next.end - next.begin);
    if (!next.parenthetical && word_count(text) <= 6 && lexicon_.score(text) > 0) {
      Span ext{desc.first, next.end};
      trim(ext);
      desc = ext;
    }
  }
  // "ResponseEntity return httpCode is 404": when only a value states the fault, that value with
  // its key is the description.
  if (lexicon_.score(c.substr(desc.first, desc.second - desc.first)) <= 0) {
    for (const auto& p : f.parameters) {
      if (p.fault_weight > 0 && p.begin >= clauses[chosen].begin && p.end <= ce) {
        desc = {p.begin, p.end};
        break;
      }
    }
  }
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
  // A description inside a quoted payload (reason='…') takes its FIP from the payload: the
  // fields around the quote describe the wrapper.
  const auto payload = std::find_if(payloads.begin(), payloads.end(), [&](const Span& s) {
    return s.first <= clauses[chosen].begin && clauses[chosen].begin < s.second;
  });
  double best_fip = -1e9;
  const TypedParameter* fip = nullptr;
  for (const auto& p : f.parameters) {
    if (p.fip_priority < 3) continue;
    const bool entity = p.fip_priority >= 7;
    const std::size_t k = clause_of(p.begin);
    if (p.begin >= desc.first && p.end <= desc.second && !entity) continue;  // part of the FID
    if (payload != payloads.end() && (p.begin < payload->first || p.end > payload->second)) continue;
    double s = p.fip_priority;
    if (p.begin >= desc.second || k >= chosen) {
      if (k > chosen + 2) continue;
      if (clauses[k].parenthetical && !entity) continue;
      s -= 0.5 * static_cast<double>(k > chosen ? k - chosen : 0);
    } else {
      if (!entity) continue;
      s -= 1.0;
    }
    if (s > best_fip) {
      best_fip = s;
      fip = &p;
    }
  }
  if (fip != nullptr) {
    // A value its code-style key names is shown with the key ("taskId is 42", "url is /x").
    const std::size_t key = fip->text == fip->value ? typer_.field_key_before(c, fip->begin) : std::string_view::npos;
    std::size_t fb = key == std::string_view::npos ? fip->begin : key;
    std::size_t fe = fip->end;
    if (fip->type == "key_value") {
      // A field heads a list of fields: "param name:name, value:value" names one subject. One
      // word opening the field's clause qualifies a plain-word key ("param name", "user id"; a
      // code-style key such as taskId needs none), and the clauses after it that are fields too
      // (not request context) join it.
      const std::size_t k = clause_of(fb);
      const auto head = c.substr(clauses[k].begin, fb - clauses[k].begin);
      std::size_t key_end = fb;
      while (key_end < c.size() && c[key_end] >= 'a' && c[key_end] <= 'z') ++key_end;
      const bool plain_key = key_end > fb && (key_end == c.size() || !is_word_char(c[key_end]));
      if (plain_key && !head.empty() && head.back() == ' ' && word_count(head) == 1 &&
          std::all_of(head.begin(), head.end() - 1, is_alpha)) {
        fb = clauses[k].begin;
      }
      for (std::size_t j = k + 1; j < clauses.size() && j <= k + 3; ++j) {
        const auto& cl = clauses[j];
        if ((cl.separator_before != ", " && cl.separator_before != ",") || cl.parenthetical || !params_only[j]) break;
        std::size_t last = 0;
        bool fields = true;
        for (const auto& p : f.parameters) {
          if (p.end <= cl.begin || p.begin >= cl.end) continue;
          fields = fields && p.type == "key_value" && p.fip_priority >= 3;
          last = p.end;
        }
        if (!fields || last == 0) break;
        fe = last;
      }
      if (fe > fip->end && c[fe - 1] == '.') --fe;  // a sentence's full stop
    }
    f.fip = std::string(c.substr(fb, fe - fb));
  }
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
  std::vector<std::string_view> recent;  // messages of the last candidates, to find wrappers quoting them
  bool onset_seen = top_level < format::Level::error;  // no onset bonus below error level
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto& l = lines[i];
    const auto k = key(l);
    double s = coarse_score(l);
    s += options.rarity_bonus / (1.0 + std::log2(static_cast<double>(counts[k])));
    if (l.level == top_level && top_level >= format::Level::warn) s += options.top_level_bonus;
    if (s < options.keep_threshold) continue;
    // Background specificity ranks candidates; it does not make a line a candidate.
    if (options.template_sets != nullptr && options.sets > 1) {
      const auto it = options.template_sets->find(k);
      const double df = it == options.template_sets->end() ? 0.0 : it->second;
      const double n = options.sets;
      s += options.background_weight * std::log((1.0 + n) / (1.0 + df)) / std::log(1.0 + n);
    }
    if (options.one_per_template) {
      if (auto it = first.find(k); it != first.end()) {
        ++out[it->second].occurrences;
        continue;
      }
      first.emplace(k, out.size());
    }
    Finding f = describe(l);
    f.index = i;
    // A line that names only exception classes ("ServiceException: exception.id: vdc;") states
    // no fault of its own: it wraps one told elsewhere. So does a line that quotes the message of
    // a candidate just before it ("cannot start worker, cause: open socket failed" after "open
    // socket failed!"). Their fault words do not rank them, and they are not the onset of a cascade.
    const auto own = trim_punctuation(l.content);
    const bool quotes_earlier = std::any_of(recent.begin(), recent.end(), [&](std::string_view m) {
      // After words of its own: a line that only goes on after the message is a variant of it.
      return own.find(m, 1) != std::string_view::npos;
    });
    const bool wrapper_only =
        f.description.empty() || is_type_label(f.description) || is_header(l.content) || quotes_earlier;
    // Only a line that states a fault of its own is a message a later line can wrap.
    if (const auto m = quotable(l.content); !m.empty() && !wrapper_only) {
      if (recent.size() == kRecentMessages) recent.erase(recent.begin());
      recent.push_back(m);
    }
    s += wrapper_only ? -lexicon_.score(l.content) : lexicon_.diminishing_score(l.content) - lexicon_.score(l.content);
    if (!onset_seen && l.level == top_level) {
      if (!wrapper_only) s += options.onset_bonus;
      onset_seen = true;
    }
    int best_priority = 0;
    for (const auto& p : f.parameters) best_priority = std::max(best_priority, p.fip_priority);
    f.score = s + options.entity_bonus * (f.fip.empty() ? 0.0 : best_priority / 10.0);
    // A value that states the fault ("httpCode is 503") weighs like the fault words it replaces.
    for (const auto& p : f.parameters) {
      if (p.begin >= f.description_begin && p.end <= f.description_end) f.score += p.fault_weight;
    }
    if (!options.one_per_template) f.occurrences = counts[k];
    out.push_back(std::move(f));
  }
  std::stable_sort(out.begin(), out.end(), [](const Finding& a, const Finding& b) { return a.score > b.score; });
  if (options.top != 0 && out.size() > options.top) out.resize(options.top);
  return out;
}

}  // namespace l4::extract
