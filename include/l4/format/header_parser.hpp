#pragma once
// HeaderParser: splits lines into Header parts. With no user format it recognises the formats
// distributed training stacks print (data/formats.json, each entry with sample lines that a test
// checks); with a user format (--log-format) it uses only that. A line no format matches keeps the
// whole line as content and is still used.
#include <optional>
#include <string_view>
#include <vector>

#include "l4/format/header.hpp"
#include "l4/format/log_format.hpp"

namespace l4::format {

class HeaderParser {
 public:
  // Known formats from the embedded data/formats.json.
  HeaderParser();
  // Only `user_format`.
  explicit HeaderParser(LogFormat user_format);

  // Never fails; unmatched lines come back with content == line and format empty.
  [[nodiscard]] Header split(std::string_view line) const;
  // Same, trying format number `hint` first and updating it to the one that matched: one stream
  // (a file) mostly keeps one format, so this costs one match per line. Start with hint = 0.
  [[nodiscard]] Header split(std::string_view line, std::size_t& hint) const;

  [[nodiscard]] const std::vector<LogFormat>& formats() const { return formats_; }

 private:
  std::vector<LogFormat> formats_;
};

// A known format as stored in data/formats.json, with its samples (for tests and `--help`).
struct KnownFormat {
  std::string name;
  std::string description;
  std::string regex;
  struct Sample {
    std::string line, timestamp, level, component, content;
  };
  std::vector<Sample> samples;
};

// Parses formats JSON (the embedded data/formats.json when `json` is empty).
// Throws l4::InputError on malformed JSON.
std::vector<KnownFormat> load_known_formats(std::string_view json = {});

}  // namespace l4::format
