#pragma once
// Helpers shared by the simulate tests: read a generated log (plain or gzip) as lines, and check
// that every truth line points at a line that carries the fault's evidence on the right node.
#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "l4/simulate/sim_catalogue.hpp"
#include "l4/simulate/sim_options.hpp"

namespace l4::test::sim {

// A small job (4 nodes of 2 ranks, 60 iterations) of `fault` written under `out`.
inline l4::simulate::SimOptions small(const std::filesystem::path& out, const std::string& fault,
                                      std::uint64_t seed = 11) {
  l4::simulate::SimOptions o;
  o.out_dir = out.string();
  o.fault = fault;
  o.seed = seed;
  o.nodes = 4;
  o.ranks_per_node = 2;
  o.iterations = 60;
  return o;
}

inline std::string read_bytes(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Decompressed text of a .gz file, or the file's bytes.
inline std::string read_text(const std::filesystem::path& p) {
  if (p.extension() != ".gz") return read_bytes(p);
  gzFile f = gzopen(p.c_str(), "rb");
  if (f == nullptr) return {};
  std::string out;
  char buf[1 << 16];
  int n = 0;
  while ((n = gzread(f, buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
  gzclose(f);
  return out;
}

inline std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto end = text.find('\n', start);
    if (end == std::string::npos) {
      lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

inline nlohmann::json read_json(const std::filesystem::path& p) { return nlohmann::json::parse(read_bytes(p)); }

inline bool contains_any(const std::string& text, const std::vector<std::string>& words) {
  for (const auto& w : words) {
    if (text.find(w) != std::string::npos) return true;
  }
  return false;
}

// The node id ingestion would give a line of `file` (relative to logs/) in `layout`.
inline std::string node_of_line(const std::string& layout, const std::string& file, const std::string& line) {
  if (layout == "per-rank") return file.substr(0, file.find('/'));
  if (layout == "per-node") return file.substr(0, file.find(".log"));
  return line.substr(0, line.find(": "));
}

// Problems found checking `truth` against the logs under `job`/logs (empty when all is well).
inline std::vector<std::string> check_truth(const std::filesystem::path& job, const nlohmann::json& truth) {
  std::vector<std::string> problems;
  // A variant may record a finer type than the fault it was drawn from: the keywords are the fault's.
  const auto& f = truth["fault"];
  const auto* fault = simulate::SimCatalogue::instance().find_fault(f.value("simulated", f["type"].get<std::string>()));
  if (fault == nullptr) {
    if (!truth["lines"].empty()) problems.push_back("truth lines for unknown simulated fault " + f.dump());
    return problems;
  }
  const std::string layout = truth["layout"];
  std::map<std::string, std::vector<std::string>> files;
  for (const auto& l : truth["lines"]) {
    const std::string file = l["file"];
    if (!files.count(file)) files[file] = split_lines(read_text(job / "logs" / file));
    const auto& lines = files[file];
    const auto n = l["line"].get<std::size_t>();
    if (n == 0 || n > lines.size()) {
      problems.push_back(file + ":" + std::to_string(n) + " out of range");
      continue;
    }
    const auto& text = lines[n - 1];
    const std::string role = l["role"];
    const auto& words = role == "root" ? fault->root_keywords : fault->symptom_keywords;
    if (!contains_any(text, words)) {
      problems.push_back(role + " " + file + ":" + std::to_string(n) + " lacks evidence: " + text);
    }
    if (node_of_line(layout, file, text) != l["node"].get<std::string>()) {
      problems.push_back(file + ":" + std::to_string(n) + " node mismatch " + l["node"].get<std::string>());
    }
    if (role == "root") {
      const auto& fn = truth["faulty_nodes"];
      if (std::find(fn.begin(), fn.end(), l["node"]) == fn.end()) problems.push_back("root line on a healthy node");
    }
  }
  return problems;
}

}  // namespace l4::test::sim
