// `l4 extract`: the fault-indicating lines of a job, node or file, each with its description
// (FID) and typed parameters (FIP) — LoFI's two stages without a model (see docs/extract.md).
// Thin: l4::pipeline::extract_faults reads, mines and extracts; this file parses the options and
// renders the findings.
#include <spdlog/spdlog.h>

#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "command.hpp"
#include "format_args.hpp"
#include "l4/error.hpp"
#include "l4/pipeline/fault_extraction.hpp"
#include "l4/report/finding_report.hpp"
#include "output.hpp"
#include "progress_display.hpp"

namespace l4::cli {
namespace {

struct ExtractArgs {
  std::vector<std::string> paths;
  OutputOptions output;
  std::size_t top = 20;
  std::string group = "job";
  FormatArgs formats;
  std::string templates_in;
  bool all = false;
  double min_score = 2.5;
};

pipeline::ExtractionSet extraction_set(const std::string& group) {
  if (group == "node") return pipeline::ExtractionSet::node;
  if (group == "file") return pipeline::ExtractionSet::file;
  return pipeline::ExtractionSet::job;
}

int run_extract(const ExtractArgs& args) {
  io::ReadProgress progress;
  const pipeline::LineSource source(args.paths, {.ingest = {.progress = &progress}, .formats = load_format_options(args.formats)});
  pipeline::FaultExtractionOptions options;
  options.group = extraction_set(args.group);
  options.extract.top = args.all ? 0 : args.top;
  options.extract.one_per_template = !args.all;
  options.extract.keep_threshold = args.min_score;
  options.templates_file = args.templates_in;
  std::optional<ProgressDisplay> display(std::in_place, progress);
  options.on_read = [&] { display.reset(); };
  const auto extraction = pipeline::extract_faults(source, args.paths, options);
  const auto& findings = extraction.findings;

  OutputStream out(args.output);
  if (args.output.format == "json") {
    out.write_json(report::findings_document(findings, extraction.lines, args.group), 2);
  } else if (args.output.format == "jsonl") {
    for (const auto& [key, f] : findings) out.write_json(report::to_json(f, args.group == "job" ? "" : key), -1);
  } else {
    out.write(report::render_text(findings, args.group));
  }
  out.finish();
  spdlog::info("{} lines, {} groups, {} fault-indicating findings", extraction.lines, extraction.groups,
               findings.size());
  return findings.empty() ? static_cast<int>(ExitCode::nothing) : 0;
}

const CommandRegistration registration{CommandSpec{
    "extract", "Fault-indicating lines with their description (FID) and typed parameters (FIP)",
    [](CLI::App& sub) {
      auto args = std::make_shared<ExtractArgs>();
      add_input_paths(sub, args->paths);
      add_output_options(sub, args->output, {"json", "jsonl", "text"}, "json");
      sub.add_option("--top", args->top, "Report at most N findings per group (0 = all)")->capture_default_str();
      sub.add_option("--group", args->group, "Extraction set: the whole job, each node, or each file")
          ->check(CLI::IsMember({"job", "node", "file"}))
          ->capture_default_str();
      sub.add_option("--min-score", args->min_score, "Coarse score a line needs to be reported")
          ->capture_default_str();
      sub.add_flag("--all", args->all, "Report every fault-indicating line, not one per template (implies --top 0)");
      add_format_options(sub, args->formats);
      sub.add_option("--templates", args->templates_in, "Start from the templates in this JSON file (l4 parse)")
          ->check(CLI::ExistingFile);
      sub.footer(
          "Each finding: node, file, line, level, template id, description (FID), parameters\n"
          "[{type, value}], the primary parameter (fip) and the score that ranked it.\n"
          "Examples:\n"
          "  l4 extract job_dir/                                   # top 20 findings of a job (JSON)\n"
          "  l4 extract --format text --top 5 node-*.log\n"
          "  l4 extract --group node --format jsonl job_dir/      # per node\n"
          "  l4 extract --log-format '<Level> <Content>' --all --group file sessions/\n"
          "Exit: 0 findings printed, 1 nothing fault-indicating, 2 bad path or format, or no usable line.");
      return [args] { return run_extract(*args); };
    }}};

}  // namespace
}  // namespace l4::cli
