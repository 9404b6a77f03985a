#include <catch2/catch.hpp>

#include <vector>

#include "l4/report/history_report.hpp"

using namespace l4;

TEST_CASE("history listings and sizes as JSON and text", "[report][history]") {
  history::JobInfo job;
  job.id = "normal-1";
  job.nodes = 5;
  job.lines = 23672;
  job.templates = 123;
  job.added_at = "2026-11-24T18:43:46Z";
  const std::vector<history::JobInfo> jobs{job};
  const auto j = report::jobs_json("h.db", jobs);
  CHECK(j["db"] == "h.db");
  CHECK(j["jobs"][0]["id"] == "normal-1");
  CHECK(j["jobs"][0]["lines"] == 23672);
  const auto text = report::jobs_text("h.db", jobs);
  CHECK(text.find("normal-1") != std::string::npos);
  CHECK(text.find(" -  ") != std::string::npos);  // no style known
  CHECK(text.find("1 job(s) in h.db\n") != std::string::npos);

  history::HistoryStats stats;
  stats.db = "none.db";
  CHECK(report::stats_text(stats, false).find("none.db (does not exist yet)") != std::string::npos);
  CHECK(report::stats_json(stats, false)["exists"] == false);

  diagnose::JobProfile profile;
  profile.job_id = "ok-1";
  profile.node_count = 2;
  CHECK(report::added_text("h.db", profile, true).rfind("replaced job ok-1 in h.db: 2 nodes", 0) == 0);
  CHECK(report::added_json("h.db", profile, false)["replaced"] == false);
}
