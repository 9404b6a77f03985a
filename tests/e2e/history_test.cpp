// End-to-end: run the built `l4 history` on databases filled through HistoryStore; check JSON,
// text, exit codes and messages.
#include <catch2/catch.hpp>

#include <thread>

#include "l4/history/history_store.hpp"
#include "support/test_support.hpp"

using l4::history::HistoryStore;
using l4::diagnose::JobProfile;
using l4::diagnose::TemplateProfile;
using l4::test::fixture;
using l4::test::run_l4;
using nlohmann::json;

namespace {

// A history with two jobs; template 01 in both, 02 only in job "beta".
std::filesystem::path two_job_history(const l4::test::TempDir& dir) {
  const auto db = dir.path() / "history.db";
  HistoryStore store(db);
  store.add_job(JobProfile{"beta", "megatron", 4, 100,
                           {TemplateProfile{0x0000000000000001, "step <*> loss <*>", 80, 4, 4},
                            TemplateProfile{0x0000000000000002, "saving checkpoint <*>", 20, 1, 8}}});
  store.add_job(JobProfile{"alpha", "", 2, 30, {TemplateProfile{0x0000000000000001, "step <*> loss <*>", 30, 2, 4}}});
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

// The storage tests below add tests/fixtures/history/normal-job with --force: what they check is
// how jobs are stored, not l4's verdict on the fixture (the refusal of failed jobs has its own test).
TEST_CASE("l4 history add stores a job once per id", "[e2e][history]") {
  l4::test::TempDir dir;
  const auto db = dir.path() / "data" / "history.db";
  const auto logs = fixture("history/normal-job/logs").string();

  const auto first = run_l4({"history", "add", "--force", "--db", db.string(), logs});
  REQUIRE(first.exit_code == 0);
  const auto a = json::parse(first.out);
  CHECK(a["job_id"] == "normal-job");  // a logs/ directory takes its parent's name
  CHECK(a["replaced"] == false);
  CHECK(a["nodes"] == 2);
  CHECK(a["lines"] == 28);
  const auto templates = a["templates"].get<int>();
  CHECK(templates >= 5);
  const auto k1 = HistoryStore(db).load();

  // The same job again: replaced, nothing doubled.
  const auto second = run_l4({"history", "add", "--force", "--format", "text", "--db", db.string(), logs + "/"});
  REQUIRE(second.exit_code == 0);
  CHECK(second.out.find("replaced job normal-job") != std::string::npos);
  const auto k2 = HistoryStore(db).load();
  CHECK(k2.jobs == 1);
  CHECK(k2.templates.size() == k1.templates.size());
  for (const auto& [id, t] : k1.templates) {
    REQUIRE(k2.find(id) != nullptr);
    CHECK(k2.find(id)->count == t.count);
  }

  // A second normal job with the same events: every template is in every job.
  const auto other =
      run_l4({"history", "add", "--force", "--db", db.string(), "--job-id", "copy", "--style", "megatron", logs});
  REQUIRE(other.exit_code == 0);
  CHECK(json::parse(other.out)["style"] == "megatron");
  const auto k3 = HistoryStore(db).load();
  CHECK(k3.jobs == 2);
  CHECK(k3.templates.size() == k1.templates.size());
  for (const auto& [id, t] : k3.templates) CHECK(k3.job_fraction(id) == 1.0);

  const auto list = json::parse(run_l4({"history", "list", "--db", db.string()}).out);
  REQUIRE(list["jobs"].size() == 2);
  CHECK(list["jobs"][0]["id"] == "copy");
  CHECK(list["jobs"][0]["style"] == "megatron");
  CHECK(list["jobs"][1]["templates"] == templates);
}

TEST_CASE("l4 history add: file names, stdin and unusable input", "[e2e][history][bad-input]") {
  l4::test::TempDir dir;
  const auto db = dir.path() / "history.db";
  SECTION("a single file is named after its stem") {
    const auto log = fixture("history/normal-job/logs/node-0.log").string();
    const auto r = run_l4({"history", "add", "--force", "--db", db.string(), log});
    REQUIRE(r.exit_code == 0);
    CHECK(json::parse(r.out)["job_id"] == "node-0");
  }
  SECTION("stdin needs --job-id") {
    const auto r = run_l4({"history", "add", "--db", db.string(), "-"}, "[2024-05-01 10:00:00,000] [INFO] [x] hi\n");
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("--job-id") != std::string::npos);
    const auto ok = run_l4({"history", "add", "--db", db.string(), "--job-id", "piped", "-"},
                           "[2024-05-01 10:00:00,000] [INFO] [x] hello world\n");
    CHECK(ok.exit_code == 0);
    CHECK(json::parse(ok.out)["job_id"] == "piped");
  }
  SECTION("no usable lines: exit 2 naming the input, nothing stored") {
    const auto blank = dir.write("blank/node-0.log", "\n\n\n");
    const auto r = run_l4({"history", "add", "--db", db.string(), blank.parent_path().string()});
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.find("no usable log line in " + blank.parent_path().string()) != std::string::npos);
    CHECK(r.err.find("node-0.log: 3 blank lines") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(db));
  }
  SECTION("a missing path: exit 2, no database created") {
    const auto r = run_l4({"history", "add", "--db", db.string(), "/no/such/job"});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("/no/such/job") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(db));
  }
  SECTION("a database that is not SQLite: exit 2 before parsing") {
    const auto bogus = dir.write("bogus.db", std::string(1000, 'q'));
    const auto r = run_l4({"history", "add", "--db", bogus.string(), fixture("history/normal-job/logs").string()});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(bogus.string()) != std::string::npos);
  }
}

TEST_CASE("parallel l4 history add processes lose nothing", "[e2e][history]") {
  l4::test::TempDir dir;
  const auto db = (dir.path() / "history.db").string();
  const auto logs = fixture("history/normal-job/logs").string();
  constexpr int kEach = 5;
  std::vector<int> failures(2, 0);
  auto adder = [&](int w) {
    for (int i = 0; i < kEach; ++i) {
      const auto id = "w" + std::to_string(w) + "-" + std::to_string(i);
      if (run_l4({"history", "add", "-q", "--force", "--db", db, "--job-id", id, logs}).exit_code != 0) ++failures[w];
    }
  };
  std::thread t0(adder, 0);
  std::thread t1(adder, 1);
  t0.join();
  t1.join();
  CHECK(failures[0] == 0);
  CHECK(failures[1] == 0);
  const auto stats = json::parse(run_l4({"history", "stats", "--db", db}).out);
  CHECK(stats["jobs"] == 2 * kEach);
  CHECK(stats["lines"] == 2 * kEach * 28);
}
