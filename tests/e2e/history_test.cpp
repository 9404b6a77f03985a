// End-to-end: run the built `l4 history` on databases filled through HistoryStore; check JSON,
// text, exit codes and messages.
#include <catch2/catch.hpp>

#include "l4/diagnose/history_store.hpp"
#include "support/test_support.hpp"

using l4::diagnose::HistoryStore;
using l4::diagnose::JobProfile;
using l4::diagnose::TemplateProfile;
using l4::test::run_l4;
using nlohmann::json;

namespace {

// A history with two jobs; template 01 in both, 02 only in job "beta".
std::filesystem::path two_job_history(const l4::test::TempDir& dir) {
  const auto db = dir.path() / "history.db";
  HistoryStore store(db);
  store.add_job(JobProfile{"beta", "megatron", 4, 100,
                           {TemplateProfile{"0000000000000001", "step <*> loss <*>", 80, 4, 4},
                            TemplateProfile{"0000000000000002", "saving checkpoint <*>", 20, 1, 8}}});
  store.add_job(JobProfile{"alpha", "", 2, 30, {TemplateProfile{"0000000000000001", "step <*> loss <*>", 30, 2, 4}}});
  return db;
}

}  // namespace

TEST_CASE("l4 history list shows stored jobs as JSON and text", "[e2e][history]") {
  l4::test::TempDir dir;
  const auto db = two_job_history(dir);
  const auto r = run_l4({"history", "list", "--db", db.string()});
  REQUIRE(r.exit_code == 0);
  const auto j = json::parse(r.out);
  CHECK(j["db"] == db.string());
  REQUIRE(j["jobs"].size() == 2);
  CHECK(j["jobs"][0]["id"] == "alpha");
  CHECK(j["jobs"][1]["id"] == "beta");
  CHECK(j["jobs"][1]["style"] == "megatron");
  CHECK(j["jobs"][1]["nodes"] == 4);
  CHECK(j["jobs"][1]["lines"] == 100);
  CHECK(j["jobs"][1]["templates"] == 2);
  CHECK(j["jobs"][0]["templates"] == 1);

  const auto t = run_l4({"history", "list", "--format", "text", "--db", db.string()});
  REQUIRE(t.exit_code == 0);
  CHECK(t.out.find("alpha") < t.out.find("beta"));
  CHECK(t.out.find("2 job(s)") != std::string::npos);
}

TEST_CASE("l4 history stats counts jobs, templates and lines", "[e2e][history]") {
  l4::test::TempDir dir;
  const auto db = two_job_history(dir);
  const auto r = run_l4({"history", "stats", "--db", db.string()});
  REQUIRE(r.exit_code == 0);
  const auto j = json::parse(r.out);
  CHECK(j["exists"] == true);
  CHECK(j["schema_version"] == HistoryStore::kSchemaVersion);
  CHECK(j["jobs"] == 2);
  CHECK(j["templates"] == 2);
  CHECK(j["lines"] == 130);
  const auto t = run_l4({"history", "stats", "--format", "text", "--db", db.string()});
  REQUIRE(t.exit_code == 0);
  CHECK(t.out.find("templates") != std::string::npos);
}

TEST_CASE("l4 history remove deletes one job; an unknown id exits 1", "[e2e][history]") {
  l4::test::TempDir dir;
  const auto db = two_job_history(dir);
  const auto r = run_l4({"history", "remove", "--db", db.string(), "beta"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("beta") != std::string::npos);
  const auto s = json::parse(run_l4({"history", "stats", "--db", db.string()}).out);
  CHECK(s["jobs"] == 1);
  CHECK(s["templates"] == 1);  // "saving checkpoint" was only in beta
  CHECK(s["lines"] == 30);

  const auto again = run_l4({"history", "remove", "--db", db.string(), "beta"});
  CHECK(again.exit_code == 1);
  CHECK(again.err.find("beta") != std::string::npos);
  CHECK(again.out.empty());
}

TEST_CASE("l4 history on a missing, empty or foreign database", "[e2e][history][bad-input]") {
  l4::test::TempDir dir;
  SECTION("a missing database reads as empty and is not created") {
    const auto db = dir.path() / "no" / "such" / "history.db";
    const auto list = run_l4({"history", "list", "--db", db.string()});
    CHECK(list.exit_code == 1);
    CHECK(json::parse(list.out)["jobs"].empty());
    const auto stats = run_l4({"history", "stats", "--db", db.string()});
    CHECK(stats.exit_code == 0);
    CHECK(json::parse(stats.out)["exists"] == false);
    CHECK(run_l4({"history", "remove", "--db", db.string(), "x"}).exit_code == 1);
    CHECK_FALSE(std::filesystem::exists(dir.path() / "no"));
  }
  SECTION("a file that is not SQLite: exit 2, message names it") {
    const auto bogus = dir.write("logs.db", std::string(2048, 'z'));
    const auto r = run_l4({"history", "list", "--db", bogus.string()});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(bogus.string()) != std::string::npos);
    CHECK(r.out.empty());
  }
  SECTION("no subcommand: usage error") {
    CHECK(run_l4({"history"}).exit_code == 2);
  }
}
