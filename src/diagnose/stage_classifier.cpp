#include "l4/diagnose/stage_classifier.hpp"

#include <re2/re2.h>

#include <vector>

#include "l4/embedded_data.hpp"
#include "l4/error.hpp"
#include "table/json_table.hpp"

namespace l4::diagnose {

struct StageClassifier::Impl {
  std::vector<std::pair<Stage, std::unique_ptr<RE2>>> markers;  // one alternation per stage
  std::vector<std::pair<Stage, std::unique_ptr<RE2>>> endings;  // per stage that has "ends" markers
  std::vector<std::unique_ptr<RE2>> iteration;
  std::vector<std::unique_ptr<RE2>> resume;
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
}  // namespace

StageClassifier::StageClassifier(std::string_view json) : impl_(std::make_unique<Impl>()) {
  const bool embedded = json.empty();
  if (embedded) json = embedded::data("stages.json");
  table::load(json, embedded ? "stages.json" : "stages table", [&](const table::Value& doc) {
    doc.keys({"about", "stages", "resume", "iteration"});
    // Each marker is checked on its own (it compiles, it matches something); a stage's markers
    // are then matched as one alternation.
    const auto alternation = [](const table::Value& list) {
      std::string out;
      for (const auto& m : list.items()) {
        if (!out.empty()) out += '|';
        out += "(?:" + m.pattern(false, "(?i){}") + ")";
      }
      if (out.empty()) list.fail("expected at least one pattern");
      return out;
    };
    for (const auto& entry : doc["stages"].items()) {
      entry.keys({"stage", "markers", "ends"});
      const auto stage = parse_stage(entry["stage"].text());
      if (!stage) entry["stage"].fail("unknown stage");
      impl_->markers.emplace_back(*stage, compile(alternation(entry["markers"]), true));
      if (auto ends = entry.find("ends")) impl_->endings.emplace_back(*stage, compile(alternation(*ends), true));
    }
    for (const auto& p : doc["iteration"].items()) impl_->iteration.push_back(compile(p.pattern(false, "(?i){}"), true));
    if (auto resume = doc.find("resume")) {
      for (const auto& p : resume->items()) impl_->resume.push_back(compile(p.pattern(false, "(?i){}"), true));
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

// Which "<*>" of `template_text` the pattern's number comes from: fill that one with a marker
// number and the others with 1, and see whether the pattern captures the marker.
int iteration_parameter(std::string_view template_text, const RE2& pattern) {
  std::size_t places = 0;
  for (std::size_t pos = template_text.find("<*>"); pos != std::string_view::npos;
       pos = template_text.find("<*>", pos + 3)) {
    ++places;
  }
  for (std::size_t k = 0; k < places; ++k) {
    long value = 0;
    if (RE2::PartialMatch(fill_wildcards(template_text, k), pattern, &value) && value == 987653) {
      return static_cast<int>(k);
    }
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
  for (const auto& [stage, re] : impl_->endings) {
    if (RE2::PartialMatch(text, *re)) {
      info.ends = stage;
      break;
    }
  }
  for (const auto& [stage, re] : impl_->markers) {
    if (!info.ends && RE2::PartialMatch(text, *re)) {
      info.marks = stage;
      break;
    }
  }
  // A template reports an iteration when its text keeps the pattern's shape with <*> for the
  // number, e.g. "iteration <*>/ <*> |".
  const std::string probe = fill_wildcards(template_text, std::string::npos);
  for (std::size_t i = 0; i < impl_->iteration.size(); ++i) {
    if (RE2::PartialMatch(probe, *impl_->iteration[i])) {
      info.iteration_pattern = static_cast<int>(i);
      if (!info.marks) info.marks = Stage::training;
      info.iteration_parameter = iteration_parameter(template_text, *impl_->iteration[i]);
      break;
    }
  }
  return info;
}

std::optional<long> StageClassifier::iteration(const TemplateStageInfo& info, std::string_view content,
                                               std::span<const std::string_view> parameters) const {
  if (info.iteration_parameter >= 0 && static_cast<std::size_t>(info.iteration_parameter) < parameters.size()) {
    const std::string_view p = parameters[static_cast<std::size_t>(info.iteration_parameter)];
    long value = 0;
    std::size_t i = 0;
    for (; i < p.size() && i < 15 && p[i] >= '0' && p[i] <= '9'; ++i) value = value * 10 + (p[i] - '0');
    if (i > 0) return value;
  }
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
