#pragma once
// The output shapes of `l4 history` (documented in docs/history.md): a job added, the jobs held,
// the size of the history — each as JSON and as text.
#include <span>
#include <string>

#include "l4/history/history_store.hpp"
#include "l4/diagnose/job_profile.hpp"
#include "l4/report/json.hpp"

namespace l4::report {

// `history add`: {"db","job_id","replaced","style","nodes","lines","templates"}.
Json added_json(const std::string& db, const diagnose::JobProfile& job, bool replaced);
std::string added_text(const std::string& db, const diagnose::JobProfile& job, bool replaced);

// `history list`: {"db","jobs":[{"id","style","nodes","lines","templates","added_at"}]} and a table.
Json to_json(const history::JobInfo& job);
Json jobs_json(const std::string& db, std::span<const history::JobInfo> jobs);
std::string jobs_text(const std::string& db, std::span<const history::JobInfo> jobs);

// `history stats`: {"db","exists","schema_version","jobs","templates","lines"} and a short block.
Json stats_json(const history::HistoryStats& stats, bool exists);
std::string stats_text(const history::HistoryStats& stats, bool exists);

}  // namespace l4::report
