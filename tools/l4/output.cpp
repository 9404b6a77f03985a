#include "output.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "l4/error.hpp"
#include "l4/io/utf8.hpp"
#include "l4/report/json.hpp"

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
  if (!options.to_stdout()) {
    file_ = std::make_unique<std::ofstream>(path_, std::ios::binary | std::ios::trunc);
    if (!*file_) throw InputError("cannot open output file " + path_);
    out_ = file_.get();
  }
}

void OutputStream::write(std::string_view text) {
  if (io::is_valid_utf8(text)) {
    write_valid(text);
  } else {
    const std::string valid = io::to_valid_utf8(text, &replaced_);
    out_->write(valid.data(), static_cast<std::streamsize>(valid.size()));
  }
}

void OutputStream::write_valid(std::string_view text) {
  out_->write(text.data(), static_cast<std::streamsize>(text.size()));
}

void OutputStream::write_json(const report::Json& doc, int indent) {
  std::string text = report::dump(doc, indent, &replaced_);
  text.push_back('\n');
  out_->write(text.data(), static_cast<std::streamsize>(text.size()));
}

void OutputStream::finish() {
  if (replaced_ > 0) {
    spdlog::warn("{} byte{} of invalid UTF-8 from the logs written as U+FFFD", replaced_, replaced_ == 1 ? "" : "s");
  }
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
