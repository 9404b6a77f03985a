#pragma once
// Output conventions shared by every subcommand: --format, -o FILE, colour policy.
#include <CLI/CLI.hpp>

#include <fstream>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

namespace l4::cli {

struct OutputOptions {
  std::string format;        // one of the allowed formats given to add_output_options
  std::string output_path;   // empty or "-" means stdout
};

// Adds `--format` (restricted to `allowed`, default `fallback`) and `-o/--output`.
void add_output_options(CLI::App& app, OutputOptions& options, const std::vector<std::string>& allowed,
                        const std::string& fallback);

// Adds only `-o/--output` (for commands with a single output shape).
void add_output_file_option(CLI::App& app, OutputOptions& options);

// The stream a command writes its result to: stdout or the -o file (created, truncated).
// Throws l4::InputError naming the file when it cannot be opened.
class OutputStream {
 public:
  explicit OutputStream(const OutputOptions& options);
  std::ostream& stream() { return *out_; }
  // Flushes and reports write errors (disk full, closed pipe) as l4::Error.
  void finish();

 private:
  std::string path_;
  std::unique_ptr<std::ofstream> file_;
  std::ostream* out_;
};

// True when colour may be used on file descriptor `fd`: it is a terminal and NO_COLOR is unset.
bool colour_allowed(int fd);

// Adds the input paths positional ("-" = stdin); `required` makes at least one path mandatory.
void add_input_paths(CLI::App& app, std::vector<std::string>& paths, bool required = true);

}  // namespace l4::cli
