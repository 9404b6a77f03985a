// `l4 history`: the history of normal (successful) jobs that `l4 diagnose` compares a failed job
// against — list what it holds, its size, remove a job. Storage lives in
// l4::diagnose::HistoryStore; this file only parses options and renders results.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "l4/diagnose/history_store.hpp"
#include "l4/error.hpp"
#include "output.hpp"

namespace l4::cli {
namespace {

using diagnose::HistoryStats;
using diagnose::HistoryStore;
using diagnose::JobInfo;

struct HistoryArgs {
  std::string db;  // empty: HistoryStore::default_path()
  OutputOptions output;
  std::string job_id;
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

nlohmann::json to_json(const JobInfo& j) {
  return {{"id", j.id},       {"style", j.style},         {"nodes", j.nodes},
          {"lines", j.lines}, {"templates", j.templates}, {"added_at", j.added_at}};
}

int run_list(const HistoryArgs& args) {
  const auto db = db_path(args);
  std::vector<JobInfo> jobs;
  if (db_exists(db)) jobs = HistoryStore(db).list_jobs();
  OutputStream out(args.output);
  if (args.output.format == "text") {
    auto& os = out.stream();
    os << fmt::format("{:<32} {:<12} {:>6} {:>12} {:>10}  {}\n", "JOB", "STYLE", "NODES", "LINES", "TEMPLATES",
                      "ADDED (UTC)");
    for (const auto& j : jobs) {
      os << fmt::format("{:<32} {:<12} {:>6} {:>12} {:>10}  {}\n", j.id, j.style.empty() ? "-" : j.style, j.nodes,
                        j.lines, j.templates, j.added_at);
    }
    os << fmt::format("{} job(s) in {}\n", jobs.size(), db.string());
  } else {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& j : jobs) list.push_back(to_json(j));
    out.stream() << nlohmann::json{{"db", db.string()}, {"jobs", std::move(list)}}.dump(2) << '\n';
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
  if (exists) s = HistoryStore(db).stats();
  OutputStream out(args.output);
  if (args.output.format == "text") {
    out.stream() << fmt::format(
        "database        {}{}\nschema version  {}\njobs            {}\ntemplates       {}\nlines           {}\n", s.db,
        exists ? "" : " (does not exist yet)", s.schema_version, s.jobs, s.templates, s.lines);
  } else {
    out.stream() << nlohmann::json{{"db", s.db},
                                   {"exists", exists},
                                   {"schema_version", s.schema_version},
                                   {"jobs", s.jobs},
                                   {"templates", s.templates},
                                   {"lines", s.lines}}
                        .dump(2)
                 << '\n';
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
  fmt::print("removed job {} from {}\n", args.job_id, db.string());
  return 0;
}

void add_db_option(CLI::App& app, HistoryArgs& args) {
  app.add_option("--db", args.db,
                 "History database (default: $L4_HISTORY, else $XDG_DATA_HOME/l4/history.db, "
                 "else ~/.local/share/l4/history.db)");
}

const CommandRegistration registration{CommandSpec{
    "history", "The history of normal jobs that diagnosis compares against (list, stats, remove)",
    [](CLI::App& sub) {
      auto args = std::make_shared<HistoryArgs>();
      sub.require_subcommand(1);
      sub.footer(
          "Events that also occur in successful jobs are not failure-indicating; the history holds\n"
          "the event statistics of such jobs in one SQLite file (see docs/history.md).\n"
          "Examples:\n"
          "  l4 history list --format text\n"
          "  l4 history stats --db /shared/l4/history.db\n"
          "  l4 history remove --db history.db job-0042\n"
          "  L4_HISTORY=/shared/l4/history.db l4 history list");

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

      return [args, list, stats, remove]() -> int {
        if (list->parsed()) return run_list(*args);
        if (stats->parsed()) return run_stats(*args);
        if (remove->parsed()) return run_remove(*args);
        throw InputError("history: a subcommand is required (list, stats, remove)");
      };
    }}};

}  // namespace
}  // namespace l4::cli
