// `l4 parse`: mine log templates (LLM-free contrastive mining, see docs/parse.md) and write each
// line's template and parameters (Loghub structured CSV or JSON Lines), or the templates with
// their counts (--templates-only). Learned templates can be saved and reused.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "command.hpp"
#include "format_args.hpp"
#include "l4/error.hpp"
#include "l4/format/header_parser.hpp"
#include "l4/io/ingestor.hpp"
#include "l4/parse/sharded_observer.hpp"
#include "l4/parse/template_miner.hpp"
#include "l4/report/parse_report.hpp"
#include "output.hpp"
#include "parallel_rows.hpp"
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

// Where a line's content comes from: the user's --log-format, else the known header formats (with
// --formats). With a Loghub-style --log-format it also keeps the values of the format's fields,
// which are Loghub's CSV columns.
class ContentSplitter {
 public:
  explicit ContentSplitter(const FormatArgs& args)
      : headers_(load_format_options(args)), loghub_(args.log_format.empty() ? nullptr : &headers_.formats().front()) {}
  // The fields of --log-format (Date, Time, Level, ..., Content), else none.
  [[nodiscard]] std::vector<std::string> fields() const { return loghub_ ? loghub_->fields() : std::vector<std::string>{}; }
  // The message of `line`; the whole line when no format matches (counted).
  std::string_view content(std::string_view line) {
    if (loghub_) {
      if (loghub_->split_fields(line, values_)) return values_[loghub_->content_field()];
      values_.assign(loghub_->fields().size(), std::string_view{});
      values_[loghub_->content_field()] = line;
      ++unmatched_;
      return line;
    }
    const auto h = headers_.split(line);
    if (h.format.empty()) ++unmatched_;
    return h.content;
  }
  // The values of fields() in the line content() last split; nullptr without --log-format.
  [[nodiscard]] const std::vector<std::string_view>* values() const { return loghub_ ? &values_ : nullptr; }
  [[nodiscard]] std::uint64_t unmatched() const { return unmatched_; }
  void reset() { unmatched_ = 0; }

 private:
  format::HeaderParser headers_;
  const format::LogFormat* loghub_;
  std::vector<std::string_view> values_;
  std::uint64_t unmatched_ = 0;
};

// One worker's state on a cache line of its own (no false sharing between workers).
template <typename T>
struct alignas(64) Padded {
  template <typename... A>
  explicit Padded(A&&... a) : value(std::forward<A>(a)...) {}
  T value;
};

// Pass 1 of mining: every line's content into the miner (header split and masking on `threads`
// workers), then build. Returns the ingest summary; `unmatched_format` counts the lines no header
// format matched.
io::IngestSummary mine_pass(const io::Ingestor& ingestor, const std::vector<io::InputFile>& inputs,
                            const FormatArgs& formats, parse::TemplateMiner& miner, unsigned threads,
                            std::uint64_t& unmatched_format) {
  std::vector<Padded<ContentSplitter>> splitters;
  splitters.reserve(std::max(1U, threads));
  for (unsigned w = 0; w < std::max(1U, threads); ++w) splitters.emplace_back(formats);
  parse::ShardedObserver observer(miner, threads, [&](std::string_view line, unsigned worker) {
    return splitters[worker].value.content(line);
  });
  auto summary = ingestor.read_all(inputs, [&](const io::LineRecord& rec) { observer.add(rec.content); });
  observer.finish();
  unmatched_format = 0;
  for (const auto& s : splitters) unmatched_format += s.value.unmatched();
  const std::size_t distinct = miner.observed_distinct();
  const double table_mb = static_cast<double>(miner.memory_bytes()) / 1e6;
  miner.build();
  spdlog::debug("mined {} templates from {} distinct masked lines ({:.1f} MB of mining tables)", miner.store().size(),
                distinct, table_mb);
  return summary;
}

// The lines a pass reads: kept standard input, or the files read (again).
struct LineSource {
  const io::Ingestor& ingestor;
  const std::vector<io::InputFile>& inputs;
  io::ReadProgress& progress;
  const std::vector<std::string>& kept;                                  // stdin lines, when kept
  const std::vector<std::pair<std::uint64_t, std::uint32_t>>& kept_pos;  // their line_no, file index
};

// What the per-line pass found.
struct LinePass {
  io::IngestSummary summary;  // of the files it read (empty for kept lines)
  std::uint64_t unmatched_format = 0;
  std::uint64_t overflow_templates = 0;
  std::uint64_t overflow_lines = 0;
};

// Pass 2 (or the one pass with known templates): every line's template, on `threads` workers
// against the frozen miner, rows written in input order. A mined line gets the template it was
// mined into (already counted); other lines are matched (and counted); lines nothing matches are
// learned on this thread by a miner of their own, whose templates join the store at the end.
LinePass line_pass(const ParseArgs& args, const LineSource& source, parse::TemplateMiner& miner, bool have_known,
                   bool per_line, const report::CsvLayout& layout, std::vector<std::string>& file_names,
                   OutputStream& out) {
  const bool csv = args.output.format == "csv";
  const unsigned workers = std::max(1U, args.threads);
  struct Worker {
    explicit Worker(const FormatArgs& formats) : splitter(formats) {}
    ContentSplitter splitter;
    parse::AssignScratch scratch;
    parse::ParseResult result;
    std::vector<std::uint64_t> counts;  // matches per template index
  };
  std::vector<Padded<Worker>> state;
  state.reserve(workers);
  for (unsigned w = 0; w < workers; ++w) {
    state.emplace_back(args.formats);
    state.back().value.counts.resize(miner.store().templates().size());
  }
  ContentSplitter serial_splitter(args.formats);  // its count is the workers' already
  parse::MinerOptions options;
  options.max_templates = args.max_templates;
  parse::TemplateMiner learned(options);
  auto format_row = [&](const ParallelRows::Line& line, const ContentSplitter& splitter, std::string_view content,
                        const parse::ParseResult& r, std::string& row) {
    if (!per_line) return;
    report::ParsedLine parsed{file_names[line.file], line.line_no, content, r.id, r.template_text, &r.parameters};
    parsed.fields = splitter.values();
    if (csv) {
      report::append_csv_row(row, parsed, layout);
    } else {
      row += report::dump(report::to_json(parsed), -1);
      row.push_back('\n');
    }
  };
  const parse::TemplateMiner& frozen = miner;
  ParallelRows rows(
      workers,
      [&](const ParallelRows::Line& line, unsigned w, std::string& row) {
        Worker& me = state[w].value;
        const std::string_view content = me.splitter.content(line.text);
        parse::ParseResult& r = me.result;
        if (have_known || !frozen.assign(content, r, me.scratch)) {
          if (!frozen.store().match(content, r)) return false;
          ++me.counts[r.index];
        }
        format_row(line, me.splitter, content, r, row);
        return true;
      },
      [&](const ParallelRows::Line& line, std::string& row) {
        const std::string_view content = serial_splitter.content(line.text);
        const parse::ParseResult r = learned.match_or_add(content);
        format_row(line, serial_splitter, content, r, row);
      },
      [&](std::string_view bytes) { out.write(bytes); });
  LinePass pass;
  if (!source.kept.empty()) {
    for (std::size_t i = 0; i < source.kept.size(); ++i) {
      rows.add({source.kept[i], source.kept_pos[i].first, source.kept_pos[i].second});
    }
    rows.finish();
  } else {
    source.progress.expect_files(source.inputs.size());  // the second pass reads them all again
    pass.summary = source.ingestor.read_all(source.inputs, [&](const io::LineRecord& rec) {
      if (file_names[rec.file_index].empty()) file_names[rec.file_index] = rec.file;
      rows.add({rec.content, rec.line_no, rec.file_index});
    });
    rows.finish();
  }
  for (const auto& w : state) {
    pass.unmatched_format += w.value.splitter.unmatched();
    const auto& c = w.value.counts;
    for (std::size_t i = 0; i < c.size(); ++i) {
      if (c[i] > 0) miner.store().add_count(i, c[i]);
    }
  }
  // what was learned on the way joins the known templates
  learned.finish();
  pass.overflow_templates = learned.overflow_templates();
  pass.overflow_lines = learned.overflow_lines();
  for (const auto& t : learned.store().templates()) {
    if (!t.erased) miner.store().add(t.text, t.count, false, t.runs);
  }
  return pass;
}

// --templates-only / --format json: the templates with their counts.
void write_templates(const ParseArgs& args, const parse::TemplateStore& store, const io::IngestSummary& summary,
                     std::uint64_t unmatched_format, OutputStream& out) {
  if (args.output.format == "json") {
    out.write_json(report::templates_document(store, summary.total.used, unmatched_format), 2);
  } else if (args.output.format == "csv") {
    out.write(report::templates_csv(store));
  } else {
    for (const auto& t : report::templates_json(store)) out.write_json(t, -1);
  }
}

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

  parse::MinerOptions miner_options;
  miner_options.max_templates = args.max_templates;
  parse::TemplateMiner miner = args.templates_in.empty()
                                   ? parse::TemplateMiner(miner_options)
                                   : parse::TemplateMiner(parse::TemplateStore::load(args.templates_in), miner_options);
  const bool have_known = miner.store().size() > 0;
  const bool per_line = !args.templates_only && args.output.format != "json";

  // Without known templates: pass 1 mines all lines (their counts are the templates' counts) and,
  // when lines are printed, pass 2 gives each line the template it was mined into. A stream (stdin, a FIFO, <(zcat f.gz))
  // cannot be read twice, so its lines are kept; files are read again. With known templates
  // (--templates): one pass (line_pass).
  std::vector<std::string> kept;
  std::vector<std::pair<std::uint64_t, std::uint32_t>> kept_pos;  // line_no, file index
  io::IngestSummary summary;
  std::uint64_t unmatched_format = 0;
  if (!have_known && from_stream && per_line) {
    ContentSplitter splitter(args.formats);
    summary = ingestor.read_all(inputs, [&](const io::LineRecord& rec) {
      kept.emplace_back(rec.content);
      kept_pos.emplace_back(rec.line_no, rec.file_index);
      miner.observe(splitter.content(rec.content));
    });
    unmatched_format = splitter.unmatched();
    miner.build();
  } else if (!have_known) {
    summary = mine_pass(ingestor, inputs, args.formats, miner, args.threads, unmatched_format);
  } else {
    miner.store().reset_counts();
  }

  OutputStream out(args.output);
  const auto layout = report::csv_layout(inputs.size() > 1, ContentSplitter(args.formats).fields());
  if (per_line && args.output.format == "csv") out.write(report::parsed_csv_header(layout));
  std::uint64_t overflow_templates = 0;
  std::uint64_t overflow_lines = 0;
  if (per_line || have_known) {
    std::vector<std::string> file_names(inputs.size());
    for (std::size_t i = 0; i < summary.files.size() && !kept.empty(); ++i) file_names[i] = summary.files[i].path;
    LinePass pass = line_pass(args, LineSource{ingestor, inputs, progress, kept, kept_pos}, miner, have_known, per_line,
                              layout, file_names, out);
    if (have_known) {
      summary = std::move(pass.summary);
      unmatched_format = pass.unmatched_format;
    }
    overflow_templates = pass.overflow_templates;
    overflow_lines = pass.overflow_lines;
  }
  display.reset();  // reading is over: nothing more to show, and warnings may follow

  if (!per_line) write_templates(args, miner.store(), summary, unmatched_format, out);
  out.finish();
  if (!args.templates_out.empty()) miner.store().save(args.templates_out);
  overflow_templates += miner.overflow_templates();
  overflow_lines += miner.overflow_lines();

  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  spdlog::info("parsed {} lines into {} templates in {:.2f} s ({} lines did not match the header format)",
               summary.total.used, miner.store().size(), secs, unmatched_format);
  if (overflow_templates > 0) {
    spdlog::warn("more than {} templates: the {} least frequent ({} lines) are counted under \"{}\" "
                 "(--max-templates raises the limit)",
                 args.max_templates, overflow_templates, overflow_lines, parse::TemplateMiner::overflow_text);
  }
  if (unmatched_format > 0 && !args.formats.log_format.empty()) {
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
