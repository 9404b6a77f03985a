#include "diagnose/stage_classifier.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <vector>

#include "l4/embedded_data.hpp"
#include "l4/error.hpp"
#include "table/json_table.hpp"
#include "text/chars.hpp"
#include "text/required_literal.hpp"

namespace l4::diagnose {

struct StageClassifier::Impl {
  std::vector<std::pair<Stage, std::unique_ptr<RE2>>> markers;  // one alternation per stage
  std::vector<std::pair<Stage, std::unique_ptr<RE2>>> endings;  // per stage that has "ends" markers
  std::vector<std::unique_ptr<RE2>> iteration;
  std::vector<std::unique_ptr<RE2>> resume;
  std::unique_ptr<RE2> completion, exit, signal;  // one alternation each (data/outcomes.json)
  std::vector<std::unique_ptr<RE2>> exit_codes;    // each exit pattern alone, for its code
  std::vector<std::unique_ptr<RE2>> exceptions;    // case-sensitive; the class in group 1
  std::unique_ptr<RE2> after_traceback;             // case-sensitive; the class in group 1
  std::vector<std::pair<Stage, std::unique_ptr<RE2>>> frames;  // function names per stage (whole match)
  std::vector<std::pair<Stage, std::unique_ptr<RE2>>> fallback_frames;  // the same, named only when no other frame is
  std::vector<std::pair<FrameNaming, std::unique_ptr<RE2>>> code;  // a frame's quoted source line, per entry
  std::unique_ptr<RE2> calls;                       // a call Python refused; the callee in group 1
  std::unique_ptr<RE2> unmarked;                    // lines that never mark a stage
  std::unique_ptr<RE2> return_trace;                // a C/C++ error-return trace line; the source file in group 1
  std::string return_trace_literal;                 // text every such line contains (tried on every line first)
  std::vector<std::pair<Stage, std::vector<std::string>>> sources;  // source files per stage
  std::unique_ptr<RE2> collectives;                 // a collective's sequence number in group 1
  long past_setup_collectives = 0;                  // from this sequence number on, the job is past setup
};

namespace {
std::unique_ptr<RE2> compile(const std::string& pattern, bool case_insensitive) {
  RE2::Options options;
  options.set_case_sensitive(!case_insensitive);
  options.set_log_errors(false);
  auto re = std::make_unique<RE2>(pattern, options);
  if (!re->ok()) throw InputError("stages table: bad pattern '" + pattern + "': " + re->error());
  return re;
}

// The functions of a 'frames' entry as one pattern over a frame's function name. A name of one
// word ("backward", "train") names exactly that function; a name of several snake_case words
// ("load_state_dict", "save_checkpoint") also names the functions built around those words
// ("_load_state_dict_into_meta_model", "save_checkpoint_and_time"): the words say what it does.
std::string frame_pattern(const std::vector<std::string>& functions) {
  std::string exact, compound;
  for (const auto& f : functions) {
    const auto first = f.find_first_not_of('_');
    const auto last = f.find_last_not_of('_');
    const std::string words = first == std::string::npos ? f : f.substr(first, last - first + 1);
    (exact.empty() ? exact : exact += "|") += RE2::QuoteMeta(f);
    if (words.find('_') != std::string::npos) (compound.empty() ? compound : compound += "|") += RE2::QuoteMeta(words);
  }
  if (compound.empty()) return "(?:" + exact + ")";
  return "(?:" + exact + ")|_*(?:\\w+_)?(?:" + compound + ")(?:_\\w*)?";
}

}  // namespace

namespace {
// A stage's (or outcome's) patterns as one alternation; each is checked on its own first (it
// compiles, it matches something).
std::string alternation(const std::vector<std::string>& patterns) {
  std::string out;
  for (const auto& p : patterns) {
    if (!out.empty()) out += '|';
    out += "(?:" + p + ")";
  }
  return out;
}

std::vector<std::string> patterns_of(const table::Value& list) {
  std::vector<std::string> out;
  for (const auto& m : list.items()) out.push_back(m.pattern(false, "(?i){}"));
  if (out.empty()) list.fail("expected at least one pattern");
  return out;
}

// Entries {"pattern", "source"} of data/outcomes.json: every pattern names where it comes from.
std::vector<std::string> sourced_patterns(const table::Value& list, bool case_insensitive) {
  std::vector<std::string> out;
  for (const auto& entry : list.items()) {
    entry.keys({"pattern", "source", "about"});
    (void)entry["source"].text();
    out.push_back(entry["pattern"].pattern(false, case_insensitive ? "(?i){}" : "{}"));
  }
  if (out.empty()) list.fail("expected at least one entry");
  return out;
}

Stage stage_named(const table::Value& v) {
  const auto stage = parse_stage(v.text());
  if (!stage) v.fail("unknown stage");
  return *stage;
}
}  // namespace

StageClassifier::StageClassifier(std::string_view json, std::string_view outcomes_json) : impl_(std::make_unique<Impl>()) {
  load_outcomes(*impl_, outcomes_json);
  const bool embedded = json.empty();
  if (embedded) json = embedded::data("stages.json");
  table::load(json, embedded ? "stages.json" : "stages table", [&](const table::Value& doc) {
    doc.keys({"about", "stages", "resume", "iteration", "unmarked", "frames", "calls", "return_trace", "collectives"});
    for (const auto& entry : doc["stages"].items()) {
      entry.keys({"stage", "markers", "ends"});
      const Stage stage = stage_named(entry["stage"]);
      impl_->markers.emplace_back(stage, compile(alternation(patterns_of(entry["markers"])), true));
      if (auto ends = entry.find("ends")) impl_->endings.emplace_back(stage, compile(alternation(patterns_of(*ends)), true));
    }
    for (const auto& p : doc["iteration"].items()) impl_->iteration.push_back(compile(p.pattern(false, "(?i){}"), true));
    if (auto unmarked = doc.find("unmarked")) impl_->unmarked = compile(alternation(patterns_of(*unmarked)), true);
    if (auto frames = doc.find("frames")) {
      for (const auto& entry : frames->items()) load_frames(*impl_, entry);
    }
    if (auto calls = doc.find("calls")) {
      calls->keys({"pattern", "source", "about"});
      (void)(*calls)["source"].text();
      impl_->calls = compile((*calls)["pattern"].pattern(), false);
      if (impl_->calls->NumberOfCapturingGroups() != 1) (*calls)["pattern"].fail("needs one capture group (the function called)");
    }
    if (auto trace = doc.find("return_trace")) {
      impl_->return_trace = compile(trace->pattern(), false);
      if (impl_->return_trace->NumberOfCapturingGroups() != 1) trace->fail("needs one capture group (the source file)");
      impl_->return_trace_literal = text::required_literal(impl_->return_trace->pattern());
    }
    if (auto resume = doc.find("resume")) {
      for (const auto& p : resume->items()) impl_->resume.push_back(compile(p.pattern(false, "(?i){}"), true));
    }
    if (auto collectives = doc.find("collectives")) load_collectives(*impl_, *collectives);
  });
}

// One 'frames' entry: function names (a frame's "in NAME"), or patterns over the source line a
// frame quotes ('code'), or both; 'fallback' entries name their stage only when no other frame does.
void StageClassifier::load_frames(Impl& impl, const table::Value& entry) {
  entry.keys({"stage", "functions", "code", "sources", "fallback", "about"});
  const Stage stage = stage_named(entry["stage"]);
  if (auto sources = entry.find("sources")) impl.sources.emplace_back(stage, sources->texts());
  const auto fallback_value = entry.find("fallback");
  const bool fallback = fallback_value && fallback_value->boolean();
  const auto code = entry.find("code");
  if (code) {
    for (const auto& p : code->items()) impl.code.emplace_back(FrameNaming{stage, fallback}, compile(p.pattern(), false));
  }
  if (!code || entry.find("functions")) {
    const auto functions = entry["functions"].texts();
    if (functions.empty()) entry["functions"].fail("expected at least one function name");
    auto& into = fallback ? impl.fallback_frames : impl.frames;
    into.emplace_back(stage, compile(frame_pattern(functions), false));
  }
}

void StageClassifier::load_collectives(Impl& impl, const table::Value& entry) {
  entry.keys({"pattern", "past_setup", "source", "about"});
  (void)entry["source"].text();
  impl.collectives = compile(entry["pattern"].pattern(), false);
  if (impl.collectives->NumberOfCapturingGroups() != 1) entry["pattern"].fail("needs one capture group (the sequence number)");
  impl.past_setup_collectives = entry["past_setup"].integer(1, 1000000000);
}

void StageClassifier::load_outcomes(Impl& impl, std::string_view json) {
  const bool embedded = json.empty();
  if (embedded) json = embedded::data("outcomes.json");
  table::load(json, embedded ? "outcomes.json" : "outcomes table", [&](const table::Value& doc) {
    doc.keys({"about", "completion", "exit", "signal", "exception", "after_traceback"});
    impl.completion = compile(alternation(sourced_patterns(doc["completion"], true)), true);
    const auto exits = sourced_patterns(doc["exit"], true);
    impl.exit = compile(alternation(exits), true);
    for (std::size_t i = 0; i < exits.size(); ++i) {
      impl.exit_codes.push_back(compile(exits[i], true));
      if (impl.exit_codes.back()->NumberOfCapturingGroups() != 1) doc["exit"].items()[i]["pattern"].fail("needs one capture group (the code)");
    }
    impl.signal = compile(alternation(sourced_patterns(doc["signal"], true)), true);
    const auto after = doc["after_traceback"];
    after.keys({"pattern", "source", "about"});
    (void)after["source"].text();
    impl.after_traceback = compile(after["pattern"].pattern(), false);
    const auto exceptions = sourced_patterns(doc["exception"], false);
    for (std::size_t i = 0; i < exceptions.size(); ++i) {
      impl.exceptions.push_back(compile(exceptions[i], false));
      if (impl.exceptions.back()->NumberOfCapturingGroups() < 1) doc["exception"].items()[i]["pattern"].fail("needs a capture group (the class)");
    }
  });
}


namespace {
// The template with every "<*>" filled with "1", except number `marked` filled with a marker number.
std::string fill_wildcards(std::string_view template_text, std::size_t marked) {
  std::string out;
  std::size_t from = 0, k = 0;
  for (std::size_t pos = template_text.find("<*>"); pos != std::string_view::npos;
       pos = template_text.find("<*>", from), ++k) {
    out.append(template_text.substr(from, pos - from));
    out.append(k == marked ? "987653" : "1");
    from = pos + 3;
  }
  out.append(template_text.substr(from));
  return out;
}

// Which "<*>" of `template_text` the pattern's number (its capture group `group`, 1 or 2) comes
// from: fill that one with a marker number and the others with 1, and see whether the pattern
// captures the marker.
int iteration_parameter(std::string_view template_text, const RE2& pattern, int group = 1) {
  if (pattern.NumberOfCapturingGroups() < group) return -1;
  std::size_t places = 0;
  for (std::size_t pos = template_text.find("<*>"); pos != std::string_view::npos;
       pos = template_text.find("<*>", pos + 3)) {
    ++places;
  }
  for (std::size_t k = 0; k < places; ++k) {
    long value = 0, total = 0;
    const std::string filled = fill_wildcards(template_text, k);
    const bool hit = group == 1 ? RE2::PartialMatch(filled, pattern, &value) : RE2::PartialMatch(filled, pattern, &value, &total);
    if (hit && (group == 1 ? value : total) == 987653) return static_cast<int>(k);
  }
  return -1;
}
}  // namespace

StageClassifier::StageClassifier(StageClassifier&&) noexcept = default;
StageClassifier& StageClassifier::operator=(StageClassifier&&) noexcept = default;
StageClassifier::~StageClassifier() = default;

TemplateStageInfo StageClassifier::classify(std::string_view template_text) const {
  TemplateStageInfo info;
  const re2::StringPiece text(template_text.data(), template_text.size());
  const std::string probe = fill_wildcards(template_text, std::string::npos);
  const bool unmarked = impl_->unmarked && RE2::PartialMatch(probe, *impl_->unmarked);
  // A marker is written either against the template (`step[=:]\s*<\*>`) or against a line
  // (`^\s*Epoch \d+\b`): a parameter the miner turned into <*> must not hide the line's shape.
  const auto matches = [&](const RE2& re) { return RE2::PartialMatch(text, re) || RE2::PartialMatch(probe, re); };
  for (const auto& [stage, re] : impl_->endings) {
    if (unmarked) break;
    if (matches(*re)) {
      info.ends = stage;
      break;
    }
  }
  for (const auto& [stage, re] : impl_->markers) {
    if (!info.ends && !unmarked && matches(*re)) {
      info.marks = stage;
      break;
    }
  }
  classify_outcome(template_text, info);
  if (std::string callee; impl_->calls && RE2::PartialMatch(text, *impl_->calls, &callee)) {
    info.refused_call = fallback_frame_stage(callee);
  }
  // A template reports an iteration when its text keeps the pattern's shape with <*> for the
  // number, e.g. "iteration <*>/ <*> |".
  for (std::size_t i = 0; i < impl_->iteration.size(); ++i) {
    if (RE2::PartialMatch(probe, *impl_->iteration[i])) {
      info.iteration_pattern = static_cast<int>(i);
      if (!info.marks) info.marks = Stage::training;
      info.iteration_parameter = iteration_parameter(template_text, *impl_->iteration[i]);
      info.total_parameter = iteration_parameter(template_text, *impl_->iteration[i], 2);
      break;
    }
  }
  if (impl_->collectives && RE2::PartialMatch(probe, *impl_->collectives)) {
    info.collective_parameter = iteration_parameter(template_text, *impl_->collectives);
    info.past_setup_collectives = impl_->past_setup_collectives;
  }
  return info;
}

void StageClassifier::classify_outcome(std::string_view template_text, TemplateStageInfo& info) const {
  const std::string probe = fill_wildcards(template_text, std::string::npos);
  const re2::StringPiece text(probe);
  info.completes = RE2::PartialMatch(text, *impl_->completion);
  if (RE2::PartialMatch(text, *impl_->signal)) {
    info.process_end = ProcessEnd::signal;
  } else if (RE2::PartialMatch(text, *impl_->exit)) {
    info.process_end = ProcessEnd::exit_report;
  } else {
    for (const auto& re : impl_->exceptions) {
      std::string cls;
      if (RE2::PartialMatch(text, *re, &cls)) {
        info.process_end = ProcessEnd::exception;
        info.exception_class = cls;
        break;
      }
    }
  }
}

std::optional<long> StageClassifier::progress_total(std::string_view content, int pattern) const {
  if (pattern < 0 || pattern >= static_cast<int>(impl_->iteration.size())) return std::nullopt;
  const auto& re = *impl_->iteration[static_cast<std::size_t>(pattern)];
  if (re.NumberOfCapturingGroups() < 2) return std::nullopt;
  long value = 0, total = 0;
  if (RE2::PartialMatch(re2::StringPiece(content.data(), content.size()), re, &value, &total)) return total;
  return std::nullopt;
}

namespace {
// The number parameter `index` (a TemplateStageInfo position, -1 for none) starts with: the
// numbers of iteration reports, totals and collectives are whole <*> parameters, read without a
// regex per line. At most 15 digits (a long holds them).
std::optional<long> number_parameter(int index, std::span<const std::string_view> parameters) {
  if (index < 0 || static_cast<std::size_t>(index) >= parameters.size()) return std::nullopt;
  const std::string_view p = parameters[static_cast<std::size_t>(index)];
  long value = 0;
  std::size_t i = 0;
  for (; i < p.size() && i < 15 && text::is_digit(p[i]); ++i) value = value * 10 + (p[i] - '0');
  if (i == 0) return std::nullopt;
  return value;
}
}  // namespace

std::optional<long> StageClassifier::progress_total(const TemplateStageInfo& info, std::string_view content,
                                                    std::span<const std::string_view> parameters) const {
  if (auto v = number_parameter(info.total_parameter, parameters)) return v;
  return progress_total(content, info.iteration_pattern);
}

std::optional<long> StageClassifier::collective(const TemplateStageInfo& info,
                                                std::span<const std::string_view> parameters) const {
  return number_parameter(info.collective_parameter, parameters);
}

namespace {
std::optional<Stage> first_naming(const std::vector<std::pair<Stage, std::unique_ptr<RE2>>>& frames,
                                  std::string_view function) {
  const re2::StringPiece name(function.data(), function.size());
  for (const auto& [stage, re] : frames) {
    if (RE2::FullMatch(name, *re)) return stage;
  }
  return std::nullopt;
}
}  // namespace

std::optional<Stage> StageClassifier::frame_stage(std::string_view function) const {
  return first_naming(impl_->frames, function);
}

std::optional<Stage> StageClassifier::fallback_frame_stage(std::string_view function) const {
  return first_naming(impl_->fallback_frames, function);
}

std::optional<FrameNaming> StageClassifier::quoted_code_stage(std::string_view code) const {
  const re2::StringPiece line(code.data(), code.size());
  for (const auto& [naming, re] : impl_->code) {
    if (RE2::PartialMatch(line, *re)) return naming;
  }
  return std::nullopt;
}

std::optional<Stage> StageClassifier::return_trace_stage(std::string_view content) const {
  if (!impl_->return_trace || !text::contains_literal(content, impl_->return_trace_literal)) return std::nullopt;
  std::string file;
  if (!RE2::PartialMatch(re2::StringPiece(content.data(), content.size()), *impl_->return_trace, &file)) return std::nullopt;
  for (const auto& [stage, files] : impl_->sources) {
    if (std::find(files.begin(), files.end(), file) != files.end()) return stage;
  }
  return std::nullopt;
}

std::string StageClassifier::raised_class(std::string_view content) const {
  std::string cls;
  if (!RE2::FullMatch(re2::StringPiece(content.data(), content.size()), *impl_->after_traceback, &cls)) return {};
  return cls;
}

std::optional<long> StageClassifier::exit_code(std::string_view content) const {
  const re2::StringPiece text(content.data(), content.size());
  for (const auto& re : impl_->exit_codes) {
    long code = 0;
    if (RE2::PartialMatch(text, *re, &code)) return code;
  }
  return std::nullopt;
}

std::optional<long> StageClassifier::iteration(const TemplateStageInfo& info, std::string_view content,
                                               std::span<const std::string_view> parameters) const {
  if (auto v = number_parameter(info.iteration_parameter, parameters)) return v;
  return iteration(content, info.iteration_pattern);
}

std::optional<long> StageClassifier::resumed_iteration(std::string_view content) const {
  const re2::StringPiece text(content.data(), content.size());
  for (const auto& re : impl_->resume) {
    long value = 0;
    if (RE2::PartialMatch(text, *re, &value)) return value;
  }
  return std::nullopt;
}

std::optional<long> StageClassifier::iteration(std::string_view content, int pattern) const {
  if (pattern < 0 || pattern >= static_cast<int>(impl_->iteration.size())) return std::nullopt;
  long value = 0;
  if (RE2::PartialMatch(re2::StringPiece(content.data(), content.size()),
                        *impl_->iteration[static_cast<std::size_t>(pattern)], &value)) {
    return value;
  }
  return std::nullopt;
}

}  // namespace l4::diagnose
