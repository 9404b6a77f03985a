// HistoryStore under kill -9: a writer process is killed at its 1st, 2nd, 3rd ... file-system
// write (every xWrite, xSync, xTruncate and xDelete SQLite makes, through a VFS that counts them),
// until one run completes. After every kill the database opens, passes integrity_check, holds
// every job whose add_job returned, and no job half-written.
#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <string>
#include <vector>

#include "l4/history/history_store.hpp"
#include "support/test_support.hpp"

using l4::history::HistoryStore;
using l4::diagnose::JobProfile;
using l4::diagnose::TemplateProfile;

namespace {

// --- A VFS that forwards to the default one and kills the process at the N-th write ----------
sqlite3_vfs* g_real = nullptr;
long g_countdown = 0;  // kill when it reaches 0; negative: never

void write_point() {
  if (g_countdown > 0 && --g_countdown == 0) raise(SIGKILL);
}

struct CrashFile {
  sqlite3_file base;
  sqlite3_file* real;  // the default VFS's file, allocated right behind this struct
};
sqlite3_file* real_of(sqlite3_file* f) { return reinterpret_cast<CrashFile*>(f)->real; }

int x_close(sqlite3_file* f) { return real_of(f)->pMethods->xClose(real_of(f)); }
int x_read(sqlite3_file* f, void* p, int n, sqlite3_int64 o) { return real_of(f)->pMethods->xRead(real_of(f), p, n, o); }
int x_write(sqlite3_file* f, const void* p, int n, sqlite3_int64 o) {
  write_point();
  return real_of(f)->pMethods->xWrite(real_of(f), p, n, o);
}
int x_truncate(sqlite3_file* f, sqlite3_int64 size) {
  write_point();
  return real_of(f)->pMethods->xTruncate(real_of(f), size);
}
int x_sync(sqlite3_file* f, int flags) {
  write_point();
  return real_of(f)->pMethods->xSync(real_of(f), flags);
}
int x_size(sqlite3_file* f, sqlite3_int64* size) { return real_of(f)->pMethods->xFileSize(real_of(f), size); }
int x_lock(sqlite3_file* f, int l) { return real_of(f)->pMethods->xLock(real_of(f), l); }
int x_unlock(sqlite3_file* f, int l) { return real_of(f)->pMethods->xUnlock(real_of(f), l); }
int x_check(sqlite3_file* f, int* out) { return real_of(f)->pMethods->xCheckReservedLock(real_of(f), out); }
int x_control(sqlite3_file* f, int op, void* arg) { return real_of(f)->pMethods->xFileControl(real_of(f), op, arg); }
int x_sector(sqlite3_file* f) { return real_of(f)->pMethods->xSectorSize(real_of(f)); }
int x_device(sqlite3_file* f) { return real_of(f)->pMethods->xDeviceCharacteristics(real_of(f)); }
int x_shm_map(sqlite3_file* f, int page, int size, int extend, void volatile** p) {
  return real_of(f)->pMethods->xShmMap(real_of(f), page, size, extend, p);
}
int x_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
  return real_of(f)->pMethods->xShmLock(real_of(f), offset, n, flags);
}
void x_shm_barrier(sqlite3_file* f) { real_of(f)->pMethods->xShmBarrier(real_of(f)); }
int x_shm_unmap(sqlite3_file* f, int del) { return real_of(f)->pMethods->xShmUnmap(real_of(f), del); }

const sqlite3_io_methods kMethods = {2,          x_close,    x_read,    x_write,       x_truncate,  x_sync,
                                     x_size,     x_lock,     x_unlock,  x_check,       x_control,   x_sector,
                                     x_device,   x_shm_map,  x_shm_lock, x_shm_barrier, x_shm_unmap, nullptr,
                                     nullptr};

int x_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  auto* file = reinterpret_cast<CrashFile*>(f);
  file->base.pMethods = nullptr;
  file->real = reinterpret_cast<sqlite3_file*>(file + 1);
  const int rc = g_real->xOpen(g_real, name, file->real, flags, out_flags);
  if (rc == SQLITE_OK && file->real->pMethods != nullptr) file->base.pMethods = &kMethods;
  return rc;
}
int x_delete(sqlite3_vfs*, const char* name, int sync_dir) {
  write_point();
  return g_real->xDelete(g_real, name, sync_dir);
}
int x_access(sqlite3_vfs*, const char* name, int flags, int* out) { return g_real->xAccess(g_real, name, flags, out); }
int x_full(sqlite3_vfs*, const char* name, int n, char* out) { return g_real->xFullPathname(g_real, name, n, out); }
int x_random(sqlite3_vfs*, int n, char* out) { return g_real->xRandomness(g_real, n, out); }
int x_sleep(sqlite3_vfs*, int us) { return g_real->xSleep(g_real, us); }
int x_time(sqlite3_vfs*, double* t) { return g_real->xCurrentTime(g_real, t); }
int x_error(sqlite3_vfs*, int n, char* out) { return g_real->xGetLastError(g_real, n, out); }

// Makes the crashing VFS the default in this (child) process: kill at write number `point`.
void install_crash_vfs(long point) {
  static sqlite3_vfs vfs{};
  g_real = sqlite3_vfs_find(nullptr);
  vfs.iVersion = 1;
  vfs.szOsFile = static_cast<int>(sizeof(CrashFile)) + g_real->szOsFile;
  vfs.mxPathname = g_real->mxPathname;
  vfs.zName = "l4-crash";
  vfs.xOpen = x_open;
  vfs.xDelete = x_delete;
  vfs.xAccess = x_access;
  vfs.xFullPathname = x_full;
  vfs.xRandomness = x_random;
  vfs.xSleep = x_sleep;
  vfs.xCurrentTime = x_time;
  vfs.xGetLastError = x_error;
  g_countdown = point;
  sqlite3_vfs_register(&vfs, 1);
}

JobProfile job(int i) {
  std::vector<TemplateProfile> templates;
  for (int t = 0; t < 40; ++t) {  // enough rows that a job spans several pages
    const auto id = (static_cast<l4::parse::TemplateId>(i) << 32U) | static_cast<l4::parse::TemplateId>(t);
    templates.push_back(TemplateProfile{id, "template " + std::to_string(t) + " of job " + std::to_string(i) + " <*>",
                                        static_cast<std::uint64_t>(t + 1), 2, 1});
  }
  return JobProfile{"job-" + std::to_string(i), "megatron", 2, 820, std::move(templates)};
}

std::string first_value(const std::filesystem::path& db, const char* sql) {
  sqlite3* h = nullptr;
  sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READWRITE, nullptr);
  sqlite3_stmt* s = nullptr;
  std::string value;
  if (sqlite3_prepare_v2(h, sql, -1, &s, nullptr) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW &&
      sqlite3_column_text(s, 0) != nullptr) {
    value = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
  }
  sqlite3_finalize(s);
  sqlite3_close(h);
  return value;
}

}  // namespace

TEST_CASE("kill -9 at every write point of history add loses nothing committed and half-writes nothing",
          "[history][crash]") {
  constexpr int kJobs = 3;
  long points = 0;
  for (long point = 1; point < 10000; ++point) {
    l4::test::TempDir dir;
    const auto db = dir.path() / "history.db";
    {  // one job is there before the writer starts: it must survive every kill
      HistoryStore seed(db);
      seed.add_job(job(100));
    }
    int report[2];
    REQUIRE(pipe(report) == 0);
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      close(report[0]);
      install_crash_vfs(point);
      try {
        HistoryStore store(db);
        for (int i = 0; i < kJobs; ++i) {
          store.add_job(job(i));
          const char done = static_cast<char>('0' + i);
          if (write(report[1], &done, 1) != 1) _exit(3);  // job i committed
        }
        store.remove_job("job-1");
        if (write(report[1], "r", 1) != 1) _exit(3);
      } catch (...) {
        _exit(2);
      }
      _exit(0);
    }
    close(report[1]);
    std::string committed;
    char c = 0;
    while (read(report[0], &c, 1) == 1) committed.push_back(c);
    close(report[0]);
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    INFO("kill point " << point << ", committed before the kill: '" << committed << "'");
    const bool finished = WIFEXITED(status);
    if (finished) REQUIRE(WEXITSTATUS(status) == 0);
    if (!finished) REQUIRE((WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL));

    HistoryStore after(db);  // recovers the journal or WAL of the killed writer
    CHECK(first_value(db, "PRAGMA integrity_check") == "ok");
    const auto jobs = after.list_jobs();
    std::vector<std::string> ids;
    for (const auto& j : jobs) {
      ids.push_back(j.id);
      CHECK(j.templates == 40);  // whole, never half a job
    }
    CHECK(std::find(ids.begin(), ids.end(), "job-100") != ids.end());
    for (int i = 0; i < kJobs; ++i) {
      const bool acknowledged = committed.find(static_cast<char>('0' + i)) != std::string::npos;
      const bool removed = i == 1 && committed.find('r') != std::string::npos;
      const bool present = std::find(ids.begin(), ids.end(), "job-" + std::to_string(i)) != ids.end();
      if (acknowledged && !removed) CHECK(present);
      if (removed) CHECK_FALSE(present);
    }
    CHECK(after.load().jobs == jobs.size());
    ++points;
    if (finished) break;
  }
  WARN(points << " kill points, the last one a complete run");
  CHECK(points > 10);  // the writer really was killed at many places before it could finish
}
