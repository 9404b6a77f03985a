#include "output.hpp"

#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "l4/error.hpp"

namespace l4::cli {

void add_output_options(CLI::App& app, OutputOptions& options, const std::vector<std::string>& allowed,
                        const std::string& fallback) {
  options.format = fallback;
  app.add_option("--format", options.format, "Output format")
      ->check(CLI::IsMember(allowed))
      ->capture_default_str();
  add_output_file_option(app, options);
}

void add_output_file_option(CLI::App& app, OutputOptions& options) {
  app.add_option("-o,--output", options.output_path, "Write the result to FILE instead of stdout");
}

OutputStream::OutputStream(const OutputOptions& options) : path_(options.output_path), out_(&std::cout) {
  if (!path_.empty() && path_ != "-") {
    file_ = std::make_unique<std::ofstream>(path_, std::ios::binary | std::ios::trunc);
    if (!*file_) throw InputError("cannot open output file " + path_);
    out_ = file_.get();
  }
}

void OutputStream::finish() {
  out_->flush();
  if (!*out_) throw Error("failed writing " + (file_ ? path_ : std::string("standard output")));
}

bool colour_allowed(int fd) {
  const char* no_colour = std::getenv("NO_COLOR");
  if (no_colour != nullptr && *no_colour != '\0') return false;
  return isatty(fd) != 0;
}

void add_input_paths(CLI::App& app, std::vector<std::string>& paths, bool required) {
  auto* opt = app.add_option("paths", paths,
                             "Log files or job directories (searched recursively); '-' reads stdin");
  if (required) opt->required();
}

}  // namespace l4::cli
