#pragma once
// LineForms: what a line is in its stream, beside its words. Some lines carry fault words yet state
// no fault of their own, and their rank should not come from those words:
//  - code: a traceback's frame line ('  File "x.py", line 3, in f') or the source line it quotes
//    right after it (indented deeper than the frame);
//  - framing: a line that only frames an error stated on another line (an uncaught-exception
//    wrapper, a stack-trace header, a chained-exception separator, advice, a C++ frame);
//  - header: one label ending in a colon ("Last error:", "Uncaught exception:"): what it announces
//    is the next line of its stream, which inherits its fault words.
// A launcher's report that its command failed frames the statement before it (command_report).
// The patterns are "traceback_frame", "framing", "chain_separators" and "command_reports" of
// data/event_grouping.json, read and validated here only: l4 diagnose's event grouping holds a
// LineForms (and reads the table's grouping constants from it), so both commands agree on what a
// framing line is.
//
//   l4::extract::LineForms forms;                          // embedded data/event_grouping.json
//   forms.form("  File \"train.py\", line 3, in main", nullptr);   // LineForm::code
#include <cstddef>
#include <memory>
#include <optional>
#include <string_view>

namespace l4::extract {

enum class LineForm {
  statement,  // says something of its own (the default)
  code,       // a stack frame or the source a traceback quotes
  framing,    // frames an error stated on another line
  header,     // a single label ending in a colon: the next line of its stream is its content
};

class LineForms {
 public:
  LineForms();                               // the embedded data/event_grouping.json
  // A grouping table; throws l4::InputError naming the JSON path when malformed (unknown keys,
  // patterns that do not compile or match the empty string, constants out of range).
  explicit LineForms(std::string_view json);
  ~LineForms();
  LineForms(LineForms&&) noexcept;
  LineForms& operator=(LineForms&&) noexcept;

  // The form of a line given the line before it in its stream (`previous` null at a stream's start).
  [[nodiscard]] LineForm form(std::string_view content, const std::string_view* previous) const;
  // True for a launcher's report that a command it ran failed, naming the command ("Error: failed
  // to run torchrun ... on host, ..."; "command_reports" of data/event_grouping.json): it frames the
  // error its command printed before it, and states the failure when nothing did.
  [[nodiscard]] bool command_report(std::string_view content) const;
  // True for a line that only frames an error stated on another line ("framing", and the
  // "chain_separators"), judged on its first sentence: a line that states an error and then glues
  // the runtime's advice to it ("CUDA error: ... CUDA kernel errors might be asynchronously
  // reported ...", an exception flattened into one line) states the error.
  [[nodiscard]] bool framing(std::string_view content) const;
  // True for a separator between the exceptions of one chain ("chain_separators": Python's "During
  // handling of the above exception, another exception occurred"): the lines after it, up to the
  // exception the chain ends with, report the same failure.
  [[nodiscard]] bool chain_separator(std::string_view content) const;
  // True for a traceback frame line. Cheap when the line cannot be one.
  [[nodiscard]] bool frame(std::string_view content) const;
  // A traceback frame's function ("f" of '  File "x.py", line 3, in f'; "" when the frame names
  // none); nullopt for a line that is no frame.
  [[nodiscard]] std::optional<std::string_view> frame_function(std::string_view content) const;
  // The line up to where it opens a list of possible causes ("hedges": "There are some potential
  // root causes. (1) ..."): what follows names hypotheses, not the failure. The whole line when
  // it opens none.
  [[nodiscard]] std::string_view before_hedge(std::string_view content) const;
  // True for a single label ending in a colon ("Last error:"): one colon, last, after a letter or digit.
  [[nodiscard]] static bool header(std::string_view content);

  // The table's grouping constants (l4 diagnose's EventGrouper): how many lines apart in one file
  // two lines may be to belong to one block ("block_lines"), and how long a parameter value must be
  // to identify something when two lines restate each other ("min_value_chars").
  [[nodiscard]] std::size_t block_lines() const;
  [[nodiscard]] std::size_t min_value_chars() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace l4::extract
