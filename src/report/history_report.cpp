#include "l4/report/history_report.hpp"

#include <fmt/format.h>

namespace l4::report {

Json added_json(const std::string& db, const diagnose::JobProfile& job, bool replaced) {
  return {{"db", db},
          {"job_id", job.job_id},
          {"replaced", replaced},
          {"style", job.style},
          {"nodes", job.node_count},
          {"lines", job.lines},
          {"templates", job.templates.size()}};
}

std::string added_text(const std::string& db, const diagnose::JobProfile& job, bool replaced) {
  return fmt::format("{} job {} in {}: {} nodes, {} lines, {} templates\n", replaced ? "replaced" : "added",
                     job.job_id, db, job.node_count, job.lines, job.templates.size());
}

Json to_json(const history::JobInfo& j) {
  return {{"id", j.id},       {"style", j.style},         {"nodes", j.nodes},
          {"lines", j.lines}, {"templates", j.templates}, {"added_at", j.added_at}};
}

Json jobs_json(const std::string& db, std::span<const history::JobInfo> jobs) {
  Json list = Json::array();
  for (const auto& j : jobs) list.push_back(to_json(j));
  return {{"db", db}, {"jobs", std::move(list)}};
}

std::string jobs_text(const std::string& db, std::span<const history::JobInfo> jobs) {
  std::string out = fmt::format("{:<32} {:<12} {:>6} {:>12} {:>10}  {}\n", "JOB", "STYLE", "NODES", "LINES",
                                "TEMPLATES", "ADDED (UTC)");
  for (const auto& j : jobs) {
    out += fmt::format("{:<32} {:<12} {:>6} {:>12} {:>10}  {}\n", j.id, j.style.empty() ? "-" : j.style, j.nodes,
                       j.lines, j.templates, j.added_at);
  }
  out += fmt::format("{} job(s) in {}\n", jobs.size(), db);
  return out;
}

Json stats_json(const history::HistoryStats& s, bool exists) {
  return {{"db", s.db},           {"exists", exists},       {"schema_version", s.schema_version},
          {"jobs", s.jobs},       {"templates", s.templates}, {"lines", s.lines}};
}

std::string stats_text(const history::HistoryStats& s, bool exists) {
  return fmt::format("database        {}{}\nschema version  {}\njobs            {}\ntemplates       {}\nlines           {}\n",
                     s.db, exists ? "" : " (does not exist yet)", s.schema_version, s.jobs, s.templates, s.lines);
}

}  // namespace l4::report
