#pragma once
// Reading l4's data tables (data/*.json, and the files users pass in their place) with validation
// on load: a table is read through Values that know their JSON path, every accessor checks what it
// reads (the type, unknown keys, non-empty text, finite positive weights, patterns RE2 compiles and
// that match something), and every error names the table and the path:
//   "fault_lexicon.json: /terms/12/weight: weight inf is not in (0, 1e6]".
//
//   return l4::table::load(text, "formats.json", [](const l4::table::Value& doc) {
//     doc.keys({"formats"});
//     for (const auto& f : doc["formats"].items()) { f.keys({"name", "regex"}); use(f["name"].text()); }
//   });
#include <nlohmann/json.hpp>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace l4::table {

// What an accessor throws; load() turns it into l4::InputError naming the table.
struct TableError {
  std::string path, message;
};

class Value {
 public:
  Value(const nlohmann::json& value, std::string path) : value_(&value), path_(std::move(path)) {}

  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] const nlohmann::json& json() const { return *value_; }
  [[noreturn]] void fail(const std::string& message) const;

  // An object whose keys are all in `allowed` (anything else: "unknown key").
  void keys(std::initializer_list<std::string_view> allowed) const;
  [[nodiscard]] bool has(std::string_view key) const;
  // A member that must be there.
  Value operator[](std::string_view key) const;
  // A member that may be missing.
  [[nodiscard]] std::optional<Value> find(std::string_view key) const;
  // The elements of an array.
  [[nodiscard]] std::vector<Value> items() const;
  // The members of an object, in the document's order of keys (nlohmann sorts them).
  [[nodiscard]] std::vector<std::pair<std::string, Value>> members() const;

  [[nodiscard]] std::string text() const;           // a non-empty string
  [[nodiscard]] std::string any_text() const;       // a string, possibly empty
  [[nodiscard]] std::vector<std::string> texts() const;  // an array of non-empty strings
  [[nodiscard]] bool boolean() const;
  [[nodiscard]] double number(double min, double max) const;  // finite, in [min, max]
  [[nodiscard]] long integer(long min, long max) const;
  // A weight: a share of evidence or score, finite and in (0, 1e6] so sums of many stay finite.
  [[nodiscard]] double weight() const;
  // An RE2 pattern: non-empty, compiles, and matches something (a pattern that matches the empty
  // string matches every text) unless `may_match_empty`. `wrap` is how the loader will use it
  // ("(?i)" prefix, anchors): "{}" stands for the pattern.
  [[nodiscard]] std::string pattern(bool may_match_empty = false, std::string_view wrap = "{}") const;

 private:
  const nlohmann::json* value_;
  std::string path_;
};

// Parses `text` as JSON and hands its root to `read`; malformed JSON and every TableError become
// l4::InputError "<origin>: <path>: <message>".
template <typename Read>
auto load(std::string_view text, const std::string& origin, Read&& read) -> decltype(read(std::declval<const Value&>()));

[[noreturn]] void rethrow_as_input_error(const std::string& origin);

template <typename Read>
auto load(std::string_view text, const std::string& origin, Read&& read) -> decltype(read(std::declval<const Value&>())) {
  try {
    const auto doc = nlohmann::json::parse(text);
    return read(Value(doc, ""));
  } catch (...) {
    rethrow_as_input_error(origin);
  }
}

}  // namespace l4::table
