// `l4 parse`: mine log templates (LLM-free contrastive mining, see docs/parse.md) and write each
// line's template and parameters (Loghub structured CSV or JSON Lines), or the templates with
// their counts (--templates-only). Learned templates can be saved and reused.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "command.hpp"
#include "l4/error.hpp"
#include "l4/format/header_parser.hpp"
#include "l4/format/log_format.hpp"
#include "l4/io/ingestor.hpp"
#include "l4/parse/template_miner.hpp"
#include "l4/report/parse_report.hpp"
#include "output.hpp"
#include "progress_display.hpp"

namespace l4::cli {
namespace {

struct ParseArgs {
  std::vector<std::string> paths;
  OutputOptions output;
  std::string log_format;
  std::string templates_in;
  std::string templates_out;
  bool templates_only = false;
};

// Where a line's content comes from: the user's --log-format, else the known header formats.
class ContentSplitter {
 public:
  explicit ContentSplitter(const std::string& log_format) {
    if (!log_format.empty()) {
      user_.emplace(format::LogFormat::from_loghub(log_format));
    } else {
      known_.emplace();
    }
  }
  // The message of `line`; the whole line when the format does not match (counted).
  std::string_view content(std::string_view line) {
    if (user_) {
      format::Header h;
      if (user_->split(line, h)) return h.content;
      ++unmatched_;
      return line;
    }
    const auto h = known_->split(line);
    if (h.format.empty()) ++unmatched_;
    return h.content;
  }
  [[nodiscard]] std::uint64_t unmatched() const { return unmatched_; }
  void reset() { unmatched_ = 0; }

 private:
  std::optional<format::LogFormat> user_;
  std::optional<format::HeaderParser> known_;
  std::uint64_t unmatched_ = 0;
};

int run_parse(const ParseArgs& args) {
  const auto started = std::chrono::steady_clock::now();
  io::ReadProgress progress;
  io::IngestOptions ingest_options;
  ingest_options.progress = &progress;
  io::Ingestor ingestor(ingest_options);
  const auto inputs = ingestor.discover(args.paths);
  std::optional<ProgressDisplay> display(std::in_place, progress,
                                         args.output.output_path.empty() || args.output.output_path == "-");
  // Streams (stdin, FIFOs, <(zcat f.gz)) cannot be read twice: their lines are kept.
  const bool from_stream =
      std::any_of(inputs.begin(), inputs.end(), [](const io::InputFile& f) { return f.stream; });
  ContentSplitter splitter(args.log_format);

  parse::TemplateMiner miner = args.templates_in.empty()
                                   ? parse::TemplateMiner()
                                   : parse::TemplateMiner(parse::TemplateStore::load(args.templates_in));
  const bool have_known = miner.store().size() > 0;

  // Without known templates: pass 1 mines all lines, pass 2 assigns them. Standard input cannot be
  // read twice, so its lines are kept; files are read again. With known templates (--templates):
  // one pass, lines no template matches are learned incrementally (provisional templates).
  std::vector<std::string> kept;
  std::vector<std::pair<std::uint64_t, std::uint32_t>> kept_pos;  // line_no, file index
  parse::ParseResult result;
  io::IngestSummary summary;
  std::uint64_t unmatched_format = 0;
  if (!have_known) {
    summary = ingestor.read_all(inputs, [&](const io::LineRecord& rec) {
      const std::string_view content = splitter.content(rec.content);
      if (from_stream) {
        kept.emplace_back(content);
        kept_pos.emplace_back(rec.line_no, rec.file_index);
      }
      miner.observe(content);
    });
    unmatched_format = splitter.unmatched();
    const std::size_t distinct = miner.observed_distinct();
    miner.build();
    spdlog::debug("mined {} templates from {} distinct masked lines", miner.store().size(), distinct);
  }
  miner.store().reset_counts();

  OutputStream out(args.output);
  const bool per_line = !args.templates_only && args.output.format != "json";
  const bool csv = args.output.format == "csv";
  const bool multi = inputs.size() > 1;
  if (per_line && csv) out.write(report::parsed_csv_header(multi));

  std::string row;
  auto emit = [&](std::string_view file, std::uint64_t line_no, std::string_view content) {
    if (!miner.match(content, result)) result = miner.match_or_add(content);
    else miner.store().add_count(result.index, 1);
    if (!per_line) return;
    const report::ParsedLine line{file, line_no, content, result.id, result.template_text, &result.parameters};
    if (csv) {
      row.clear();
      report::append_csv_row(row, line, multi);
      out.write(row);
    } else {
      out.write_json(report::to_json(line), -1);
    }
  };

  if (!have_known && from_stream) {
    for (std::size_t i = 0; i < kept.size(); ++i) {
      emit(summary.files[kept_pos[i].second].path, kept_pos[i].first, kept[i]);
    }
  } else {
    splitter.reset();
    progress.expect_files(inputs.size());  // the second pass reads them all again
    auto second = ingestor.read_all(inputs, [&](const io::LineRecord& rec) {
      emit(rec.file, rec.line_no, splitter.content(rec.content));
    });
    if (have_known) {
      summary = std::move(second);
      unmatched_format = splitter.unmatched();
    }
  }

  display.reset();  // reading is over: nothing more to show, and warnings may follow

  if (!per_line) {
    const auto& store = miner.store();
    if (args.output.format == "json") {
      nlohmann::json doc = {
          {"lines", summary.total.used},
          {"lines_not_matching_format", unmatched_format},
          {"templates", report::templates_json(store)},
      };
      out.write_json(doc, 2);
    } else if (csv) {
      out.write(report::templates_csv(store));
    } else {
      for (const auto& t : report::templates_json(store)) {
        out.write_json(t, -1);
      }
    }
  }
  out.finish();
  if (!args.templates_out.empty()) miner.store().save(args.templates_out);

  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  spdlog::info("parsed {} lines into {} templates in {:.2f} s ({} lines did not match the header format)",
               summary.total.used, miner.store().size(), secs, unmatched_format);
  if (unmatched_format > 0 && !args.log_format.empty()) {
    spdlog::warn("{} of {} lines did not match --log-format; they were parsed whole", unmatched_format,
                 summary.total.used);
  }
  io::require_usable_lines(summary, args.paths);
  return 0;
}

const CommandRegistration registration{CommandSpec{
    "parse", "Mine log templates; print each line's template and parameters", [](CLI::App& sub) {
      auto args = std::make_shared<ParseArgs>();
      add_input_paths(sub, args->paths);
      add_output_options(sub, args->output, {"csv", "jsonl", "json"}, "csv");
      sub.add_option("--log-format", args->log_format,
                     "Loghub-style header format, e.g. '<Date> <Time> <Level> <Component>: <Content>'");
      sub.add_option("--templates", args->templates_in, "Start from the templates in this JSON file")
          ->check(CLI::ExistingFile);
      sub.add_option("--save-templates", args->templates_out, "Write the templates (with counts) to this JSON file");
      sub.add_flag("--templates-only", args->templates_only,
                   "Print the templates with their counts instead of one row per line");
      sub.footer(
          "Output: csv = Loghub structured CSV (LineId,Content,EventId,EventTemplate,ParameterList; a\n"
          "File column first when several files are given); jsonl = one JSON object per line; json =\n"
          "the templates with counts. Lines that do not match --log-format are parsed whole.\n"
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
