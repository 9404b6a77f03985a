#include "l4/report/parse_report.hpp"

#include <algorithm>
#include <array>
#include <charconv>

#include "l4/error.hpp"
#include "l4/parse/template_id.hpp"
#include "text/token_scan.hpp"

namespace l4::report {
namespace {

// Appends `s` as one CSV field (quoted when it holds a comma, quote or line break).
void csv_field(std::string& out, std::string_view s) {
  if (!text::holds_any<',', '"', '\n', '\r'>(s)) {
    out.append(s);
    return;
  }
  out.push_back('"');
  std::size_t from = 0;
  for (std::size_t i = s.find('"'); i != std::string_view::npos; i = s.find('"', i + 1)) {
    out.append(s.substr(from, i + 1 - from));  // the quote, then it once more
    out.push_back('"');
    from = i + 1;
  }
  out.append(s.substr(from));
  out.push_back('"');
}

// One parameter inside the list: `'` and `\` get a backslash (Python's repr), and `"` is doubled
// when the list is a quoted CSV field.
void list_item(std::string& out, std::string_view p, bool quoted) {
  if (!text::holds_any<'\'', '\\', '"'>(p)) {
    out.append(p);
    return;
  }
  for (const char c : p) {
    if (c == '\'' || c == '\\') out.push_back('\\');
    if (c == '"' && quoted) out.push_back('"');
    out.push_back(c);
  }
}

// ParameterList as one CSV field, Python-list style as Loghub's structured CSVs print it: ['a', 'b'],
// quoted (as csv_field would) when it holds a comma, quote or line break — written in one go.
void parameter_list_field(std::string& out, const std::vector<std::string_view>& params) {
  bool quoted = params.size() > 1;  // ", " between items
  for (std::size_t i = 0; i < params.size() && !quoted; ++i) quoted = text::holds_any<',', '"', '\n', '\r'>(params[i]);
  if (quoted) out.push_back('"');
  out.push_back('[');
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (i != 0) out.append(", ");
    out.push_back('\'');
    list_item(out, params[i], quoted);
    out.push_back('\'');
  }
  out.push_back(']');
  if (quoted) out.push_back('"');
}

const std::vector<std::string_view> kNoParameters;

}  // namespace

CsvLayout csv_layout(bool with_file, std::vector<std::string> header_fields) {
  for (const auto& f : header_fields) {
    for (const std::string_view column : {"File", "LineId", "EventId", "EventTemplate", "ParameterList"}) {
      if (f == column) throw InputError("log format field <" + f + "> would clash with the CSV column " + f);
    }
  }
  if (header_fields.empty()) header_fields.emplace_back("Content");
  return CsvLayout{with_file, std::move(header_fields)};
}

std::string parsed_csv_header(const CsvLayout& layout) {
  std::string out = layout.with_file ? "File,LineId," : "LineId,";
  for (const auto& f : layout.fields) {
    csv_field(out, f);
    out.push_back(',');
  }
  out += "EventId,EventTemplate,ParameterList\n";
  return out;
}

void append_csv_row(std::string& out, const ParsedLine& line, const CsvLayout& layout) {
  if (layout.with_file) {
    csv_field(out, line.file);
    out.push_back(',');
  }
  char number[24];
  const auto end = std::to_chars(number, number + sizeof number, line.line_no).ptr;
  out.append(number, static_cast<std::size_t>(end - number));
  out.push_back(',');
  if (line.fields != nullptr) {
    for (const auto value : *line.fields) {
      csv_field(out, value);
      out.push_back(',');
    }
  } else {
    csv_field(out, line.content);
    out.push_back(',');
  }
  static constexpr char kHex[] = "0123456789abcdef";
  char id[16];
  for (int i = 0; i < 16; ++i) id[i] = kHex[(line.event_id >> (60 - 4 * i)) & 0xFU];
  out.append(id, sizeof id);
  out.push_back(',');
  csv_field(out, line.template_text);
  out.push_back(',');
  parameter_list_field(out, line.parameters != nullptr ? *line.parameters : kNoParameters);
  out.push_back('\n');
}

Json to_json(const ParsedLine& line) {
  return {{"file", line.file},
          {"line", line.line_no},
          {"content", line.content},
          {"event_id", parse::to_hex(line.event_id)},
          {"template", line.template_text},
          {"parameters", line.parameters != nullptr ? *line.parameters : kNoParameters}};
}

Json templates_json(const parse::TemplateStore& store) {
  std::vector<const parse::Template*> live;
  for (const auto& t : store.templates()) {
    if (!t.erased) live.push_back(&t);
  }
  std::stable_sort(live.begin(), live.end(), [](const parse::Template* a, const parse::Template* b) {
    if (a->count != b->count) return a->count > b->count;
    return a->text < b->text;
  });
  Json arr = Json::array();
  for (const auto* t : live) {
    arr.push_back({{"id", parse::to_hex(t->id)}, {"template", t->text}, {"count", t->count}});
  }
  return arr;
}

Json templates_document(const parse::TemplateStore& store, std::uint64_t lines, std::uint64_t lines_not_matching_format) {
  return {{"lines", lines}, {"lines_not_matching_format", lines_not_matching_format}, {"templates", templates_json(store)}};
}

std::string templates_csv(const parse::TemplateStore& store) {
  std::string out = "EventId,EventTemplate,Occurrences\n";
  for (const auto& t : templates_json(store)) {
    out += t["id"].get<std::string>();
    out.push_back(',');
    csv_field(out, t["template"].get<std::string>());
    out += ',' + std::to_string(t["count"].get<std::uint64_t>()) + '\n';
  }
  return out;
}

}  // namespace l4::report
