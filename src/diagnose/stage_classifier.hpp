#pragma once
// StageClassifier: the temporal facts of a template — which stage it marks, whether it reports an
// iteration, and whether it says how a process or the job ended (completed; died of an exception,
// a signal, a non-zero exit) — decided once per template from data/stages.json and
// data/outcomes.json, so a line costs a table lookup, and numbers (an iteration, an exit code) are
// only extracted from lines whose template carries one.
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "l4/diagnose/stage.hpp"

namespace l4::table {
class Value;
}

namespace l4::diagnose {

// How a line says a process ended (data/outcomes.json).
enum class ProcessEnd : std::uint8_t {
  none,
  exception,    // an uncaught exception: "ZeroDivisionError: division by zero"
  signal,       // a fatal signal: "Segmentation fault (core dumped)", "Signal 11 (SIGSEGV) received by PID"
  exit_report,  // a launcher's exit report: "exitcode: -9", "exits with return code = 1" (code per line)
};

struct TemplateStageInfo {
  std::optional<Stage> marks;  // the stage a line of this template moves its stream into
  std::optional<Stage> ends;   // the stage a line of this template completes (its results are out)
  int iteration_pattern = -1;  // index of the iteration pattern that applies, -1 when none
  int iteration_parameter = -1;// which "<*>" of the template holds the number (-1: read the text)
  int total_parameter = -1;    // which "<*>" holds the total the run counts to (-1: none)
  bool completes = false;      // the job or a process finished its work ("Training completed.")
  // Which "<*>" numbers the collective a line names in its process group ("WorkNCCL(SeqNum=<*>"),
  // -1 when none; from past_setup_collectives on, that many collectives say the job was past setup.
  int collective_parameter = -1;
  long past_setup_collectives = 0;
  ProcessEnd process_end = ProcessEnd::none;
  std::string exception_class; // for ProcessEnd::exception: the class the line names
  // The line reports a call Python refused for its arguments, to a function a fallback frame
  // names (a constructor: "Accelerator.__init__() got an unexpected keyword argument"): that
  // frame's stage, counted as a fallback frame of the traceback the line ends (stages.json 'calls').
  std::optional<Stage> refused_call;
};

// The stage a traceback line names, and whether only as a fallback (when no other frame of its
// traceback names one).
struct FrameNaming {
  Stage stage;
  bool fallback = false;
};

class StageClassifier {
 public:
  // From the embedded data/stages.json and data/outcomes.json, or from the JSON texts given.
  // Throws l4::InputError.
  explicit StageClassifier(std::string_view json = {}, std::string_view outcomes_json = {});
  StageClassifier(StageClassifier&&) noexcept;
  StageClassifier& operator=(StageClassifier&&) noexcept;
  ~StageClassifier();

  [[nodiscard]] TemplateStageInfo classify(std::string_view template_text) const;
  // The iteration number a line reports (pattern from classify()), nullopt when it does not match.
  [[nodiscard]] std::optional<long> iteration(std::string_view content, int pattern) const;
  // The total a progress report counts to ("iteration 12/ 3000" -> 3000), nullopt when its pattern
  // has none.
  [[nodiscard]] std::optional<long> progress_total(std::string_view content, int pattern) const;
  // The same, read from the line's parameters when the template's total is a parameter.
  [[nodiscard]] std::optional<long> progress_total(const TemplateStageInfo& info, std::string_view content,
                                                   std::span<const std::string_view> parameters) const;
  // The stage a traceback frame's function says the process was in ("backward" -> training),
  // nullopt when the name says none.
  [[nodiscard]] std::optional<Stage> frame_stage(std::string_view function) const;
  // The stage a frame's function names only when no other frame of its traceback names one
  // (stages.json 'frames' entries marked "fallback": a constructor, "__init__", is set-up work
  // unless the stack says what loop built the object), nullopt when the name says none.
  [[nodiscard]] std::optional<Stage> fallback_frame_stage(std::string_view function) const;
  // The stage the source line a frame quotes names ("from transformers import Trainer": the
  // process was importing code -> init, as a fallback), nullopt when it names none.
  [[nodiscard]] std::optional<FrameNaming> quoted_code_stage(std::string_view code) const;
  // The stage a line of a C/C++ library's error-return trace names by its source file ("NCCL
  // INFO init.cc:1079 -> 3" -> init), nullopt when it is no such line or its file names none.
  [[nodiscard]] std::optional<Stage> return_trace_stage(std::string_view content) const;
  // The class a line that ends a traceback's frames names ("ArrowInvalid: JSON parse error" ->
  // "ArrowInvalid"), "" when the line does not have that shape.
  [[nodiscard]] std::string raised_class(std::string_view content) const;
  // The exit code an exit report states ("exitcode: -9" -> -9), nullopt when it states none.
  [[nodiscard]] std::optional<long> exit_code(std::string_view content) const;
  // The sequence number of the collective a line names in its process group (TemplateStageInfo::
  // collective_parameter: "WorkNCCL(SeqNum=469508" -> 469508), nullopt when it names none.
  [[nodiscard]] std::optional<long> collective(const TemplateStageInfo& info,
                                               std::span<const std::string_view> parameters) const;
  // The iteration a loading line says the job resumes from ("loading checkpoint from
  // .../global_step5000"), nullopt when it names none.
  [[nodiscard]] std::optional<long> resumed_iteration(std::string_view content) const;
  // The same, read from the line's parameters when the template's number is a parameter (no
  // regex per line); falls back to the text otherwise.
  [[nodiscard]] std::optional<long> iteration(const TemplateStageInfo& info, std::string_view content,
                                              std::span<const std::string_view> parameters) const;

 private:
  struct Impl;
  static void load_outcomes(Impl& impl, std::string_view json);
  static void load_frames(Impl& impl, const table::Value& entry);
  static void load_collectives(Impl& impl, const table::Value& entry);
  void classify_outcome(std::string_view template_text, TemplateStageInfo& info) const;
  std::unique_ptr<Impl> impl_;
};

}  // namespace l4::diagnose
