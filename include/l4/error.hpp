#pragma once
// The one exception family l4 throws across its library boundary. The CLI catches l4::Error once,
// prints e.what() as a one-line message and exits with exit_code().
#include <stdexcept>
#include <string>

namespace l4 {

// Documented process exit codes (README, "Exit codes").
enum class ExitCode : int {
  ok = 0,          // ran and found/produced something
  nothing = 1,     // ran, but found nothing (meaning depends on the command)
  input = 2,       // usage error or unusable input
  internal = 3,    // a bug: an unexpected exception
};

// Base of every error l4 raises on purpose.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message, ExitCode code = ExitCode::input)
      : std::runtime_error(message), code_(code) {}
  [[nodiscard]] ExitCode exit_code() const noexcept { return code_; }

 private:
  ExitCode code_;
};

// Input that cannot be used: missing or unreadable file, corrupt gzip, bad format string...
// The message names the offending file or value.
class InputError : public Error {
 public:
  explicit InputError(const std::string& message) : Error(message, ExitCode::input) {}
};

}  // namespace l4
