// HistoryStore: schema and version, add/list/stats/remove, idempotent re-add, the aggregates
// load() gives diagnosis, concurrent writers, bad files and the default location.
#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "l4/history/history_store.hpp"
#include "l4/error.hpp"
#include "support/test_support.hpp"

using l4::history::HistoryStore;
using l4::diagnose::JobProfile;
using l4::diagnose::Stage;
using l4::diagnose::stage_bit;
using l4::diagnose::TemplateProfile;

namespace {

TemplateProfile tpl(l4::parse::TemplateId id, std::uint64_t count, std::uint32_t nodes, l4::diagnose::StageMask stages) {
  return TemplateProfile{id, "text of " + l4::parse::to_hex(id) + " <*>", count, nodes, stages};
}

JobProfile job(std::string id, std::uint32_t nodes, std::vector<TemplateProfile> templates) {
  std::uint64_t lines = 0;
  for (const auto& t : templates) lines += t.count;
  return JobProfile{std::move(id), "megatron", nodes, lines, std::move(templates)};
}

// Runs one SQL query on the raw file and returns the first column of the first row as text.
std::string query(const std::filesystem::path& db, const std::string& sql) {
  sqlite3* h = nullptr;
  REQUIRE(sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  REQUIRE(sqlite3_prepare_v2(h, sql.c_str(), -1, &s, nullptr) == SQLITE_OK);
  std::string value;
  if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0) != nullptr) {
    value = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
  }
  sqlite3_finalize(s);
  sqlite3_close(h);
  return value;
}

// Sets an environment variable for one scope and restores the previous value afterwards.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value == nullptr) {
      unsetenv(name);
    } else {
      setenv(name, value, 1);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      setenv(name_, old_->c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

}  // namespace

TEST_CASE("a new history gets the versioned schema in WAL mode", "[history]") {
  l4::test::TempDir dir;
  const auto db = dir.path() / "nested" / "dirs" / "history.db";
  {
    HistoryStore store(db);
    CHECK(store.path() == db);
    CHECK(store.stats().schema_version == HistoryStore::kSchemaVersion);
  }
  REQUIRE(std::filesystem::exists(db));
  CHECK(query(db, "SELECT value FROM meta WHERE key = 'schema_version'") == "1");
  CHECK(query(db, "PRAGMA journal_mode") == "wal");
  for (const char* table : {"meta", "jobs", "templates", "job_templates"}) {
    CHECK(query(db, std::string("SELECT name FROM sqlite_master WHERE type='table' AND name='") + table + "'") ==
          table);
  }
  CHECK(query(db, "SELECT name FROM sqlite_master WHERE type='index' AND tbl_name='job_templates' "
                  "AND sql LIKE '%(template_id)%'") == "job_templates_by_template");
  // Reopening an up-to-date database keeps it as it is.
  HistoryStore again(db);
  CHECK(again.stats().jobs == 0);
}

TEST_CASE("a history written by a newer l4 is refused", "[history]") {
  l4::test::TempDir dir;
  const auto db = dir.path() / "history.db";
  { HistoryStore store(db); }
  query(db, "UPDATE meta SET value = '99' WHERE key = 'schema_version'");
  REQUIRE(query(db, "SELECT value FROM meta WHERE key = 'schema_version'") == "99");
  CHECK_THROWS_AS(HistoryStore(db), l4::InputError);
  CHECK_THROWS_WITH(HistoryStore(db), Catch::Contains("schema version 99") && Catch::Contains(db.string()));
}

TEST_CASE("a file that is not SQLite is an InputError naming it", "[history]") {
  l4::test::TempDir dir;
  const auto bogus = dir.write("not-a-db.db", std::string(4096, 'x') + "\nthis is a log file, not a database\n");
  CHECK_THROWS_AS(HistoryStore(bogus), l4::InputError);
  CHECK_THROWS_WITH(HistoryStore(bogus), Catch::Contains(bogus.string()) && Catch::Contains("not an SQLite"));
  // A directory where the file should be cannot be opened either.
  std::filesystem::create_directories(dir.path() / "a-dir.db");
  CHECK_THROWS_WITH(HistoryStore(dir.path() / "a-dir.db"), Catch::Contains("a-dir.db"));
}

TEST_CASE("a history says what it is: application_id, set on creation and on a legacy file's next write",
          "[history]") {
  l4::test::TempDir dir;
  const auto db = dir.path() / "history.db";
  { HistoryStore store(db); }
  CHECK(query(db, "PRAGMA application_id") == std::to_string(HistoryStore::kApplicationId));
  // A history written before l4 set an application_id is still an l4 history (its tables say so).
  query(db, "PRAGMA application_id = 0");
  REQUIRE(query(db, "PRAGMA application_id") == "0");
  CHECK(HistoryStore(db, HistoryStore::Access::read_only).stats().schema_version == 1);
  CHECK(query(db, "PRAGMA application_id") == "0");  // a reader changes nothing
  { HistoryStore writer(db); }
  CHECK(query(db, "PRAGMA application_id") == std::to_string(HistoryStore::kApplicationId));
}

TEST_CASE("another application's SQLite file is refused before anything in it changes", "[history]") {
  l4::test::TempDir dir;
  const auto db = dir.path() / "app.db";
  std::ofstream(db).close();  // an empty file is an empty SQLite database
  query(db, "CREATE TABLE users(id INTEGER PRIMARY KEY)");
  for (const auto access : {HistoryStore::Access::read_write, HistoryStore::Access::read_only}) {
    CHECK_THROWS_AS(HistoryStore(db, access), l4::InputError);
    CHECK_THROWS_WITH(HistoryStore(db, access), Catch::Contains(db.string()) && Catch::Contains("not an l4 history"));
  }
  CHECK(query(db, "PRAGMA journal_mode") == "delete");
  CHECK(query(db, "SELECT count(*) FROM sqlite_master WHERE name = 'jobs'") == "0");
  query(db, "PRAGMA application_id = 42");
  CHECK_THROWS_WITH(HistoryStore(db), Catch::Contains("another application (application_id 0x2a)"));
}

TEST_CASE("template ids are 16 hex digits in the file and typed ids in memory; others are refused", "[history]") {
  l4::test::TempDir dir;
  const auto db = dir.path() / "history.db";
  HistoryStore(db).add_job(job("j", 1, {tpl(0x00000000000000ee, 3, 1, 0)}));
  CHECK(query(db, "SELECT template_id FROM templates") == "00000000000000ee");
  CHECK(HistoryStore(db).load().find(0xee) != nullptr);
  query(db, "UPDATE job_templates SET template_id = 'not-an-id'");
  query(db, "UPDATE templates SET template_id = 'not-an-id'");
  CHECK_THROWS_AS(HistoryStore(db).load(), l4::InputError);
  CHECK_THROWS_WITH(HistoryStore(db).load(), Catch::Contains("'not-an-id' is not 16 hex digits"));
}

TEST_CASE("read-only access creates nothing, changes nothing and refuses writes", "[history]") {
  l4::test::TempDir dir;
  const auto db = dir.path() / "history.db";
  CHECK_THROWS_AS(HistoryStore(db, HistoryStore::Access::read_only), l4::InputError);  // must exist
  CHECK_FALSE(std::filesystem::exists(db));
  HistoryStore(db).add_job(job("j", 1, {tpl(0x00000000000000ee, 3, 1, 0)}));
  HistoryStore reader(db, HistoryStore::Access::read_only);
  CHECK(reader.list_jobs().size() == 1);
  CHECK(reader.load().job_fraction(0x00000000000000ee) == 1.0);
  CHECK_THROWS_WITH(reader.add_job(job("k", 1, {})), Catch::Contains("read-only"));
  CHECK_THROWS_WITH(reader.remove_job("j"), Catch::Contains("read-only"));
  CHECK(HistoryStore(db).list_jobs().size() == 1);
  // An SQLite file with no tables at all reads as an empty history.
  const auto empty = dir.path() / "empty.db";
  std::ofstream(empty).close();
  CHECK(HistoryStore(empty, HistoryStore::Access::read_only).load().jobs == 0);
  CHECK(std::filesystem::file_size(empty) == 0);
}

TEST_CASE("add, list, stats and remove jobs", "[history]") {
  l4::test::TempDir dir;
  HistoryStore store(dir.path() / "h.db");
  const auto train = stage_bit(Stage::training);
  CHECK_FALSE(store.add_job(job("job-b", 4, {tpl(0x00000000000000aa, 10, 4, train),
                                             tpl(0x00000000000000bb, 2, 1, train)})));
  CHECK_FALSE(store.add_job(job("job-a", 2, {tpl(0x00000000000000aa, 6, 2, train)})));

  const auto jobs = store.list_jobs();
  REQUIRE(jobs.size() == 2);
  CHECK(jobs[0].id == "job-a");  // ordered by id, not by insertion
  CHECK(jobs[1].id == "job-b");
  CHECK(jobs[1].style == "megatron");
  CHECK(jobs[1].nodes == 4);
  CHECK(jobs[1].lines == 12);
  CHECK(jobs[1].templates == 2);
  CHECK(jobs[0].templates == 1);
  CHECK(jobs[0].added_at.size() == 20);  // 2026-11-24T18:43:46Z
  CHECK(jobs[0].added_at.back() == 'Z');

  auto s = store.stats();
  CHECK(s.jobs == 2);
  CHECK(s.templates == 2);
  CHECK(s.lines == 18);
  CHECK(s.db == (dir.path() / "h.db").string());

  CHECK(store.remove_job("job-b"));
  CHECK_FALSE(store.remove_job("job-b"));
  CHECK_FALSE(store.remove_job("no-such-job"));
  s = store.stats();
  CHECK(s.jobs == 1);
  CHECK(s.templates == 1);  // bb was only in job-b: gone with it
  CHECK(s.lines == 6);
  CHECK(query(store.path(), "SELECT count(*) FROM job_templates") == "1");
  CHECK_THROWS_AS(store.add_job(job("", 1, {})), l4::InputError);
}

TEST_CASE("adding the same job id twice keeps one job and does not double counts", "[history]") {
  l4::test::TempDir dir;
  HistoryStore store(dir.path() / "h.db");
  const auto init = stage_bit(Stage::init);
  const auto first = job("normal-1", 2, {tpl(0x0000000000000001, 5, 2, init), tpl(0x0000000000000002, 3, 1, init)});
  CHECK_FALSE(store.add_job(first));
  CHECK(store.add_job(first));
  auto k = store.load();
  CHECK(k.jobs == 1);
  REQUIRE(k.find(0x0000000000000001) != nullptr);
  CHECK(k.find(0x0000000000000001)->count == 5);
  CHECK(store.list_jobs().size() == 1);

  // A re-add replaces: a template the new profile lacks disappears.
  CHECK(store.add_job(job("normal-1", 2, {tpl(0x0000000000000001, 7, 2, init)})));
  k = store.load();
  CHECK(k.jobs == 1);
  CHECK(k.templates.size() == 1);
  CHECK(k.find(0x0000000000000001)->count == 7);
  CHECK(k.find(0x0000000000000002) == nullptr);
  CHECK(store.stats().templates == 1);
}

TEST_CASE("load aggregates job counts, mean count per node and stage union", "[history]") {
  l4::test::TempDir dir;
  HistoryStore store(dir.path() / "h.db");
  const auto init = stage_bit(Stage::init);
  const auto train = stage_bit(Stage::training);
  const auto ckpt = stage_bit(Stage::checkpoint);
  store.add_job(job("j1", 4, {tpl(0x000000000000000a, 8, 4, init), tpl(0x000000000000000b, 1, 1, train)}));
  store.add_job(job("j2", 2, {tpl(0x000000000000000a, 4, 2, train | init)}));
  store.add_job(job("j3", 2, {tpl(0x000000000000000a, 12, 1, ckpt)}));
  store.add_job(job("j4", 0, {tpl(0x000000000000000c, 3, 0, 0)}));  // unknown node count

  const auto k = store.load();
  CHECK(k.db == store.path().string());
  CHECK(k.jobs == 4);
  REQUIRE(k.templates.size() == 3);

  const auto* a = k.find(0x000000000000000a);
  REQUIRE(a != nullptr);
  CHECK(a->text == "text of 000000000000000a <*>");
  CHECK(a->jobs == 3);
  CHECK(a->count == 24);
  CHECK(a->job_nodes == 8);
  CHECK(a->nodes_with == 7);
  CHECK(a->mean_per_node == Approx(24.0 / 8.0));
  CHECK(a->stages == (init | train | ckpt));
  CHECK(k.job_fraction(0x000000000000000a) == Approx(0.75));

  const auto* b = k.find(0x000000000000000b);
  REQUIRE(b != nullptr);
  CHECK(b->jobs == 1);
  CHECK(b->mean_per_node == Approx(0.25));
  CHECK(b->stages == train);
  CHECK(k.job_fraction(0x000000000000000b) == Approx(0.25));

  const auto* c = k.find(0x000000000000000c);
  REQUIRE(c != nullptr);
  CHECK(c->job_nodes == 1);  // 0 nodes counts as one
  CHECK(c->mean_per_node == Approx(3.0));

  CHECK(k.find(0xffffffffffffffff) == nullptr);
  CHECK(k.job_fraction(0xffffffffffffffff) == 0.0);

  HistoryStore empty(dir.path() / "empty.db");
  const auto none = empty.load();
  CHECK(none.jobs == 0);
  CHECK(none.templates.empty());
  CHECK(none.job_fraction(0x000000000000000a) == 0.0);
}

TEST_CASE("two writers at once lose nothing", "[history]") {
  l4::test::TempDir dir;
  const auto db = dir.path() / "shared" / "history.db";
  constexpr int kJobsEach = 20;
  std::vector<std::string> errors(2);
  auto writer = [&](int w) {
    try {
      HistoryStore store(db);  // each writer opens its own connection, racing on creation too
      for (int i = 0; i < kJobsEach; ++i) {
        const std::string id = "w" + std::to_string(w) + "-job-" + std::to_string(i);
        store.add_job(job(id, 2, {tpl(0x00000000000000aa, 1, 1, stage_bit(Stage::training)),
                                  tpl(0x100 + static_cast<l4::parse::TemplateId>(w), 2, 2, 0)}));
      }
    } catch (const std::exception& e) {
      errors[static_cast<std::size_t>(w)] = e.what();
    }
  };
  std::thread t0(writer, 0);
  std::thread t1(writer, 1);
  t0.join();
  t1.join();
  INFO("writer errors: '" << errors[0] << "' '" << errors[1] << "'");
  CHECK(errors[0].empty());
  CHECK(errors[1].empty());

  HistoryStore store(db);
  CHECK(store.list_jobs().size() == 2 * kJobsEach);
  const auto k = store.load();
  CHECK(k.jobs == 2 * kJobsEach);
  REQUIRE(k.find(0x00000000000000aa) != nullptr);
  CHECK(k.find(0x00000000000000aa)->jobs == 2 * kJobsEach);
  CHECK(k.find(0x00000000000000aa)->count == 2 * kJobsEach);
  REQUIRE(k.find(0x0000000000000100) != nullptr);
  CHECK(k.find(0x0000000000000100)->jobs == kJobsEach);
  REQUIRE(k.find(0x0000000000000101) != nullptr);
  CHECK(k.find(0x0000000000000101)->jobs == kJobsEach);
}

TEST_CASE("two writer processes at once lose nothing", "[history]") {
  l4::test::TempDir dir;
  const auto db = dir.path() / "history.db";
  constexpr int kJobsEach = 20;
  int gate[2];  // children start together when the parent closes the write end
  REQUIRE(pipe(gate) == 0);
  std::vector<pid_t> children;
  for (int w = 0; w < 2; ++w) {
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {  // child: its own connection, its own POSIX locks
      close(gate[1]);
      char c = 0;
      const auto got = read(gate[0], &c, 1);  // 0 at EOF: the gate is open
      int status = got == 0 ? 0 : 2;
      try {
        HistoryStore store(db);
        for (int i = 0; i < kJobsEach; ++i) {
          store.add_job(job("p" + std::to_string(w) + "-" + std::to_string(i), 1,
                            {tpl(0x00000000000000cc, 1, 1, stage_bit(Stage::training))}));
        }
      } catch (const std::exception& e) {
        std::fprintf(stderr, "writer process %d: %s\n", w, e.what());
        status = 1;
      }
      _exit(status);
    }
    children.push_back(pid);
  }
  close(gate[0]);
  close(gate[1]);
  for (const pid_t pid : children) {
    int status = -1;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
  }
  const auto k = HistoryStore(db).load();
  CHECK(k.jobs == 2 * kJobsEach);
  REQUIRE(k.find(0x00000000000000cc) != nullptr);
  CHECK(k.find(0x00000000000000cc)->count == 2 * kJobsEach);
}

TEST_CASE("load_if_exists reads a history without creating one", "[history]") {
  l4::test::TempDir dir;
  const auto missing = dir.path() / "none" / "history.db";
  const auto empty = HistoryStore::load_if_exists(missing);
  CHECK(empty.jobs == 0);
  CHECK(empty.templates.empty());
  CHECK(empty.db == missing.string());
  CHECK_FALSE(std::filesystem::exists(dir.path() / "none"));

  const auto db = dir.path() / "h.db";
  HistoryStore(db).add_job(job("j", 1, {tpl(0x00000000000000dd, 2, 1, 0)}));
  const auto k = HistoryStore::load_if_exists(db);
  CHECK(k.jobs == 1);
  CHECK(k.job_fraction(0x00000000000000dd) == 1.0);
}

TEST_CASE("default_path honours L4_HISTORY, then XDG_DATA_HOME, then HOME", "[history]") {
  ScopedEnv history("L4_HISTORY", "/tmp/custom/h.db");
  ScopedEnv xdg("XDG_DATA_HOME", "/tmp/xdg-data");
  ScopedEnv home("HOME", "/home/someone");
  CHECK(HistoryStore::default_path() == "/tmp/custom/h.db");
  {
    ScopedEnv no_history("L4_HISTORY", nullptr);
    CHECK(HistoryStore::default_path() == "/tmp/xdg-data/l4/history.db");
    {
      ScopedEnv relative_xdg("XDG_DATA_HOME", "relative/dir");  // ignored, as the XDG spec says
      CHECK(HistoryStore::default_path() == "/home/someone/.local/share/l4/history.db");
    }
    ScopedEnv no_xdg("XDG_DATA_HOME", nullptr);
    CHECK(HistoryStore::default_path() == "/home/someone/.local/share/l4/history.db");
    ScopedEnv no_home("HOME", nullptr);
    CHECK_THROWS_AS(HistoryStore::default_path(), l4::InputError);
  }
}

// Not run by default (hidden tag): how long adding and loading a large history takes.
//   build/l4_tests "[history-bench]"
TEST_CASE("history size and speed: 200 jobs x 2000 templates", "[.][history-bench]") {
  l4::test::TempDir dir;
  HistoryStore store(dir.path() / "big.db");
  constexpr int kJobs = 200;
  constexpr int kTemplates = 2000;
  const auto start = std::chrono::steady_clock::now();
  for (int j = 0; j < kJobs; ++j) {
    std::vector<TemplateProfile> templates;
    templates.reserve(kTemplates);
    for (int t = 0; t < kTemplates; ++t) {
      // Jobs share most templates: job j has templates j .. j + kTemplates.
      const auto id = static_cast<l4::parse::TemplateId>(j + t);
      templates.push_back(tpl(id, static_cast<std::uint64_t>(t % 50 + 1), 8, stage_bit(Stage::training)));
    }
    store.add_job(job("job-" + std::to_string(j), 8, std::move(templates)));
  }
  const auto added = std::chrono::steady_clock::now();
  const auto k = store.load();
  const auto loaded = std::chrono::steady_clock::now();
  using ms = std::chrono::duration<double, std::milli>;
  const auto bytes = std::filesystem::file_size(store.path()) +
                     std::filesystem::file_size(store.path().string() + "-wal");
  std::printf("history-bench: %d jobs x %d templates: add %.1f ms/job, load %.0f ms for %zu templates, "
              "%.1f MB on disk\n",
              kJobs, kTemplates, ms(added - start).count() / kJobs, ms(loaded - added).count(),
              k.templates.size(), static_cast<double>(bytes) / 1e6);
  CHECK(k.jobs == kJobs);
  CHECK(k.templates.size() == kJobs - 1 + kTemplates);
}
