#pragma once
// Output conventions shared by every subcommand: --format, -o FILE, colour policy.
#include <CLI/CLI.hpp>

#include <fstream>
#include <iosfwd>
#include <memory>
#include "l4/report/json.hpp"
#include <string_view>
#include <string>
#include <vector>

namespace l4::cli {

struct OutputOptions {
  std::string format;        // one of the allowed formats given to add_output_options
  std::string output_path;   // empty or "-" means stdout

  [[nodiscard]] bool to_stdout() const { return output_path.empty() || output_path == "-"; }
};

// Adds `--format` (restricted to `allowed`, default `fallback`) and `-o/--output`.
void add_output_options(CLI::App& app, OutputOptions& options, const std::vector<std::string>& allowed,
                        const std::string& fallback);

// Adds only `-o/--output` (for commands with a single output shape).
void add_output_file_option(CLI::App& app, OutputOptions& options);

// Where a command writes its result: stdout or the -o file (created, truncated). Every byte goes
// through write()/write_json(), the one output path, so results are always valid UTF-8 whatever
// the logs held: invalid bytes become U+FFFD and are counted; finish() warns about them.
// Throws l4::InputError naming the file when it cannot be opened.
class OutputStream {
 public:
  explicit OutputStream(const OutputOptions& options);
  // Text (CSV rows, rendered reports); invalid UTF-8 is replaced.
  void write(std::string_view text);
  // Text the caller already made valid UTF-8 (counting what it replaced with count_replaced()):
  // rows checked on the threads that formatted them, written as they are.
  void write_valid(std::string_view text);
  // A JSON document (report::dump) followed by a newline.
  void write_json(const report::Json& doc, int indent = 2);
  // Flushes, warns when bytes were replaced, and reports write errors (disk full, closed pipe)
  // as l4::Error.
  void finish();
  // Counts bytes a renderer already replaced by U+FFFD in text it hands to write() (the HTML
  // page), so finish() warns about them too.
  void count_replaced(std::uint64_t bytes) { replaced_ += bytes; }
  // Bytes replaced by U+FFFD so far.
  [[nodiscard]] std::uint64_t replaced() const { return replaced_; }

 private:
  std::string path_;
  std::unique_ptr<std::ofstream> file_;
  std::ostream* out_;
  std::uint64_t replaced_ = 0;
};

// True when colour may be used on file descriptor `fd`: it is a terminal and NO_COLOR is unset.
bool colour_allowed(int fd);

// Adds the input paths positional ("-" = stdin); `required` makes at least one path mandatory.
void add_input_paths(CLI::App& app, std::vector<std::string>& paths, bool required = true);

}  // namespace l4::cli
