#include "l4/report/finding_report.hpp"

#include <fmt/format.h>

#include <cmath>

#include "l4/format/level.hpp"
#include "l4/parse/template_id.hpp"

namespace l4::report {

Json to_json(const extract::Finding& f, std::string_view group) {
  Json params = Json::array();
  for (const auto& p : f.parameters) params.push_back({{"type", p.type}, {"value", p.value}});
  Json j = {{"node", f.node},
                      {"file", f.file},
                      {"line", f.line_no},
                      {"level", format::to_string(f.level)},
                      {"template_id", parse::to_hex(f.template_id)},
                      {"template", f.template_text},
                      {"description", f.description},
                      {"fip", f.fip},
                      {"parameters", params},
                      {"score", std::round(f.score * 1000.0) / 1000.0},
                      {"occurrences", f.occurrences}};
  if (!group.empty()) j["group"] = group;
  return j;
}

Json findings_document(std::span<const GroupedFinding> findings, std::uint64_t lines,
                                 std::string_view group_by) {
  Json arr = Json::array();
  for (const auto& [key, f] : findings) arr.push_back(to_json(f, group_by == "job" ? "" : key));
  return {{"lines", lines}, {"group_by", group_by}, {"findings", arr}};
}

std::string render_text(std::span<const GroupedFinding> findings, std::string_view group_by) {
  std::string out;
  auto it = std::back_inserter(out);
  const std::string* current = nullptr;
  for (const auto& [key, f] : findings) {
    if (group_by != "job" && (current == nullptr || key != *current)) {
      fmt::format_to(it, "== {}\n", key);
      current = &key;
    }
    fmt::format_to(it, "{}:{}", f.file, f.line_no);
    if (!f.node.empty()) fmt::format_to(it, " [{}]", f.node);
    fmt::format_to(it, " {} score {:.2f}", format::to_string(f.level), f.score);
    if (f.occurrences > 1) fmt::format_to(it, " (x{})", f.occurrences);
    fmt::format_to(it, "\n  description: {}\n", f.description);
    if (!f.fip.empty()) fmt::format_to(it, "  fip: {}\n", f.fip);
    if (!f.parameters.empty()) {
      out += "  parameters:";
      for (const auto& p : f.parameters) fmt::format_to(it, " {}={}", p.type, p.value);
      out += '\n';
    }
  }
  return out;
}

}  // namespace l4::report
