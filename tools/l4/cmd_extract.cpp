// `l4 extract`: the fault-indicating lines of a job, node or file, each with its description
// (FID) and typed parameters (FIP) — LoFI's two stages without a model (see docs/extract.md).
// Thin: reads lines (io), splits headers (format), mines templates (parse), calls
// l4::extract::FaultExtractor per group and renders the findings.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <unordered_map>
#include <vector>

#include "command.hpp"
#include "format_args.hpp"
#include "l4/error.hpp"
#include "l4/extract/fault_extractor.hpp"
#include "l4/format/header_parser.hpp"
#include "l4/io/ingestor.hpp"
#include "l4/parse/template_miner.hpp"
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

// A line kept for extraction (ingestion's views die with the visitor callback).
struct StoredLine {
  std::string node, file, content;
  std::uint64_t line_no = 0;
  format::Level level = format::Level::unknown;
  int rank = -1;
};

int run_extract(const ExtractArgs& args) {
  io::ReadProgress progress;
  io::IngestOptions ingest_options;
  ingest_options.progress = &progress;
  io::Ingestor ingestor(ingest_options);
  const auto inputs = ingestor.discover(args.paths);
  const format::HeaderParser headers(load_format_options(args.formats));

  std::vector<StoredLine> lines;
  std::size_t hint = 0;
  std::uint32_t last_file = ~0U;
  std::optional<ProgressDisplay> display(std::in_place, progress);
  const auto summary = ingestor.read_all(inputs, [&](const io::LineRecord& rec) {
    if (rec.file_index != last_file) {
      hint = 0;
      last_file = rec.file_index;
    }
    const format::Header h = headers.split(rec.content, hint);
    lines.push_back(StoredLine{std::string(rec.node), std::string(rec.file), std::string(h.content), rec.line_no,
                               h.level, rec.rank});
  });
  display.reset();
  io::require_usable_lines(summary, args.paths);

  parse::TemplateMiner miner = args.templates_in.empty()
                                   ? parse::TemplateMiner()
                                   : parse::TemplateMiner(parse::TemplateStore::load(args.templates_in));
  for (const auto& l : lines) miner.observe(l.content);
  miner.build();

  // Group lines (job = all, node, file); each group is one extraction set.
  std::map<std::string, std::vector<extract::ExtractLine>> groups;
  parse::ParseResult r;
  for (const auto& l : lines) {
    extract::ExtractLine e;
    e.node = l.node;
    e.file = l.file;
    e.line_no = l.line_no;
    e.rank = l.rank;
    e.level = l.level;
    e.content = l.content;
    if (miner.assign(l.content, r) || miner.match(l.content, r)) {
      e.template_id = r.id;
      e.template_text = r.template_text;
      e.parameters = r.parameters;
    } else {
      e.template_id = parse::template_id(l.content);  // unmatched: the line is its own template
    }
    const std::string key = args.group == "node" ? l.node : args.group == "file" ? l.file : std::string();
    groups[key].push_back(std::move(e));
  }

  const extract::FaultExtractor extractor;
  extract::ExtractOptions opts;
  opts.top = args.all ? 0 : args.top;
  opts.one_per_template = !args.all;
  opts.keep_threshold = args.min_score;
  std::vector<std::pair<std::string, extract::Finding>> findings;
  for (const auto& [key, group_lines] : groups) {
    for (auto& f : extractor.extract(group_lines, opts)) findings.emplace_back(key, std::move(f));
  }

  OutputStream out(args.output);
  if (args.output.format == "json") {
    out.write_json(report::findings_document(findings, lines.size(), args.group), 2);
  } else if (args.output.format == "jsonl") {
    for (const auto& [key, f] : findings) out.write_json(report::to_json(f, args.group == "job" ? "" : key), -1);
  } else {
    out.write(report::render_text(findings, args.group));
  }
  out.finish();
  spdlog::info("{} lines, {} groups, {} fault-indicating findings", lines.size(), groups.size(), findings.size());
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
