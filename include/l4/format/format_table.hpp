#pragma once
// Format tables: header formats as data, each with sample lines that say how it splits them —
// the built-in data/formats.json, and users' files in the same shape (`--formats FILE`). A table
// is checked the way lnav checks its format files: every sample line must split into the fields
// it states, by its own format. `l4 formats list` shows the formats, `l4 formats check` the problems.
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace l4::format {

// One header format of a table: an RE2 pattern with named groups (content required; timestamp,
// level, component optional), and sample lines with the parts they should split into.
struct KnownFormat {
  std::string name;
  std::string description;
  std::string regex;
  std::string source;  // "built-in", or the file it was loaded from
  // The level of a line this format splits that states none ("" for unknown): a program whose
  // every line in this form is a report of one severity (a shell prints only errors under its own
  // name) says so by the form alone.
  std::string default_level;
  struct Sample {
    std::string line, timestamp, level, component, content;
    std::string severity;  // the level l4 gives the line ("ERROR", "WARN"), checked when not empty
  };
  std::vector<Sample> samples;
};

// What is wrong in a format table, and where: a JSON path such as `formats[1].samples[0].level`
// (empty for the document as a whole).
struct FormatProblem {
  std::string path;
  std::string message;
};

struct FormatTableCheck {
  std::vector<KnownFormat> formats;  // every entry with a name and a regex, in table order
  std::size_t samples = 0;           // sample lines read
  std::vector<FormatProblem> problems;
  [[nodiscard]] bool ok() const { return problems.empty(); }
};

// Checks a format table (`json`; `source` names it in KnownFormat::source): the JSON shape, with
// unknown keys reported (a misspelt "levle" would leave a field unchecked); unique names; each
// regex compiles and has a content group; each format has samples; each sample line is split by
// its own format — not by an earlier one in the table, which would take it first — into the
// timestamp, level, component and content the sample states, and a stated level is one l4 knows;
// a default_level is a level l4 knows, and a sample's severity is the level the line gets.
// Never throws for the table's content.
FormatTableCheck check_format_table(std::string_view json, std::string_view source);

// check_format_table of a file. Throws l4::InputError when it cannot be read.
FormatTableCheck check_format_file(const std::filesystem::path& file);
// check_format_table of the built-in table (data/formats.json, embedded).
FormatTableCheck check_known_formats();

// The formats of a table without checking its samples (the built-in, embedded data/formats.json
// when `json` is empty). Throws l4::InputError naming the JSON path of a malformed entry.
std::vector<KnownFormat> load_known_formats(std::string_view json = {});

// A user's formats file, fully checked (check_format_table). Throws l4::InputError naming the
// file, the JSON path and the problem (and how many more there are) unless it is clean.
std::vector<KnownFormat> load_format_file(const std::filesystem::path& file);

}  // namespace l4::format
