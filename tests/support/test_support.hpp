#pragma once
// Helpers shared by tests: running the l4 binary, temporary directories, fixture paths.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace l4::test {

// Result of running the l4 binary.
struct RunResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs the built l4 binary with `args` (no shell); `stdin_data` is piped to it.
RunResult run_l4(const std::vector<std::string>& args, const std::string& stdin_data = {});
// Runs `program` (a path, or a name looked up in PATH) with `args` (no shell).
RunResult run_program(const std::string& program, const std::vector<std::string>& args, const std::string& stdin_data = {});

// The same as a user without privileges, so that file permissions apply (as root, the tests run
// l4 through setpriv as nobody: root reads every file whatever its mode). Files the run must read
// have to be readable by others. can_run_unprivileged() is false when that is impossible here.
bool can_run_unprivileged();
RunResult run_l4_unprivileged(const std::vector<std::string>& args, const std::string& stdin_data = {});

// tests/fixtures/<relative>.
std::filesystem::path fixture(const std::string& relative);

// A fresh directory removed when the object goes out of scope.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  // Writes `content` to path()/relative (creating directories) and returns the full path.
  std::filesystem::path write(const std::string& relative, const std::string& content) const;

 private:
  std::filesystem::path path_;
};

// gzip-compresses `data` (for fixtures built at test time).
std::string gzip(const std::string& data);

// The bytes of a file (empty when it cannot be read).
std::string slurp(const std::filesystem::path& file);

}  // namespace l4::test
