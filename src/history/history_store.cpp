#include "l4/history/history_store.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <system_error>
#include <thread>
#include <utility>

#include "l4/error.hpp"
#include "l4/parse/template_id.hpp"

namespace l4::history {
namespace {

using diagnose::StageMask;
using diagnose::TemplateHistory;


// How long a connection waits for another writer's lock before giving up. Batch writers hold
// the lock only for one job's insert, so 10 s is generous.
constexpr int kBusyTimeoutMs = 10'000;

// Every failure names the database. A file that is not SQLite, or cannot be opened, is bad
// input (exit 2); anything else SQLite reports is an l4::Error with SQLite's own message.
[[noreturn]] void fail(sqlite3* db, int rc, const std::filesystem::path& path, std::string_view doing) {
  const int primary = rc & 0xff;
  const std::string name = path.string();
  if (primary == SQLITE_NOTADB) throw InputError(name + " is not an SQLite database (history expected)");
  if (primary == SQLITE_CANTOPEN) throw InputError("cannot open history database " + name);
  const char* message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  if (primary == SQLITE_CORRUPT) throw InputError("history database " + name + " is corrupt: " + message);
  throw Error("history database " + name + ": " + std::string(doing) + ": " + message);
}

void exec(sqlite3* db, const char* sql, const std::filesystem::path& path) {
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) fail(db, rc, path, sql);
}

// A prepared statement; values are always bound, never spliced into SQL text.
class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql, const std::filesystem::path& path) : db_(db), path_(&path) {
    sqlite3_stmt* raw = nullptr;
    const int rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &raw, nullptr);
    stmt_.reset(raw);
    if (rc != SQLITE_OK) fail(db, rc, path, "preparing a statement");
  }

  Statement& bind(int index, std::string_view text) {
    check(sqlite3_bind_text(stmt_.get(), index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT));
    return *this;
  }
  Statement& bind(int index, std::int64_t value) {
    check(sqlite3_bind_int64(stmt_.get(), index, value));
    return *this;
  }
  Statement& bind(int index, std::uint64_t value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind(int index, std::uint32_t value) { return bind(index, static_cast<std::int64_t>(value)); }

  // Advances; true when a row is available.
  bool step() {
    const int rc = sqlite3_step(stmt_.get());
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    fail(db_, rc, *path_, sqlite3_sql(stmt_.get()));
  }
  // Runs a statement that returns no rows.
  void run() {
    while (step()) {
    }
  }
  // Ready for new bindings.
  void reset() {
    sqlite3_reset(stmt_.get());
    sqlite3_clear_bindings(stmt_.get());
  }

  [[nodiscard]] std::int64_t int64(int column) const { return sqlite3_column_int64(stmt_.get(), column); }
  [[nodiscard]] std::string text(int column) const {
    const auto* p = sqlite3_column_text(stmt_.get(), column);
    return p == nullptr ? std::string()
                        : std::string(reinterpret_cast<const char*>(p),
                                      static_cast<std::size_t>(sqlite3_column_bytes(stmt_.get(), column)));
  }

 private:
  void check(int rc) {
    if (rc != SQLITE_OK) fail(db_, rc, *path_, "binding a value");
  }
  struct Finalizer {
    void operator()(sqlite3_stmt* s) const noexcept { sqlite3_finalize(s); }
  };
  sqlite3* db_;
  const std::filesystem::path* path_;
  std::unique_ptr<sqlite3_stmt, Finalizer> stmt_;
};

// A transaction that rolls back unless committed. Writers use BEGIN IMMEDIATE: they take the
// write lock up front, so the busy timeout applies and two writers never deadlock upgrading a
// read lock. Readers use a deferred BEGIN, which in WAL mode gives a snapshot without blocking.
class Transaction {
 public:
  enum class Kind { read, write };
  Transaction(sqlite3* db, Kind kind, const std::filesystem::path& path) : db_(db), path_(&path) {
    exec(db_, kind == Kind::write ? "BEGIN IMMEDIATE" : "BEGIN", path);
  }
  ~Transaction() {
    if (open_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit() {
    exec(db_, "COMMIT", *path_);
    open_ = false;
  }

 private:
  sqlite3* db_;
  const std::filesystem::path* path_;
  bool open_ = true;
};

// l4_bit_or(x): bitwise OR over a group — the union of stage masks. SQLite has no such aggregate.
void bit_or_step(sqlite3_context* ctx, int /*argc*/, sqlite3_value** argv) {
  auto* acc = static_cast<sqlite3_int64*>(sqlite3_aggregate_context(ctx, sizeof(sqlite3_int64)));
  if (acc != nullptr && sqlite3_value_type(argv[0]) != SQLITE_NULL) *acc |= sqlite3_value_int64(argv[0]);
}
void bit_or_final(sqlite3_context* ctx) {
  auto* acc = static_cast<sqlite3_int64*>(sqlite3_aggregate_context(ctx, 0));
  sqlite3_result_int64(ctx, acc == nullptr ? 0 : *acc);
}

// Schema version 1. Template ids and texts live once in `templates`; `job_templates` holds the
// per-job statistics and goes away with its job (ON DELETE CASCADE).
constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE IF NOT EXISTS jobs(
  job_id   TEXT PRIMARY KEY NOT NULL,
  style    TEXT NOT NULL DEFAULT '',
  nodes    INTEGER NOT NULL,
  lines    INTEGER NOT NULL,
  added_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS templates(
  template_id TEXT PRIMARY KEY NOT NULL,
  text        TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS job_templates(
  job_id      TEXT NOT NULL REFERENCES jobs(job_id) ON DELETE CASCADE,
  template_id TEXT NOT NULL REFERENCES templates(template_id),
  count       INTEGER NOT NULL,
  nodes       INTEGER NOT NULL,
  stages      INTEGER NOT NULL,
  PRIMARY KEY(job_id, template_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS job_templates_by_template ON job_templates(template_id);
)sql";

// What an SQLite file holds, as far as l4 is concerned.
enum class Identity {
  empty,   // no tables at all (a new file): a history can be created in it
  history, // an l4 history (application_id set, or the meta table of an older l4)
};

// Refuses (l4::InputError) any SQLite file that is not an l4 history and not empty: another
// application's database must never be given l4's tables or switched to WAL.
Identity identify(sqlite3* db, const std::filesystem::path& path) {
  Statement app(db, "PRAGMA application_id", path);  // the first read: a non-SQLite file fails here
  const std::int64_t id = app.step() ? app.int64(0) : 0;
  if (id != 0 && id != HistoryStore::kApplicationId) {
    throw InputError(fmt::format("{} is an SQLite database of another application (application_id {:#x}), "
                                 "not an l4 history; use another --db",
                                 path.string(), id));
  }
  std::vector<std::string> tables;
  Statement list(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", path);
  while (list.step()) tables.push_back(list.text(0));
  if (tables.empty()) return Identity::empty;
  const auto has = [&](std::string_view t) { return std::find(tables.begin(), tables.end(), t) != tables.end(); };
  for (const char* needed : {"meta", "jobs", "templates", "job_templates"}) {
    if (!has(needed)) {
      throw InputError(fmt::format("{} is an SQLite database but not an l4 history (no table '{}'; it has {}); "
                                   "refusing to change it, use another --db",
                                   path.string(), needed, fmt::join(tables, ", ")));
    }
  }
  return Identity::history;
}

// The stored schema version: 0 when the database has none yet (new file).
int stored_version(sqlite3* db, const std::filesystem::path& path) {
  Statement has_meta(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'", path);
  if (!has_meta.step()) return 0;
  Statement get(db, "SELECT value FROM meta WHERE key = 'schema_version'", path);
  if (!get.step()) return 0;
  const std::string value = get.text(0);
  int version = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), version);
  if (ec != std::errc{} || end != value.data() + value.size() || version < 1) {
    throw InputError(path.string() + ": unreadable history schema_version '" + value + "'");
  }
  return version;
}

void check_not_newer(int version, const std::filesystem::path& path) {
  if (version > HistoryStore::kSchemaVersion) {
    throw InputError(path.string() + " has history schema version " + std::to_string(version) +
                     ", newer than the " + std::to_string(HistoryStore::kSchemaVersion) +
                     " this l4 understands; use a newer l4 or another --db");
  }
}

// Deletes templates that no stored job contains any more.
void remove_orphan_templates(sqlite3* db, const std::filesystem::path& path) {
  Statement(db,
            "DELETE FROM templates WHERE NOT EXISTS "
            "(SELECT 1 FROM job_templates jt WHERE jt.template_id = templates.template_id)",
            path)
      .run();
}

// Switches the database to WAL mode (persistent: later connections find it set). Changing the
// journal mode needs an exclusive lock, and SQLite may answer SQLITE_BUSY at once rather than
// through the busy handler while another process is doing the same on a new file; so retry
// for as long as the busy timeout.
void enable_wal(sqlite3* db, const std::filesystem::path& path) {
  {
    Statement current(db, "PRAGMA journal_mode", path);
    if (current.step() && current.text(0) == "wal") return;
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kBusyTimeoutMs);
  for (;;) {
    const int rc = sqlite3_exec(db, "PRAGMA journal_mode = WAL", nullptr, nullptr, nullptr);
    if (rc == SQLITE_OK) return;
    const int primary = rc & 0xff;
    if ((primary != SQLITE_BUSY && primary != SQLITE_LOCKED) || std::chrono::steady_clock::now() > deadline) {
      fail(db, rc, path, "PRAGMA journal_mode = WAL");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

std::int64_t application_id(sqlite3* db, const std::filesystem::path& path) {
  Statement app(db, "PRAGMA application_id", path);
  return app.step() ? app.int64(0) : 0;
}

void register_functions(sqlite3* db, const std::filesystem::path& path) {
  const int fn = sqlite3_create_function_v2(db, "l4_bit_or", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr, nullptr,
                                            bit_or_step, bit_or_final, nullptr);
  if (fn != SQLITE_OK) fail(db, fn, path, "registering l4_bit_or");
}

// `path` for an SQLite URI ("file:..."): the characters URIs give a meaning to are %-escaped.
std::string uri_path(const std::filesystem::path& path) {
  std::string out;
  std::error_code ec;
  const auto full = std::filesystem::absolute(path, ec);
  for (const char c : (ec ? path : full).string()) {
    if (c == '%' || c == '?' || c == '#') {
      out += fmt::format("%{:02X}", static_cast<unsigned char>(c));
    } else {
      out += c;
    }
  }
  return out;
}

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

}  // namespace

void HistoryStore::Closer::operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }

HistoryStore::HistoryStore(const std::filesystem::path& db, Access access) : path_(db), access_(access) {
  if (path_.empty()) throw InputError("empty history database path");
  if (access_ == Access::read_only) {
    open_read_only();
    return;
  }
  if (path_.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(path_.parent_path(), ec);
    if (ec) {
      throw InputError("cannot create directory " + path_.parent_path().string() + " for the history database: " +
                       ec.message());
    }
  }
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path_.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  db_.reset(raw);  // even a failed open returns a handle that must be closed
  if (rc != SQLITE_OK) fail(nullptr, rc, path_, "opening");
  sqlite3* h = db_.get();
  sqlite3_extended_result_codes(h, 1);
  sqlite3_busy_timeout(h, kBusyTimeoutMs);
  // The first statement reads the file header: this is where a non-SQLite file is detected; and
  // a foreign database is refused before anything is changed in it.
  identify(h, path_);
  exec(h, "PRAGMA foreign_keys = ON", path_);
  enable_wal(h, path_);
  // In WAL mode NORMAL cannot corrupt the database; a power cut may lose the last commits. For a
  // history that batch jobs append to, that is the right trade for not syncing on every commit.
  exec(h, "PRAGMA synchronous = NORMAL", path_);
  register_functions(h, path_);

  // Fast path without the write lock: an up-to-date database is only read (one written before
  // l4 set its application_id gets it on the next write).
  int version = stored_version(h, path_);
  check_not_newer(version, path_);
  if (version == kSchemaVersion && application_id(h, path_) == kApplicationId) return;

  Transaction tx(h, Transaction::Kind::write, path_);
  identify(h, path_);                  // another process may have created it meanwhile
  version = stored_version(h, path_);
  check_not_newer(version, path_);
  exec(h, fmt::format("PRAGMA application_id = {}", kApplicationId).c_str(), path_);
  exec(h, "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)", path_);
  if (version < 1) exec(h, kSchemaV1, path_);
  // Later versions migrate here: if (version < 2) { ALTER TABLE ... }
  Statement(h, "INSERT INTO meta(key, value) VALUES('schema_version', ?) "
               "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            path_)
      .bind(1, std::to_string(kSchemaVersion))
      .run();
  tx.commit();
}

void HistoryStore::open_read_only() {
  // A history on a read-only mount, or a file this user may not write: nothing is created, the
  // journal mode is not touched, nothing is migrated. A WAL database needs its -shm index; where
  // that cannot be created (a read-only directory) the file is opened as immutable, which is right
  // for a mount nobody can write to.
  for (const bool immutable : {false, true}) {
    sqlite3* raw = nullptr;
    const std::string uri = "file:" + uri_path(path_) + (immutable ? "?immutable=1" : "");
    const int rc = sqlite3_open_v2(uri.c_str(), &raw, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr);
    db_.reset(raw);
    if (rc != SQLITE_OK) fail(nullptr, rc, path_, "opening");
    sqlite3* h = db_.get();
    sqlite3_extended_result_codes(h, 1);
    sqlite3_busy_timeout(h, kBusyTimeoutMs);
    try {
      empty_ = identify(h, path_) == Identity::empty;
      if (!empty_) check_not_newer(stored_version(h, path_), path_);
      register_functions(h, path_);
      return;
    } catch (const Error& e) {
      // A WAL database whose -shm index cannot be created or initialised here reports
      // SQLITE_CANTOPEN or SQLITE_READONLY (_CANTINIT, _RECOVERY) on its first read.
      const int primary = sqlite3_extended_errcode(h) & 0xff;
      if (immutable || (primary != SQLITE_CANTOPEN && primary != SQLITE_READONLY)) throw;
      spdlog::debug("{}: {}; opening it as immutable", path_.string(), e.what());
    }
  }
}

HistoryStore::~HistoryStore() = default;
HistoryStore::HistoryStore(HistoryStore&&) noexcept = default;
HistoryStore& HistoryStore::operator=(HistoryStore&&) noexcept = default;

std::filesystem::path HistoryStore::default_path() {
  if (const auto explicit_db = env("L4_HISTORY"); !explicit_db.empty()) return explicit_db;
  // The XDG base-directory spec says relative values are to be ignored.
  if (const auto xdg = env("XDG_DATA_HOME"); !xdg.empty() && std::filesystem::path(xdg).is_absolute()) {
    return std::filesystem::path(xdg) / "l4" / "history.db";
  }
  if (const auto home = env("HOME"); !home.empty()) {
    return std::filesystem::path(home) / ".local" / "share" / "l4" / "history.db";
  }
  throw InputError("no history database location: set L4_HISTORY, XDG_DATA_HOME or HOME, or pass --db");
}

bool HistoryStore::add_job(const JobProfile& job) {
  if (job.job_id.empty()) throw InputError("cannot add a job with an empty id to " + path_.string());
  require_writable();
  sqlite3* h = db_.get();
  Transaction tx(h, Transaction::Kind::write, path_);

  Statement existing(h, "DELETE FROM jobs WHERE job_id = ?", path_);
  existing.bind(1, job.job_id).run();
  const bool replaced = sqlite3_changes(h) > 0;

  Statement(h, "INSERT INTO jobs(job_id, style, nodes, lines, added_at) "
               "VALUES(?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
            path_)
      .bind(1, job.job_id)
      .bind(2, job.style)
      .bind(3, job.node_count)
      .bind(4, job.lines)
      .run();

  Statement add_template(h, "INSERT INTO templates(template_id, text) VALUES(?, ?) "
                            "ON CONFLICT(template_id) DO NOTHING",
                         path_);
  // A profile lists each template once; should one repeat, its statistics are merged.
  Statement add_stats(h, "INSERT INTO job_templates(job_id, template_id, count, nodes, stages) "
                         "VALUES(?, ?, ?, ?, ?) ON CONFLICT(job_id, template_id) DO UPDATE SET "
                         "count = count + excluded.count, nodes = max(nodes, excluded.nodes), "
                         "stages = stages | excluded.stages",
                      path_);
  for (const auto& t : job.templates) {
    const std::string id = parse::to_hex(t.id);  // the store keeps ids as 16 hex digits
    add_template.bind(1, id).bind(2, t.text).run();
    add_template.reset();
    add_stats.bind(1, job.job_id).bind(2, id).bind(3, t.count).bind(4, t.nodes).bind(5, t.stages).run();
    add_stats.reset();
  }
  if (replaced) remove_orphan_templates(h, path_);
  tx.commit();
  return replaced;
}

bool HistoryStore::remove_job(std::string_view job_id) {
  require_writable();
  sqlite3* h = db_.get();
  Transaction tx(h, Transaction::Kind::write, path_);
  Statement(h, "DELETE FROM jobs WHERE job_id = ?", path_).bind(1, job_id).run();
  const bool removed = sqlite3_changes(h) > 0;
  if (removed) remove_orphan_templates(h, path_);
  tx.commit();
  return removed;
}

std::vector<JobInfo> HistoryStore::list_jobs() const {
  if (empty_) return {};
  Statement q(db_.get(),
              "SELECT j.job_id, j.style, j.nodes, j.lines, "
              "(SELECT count(*) FROM job_templates jt WHERE jt.job_id = j.job_id), j.added_at "
              "FROM jobs j ORDER BY j.job_id",
              path_);
  std::vector<JobInfo> jobs;
  while (q.step()) {
    jobs.push_back(JobInfo{q.text(0), q.text(1), static_cast<std::uint32_t>(q.int64(2)),
                           static_cast<std::uint64_t>(q.int64(3)), static_cast<std::uint64_t>(q.int64(4)),
                           q.text(5)});
  }
  return jobs;
}

HistoryStats HistoryStore::stats() const {
  if (empty_) {
    HistoryStats s;
    s.db = path_.string();
    return s;
  }
  Statement q(db_.get(),
              "SELECT (SELECT count(*) FROM jobs), (SELECT count(*) FROM templates), "
              "(SELECT coalesce(sum(lines), 0) FROM jobs), "
              "(SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'schema_version')",
              path_);
  HistoryStats s;
  s.db = path_.string();
  if (q.step()) {
    s.jobs = static_cast<std::uint64_t>(q.int64(0));
    s.templates = static_cast<std::uint64_t>(q.int64(1));
    s.lines = static_cast<std::uint64_t>(q.int64(2));
    s.schema_version = static_cast<int>(q.int64(3));
  }
  return s;
}

HistoryKnowledge HistoryStore::load() const {
  if (empty_) {
    HistoryKnowledge k;
    k.db = path_.string();
    return k;
  }
  sqlite3* h = db_.get();
  Transaction tx(h, Transaction::Kind::read, path_);
  HistoryKnowledge k;
  k.db = path_.string();
  {
    Statement jobs(h, "SELECT count(*) FROM jobs", path_);
    if (jobs.step()) k.jobs = static_cast<std::uint32_t>(jobs.int64(0));
  }
  // A job recorded with 0 nodes (unknown) counts as one node, so the mean stays finite.
  // CROSS JOIN fixes the join order (SQLite's documented way): job_templates is then read in
  // primary-key order, job by job, instead of through the template index with one random lookup
  // per row — about twice as fast on a large history.
  Statement q(h,
              "SELECT a.template_id, t.text, a.jobs, a.count, a.job_nodes, a.nodes_with, a.stages FROM "
              "(SELECT jt.template_id AS template_id, count(*) AS jobs, sum(jt.count) AS count, "
              "sum(max(j.nodes, 1)) AS job_nodes, sum(jt.nodes) AS nodes_with, l4_bit_or(jt.stages) AS stages "
              "FROM jobs j CROSS JOIN job_templates jt ON jt.job_id = j.job_id GROUP BY jt.template_id) a "
              "JOIN templates t ON t.template_id = a.template_id",
              path_);
  while (q.step()) {
    TemplateHistory t;
    t.text = q.text(1);
    t.jobs = static_cast<std::uint32_t>(q.int64(2));
    t.count = static_cast<std::uint64_t>(q.int64(3));
    t.job_nodes = static_cast<std::uint64_t>(q.int64(4));
    t.nodes_with = static_cast<std::uint64_t>(q.int64(5));
    t.stages = static_cast<StageMask>(q.int64(6));
    t.mean_per_node = t.job_nodes == 0 ? 0.0 : static_cast<double>(t.count) / static_cast<double>(t.job_nodes);
    const std::string id_text = q.text(0);
    const auto id = parse::parse_template_id(id_text);
    if (!id) {
      throw InputError(path_.string() + ": not an l4 history: template id '" + id_text + "' is not 16 hex digits");
    }
    k.templates.emplace(*id, std::move(t));
  }
  tx.commit();
  return k;
}

HistoryKnowledge HistoryStore::load_if_exists(const std::filesystem::path& db) {
  std::error_code ec;
  if (!std::filesystem::exists(db, ec)) {
    HistoryKnowledge empty;
    empty.db = db.string();
    return empty;
  }
  return HistoryStore(db, Access::read_only).load();
}

void HistoryStore::require_writable() const {
  if (access_ == Access::read_only) throw Error("history database " + path_.string() + " was opened read-only");
}

}  // namespace l4::history
