#include "l4/extract/line_forms.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <string>
#include <vector>

#include "l4/embedded_data.hpp"
#include "table/json_table.hpp"
#include "text/chars.hpp"

namespace l4::extract {

struct LineForms::Impl {
  std::unique_ptr<RE2> framing;         // every framing and chain_separators pattern: one pass per line
  std::unique_ptr<RE2> command_report;  // every command_reports pattern in one alternation
  std::unique_ptr<RE2> frame;
  std::unique_ptr<RE2> hedge;           // every hedges pattern in one alternation
  std::unique_ptr<RE2> chain_separator; // every chain_separators pattern in one alternation
  std::size_t block_lines = 40;
  std::size_t min_value_chars = 3;

  explicit Impl(std::string_view json) {
    table::load(json, "event_grouping.json", [&](const table::Value& doc) {
      doc.keys({"about", "framing", "command_reports", "chain_separators", "hedges", "traceback_frame", "block_lines",
                "min_value_chars"});
      std::vector<std::string> framings;
      for (const auto& p : doc["framing"].items()) framings.push_back(p.pattern(false, "(?i){}"));
      const auto separators = sourced_patterns(doc, "chain_separators");
      chain_separator = alternation(separators);
      // A chain separator frames too: one alternation, one pass per line.
      framings.insert(framings.end(), separators.begin(), separators.end());
      framing = alternation(framings);
      command_report = alternation(sourced_patterns(doc, "command_reports"));
      hedge = alternation(sourced_patterns(doc, "hedges"));
      frame = compile(doc["traceback_frame"].pattern(false, "(?i){}"));
      if (auto b = doc.find("block_lines")) block_lines = static_cast<std::size_t>(b->integer(1, 100000));
      if (auto m = doc.find("min_value_chars")) min_value_chars = static_cast<std::size_t>(m->integer(1, 1000));
    });
  }

  // The patterns of an optional list of {pattern, source} entries: every entry names the program
  // (or the grammar) its text comes from.
  static std::vector<std::string> sourced_patterns(const table::Value& doc, std::string_view key) {
    std::vector<std::string> out;
    if (auto list = doc.find(key)) {
      for (const auto& entry : list->items()) {
        entry.keys({"pattern", "source"});
        (void)entry["source"].text();
        out.push_back(entry["pattern"].pattern(false, "(?i){}"));
      }
    }
    return out;
  }

  // Patterns each validated on its own by the table (they compile and match something).
  static std::unique_ptr<RE2> compile(const std::string& pattern) {
    RE2::Options options;
    options.set_case_sensitive(false);
    options.set_log_errors(false);
    return std::make_unique<RE2>(pattern, options);
  }
  // One pattern matching where any of `patterns` does; none: a pattern that matches nothing.
  static std::unique_ptr<RE2> alternation(const std::vector<std::string>& patterns) {
    std::string any;
    for (const auto& p : patterns) any += (any.empty() ? "(?:" : "|(?:") + p + ")";
    return compile(any.empty() ? "[^\\s\\S]" : any);
  }
};

namespace {

re2::StringPiece piece(std::string_view s) { return {s.data(), s.size()}; }

// The line's first sentence: up to the first ". " or a newline written out ("\\n", an exception's
// text flattened into one line by its logger). Advice and wrappers open their own sentence
// ("CUDA kernel errors might be asynchronously reported ..."): a line that states something first
// and glues the runtime's advice after it states that thing.
std::string_view first_sentence(std::string_view s) {
  const auto end = std::min(s.find(". "), s.find("\\n"));
  return end == std::string_view::npos ? s : s.substr(0, end + 1);
}

std::size_t indent(std::string_view s) {
  std::size_t n = 0;
  while (n < s.size() && (s[n] == ' ' || s[n] == '\t')) ++n;
  return n;
}

using text::is_alnum;

}  // namespace

LineForms::LineForms() : LineForms(embedded::data("event_grouping.json")) {}
LineForms::LineForms(std::string_view json) : impl_(std::make_unique<Impl>(json)) {}
LineForms::~LineForms() = default;
LineForms::LineForms(LineForms&&) noexcept = default;
LineForms& LineForms::operator=(LineForms&&) noexcept = default;

bool LineForms::frame(std::string_view content) const {
  // Every traceback frame names its file in quotes: skip the regex for lines without one.
  return content.find('"') != std::string_view::npos && RE2::PartialMatch(piece(content), *impl_->frame);
}

bool LineForms::header(std::string_view content) {
  while (!content.empty() && (content.back() == ' ' || content.back() == '\t' || content.back() == '\r')) {
    content.remove_suffix(1);
  }
  return content.size() > 1 && content.back() == ':' && is_alnum(content[content.size() - 2]) &&
         content.find(':') == content.size() - 1;
}

bool LineForms::framing(std::string_view content) const {
  return RE2::PartialMatch(piece(first_sentence(content)), *impl_->framing);
}

bool LineForms::chain_separator(std::string_view content) const {
  return RE2::PartialMatch(piece(content), *impl_->chain_separator);
}

std::optional<std::string_view> LineForms::frame_function(std::string_view content) const {
  if (content.find('"') == std::string_view::npos) return std::nullopt;  // every frame names its file in quotes
  re2::StringPiece function;
  if (!RE2::PartialMatch(piece(content), *impl_->frame, &function)) return std::nullopt;
  return std::string_view(function.data() == nullptr ? "" : function.data(), function.size());
}

std::string_view LineForms::before_hedge(std::string_view content) const {
  re2::StringPiece at;
  if (!impl_->hedge->Match(piece(content), 0, content.size(), RE2::UNANCHORED, &at, 1)) return content;
  return content.substr(0, static_cast<std::size_t>(at.data() - content.data()));
}

std::size_t LineForms::block_lines() const { return impl_->block_lines; }
std::size_t LineForms::min_value_chars() const { return impl_->min_value_chars; }

bool LineForms::command_report(std::string_view content) const {
  return RE2::PartialMatch(piece(content), *impl_->command_report);
}

LineForm LineForms::form(std::string_view content, const std::string_view* previous) const {
  if (frame(content)) return LineForm::code;
  // The source line a frame quotes sits under it, indented deeper.
  if (previous != nullptr && indent(content) > indent(*previous) && frame(*previous)) return LineForm::code;
  if (header(content)) return LineForm::header;
  return framing(content) ? LineForm::framing : LineForm::statement;
}

}  // namespace l4::extract
