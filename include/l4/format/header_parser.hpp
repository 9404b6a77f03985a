#pragma once
// HeaderParser: splits lines into Header parts. With no user format it recognises the formats
// distributed training stacks print (data/formats.json, each entry with sample lines that a test
// checks), after the formats of users' files (--formats) when given; with a Loghub-style user
// format (--log-format) it uses only that. A line no format matches keeps the whole line as
// content and is still used.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "l4/format/format_table.hpp"
#include "l4/format/header.hpp"
#include "l4/format/log_format.hpp"

namespace l4::format {

// The header formats a command splits lines with (its --log-format and --formats options).
struct FormatOptions {
  std::optional<std::string> log_format;  // Loghub-style; replaces the known formats
  std::vector<KnownFormat> user_formats;  // from formats files (load_format_file); tried before the known ones
};

class HeaderParser {
 public:
  // Known formats from the embedded data/formats.json.
  HeaderParser();
  // Only `user_format`.
  explicit HeaderParser(LogFormat user_format);
  // As `options` say. Throws l4::InputError for a --log-format that does not compile.
  explicit HeaderParser(const FormatOptions& options);

  // Never fails; unmatched lines come back with content == line and format empty.
  [[nodiscard]] Header split(std::string_view line) const;
  // Same, trying format number `hint` first and updating it to the one that matched: one stream
  // (a file) mostly keeps one format, so this costs one match per line. Start with hint = 0.
  [[nodiscard]] Header split(std::string_view line, std::size_t& hint) const;

  [[nodiscard]] const std::vector<LogFormat>& formats() const { return formats_; }

 private:
  void add(const std::vector<KnownFormat>& formats);

  std::vector<LogFormat> formats_;
};

}  // namespace l4::format
