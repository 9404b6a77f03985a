// `l4 parse`: mine log templates (LLM-free contrastive mining, see docs/parse.md) and write each
// line's template and parameters (Loghub structured CSV or JSON Lines), or the templates with
// their counts (--templates-only). Learned templates can be saved and reused.
#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "command.hpp"
#include "format_args.hpp"
#include "l4/io/utf8.hpp"
#include "l4/pipeline/template_parse.hpp"
#include "l4/report/parse_report.hpp"
#include "output.hpp"
#include "progress_display.hpp"

namespace l4::cli {
namespace {

struct ParseArgs {
  std::vector<std::string> paths;
  OutputOptions output;
  FormatArgs formats;
  std::string templates_in;
  std::string templates_out;
  bool templates_only = false;
  unsigned threads = 2;
  std::size_t max_templates = parse::MinerOptions{}.max_templates;
};

// --templates-only / --format json: the templates with their counts.
void write_templates(const ParseArgs& args, const pipeline::TemplateParse& parsed, OutputStream& out) {
  const auto& store = parsed.store;
  if (args.output.format == "json") {
    out.write_json(report::templates_document(store, parsed.summary.total.used, parsed.unmatched_format), 2);
  } else if (args.output.format == "csv") {
    out.write(report::templates_csv(store));
  } else {
    for (const auto& t : report::templates_json(store)) out.write_json(t, -1);
  }
}

// Makes the row just appended to `text` (from `start` on) valid UTF-8 on the thread that formatted
// it, so that the writing thread writes rows as they are. One replacement per bad byte, so a row
// at a time gives the bytes and the count that the whole output at once would.
void make_row_valid(std::string& text, std::size_t start, std::atomic<std::uint64_t>& replaced) {
  const std::string_view row = std::string_view(text).substr(start);
  if (io::is_valid_utf8(row)) return;
  std::uint64_t bad = 0;
  const std::string valid = io::to_valid_utf8(row, &bad);
  text.replace(start, std::string::npos, valid);
  replaced += bad;
}

int run_parse(const ParseArgs& args) {
  const auto started = std::chrono::steady_clock::now();
  io::ReadProgress progress;
  const pipeline::LineSource source(args.paths, {.ingest = {.progress = &progress}, .formats = load_format_options(args.formats)});
  std::optional<ProgressDisplay> display(std::in_place, progress,
                                         args.output.to_stdout());
  pipeline::TemplateParseOptions options;
  options.threads = args.threads;
  options.max_templates = args.max_templates;
  if (!args.templates_in.empty()) options.known = parse::TemplateStore::load(args.templates_in);
  options.rows = !args.templates_only && args.output.format != "json";

  // The report: Loghub's structured CSV or JSON Lines per line, else the templates.
  const bool csv = args.output.format == "csv";
  const auto layout = report::csv_layout(source.inputs().size() > 1, source.log_format_fields());
  std::optional<OutputStream> out;
  std::atomic<std::uint64_t> replaced{0};
  const auto format_row = [&](const pipeline::ParsedRow& row, std::string& text) {
    const std::size_t start = text.size();
    report::ParsedLine parsed{row.file, row.line_no, row.content, row.result.id, row.result.template_text,
                              &row.result.parameters};
    parsed.fields = row.fields;
    if (csv) {
      report::append_csv_row(text, parsed, layout);
    } else {
      text += report::dump(report::to_json(parsed), -1);
      text.push_back('\n');
    }
    make_row_valid(text, start, replaced);
  };
  const bool rows = options.rows;
  const auto parsed = pipeline::parse_templates(
      source, std::move(options), format_row,
      {.begin = [&] {
         out.emplace(args.output);
         if (rows && csv) out->write(report::parsed_csv_header(layout));
       },
       .write = [&](std::string_view bytes) { out->write_valid(bytes); }});
  out->count_replaced(replaced);
  display.reset();  // reading is over: nothing more to show, and warnings may follow

  if (!rows) write_templates(args, parsed, *out);
  out->finish();
  if (!args.templates_out.empty()) parsed.store.save(args.templates_out);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  pipeline::report_outcome(parsed, args.max_templates, source, args.paths, secs);
  return 0;
}

const CommandRegistration registration{CommandSpec{
    "parse", "Mine log templates; print each line's template and parameters", [](CLI::App& sub) {
      auto args = std::make_shared<ParseArgs>();
      add_input_paths(sub, args->paths);
      add_output_options(sub, args->output, {"csv", "jsonl", "json"}, "csv");
      add_format_options(sub, args->formats);
      sub.add_option("--templates", args->templates_in, "Start from the templates in this JSON file")
          ->check(CLI::ExistingFile);
      sub.add_option("--save-templates", args->templates_out, "Write the templates (with counts) to this JSON file");
      sub.add_flag("--templates-only", args->templates_only,
                   "Print the templates with their counts instead of one row per line");
      sub.add_option("--threads", args->threads, "Threads that mine (templates do not depend on it)")
          ->capture_default_str()
          ->check(CLI::Range(1, 64));
      sub.add_option("--max-templates", args->max_templates,
                     "Most templates to learn; the lines of rarer ones are counted under one overflow template")
          ->capture_default_str()
          ->check(CLI::Range(1, 100000000));
      sub.footer(
          "Output: csv = Loghub structured CSV (LineId,Content,EventId,EventTemplate,ParameterList, with\n"
          "--log-format its fields in place of Content: LineId,Date,Time,...,Content,EventId,...; a File\n"
          "column first when several files are given); jsonl = one JSON object per line; json = the\n"
          "templates with counts. Lines that do not match --log-format are parsed whole.\n"
          "Examples:\n"
          "  l4 parse --log-format '<Date> <Time> <Pid> <Level> <Component>: <Content>' HDFS.log\n"
          "  l4 parse --templates-only --format json node-*.log          # templates with counts\n"
          "  l4 parse --save-templates t.json train.log >/dev/null        # learn once...\n"
          "  l4 parse --templates t.json --format jsonl new.log           # ...reuse in CI\n"
          "Exit: 0 parsed, 2 bad path, format or templates file, or no usable line.");
      return [args] { return run_parse(*args); };
    }}};

}  // namespace
}  // namespace l4::cli
