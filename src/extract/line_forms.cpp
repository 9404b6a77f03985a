#include "l4/extract/line_forms.hpp"

#include <nlohmann/json.hpp>
#include <re2/re2.h>

#include <string>
#include <vector>

#include "l4/embedded_data.hpp"
#include "l4/error.hpp"
#include "text/chars.hpp"

namespace l4::extract {

struct LineForms::Impl {
  std::unique_ptr<RE2> framing;  // every framing pattern in one alternation: one pass per line
  std::unique_ptr<RE2> command_report;  // every command_reports pattern in one alternation
  std::unique_ptr<RE2> frame;

  explicit Impl(std::string_view json) {
    try {
      const auto doc = nlohmann::json::parse(json);
      RE2::Options options;
      options.set_case_sensitive(false);
      options.set_log_errors(false);
      auto compile = [&](const std::string& p, const std::string& where) {
        auto re = std::make_unique<RE2>(p, options);
        if (!re->ok()) throw InputError("line forms: " + where + " does not compile: " + re->error());
        return re;
      };
      const auto& patterns = doc.at("framing");
      std::string any;
      for (std::size_t i = 0; i < patterns.size(); ++i) {
        const auto p = patterns.at(i).get<std::string>();
        compile(p, "framing[" + std::to_string(i) + "]");  // each one valid on its own
        any += (any.empty() ? "(?:" : "|(?:") + p + ")";
      }
      framing = compile(any.empty() ? "[^\\s\\S]" : any, "framing");  // none: matches nothing
      std::string reports;
      if (const auto it = doc.find("command_reports"); it != doc.end()) {
        for (std::size_t i = 0; i < it->size(); ++i) {
          const auto p = it->at(i).at("pattern").get<std::string>();
          compile(p, "command_reports[" + std::to_string(i) + "]");
          reports += (reports.empty() ? "(?:" : "|(?:") + p + ")";
        }
      }
      command_report = compile(reports.empty() ? "[^\\s\\S]" : reports, "command_reports");
      frame = compile(doc.at("traceback_frame").get<std::string>(), "traceback_frame");
    } catch (const nlohmann::json::exception& e) {
      throw InputError(std::string("line forms: malformed grouping table: ") + e.what());
    }
  }
};

namespace {

re2::StringPiece piece(std::string_view s) { return {s.data(), s.size()}; }

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

bool LineForms::command_report(std::string_view content) const {
  return RE2::PartialMatch(piece(content), *impl_->command_report);
}

LineForm LineForms::form(std::string_view content, const std::string_view* previous) const {
  if (frame(content)) return LineForm::code;
  // The source line a frame quotes sits under it, indented deeper.
  if (previous != nullptr && indent(content) > indent(*previous) && frame(*previous)) return LineForm::code;
  if (header(content)) return LineForm::header;
  return RE2::PartialMatch(piece(content), *impl_->framing) ? LineForm::framing : LineForm::statement;
}

}  // namespace l4::extract
