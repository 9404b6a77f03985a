#pragma once
// LogFormat: one compiled header format. Two sources compile to the same thing:
//  - known formats from data/formats.json (PyTorch glog, Python logging, NCCL, dmesg, ISO-8601,
//    syslog ...): an RE2 pattern with named groups timestamp/level/component/content;
//  - Loghub-style strings from the user, e.g. '<Date> <Time> <Level> <Component>: <Content>'
//    (angle-bracket fields; the text between them is literal, runs of spaces match any
//    whitespace, as in the Loghub benchmark's own parser). Fields named like Time/Date/Timestamp,
//    Level, Component map onto the Header; all fields stay available by name.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "l4/format/header.hpp"

namespace l4::format {

class LogFormat {
 public:
  // Compiles a Loghub-style format string. Throws l4::InputError when it has no <Content> field
  // or does not compile.
  static LogFormat from_loghub(std::string_view format_string);
  // Compiles an RE2 pattern with named groups (timestamp, level, component, content). A line it
  // splits with no level text gets `unstated` (KnownFormat::default_level).
  static LogFormat from_regex(std::string name, std::string_view pattern, Level unstated = Level::unknown);

  LogFormat(LogFormat&&) noexcept;
  LogFormat& operator=(LogFormat&&) noexcept;
  ~LogFormat();

  [[nodiscard]] const std::string& name() const;
  // The field names in order (Loghub formats: as written; regex formats: the named groups).
  [[nodiscard]] const std::vector<std::string>& fields() const;
  // The index in fields() of the message (<Content>, or the content group).
  [[nodiscard]] std::size_t content_field() const;

  // Splits a whole line. On success fills `out` (views into `line`) and returns true; otherwise
  // leaves `out` untouched and returns false.
  bool split(std::string_view line, Header& out) const;
  // Like split, but returns every field's value in fields() order (for Loghub CSV output).
  bool split_fields(std::string_view line, std::vector<std::string_view>& values) const;

 private:
  struct Impl;
  explicit LogFormat(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace l4::format
