// `l4 formats`: the header formats l4 splits lines with — list them with their sample lines, or
// check a formats table (yours for --formats, or the built-in one) against its own samples.
// Tables and checks live in l4::format (format_table.hpp), output shapes in report/format_report.
#include <memory>

#include "command.hpp"
#include "format_args.hpp"
#include "l4/error.hpp"
#include "l4/report/format_report.hpp"
#include "output.hpp"

namespace l4::cli {
namespace {

struct FormatsArgs {
  OutputOptions output;
  std::vector<std::string> files;  // list: --formats; check: the table to check
};

int run_list(const FormatsArgs& args) {
  auto formats = load_format_options(FormatArgs{{}, args.files}).user_formats;  // tried first
  for (auto& f : format::load_known_formats()) formats.push_back(std::move(f));
  OutputStream out(args.output);
  if (args.output.format == "json") {
    out.write_json(report::formats_json(formats));
  } else {
    out.write(report::formats_text(formats));
  }
  out.finish();
  return 0;
}

int run_check(const FormatsArgs& args) {
  const bool builtin = args.files.empty();
  const std::string source = builtin ? "built-in" : args.files.front();
  const auto check = builtin ? format::check_known_formats() : format::check_format_file(source);
  OutputStream out(args.output);
  if (args.output.format == "json") {
    out.write_json(report::check_json(check, source));
  } else {
    out.write(report::check_text(check, source));
  }
  out.finish();
  return check.ok() ? 0 : static_cast<int>(ExitCode::input);
}

const CommandRegistration registration{CommandSpec{
    "formats", "The header formats lines are split with: list them, check a formats file", [](CLI::App& sub) {
      auto args = std::make_shared<FormatsArgs>();
      sub.require_subcommand(1);
      sub.footer(
          "A formats table is JSON like data/formats.json: {\"formats\": [{\"name\", \"description\",\n"
          "\"regex\" (RE2, named groups content and optionally timestamp, level, component),\n"
          "\"samples\": [{\"line\", \"timestamp\", \"level\", \"component\", \"content\"}]}]}. Give yours\n"
          "to diagnose, extract, parse or history add with --formats FILE: its formats are tried first.\n"
          "Examples:\n"
          "  l4 formats list\n"
          "  l4 formats check my-formats.json\n"
          "  l4 diagnose --formats my-formats.json job_logs/");

      CLI::App* list = sub.add_subcommand("list", "The known header formats with their sample lines, in the order tried");
      add_formats_files_option(*list, args->files);
      add_output_options(*list, args->output, {"text", "json"}, "text");
      list->footer(
          "Examples:\n"
          "  l4 formats list                                   # built-in formats\n"
          "  l4 formats list --formats my-formats.json --format json\n"
          "Exit: 0 listed, 2 a --formats file does not pass its check.");

      CLI::App* check = sub.add_subcommand(
          "check", "Check a formats file against its own sample lines (the built-in table without FILE)");
      check->add_option("file", args->files, "Formats table (JSON) to check")->check(CLI::ExistingFile)->expected(0, 1);
      add_output_options(*check, args->output, {"text", "json"}, "text");
      check->footer(
          "Every sample line must be split by its own format (not taken by an earlier one) into the\n"
          "timestamp, level, component and content it states; each regex must compile (RE2) and have\n"
          "a content group; names must be unique; unknown keys are reported. Problems name the JSON\n"
          "path: my-formats.json: formats[1].samples[0].level: expected \"INFO\", got \"WARN\".\n"
          "Examples:\n"
          "  l4 formats check my-formats.json\n"
          "  l4 formats check --format json my-formats.json\n"
          "Exit: 0 no problems, 2 problems found (listed on stdout) or the file cannot be read.");

      return [args, list, check]() -> int {
        if (list->parsed()) return run_list(*args);
        if (check->parsed()) return run_check(*args);
        throw InputError("formats: a subcommand is required (list, check)");
      };
    }}};

}  // namespace
}  // namespace l4::cli
