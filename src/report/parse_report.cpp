#include "l4/report/parse_report.hpp"

#include <algorithm>

#include "l4/error.hpp"
#include "l4/parse/template_id.hpp"

namespace l4::report {
namespace {

// Appends `s` as one CSV field (quoted when it holds a comma, quote or line break).
void csv_field(std::string& out, std::string_view s) {
  bool quote = false;
  for (const char c : s) quote = quote || c == ',' || c == '"' || c == '\n' || c == '\r';
  if (!quote) {
    out.append(s);
    return;
  }
  out.push_back('"');
  for (const char c : s) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

// Python-list style, as Loghub's structured CSVs print ParameterList: ['a', 'b'].
std::string parameter_list(const std::vector<std::string_view>& params) {
  std::string out = "[";
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (i != 0) out.append(", ");
    out.push_back('\'');
    for (const char c : params[i]) {
      if (c == '\'' || c == '\\') out.push_back('\\');
      out.push_back(c);
    }
    out.push_back('\'');
  }
  out.push_back(']');
  return out;
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
  out.append(std::to_string(line.line_no));
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
  out.append(parse::to_hex(line.event_id));
  out.push_back(',');
  csv_field(out, line.template_text);
  out.push_back(',');
  csv_field(out, parameter_list(line.parameters != nullptr ? *line.parameters : kNoParameters));
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
