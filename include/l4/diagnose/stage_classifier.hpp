#pragma once
// StageClassifier: which stage a template marks and whether it reports an iteration — decided once
// per template from data/stages.json, so a line costs a table lookup, and an iteration number is
// only extracted from lines whose template reports one.
#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include "l4/diagnose/stage.hpp"

namespace l4::diagnose {

struct TemplateStageInfo {
  std::optional<Stage> marks;  // the stage a line of this template moves its stream into
  std::optional<Stage> ends;   // the stage a line of this template completes (its results are out)
  int iteration_pattern = -1;  // index of the iteration pattern that applies, -1 when none
  int iteration_parameter = -1;// which "<*>" of the template holds the number (-1: read the text)
};

class StageClassifier {
 public:
  // From the embedded data/stages.json, or from `json` when given. Throws l4::InputError.
  explicit StageClassifier(std::string_view json = {});
  StageClassifier(StageClassifier&&) noexcept;
  StageClassifier& operator=(StageClassifier&&) noexcept;
  ~StageClassifier();

  [[nodiscard]] TemplateStageInfo classify(std::string_view template_text) const;
  // The iteration number a line reports (pattern from classify()), nullopt when it does not match.
  [[nodiscard]] std::optional<long> iteration(std::string_view content, int pattern) const;
  // The iteration a loading line says the job resumes from ("loading checkpoint from
  // .../global_step5000"), nullopt when it names none.
  [[nodiscard]] std::optional<long> resumed_iteration(std::string_view content) const;
  // The same, read from the line's parameters when the template's number is a parameter (no
  // regex per line); falls back to the text otherwise.
  [[nodiscard]] std::optional<long> iteration(const TemplateStageInfo& info, std::string_view content,
                                              std::span<const std::string_view> parameters) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace l4::diagnose
