#include "l4/format/format_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <span>

#include "l4/embedded_data.hpp"
#include "l4/error.hpp"
#include "l4/format/log_format.hpp"

namespace l4::format {
namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 2> kTableKeys{"about", "formats"};
constexpr std::array<std::string_view, 5> kFormatKeys{"name", "description", "regex", "default_level", "samples"};
// The parts a sample may state, in KnownFormat::Sample order after `line`.
constexpr std::array<std::string_view, 4> kParts{"timestamp", "level", "component", "content"};

// A table as read: the formats, and for each the index of its entry and which parts each sample states.
struct ReadTable {
  std::vector<KnownFormat> formats;
  std::vector<std::size_t> entry;                              // formats[i] is formats JSON entry entry[i]
  std::vector<std::vector<std::array<bool, 4>>> stated;        // [format][sample][part]
  std::size_t samples = 0;
};

std::string json_quoted(std::string_view s) { return json(std::string(s)).dump(-1, ' ', false, json::error_handler_t::replace); }

class TableReader {
 public:
  explicit TableReader(std::vector<FormatProblem>& problems) : problems_(problems) {}

  ReadTable read(std::string_view text, std::string_view source) {
    ReadTable table;
    json doc;
    try {
      doc = json::parse(text);
    } catch (const json::exception& e) {
      problem("", std::string("not JSON: ") + e.what());
      return table;
    }
    if (!doc.is_object() || !doc.contains("formats") || !doc["formats"].is_array()) {
      problem("", "a formats table is an object with a \"formats\" array");
      return table;
    }
    unknown_keys(doc, kTableKeys, "");
    const auto& entries = doc["formats"];
    for (std::size_t i = 0; i < entries.size(); ++i) {
      const std::string path = fmt::format("formats[{}]", i);
      if (auto f = read_format(entries[i], path, source, table)) {
        table.formats.push_back(std::move(*f));
        table.entry.push_back(i);
      }
    }
    return table;
  }

 private:
  void problem(std::string path, std::string message) { problems_.push_back({std::move(path), std::move(message)}); }

  void unknown_keys(const json& object, std::span<const std::string_view> known, const std::string& path) {
    for (const auto& [key, value] : object.items()) {
      if (std::find(known.begin(), known.end(), key) != known.end()) continue;
      std::string list;
      for (const auto k : known) list += (list.empty() ? "" : ", ") + std::string(k);
      problem(path.empty() ? key : path + "." + key, "unknown key (known: " + list + ")");
    }
  }

  // The string under `key`; nullopt (with a problem when required or not a string) otherwise.
  std::optional<std::string> string_at(const json& object, std::string_view key, const std::string& path,
                                       bool required) {
    const auto it = object.find(key);
    if (it == object.end()) {
      if (required) problem(path + "." + std::string(key), "missing");
      return std::nullopt;
    }
    if (!it->is_string()) {
      problem(path + "." + std::string(key), "must be a string");
      return std::nullopt;
    }
    return it->get<std::string>();
  }

  std::optional<KnownFormat> read_format(const json& entry, const std::string& path, std::string_view source,
                                         ReadTable& table) {
    if (!entry.is_object()) {
      problem(path, "a format is an object with name, regex and samples");
      return std::nullopt;
    }
    unknown_keys(entry, kFormatKeys, path);
    auto name = string_at(entry, "name", path, true);
    auto regex = string_at(entry, "regex", path, true);
    if (name && name->empty()) problem(path + ".name", "empty");
    if (!name || !regex) return std::nullopt;
    KnownFormat f;
    f.name = std::move(*name);
    f.regex = std::move(*regex);
    f.description = string_at(entry, "description", path, false).value_or("");
    f.source = std::string(source);
    f.default_level = string_at(entry, "default_level", path, false).value_or("");
    if (!f.default_level.empty() && parse_level(f.default_level) == Level::unknown) {
      problem(path + ".default_level", fmt::format("{} is not a level l4 knows (such as ERROR, WARN, INFO)",
                                                   json_quoted(f.default_level)));
      f.default_level.clear();
    }
    table.stated.emplace_back();
    read_samples(entry, path, f, table.stated.back());
    table.samples += f.samples.size();
    return f;
  }

  void read_samples(const json& entry, const std::string& path, KnownFormat& f, std::vector<std::array<bool, 4>>& stated) {
    const auto it = entry.find("samples");
    if (it == entry.end() || !it->is_array() || it->empty()) {
      problem(path + ".samples", "a format needs sample lines (an array of {line, timestamp, level, component, "
                                 "content}): they are how it is checked");
      return;
    }
    for (std::size_t j = 0; j < it->size(); ++j) {
      const std::string sample_path = fmt::format("{}.samples[{}]", path, j);
      const auto& s = (*it)[j];
      if (!s.is_object()) {
        problem(sample_path, "a sample is an object with a line and the parts it should split into");
        continue;
      }
      std::array<std::string_view, 6> keys{"line", kParts[0], kParts[1], kParts[2], kParts[3], "severity"};
      unknown_keys(s, keys, sample_path);
      auto line = string_at(s, "line", sample_path, true);
      if (!line) continue;
      KnownFormat::Sample sample;
      sample.line = std::move(*line);
      std::array<std::string*, 4> parts{&sample.timestamp, &sample.level, &sample.component, &sample.content};
      std::array<bool, 4> has{};
      for (std::size_t p = 0; p < kParts.size(); ++p) {
        if (auto value = string_at(s, kParts[p], sample_path, false)) {
          *parts[p] = std::move(*value);
          has[p] = true;
        }
      }
      sample.severity = string_at(s, "severity", sample_path, false).value_or("");
      f.samples.push_back(std::move(sample));
      stated.push_back(has);
    }
  }

  std::vector<FormatProblem>& problems_;
};

std::string_view part_of(const Header& h, std::size_t p) {
  switch (p) {
    case 0: return h.timestamp;
    case 1: return h.level_text;
    case 2: return h.component;
    default: return h.content;
  }
}

// Compiles every format; a pattern that does not compile or lacks a content group is a problem.
std::vector<std::optional<LogFormat>> compile(const ReadTable& table, std::vector<FormatProblem>& problems) {
  std::vector<std::optional<LogFormat>> compiled;
  for (std::size_t i = 0; i < table.formats.size(); ++i) {
    try {
      compiled.emplace_back(LogFormat::from_regex(table.formats[i].name, table.formats[i].regex,
                                                  parse_level(table.formats[i].default_level)));
    } catch (const Error& e) {
      problems.push_back({fmt::format("formats[{}].regex", table.entry[i]), e.what()});
      compiled.emplace_back(std::nullopt);
    }
  }
  return compiled;
}

// One sample against the table: the first format that splits it must be its own, into the parts it states.
void check_sample(const ReadTable& table, const std::vector<std::optional<LogFormat>>& compiled, std::size_t i,
                  std::size_t j, std::vector<FormatProblem>& problems) {
  const auto& sample = table.formats[i].samples[j];
  const std::string path = fmt::format("formats[{}].samples[{}]", table.entry[i], j);
  Header h;
  for (std::size_t k = 0; k < i; ++k) {
    if (compiled[k] && compiled[k]->split(sample.line, h)) {
      problems.push_back({path, fmt::format("format {} (formats[{}]) comes first and takes this line, so {} never "
                                            "sees it: make the earlier regex stricter or move this format before it",
                                            json_quoted(table.formats[k].name), table.entry[k], json_quoted(table.formats[i].name))});
      return;
    }
  }
  if (!compiled[i]) return;  // its regex is already reported
  if (!compiled[i]->split(sample.line, h)) {
    problems.push_back({path + ".line", "the format's regex does not match this line"});
    return;
  }
  const std::array<const std::string*, 4> expected{&sample.timestamp, &sample.level, &sample.component, &sample.content};
  for (std::size_t p = 0; p < kParts.size(); ++p) {
    if (table.stated[i][j][p] && part_of(h, p) != *expected[p]) {
      problems.push_back({fmt::format("{}.{}", path, kParts[p]),
                          fmt::format("expected {}, got {}", json_quoted(*expected[p]), json_quoted(part_of(h, p)))});
    }
  }
  // The level the line gets (its own, or the format's default_level), where the sample states it.
  if (!sample.severity.empty() && parse_level(sample.severity) != h.level) {
    problems.push_back({path + ".severity", fmt::format("expected {}, got {}", json_quoted(sample.severity),
                                                        json_quoted(to_string(h.level)))});
  }
  if (!h.level_text.empty() && h.level == Level::unknown) {
    problems.push_back({path + ".level", fmt::format("{} is not a level l4 knows (such as E, ERROR, WARN, info, err)",
                                                     json_quoted(h.level_text))});
  }
}

// The entry a problem is about (formats[N] -> N + 1; 0 for the document), to list problems in table order.
std::size_t entry_of(const FormatProblem& p) {
  constexpr std::string_view prefix = "formats[";
  if (p.path.rfind(prefix, 0) != 0) return 0;
  // An unknown key may itself start with "formats[" ("formats[sam1ples"): no number, the document.
  std::size_t n = 0;
  const char* first = p.path.data() + prefix.size();
  const auto [end, ec] = std::from_chars(first, p.path.data() + p.path.size(), n);
  if (ec != std::errc() || end == first || *end != ']') return 0;
  return n + 1;
}

std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError("cannot read formats file " + file.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

FormatTableCheck check_format_table(std::string_view json_text, std::string_view source) {
  FormatTableCheck check;
  ReadTable table = TableReader(check.problems).read(json_text, source);
  std::vector<std::string_view> names;
  for (std::size_t i = 0; i < table.formats.size(); ++i) {
    if (std::find(names.begin(), names.end(), table.formats[i].name) != names.end()) {
      check.problems.push_back({fmt::format("formats[{}].name", table.entry[i]),
                                fmt::format("{} is already the name of an earlier format", json_quoted(table.formats[i].name))});
    }
    names.push_back(table.formats[i].name);
  }
  const auto compiled = compile(table, check.problems);
  for (std::size_t i = 0; i < table.formats.size(); ++i) {
    for (std::size_t j = 0; j < table.formats[i].samples.size(); ++j) check_sample(table, compiled, i, j, check.problems);
  }
  std::stable_sort(check.problems.begin(), check.problems.end(),
                   [](const FormatProblem& a, const FormatProblem& b) { return entry_of(a) < entry_of(b); });
  check.samples = table.samples;
  check.formats = std::move(table.formats);
  return check;
}

FormatTableCheck check_format_file(const std::filesystem::path& file) {
  return check_format_table(read_file(file), file.string());
}

FormatTableCheck check_known_formats() { return check_format_table(embedded::data("formats.json"), "built-in"); }

std::vector<KnownFormat> load_known_formats(std::string_view json_text) {
  if (json_text.empty()) json_text = embedded::data("formats.json");
  std::vector<FormatProblem> problems;
  ReadTable table = TableReader(problems).read(json_text, "built-in");
  if (!problems.empty()) {
    const auto& p = problems.front();
    throw InputError(fmt::format("malformed formats table: {}{}{}", p.path, p.path.empty() ? "" : ": ", p.message));
  }
  return std::move(table.formats);
}

std::vector<KnownFormat> load_format_file(const std::filesystem::path& file) {
  auto check = check_format_file(file);
  if (!check.ok()) {
    const auto& p = check.problems.front();
    const auto more = check.problems.size() - 1;
    throw InputError(fmt::format("{}: {}{}{}{}", file.string(), p.path, p.path.empty() ? "" : ": ", p.message,
                                 more == 0 ? std::string()
                                           : fmt::format(" (and {} more; see l4 formats check {})", more, file.string())));
  }
  return std::move(check.formats);
}

}  // namespace l4::format
