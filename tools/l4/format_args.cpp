#include "format_args.hpp"

namespace l4::cli {

void add_format_options(CLI::App& app, FormatArgs& args) {
  auto* log_format = app.add_option(
      "--log-format", args.log_format,
      "Loghub-style header format used instead of the known ones, e.g. '<Date> <Time> <Level> <Component>: <Content>'");
  add_formats_files_option(app, args.files)->excludes(log_format);
}

CLI::Option* add_formats_files_option(CLI::App& app, std::vector<std::string>& files) {
  return app
      .add_option("--formats", files,
                  "Formats table (JSON, as data/formats.json) tried before the known formats; repeatable. "
                  "See l4 formats check")
      ->check(CLI::ExistingFile);
}

format::FormatOptions load_format_options(const FormatArgs& args) {
  format::FormatOptions options;
  if (!args.log_format.empty()) options.log_format = args.log_format;
  for (const auto& file : args.files) {
    for (auto& f : format::load_format_file(file)) options.user_formats.push_back(std::move(f));
  }
  return options;
}

}  // namespace l4::cli
