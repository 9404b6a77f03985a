// `l4 history`: the history of normal (successful) jobs that `l4 diagnose` compares a failed job
// against — add a job, list what it holds, its size, remove a job. Storage lives in
// l4::history::HistoryStore, profiling in l4::diagnose::profile_job, output shapes in
// l4::report (history_report.hpp); this file only parses options and picks the shape.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <filesystem>

#include "command.hpp"
#include "format_args.hpp"
#include "l4/history/history_store.hpp"
#include "l4/diagnose/job_profiler.hpp"
#include "l4/error.hpp"
#include "l4/io/utf8.hpp"
#include "l4/report/diagnosis_report.hpp"
#include "l4/report/history_report.hpp"
#include "output.hpp"
#include "progress_display.hpp"

namespace l4::cli {
namespace {

using history::HistoryStats;
using history::HistoryStore;
using history::JobInfo;

struct HistoryArgs {
  std::string db;  // empty: HistoryStore::default_path()
  OutputOptions output;
  std::string job_id;
  std::string style;
  std::vector<std::string> paths;
  FormatArgs formats;
  bool force = false;
};

std::filesystem::path db_path(const HistoryArgs& args) {
  return args.db.empty() ? HistoryStore::default_path() : std::filesystem::path(args.db);
}

// Reading commands do not create a database that is not there: a mistyped --db should not leave
// directories behind. A missing database reads as an empty history.
bool db_exists(const std::filesystem::path& db) {
  std::error_code ec;
  return std::filesystem::exists(db, ec);
}

// The job id `add` uses without --job-id: the name of the one path given — a directory's name,
// a file's name without .gz and .log/.txt. A directory called logs or log takes its parent's name
// (jobs/normal-1/logs → normal-1), the layout of data/jobs.
std::string default_job_id(const std::vector<std::string>& paths) {
  if (paths.size() != 1 || io::names_stdin(paths.front())) {
    throw InputError("give the job an id with --job-id (needed with stdin or several paths)");
  }
  std::error_code ec;
  auto p = std::filesystem::weakly_canonical(std::filesystem::absolute(paths.front()), ec);
  if (ec) p = std::filesystem::path(paths.front());
  if (!p.has_filename()) p = p.parent_path();  // trailing slash
  if (std::filesystem::is_directory(p, ec)) {
    if ((p.filename() == "logs" || p.filename() == "log") && p.has_parent_path()) p = p.parent_path();
    return p.filename().string();
  }
  auto name = p.filename();
  if (name.extension() == ".gz") name = name.stem();
  if (name.extension() == ".log" || name.extension() == ".txt") name = name.stem();
  return name.string();
}

int run_add(const HistoryArgs& args) {
  const auto db = db_path(args);
  const std::string job_id = args.job_id.empty() ? default_job_id(args.paths) : args.job_id;
  if (job_id.empty()) throw InputError("empty job id; pass --job-id");
  // An existing database is checked (schema, not SQLite) before the expensive parse; a new one is
  // only created once there is something to store, so a bad path leaves nothing behind. Parsing
  // starts from the history's templates so ids agree with what diagnosis will see.
  const auto known = HistoryStore::load_if_exists(db);
  auto checked = [&] {
    io::ReadProgress progress;
    diagnose::DiagnoseOptions options;
    options.scan.ingest.progress = &progress;
    options.scan.formats = load_format_options(args.formats);
    ProgressDisplay display(progress);
    return diagnose::profile_and_diagnose(args.paths, job_id, &known, options);
  }();
  auto& profile = checked.profile;
  if (!args.style.empty()) profile.style = args.style;
  // The history holds successful jobs: a failed job's events would be taken as normal and hide
  // the same failure in later diagnoses. l4's own diagnosis decides; --force overrides it.
  if (checked.diagnosis.failure_found) {
    const auto& v = checked.diagnosis.verdict;
    spdlog::warn("l4 finds job {} failed: {} (confidence {:.2f}). {}", io::to_valid_utf8(job_id), v.category,
                 v.confidence, io::to_valid_utf8(report::summary(checked.diagnosis)));
    if (!args.force) {
      throw InputError(fmt::format("job {} looks failed ({}); not added to {}: the history is for successful "
                                   "jobs (see `l4 diagnose`; add it anyway with --force)",
                                   job_id, v.category, db.string()));
    }
    spdlog::warn("adding job {} anyway (--force)", job_id);
  }
  const bool replaced = HistoryStore(db).add_job(profile);
  OutputStream out(args.output);
  if (args.output.format == "text") {
    out.write(report::added_text(db.string(), profile, replaced));
  } else {
    out.write_json(report::added_json(db.string(), profile, replaced), 2);
  }
  out.finish();
  return 0;
}

int run_list(const HistoryArgs& args) {
  const auto db = db_path(args);
  std::vector<JobInfo> jobs;
  if (db_exists(db)) jobs = HistoryStore(db, HistoryStore::Access::read_only).list_jobs();
  OutputStream out(args.output);
  if (args.output.format == "text") {
    out.write(report::jobs_text(db.string(), jobs));
  } else {
    out.write_json(report::jobs_json(db.string(), jobs), 2);
  }
  out.finish();
  if (jobs.empty()) {
    spdlog::warn("no jobs in the history {} (add normal jobs with `l4 history add`)", db.string());
    return static_cast<int>(ExitCode::nothing);
  }
  return 0;
}

int run_stats(const HistoryArgs& args) {
  const auto db = db_path(args);
  const bool exists = db_exists(db);
  HistoryStats s;
  s.db = db.string();
  if (exists) s = HistoryStore(db, HistoryStore::Access::read_only).stats();
  OutputStream out(args.output);
  if (args.output.format == "text") {
    out.write(report::stats_text(s, exists));
  } else {
    out.write_json(report::stats_json(s, exists), 2);
  }
  out.finish();
  return 0;
}

int run_remove(const HistoryArgs& args) {
  const auto db = db_path(args);
  if (!db_exists(db) || !HistoryStore(db).remove_job(args.job_id)) {
    spdlog::error("no job '{}' in the history {}", args.job_id, db.string());
    return static_cast<int>(ExitCode::nothing);
  }
  fmt::print("removed job {} from {}\n", io::to_valid_utf8(args.job_id), io::escape_path(db.string()));
  return 0;
}

void add_db_option(CLI::App& app, HistoryArgs& args) {
  app.add_option("--db", args.db,
                 "History database (default: $L4_HISTORY, else $XDG_DATA_HOME/l4/history.db, "
                 "else ~/.local/share/l4/history.db)");
}

const CommandRegistration registration{CommandSpec{
    "history", "The history of normal jobs that diagnosis compares against (add, list, stats, remove)",
    [](CLI::App& sub) {
      auto args = std::make_shared<HistoryArgs>();
      sub.require_subcommand(1);
      sub.footer(
          "Events that also occur in successful jobs are not failure-indicating; the history holds\n"
          "the event statistics of such jobs in one SQLite file (see docs/history.md).\n"
          "Examples:\n"
          "  l4 history add data/jobs/normal-1/logs    # job id normal-1\n"
          "  l4 history list --format text\n"
          "  l4 history stats --db /shared/l4/history.db\n"
          "  l4 history remove --db history.db job-0042\n"
          "  L4_HISTORY=/shared/l4/history.db l4 history list");

      CLI::App* add = sub.add_subcommand("add", "Parse a successful job's logs and store its event statistics");
      add_db_option(*add, *args);
      add->add_option("--job-id", args->job_id,
                      "Id to store the job under (default: the directory's name; a logs/ directory takes its "
                      "parent's). Adding an id again replaces that job.");
      add->add_option("--style", args->style, "Framework style to record (megatron, deepspeed, ...)");
      add_format_options(*add, args->formats);  // split lines as the diagnosis will, so event ids agree
      add->add_flag("--force", args->force,
                    "Add the job even when l4 finds it failed (the history is for successful jobs)");
      add_output_options(*add, args->output, {"json", "text"}, "json");
      add_input_paths(*add, args->paths);
      add->footer(
          "Add only jobs that succeeded: their events are taken as normal. A job that l4 itself finds\n"
          "failed (as `l4 diagnose` would, against the same history) is refused unless --force.\n"
          "Examples:\n"
          "  l4 history add data/jobs/normal-1/logs                 # stored as normal-1\n"
          "  l4 history add --job-id run-42 --db h.db node-*.log.gz\n"
          "  ls -d ok/*/ | xargs -P4 -n1 l4 history add -q     # parallel adds are safe\n"
          "Exit: 0 added or replaced, 2 bad path, option or database, no usable log line, or a job\n"
          "l4 finds failed (without --force).");

      CLI::App* list = sub.add_subcommand("list", "List the stored jobs, ordered by id");
      add_db_option(*list, *args);
      add_output_options(*list, args->output, {"json", "text"}, "json");
      list->footer(
          "Examples:\n"
          "  l4 history list                          # JSON: {db, jobs: [{id, style, nodes, ...}]}\n"
          "  l4 history list --format text --db h.db  # one line per job\n"
          "Exit: 0 jobs listed, 1 the history is empty or missing, 2 not a history database.");

      CLI::App* stats = sub.add_subcommand("stats", "Size of the history: jobs, templates, lines");
      add_db_option(*stats, *args);
      add_output_options(*stats, args->output, {"json", "text"}, "json");
      stats->footer(
          "Examples:\n"
          "  l4 history stats                         # JSON: {db, exists, schema_version, jobs, ...}\n"
          "  l4 history stats --format text --db h.db\n"
          "Exit: 0 (also for a missing database: exists=false), 2 not a history database.");

      CLI::App* remove = sub.add_subcommand("remove", "Remove one job (and templates only it had)");
      add_db_option(*remove, *args);
      remove->add_option("job_id", args->job_id, "Id of the job to remove (see `l4 history list`)")->required();
      remove->footer(
          "Examples:\n"
          "  l4 history remove job-0042\n"
          "  l4 history remove --db /shared/l4/history.db normal-1\n"
          "Exit: 0 removed, 1 no such job, 2 not a history database.");

      return [args, add, list, stats, remove]() -> int {
        if (add->parsed()) return run_add(*args);
        if (list->parsed()) return run_list(*args);
        if (stats->parsed()) return run_stats(*args);
        if (remove->parsed()) return run_remove(*args);
        throw InputError("history: a subcommand is required (add, list, stats, remove)");
      };
    }}};

}  // namespace
}  // namespace l4::cli
