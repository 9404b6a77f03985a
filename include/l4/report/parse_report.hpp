#pragma once
// The output shapes of `l4 parse` (documented in docs/parse.md): per line, a Loghub structured CSV
// row or a JSON Lines object; per template, JSON or CSV with occurrence counts.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "l4/parse/template_store.hpp"
#include "l4/report/json.hpp"

namespace l4::report {

// One line's parse, as `l4 parse` prints it.
struct ParsedLine {
  std::string_view file;        // shown when the run read several files
  std::uint64_t line_no = 0;
  std::string_view content;
  parse::TemplateId event_id = 0;
  std::string_view template_text;
  const std::vector<std::string_view>* parameters = nullptr;
  const std::vector<std::string_view>* fields = nullptr;  // values of CsvLayout::fields; nullptr: Content only
};

// The columns of the per-line CSV, as Loghub's structured CSVs have them: File (when several files
// are read), LineId, the header fields — those of a Loghub-style --log-format in its order (Date,
// Time, Level, Component, ..., Content), else Content alone — then EventId, EventTemplate,
// ParameterList.
struct CsvLayout {
  bool with_file = false;
  std::vector<std::string> fields{"Content"};
};
// Throws l4::InputError when a header field is named like one of the other columns.
CsvLayout csv_layout(bool with_file, std::vector<std::string> header_fields);

// The header of the per-line CSV.
std::string parsed_csv_header(const CsvLayout& layout);
// Appends one CSV row, newline included (fields quoted when they hold a comma, quote or line
// break; ParameterList in Loghub's Python-list style ['a', 'b']).
void append_csv_row(std::string& out, const ParsedLine& line, const CsvLayout& layout);
// {"file","line","content","event_id","template","parameters"}
Json to_json(const ParsedLine& line);

// The live templates, most frequent first (ties by text): [{"id","template","count"}].
Json templates_json(const parse::TemplateStore& store);
// `l4 parse --format json`: {"lines", "lines_not_matching_format", "templates": templates_json}.
Json templates_document(const parse::TemplateStore& store, std::uint64_t lines, std::uint64_t lines_not_matching_format);
// The same as CSV: EventId,EventTemplate,Occurrences.
std::string templates_csv(const parse::TemplateStore& store);

}  // namespace l4::report
