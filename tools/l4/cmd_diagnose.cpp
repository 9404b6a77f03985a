// `l4 diagnose`: the product — why did this job fail, where, and when.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include "command.hpp"
#include "format_args.hpp"
#include "l4/diagnose/diagnoser.hpp"
#include "l4/history/history_store.hpp"
#include "l4/error.hpp"
#include "l4/report/diagnosis_report.hpp"
#include "l4/report/html_report.hpp"
#include "output.hpp"
#include "progress_display.hpp"

namespace l4::cli {
namespace {

struct DiagnoseArgs {
  std::vector<std::string> paths;
  OutputOptions output;
  std::string db;
  bool no_history = false;
  std::size_t top_nodes = 8;
  std::vector<std::string> catalogs;
  FormatArgs formats;
  unsigned threads = 2;
  std::string baseline;
};

int run_diagnose(const DiagnoseArgs& args) {
  diagnose::DiagnoseOptions options;
  options.top_nodes = args.top_nodes;
  options.catalog_files = args.catalogs;
  options.scan.threads = args.threads;
  if (args.baseline == "first-error") options.ranking = diagnose::NodeRanking::first_error;
  if (args.baseline == "error-count") options.ranking = diagnose::NodeRanking::error_count;
  options.scan.formats = load_format_options(args.formats);
  io::ReadProgress progress;
  options.scan.ingest.progress = &progress;
  diagnose::Diagnoser diagnoser(options);

  std::optional<diagnose::HistoryKnowledge> history;
  if (!args.no_history) {
    const auto db = args.db.empty() ? history::HistoryStore::default_path() : std::filesystem::path(args.db);
    std::error_code ec;
    if (!args.db.empty() && !std::filesystem::exists(db, ec)) {
      throw InputError("no history database at " + db.string() + (ec ? ": " + ec.message() : ""));
    }
    history = history::HistoryStore::load_if_exists(db);
    spdlog::debug("history {}: {} normal jobs", db.string(), history->jobs);
  }
  const auto diagnosis = [&] {
    ProgressDisplay display(progress);
    return diagnoser.diagnose(args.paths, history && history->jobs > 0 ? &*history : nullptr);
  }();

  OutputStream out(args.output);
  if (args.output.format == "text") {
    const bool to_terminal = args.output.to_stdout();
    out.write(report::render_text(diagnosis, to_terminal && colour_allowed(STDOUT_FILENO)));
  } else if (args.output.format == "html") {
    std::uint64_t replaced = 0;
    out.write(report::render_html(diagnosis, &replaced));
    out.count_replaced(replaced);
  } else {
    out.write_json(report::to_json(diagnosis), 2);
  }
  out.finish();
  if (!diagnosis.failure_found) {
    spdlog::warn("no failure evidence found");
    return static_cast<int>(ExitCode::nothing);
  }
  return 0;
}

const CommandRegistration registration{CommandSpec{
    "diagnose", "Find why a job failed: events, faulty node, stage, iteration, category", [](CLI::App& sub) {
      auto args = std::make_shared<DiagnoseArgs>();
      add_input_paths(sub, args->paths);
      add_output_options(sub, args->output, {"json", "text", "html"}, "json");
      sub.add_option("--db", args->db, "History database of normal jobs (default: $L4_HISTORY, "
                                        "$XDG_DATA_HOME/l4/history.db or ~/.local/share/l4/history.db)");
      sub.add_flag("--no-history", args->no_history, "Ignore the history; weigh events within the job only");
      sub.add_option("--top-nodes", args->top_nodes, "How many ranked faulty nodes to list")
          ->capture_default_str()->check(CLI::PositiveNumber);
      sub.add_option("--catalog", args->catalogs, "Extra fault catalogue JSON (same format as data/catalogue.json); repeatable");
      add_format_options(sub, args->formats);
      sub.add_option("--baseline", args->baseline,
                     "For comparisons: rank nodes as a baseline of the L4 paper does instead "
                     "(first-error: earliest error line first; error-count: most error lines first)")
          ->check(CLI::IsMember({"first-error", "error-count"}));
      sub.add_option("--threads", args->threads, "Worker threads")->capture_default_str()->check(CLI::Range(1, 64));
      sub.footer(
          "Examples:\n"
          "  l4 diagnose data/jobs/gpu-ecc/logs                  # JSON report\n"
          "  l4 diagnose --format text job_logs/                  # short summary for people\n"
          "  l4 diagnose --format html -o report.html job_logs/  # one self-contained page: heatmap, timeline, evidence\n"
          "  l4 history add --job-id ok-1 good_job/ && l4 diagnose bad_job/   # with cross-job evidence\n"
          "Exit: 0 failure evidence found, 1 none found (the report says so), 2 bad input or no usable\n"
          "log line (empty, binary or unreadable input: the message names it).");
      return [args] { return run_diagnose(*args); };
    }}};

}  // namespace
}  // namespace l4::cli
