#pragma once
// The options that choose how line headers are split, the same on every command that splits them
// (diagnose, extract, parse, history add): --log-format, one Loghub-style format instead of the
// known ones, or --formats FILE, a user's formats table tried before the known ones (checked on
// load as `l4 formats check` does).
#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "l4/format/header_parser.hpp"

namespace l4::cli {

struct FormatArgs {
  std::string log_format;
  std::vector<std::string> files;
};

// Adds --log-format and --formats (repeatable), which exclude each other.
void add_format_options(CLI::App& app, FormatArgs& args);
// Adds --formats alone.
CLI::Option* add_formats_files_option(CLI::App& app, std::vector<std::string>& files);
// The formats to split with. Throws l4::InputError naming the file and JSON path of a bad table.
format::FormatOptions load_format_options(const FormatArgs& args);

}  // namespace l4::cli
