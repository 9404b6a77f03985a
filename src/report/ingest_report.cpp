#include "l4/report/ingest_report.hpp"

#include <fmt/format.h>

namespace l4::report {

Json to_json(const io::LineCounts& c) {
  return {{"read", c.read},
          {"used", c.used},
          {"skipped", {{"blank", c.skipped_blank}, {"binary", c.skipped_binary}}},
          {"invalid_utf8", c.invalid_utf8},
          {"truncated", c.truncated},
          {"crlf", c.crlf},
          {"nul", c.nul},
          {"nul_bytes_skipped", c.nul_bytes_skipped}};
}

Json skipped_inputs_json(const io::IngestSummary& summary) {
  Json out = Json::array();
  for (const auto& f : summary.files) {
    if (io::is_skipped(f.status)) {
      out.push_back({{"path", f.path}, {"status", io::to_string(f.status)}, {"reason", f.message}});
    }
  }
  return out;
}

Json unreadable_inputs_json(const io::IngestSummary& summary) {
  Json out = Json::array();
  for (const auto& f : summary.files) {
    if (f.status == io::FileStatus::unreadable) {
      out.push_back({{"path", f.path},
                     {"node", f.node.empty() ? Json(nullptr) : Json(f.node)},
                     {"reason", f.message}});
    }
  }
  return out;
}

Json to_json(const io::IngestSummary& summary) {
  Json files = Json::array();
  for (const auto& f : summary.files) {
    Json nodes = Json::array();
    for (const auto& n : f.nodes) nodes.push_back(n.node);
    files.push_back({{"path", f.path},
                     {"node", f.merged || f.node.empty() ? Json(nullptr) : Json(f.node)},
                     {"nodes", nodes},
                     {"gzip", f.gzip},
                     {"merged", f.merged},
                     {"status", io::to_string(f.status)},
                     {"message", f.message},
                     {"bytes", f.counts.bytes},
                     {"lines", to_json(f.counts)}});
  }
  Json nodes = Json::array();
  for (const auto& n : summary.nodes) {
    nodes.push_back({{"node", n.node}, {"files", n.files}, {"lines", to_json(n.counts)}});
  }
  return {{"files", files},
          {"nodes", nodes},
          {"total",
           {{"files", summary.files.size()},
            {"nodes", summary.nodes.size()},
            {"bytes", summary.total.bytes},
            {"lines", to_json(summary.total)}}}};
}

std::string render_text(const io::IngestSummary& summary) {
  std::string out;
  auto row = [&out](std::string_view node, std::string_view files, const io::LineCounts& c) {
    fmt::format_to(std::back_inserter(out), "{:<24} {:>5} {:>12} {:>12} {:>8} {:>8} {:>8} {:>8} {:>8}\n",
                   node, files, c.read, c.used, c.skipped_blank, c.skipped_binary, c.invalid_utf8,
                   c.truncated, c.nul);
  };
  fmt::format_to(std::back_inserter(out), "{:<24} {:>5} {:>12} {:>12} {:>8} {:>8} {:>8} {:>8} {:>8}\n", "node",
                 "files", "read", "used", "blank", "binary", "bad-utf8", "trunc", "nul");
  for (const auto& n : summary.nodes) row(n.node, std::to_string(n.files), n.counts);
  row("TOTAL", std::to_string(summary.files.size()), summary.total);
  if (summary.total.nul_bytes_skipped > 0) {
    fmt::format_to(std::back_inserter(out), "note: {} NUL bytes skipped where lines start\n",
                   summary.total.nul_bytes_skipped);
  }
  for (const auto& f : summary.files) {
    if (f.status != io::FileStatus::ok) {
      fmt::format_to(std::back_inserter(out), "note: {}: {}: {}\n", f.path, io::to_string(f.status),
                     f.message);
    }
  }
  return out;
}

}  // namespace l4::report
