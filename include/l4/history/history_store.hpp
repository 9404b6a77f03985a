#pragma once
// HistoryStore: the history of normal (successful) jobs in an SQLite database — per job its id,
// style and node count; per job and template the count, the nodes and the stages. Diagnosis reads
// it as a HistoryKnowledge to discount events that normal jobs show too (L4's cross-job pattern).
//
// Why SQLite: one file that many batch jobs can append to at once. The store opens the database
// in WAL mode with a busy timeout, and every write is one BEGIN IMMEDIATE transaction, so
// concurrent writers (threads with their own HistoryStore, or processes) wait for each other
// instead of failing, and nothing is lost. One HistoryStore object is not meant to be shared
// between threads: give each thread its own.
//
// The schema is versioned (table meta, key schema_version); a database written by a newer l4 is
// refused with l4::InputError rather than misread. The file says it is an l4 history
// (PRAGMA application_id); any other SQLite database is refused before anything in it is changed.
// Readers (diagnose, list, stats) open it read-only: a shared history on a read-only mount works.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "l4/diagnose/history_knowledge.hpp"
#include "l4/diagnose/job_profile.hpp"

struct sqlite3;

namespace l4::history {

// The store persists what diagnosis produces (a JobProfile) and gives back what it reads (a
// HistoryKnowledge): both are diagnose's value types.
using diagnose::HistoryKnowledge;
using diagnose::JobProfile;

// One stored job, as `l4 history list` shows it.
struct JobInfo {
  std::string id;
  std::string style;
  std::uint32_t nodes = 0;
  std::uint64_t lines = 0;
  std::uint64_t templates = 0;  // distinct templates stored for the job
  std::string added_at;         // UTC, ISO 8601 ("2026-11-24T18:43:46Z"); replaced on re-add
};

// Size of the history, as `l4 history stats` shows it.
struct HistoryStats {
  std::string db;
  int schema_version = 0;
  std::uint64_t jobs = 0;
  std::uint64_t templates = 0;  // distinct templates over all jobs
  std::uint64_t lines = 0;      // used lines, summed over all jobs
};

class HistoryStore {
 public:
  // The schema version this l4 writes and reads.
  static constexpr int kSchemaVersion = 1;
  // PRAGMA application_id of an l4 history: "l4hs".
  static constexpr std::int64_t kApplicationId = 0x6C346873;

  enum class Access {
    read_write,  // creates the file and schema when missing, migrates, sets WAL mode
    read_only,   // changes nothing, creates nothing; add_job/remove_job throw l4::Error
  };

  // Opens `db`. read_write: creates the file and its parent directories when missing; sets WAL
  // mode, a busy timeout and foreign keys, and creates or migrates the schema. read_only: the file
  // must exist; an empty SQLite file reads as an empty history. Throws l4::InputError naming the
  // file when it is not an SQLite database, is another application's database (application_id,
  // tables), was written by a newer l4, or cannot be opened or created.
  explicit HistoryStore(const std::filesystem::path& db, Access access = Access::read_write);
  ~HistoryStore();
  HistoryStore(HistoryStore&&) noexcept;
  HistoryStore& operator=(HistoryStore&&) noexcept;
  HistoryStore(const HistoryStore&) = delete;
  HistoryStore& operator=(const HistoryStore&) = delete;

  // Where the history lives by default: $L4_HISTORY, else $XDG_DATA_HOME/l4/history.db, else
  // $HOME/.local/share/l4/history.db. Throws l4::InputError when none of them is set.
  static std::filesystem::path default_path();

  // Stores the job, replacing everything stored before under the same job id (so adding a job
  // twice leaves one copy). Returns true when it replaced an existing job. One transaction.
  // Throws l4::InputError for an empty job id.
  bool add_job(const JobProfile& job);
  // Removes the job and the templates no other job has; false when the id is unknown.
  bool remove_job(std::string_view job_id);

  // Stored jobs ordered by id.
  [[nodiscard]] std::vector<JobInfo> list_jobs() const;
  [[nodiscard]] HistoryStats stats() const;
  // Everything diagnosis needs, read in one transaction (a consistent snapshot).
  [[nodiscard]] HistoryKnowledge load() const;
  // load() of the database at `db` opened read-only, or an empty history (jobs = 0, db set) when
  // there is no file there — without creating one, so a reader never leaves an empty database
  // behind.
  [[nodiscard]] static HistoryKnowledge load_if_exists(const std::filesystem::path& db);

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  struct Closer {
    void operator()(sqlite3* db) const noexcept;
  };
  void open_read_only();
  void require_writable() const;
  std::filesystem::path path_;
  Access access_ = Access::read_write;
  bool empty_ = false;  // read-only open of an SQLite file with no tables: an empty history
  std::unique_ptr<sqlite3, Closer> db_;
};

}  // namespace l4::history
