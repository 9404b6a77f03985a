#include "l4/extract/fault_extractor.hpp"

#include "extract/description.hpp"
#include "text/chars.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

namespace l4::extract {
namespace {

constexpr description::Weights kWeights{};

// The previous line of each line's stream (its file and node) as the lines go by in input order.
class StreamCursor {
 public:
  // The line before lines[i] in lines[i]'s stream, or nullptr; then lines[i] becomes its last line.
  const ExtractLine* advance(std::span<const ExtractLine> lines, std::size_t i) {
    const auto& l = lines[i];
    if (i == 0) return nullptr;
    // Lines of one stream mostly follow each other; the map only records where a stream left off.
    if (same_stream(lines[i - 1], l)) return &lines[i - 1];
    last_[key(lines[i - 1])] = i - 1;
    const auto it = last_.find(key(l));
    return it == last_.end() ? nullptr : &lines[it->second];
  }

 private:
  static bool same_stream(const ExtractLine& a, const ExtractLine& b) { return a.file == b.file && a.node == b.node; }
  static std::string key(const ExtractLine& l) {
    std::string k(l.file);
    k += '\0';
    k += l.node;
    return k;
  }
  std::unordered_map<std::string, std::size_t> last_;  // the last line of each stream left
};

// What printed a line, as an entity named before its message: the rank of its launcher prefix
// ("rank3"), else its node when the set spans several nodes (one node tells nothing apart). A
// message that names no entity of its own is about the process or machine that printed it.
std::string source_entity(const ExtractLine& l, bool several_nodes) {
  if (l.rank >= 0) return "rank" + std::to_string(l.rank);
  return several_nodes ? std::string(l.node) : std::string();
}

// The messages of the last candidates that state a fault, to tell a wrapper that quotes one of
// them ("cannot subscribe topic, due to {} Exception: create consumer failed!" after "create
// consumer failed!").
class RecentMessages {
 public:
  // True when `content` quotes one of the recent messages after words of its own (a line that
  // only goes on after a message is a variant of it, not its wrapper).
  [[nodiscard]] bool quoted_in(std::string_view content) const {
    const auto own = trimmed(content);
    return std::any_of(recent_.begin(), recent_.end(),
                       [&](std::string_view m) { return own.find(m, 1) != std::string_view::npos; });
  }
  // Remembers `content` when it is long enough to tell a quotation from a shared phrase: two
  // words and twelve characters at least.
  [[nodiscard]] bool empty() const { return recent_.empty(); }
  void add(std::string_view content) {
    const auto m = trimmed(content);
    const auto words = std::count(m.begin(), m.end(), ' ') + 1;
    if (m.size() < kMinChars || words < 2) return;
    if (recent_.size() == kKept) recent_.erase(recent_.begin());
    recent_.push_back(m);
  }

 private:
  static constexpr std::size_t kKept = 16;  // a wrapper follows what it wraps closely
  static constexpr std::size_t kMinChars = 12;
  static std::string_view trimmed(std::string_view t) {
    while (!t.empty() && !text::is_word_char(t.front())) t.remove_prefix(1);
    while (!t.empty() && !text::is_word_char(t.back())) t.remove_suffix(1);
    return t;
  }
  std::vector<std::string_view> recent_;
};

// True when `f`'s description is exception class names followed by a colon and more.
bool labels_only_parameters(const Finding& f) {
  if (!description::is_class_label(f.description)) return false;
  std::size_t e = f.description_end;
  while (e < f.content.size() && text::is_space(f.content[e])) ++e;
  return e + 1 < f.content.size() && f.content[e] == ':';
}

}  // namespace

FaultExtractor::FaultExtractor() = default;

FaultExtractor::FaultExtractor(FaultLexicon lexicon, ParameterTyper typer, LineForms forms)
    : lexicon_(std::move(lexicon)), typer_(std::move(typer)), forms_(std::move(forms)) {}

Finding FaultExtractor::describe(const ExtractLine& line) const {
  namespace d = description;
  Finding f;
  f.node = std::string(line.node);
  f.file = std::string(line.file);
  f.line_no = line.line_no;
  f.level = line.level;
  f.template_id = line.template_id;
  f.template_text = std::string(line.template_text.empty() ? line.content : line.template_text);
  f.content = std::string(line.content);
  const std::string_view c = line.content;

  f.parameters = typer_.find(c);
  auto layout = d::locate_parameters(c, line.parameters, f.parameters);
  auto clauses = d::split_clauses(c, layout, lexicon_);
  if (clauses.empty()) return f;
  d::read_subjects(c, clauses, f.parameters, layout);
  d::score_clauses(c, layout, lexicon_, kWeights, clauses);
  const std::size_t chosen = d::pick_clause(clauses);
  const auto desc = d::pick_description(c, clauses, chosen, layout, lexicon_, kWeights);
  f.description_begin = desc.begin;
  f.description_end = desc.end;
  f.description = std::string(c.substr(desc.begin, desc.size()));
  if (const auto fip = d::pick_parameter(f.parameters, clauses, chosen, desc, kWeights); fip < f.parameters.size()) {
    f.fip = f.parameters[fip].text;
    f.fip_role = f.parameters[fip].role;
  }
  return f;
}

namespace {

// A line's template, as the key findings are grouped and counted by.
parse::TemplateId template_key(const ExtractLine& l) {
  return l.template_id != 0 ? l.template_id : parse::template_id(l.template_text.empty() ? l.content : l.template_text);
}

// What the whole set says about each line: how often its template occurs, the highest level, and
// whether the lines come from several nodes (then the node is an entity of its own).
struct SetShape {
  std::unordered_map<parse::TemplateId, std::uint64_t> counts;
  format::Level top_level = format::Level::unknown;
  bool several_nodes = false;
};
SetShape shape_of(std::span<const ExtractLine> lines) {
  SetShape shape;
  for (const auto& l : lines) {
    ++shape.counts[template_key(l)];
    shape.top_level = std::max(shape.top_level, l.level);
    shape.several_nodes = shape.several_nodes || l.node != lines.front().node;
  }
  return shape;
}

// The highest FIP priority among the parameters that name something (a failure value stated as a
// sentence names nothing), over 10: how much the entity bonus adds to a finding with a FIP.
double entity_share(const Finding& f) {
  if (f.fip.empty()) return 0.0;
  int best_priority = 0;
  for (const auto& p : f.parameters) {
    if (p.role != ParameterRole::none && !p.states_failure) best_priority = std::max(best_priority, p.fip_priority);
  }
  return best_priority / 10.0;
}

// Stage 1 for one line: its score as a candidate (its coarse score, its template's rarity, a
// header's fault words handed to it) and its form, or nullopt below the keep threshold. A line that
// states no fault of its own is scored without its fault words.
std::optional<double> candidate_score(double coarse, const ExtractLine& l, const std::string_view* before,
                                      std::uint64_t count, const ExtractOptions& options, const FaultLexicon& lexicon,
                                      const LineForms& forms, std::optional<LineForm>& form) {
  double s = coarse;
  s += options.rarity_bonus / (1.0 + std::log2(static_cast<double>(count)));
  // "Last error:" announces this line: its fault words are this line's, if it states something.
  if (before != nullptr && LineForms::header(*before)) {
    form = forms.form(l.content, before);
    if (form == LineForm::statement) s += std::max(0.0, lexicon.score(*before));
  }
  if (s < options.keep_threshold) return std::nullopt;
  if (!form) form = forms.form(l.content, before);
  if (form != LineForm::statement) s -= lexicon.score(l.content);
  return s;
}

// Stage 2's second look at a candidate's form, with its description known: what it changes in
// the score.
double restate_form(const ExtractLine& l, const Finding& f, LineForm& form, RecentMessages& recent,
                    const FaultLexicon& lexicon, const LineForms& forms) {
  double delta = 0;
  // A line whose description is exception class names labelling only parameters
  // ("ServiceException ServiceException: exception.id: vdc") states no fault in words: it frames
  // an error stated elsewhere, as a wrapper does. A bare class name with nothing after it (Python's
  // "KeyboardInterrupt") is the error itself.
  // So does a line quoting the message of a recent candidate after words of its own: it wraps it.
  // And a launcher's report that the command it ran failed frames the error printed before it.
  if (form == LineForm::statement && (labels_only_parameters(f) || recent.quoted_in(l.content) ||
                                      (!recent.empty() && forms.command_report(l.content)))) {
    form = LineForm::framing;
    delta -= lexicon.score(l.content);
  }
  if (form == LineForm::statement) recent.add(l.content);
  // A failure value stated as a sentence ("httpCode is 404") weighs as a fault term in the rank.
  if (form == LineForm::statement &&
      std::any_of(f.parameters.begin(), f.parameters.end(), [](const auto& p) { return p.states_failure; })) {
    delta += kWeights.statement_weight;
  }
  return delta;
}

}  // namespace

std::vector<Finding> FaultExtractor::extract(std::span<const ExtractLine> lines, const ExtractOptions& options) const {
  SetShape shape = shape_of(lines);
  std::vector<Finding> out;
  std::unordered_map<parse::TemplateId, std::size_t> first;  // template -> index in out
  bool onset_seen = shape.top_level < format::Level::error;  // no onset bonus below error level
  StreamCursor streams;
  RecentMessages recent;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto& l = lines[i];
    const auto k = template_key(l);
    const ExtractLine* previous = streams.advance(lines, i);
    const std::string_view* before = previous != nullptr ? &previous->content : nullptr;
    std::optional<LineForm> form;  // worked out for candidates only (and after a header)
    auto score = candidate_score(coarse_score(l), l, before, shape.counts[k], options, lexicon_, forms_, form);
    if (!score) continue;
    if (options.one_per_template) {
      if (auto it = first.find(k); it != first.end()) {
        ++out[it->second].occurrences;
        continue;
      }
      first.emplace(k, out.size());
    }
    Finding f = describe(l);
    f.index = i;
    double s = *score + restate_form(l, f, *form, recent, lexicon_, forms_);
    // A line printed with no level (a Python exception on stderr) is not known to be below the
    // top level: it can be the first error too.
    const bool at_top = l.level == shape.top_level || l.level == format::Level::unknown;
    if (!onset_seen && at_top && form == LineForm::statement) {
      s += options.onset_bonus;
      onset_seen = true;
    }
    f.score = s + options.entity_bonus * entity_share(f);
    // The source is an entity named before the message: it beats a candidate, not an entity.
    if (f.fip_role != ParameterRole::entity) {
      if (auto source = source_entity(l, shape.several_nodes); !source.empty()) {
        f.fip = std::move(source);
        f.fip_role = ParameterRole::entity;
      }
    }
    if (!options.one_per_template) f.occurrences = shape.counts[k];
    out.push_back(std::move(f));
  }
  std::stable_sort(out.begin(), out.end(), [](const Finding& a, const Finding& b) { return a.score > b.score; });
  if (options.top != 0 && out.size() > options.top) out.resize(options.top);
  return out;
}

}  // namespace l4::extract
