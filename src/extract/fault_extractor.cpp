#include "l4/extract/fault_extractor.hpp"

#include "extract/description.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>
#include <utility>

namespace l4::extract {
namespace {

constexpr description::Weights kWeights{};

}  // namespace

FaultExtractor::FaultExtractor() = default;

FaultExtractor::FaultExtractor(FaultLexicon lexicon, ParameterTyper typer)
    : lexicon_(std::move(lexicon)), typer_(std::move(typer)) {}

Finding FaultExtractor::describe(const ExtractLine& line) const {
  namespace d = description;
  Finding f;
  f.node = std::string(line.node);
  f.file = std::string(line.file);
  f.line_no = line.line_no;
  f.level = line.level;
  f.template_id = line.template_id;
  f.template_text = std::string(line.template_text.empty() ? line.content : line.template_text);
  f.content = std::string(line.content);
  const std::string_view c = line.content;

  f.parameters = typer_.find(c);
  const auto layout = d::locate_parameters(c, line.parameters, f.parameters);
  auto clauses = d::split_clauses(c, layout, lexicon_);
  if (clauses.empty()) return f;
  d::score_clauses(c, layout, lexicon_, kWeights, clauses);
  const std::size_t chosen = d::pick_clause(clauses);
  const auto desc = d::pick_description(c, clauses, chosen, layout, lexicon_);
  f.description_begin = desc.begin;
  f.description_end = desc.end;
  f.description = std::string(c.substr(desc.begin, desc.size()));
  if (const auto fip = d::pick_parameter(f.parameters, clauses, chosen, desc, kWeights); fip < f.parameters.size()) {
    f.fip = f.parameters[fip].text;
  }
  return f;
}

std::vector<Finding> FaultExtractor::extract(std::span<const ExtractLine> lines, const ExtractOptions& options) const {
  std::unordered_map<parse::TemplateId, std::uint64_t> counts;
  auto key = [](const ExtractLine& l) {
    return l.template_id != 0 ? l.template_id : parse::template_id(l.template_text.empty() ? l.content : l.template_text);
  };
  format::Level top_level = format::Level::unknown;
  for (const auto& l : lines) {
    ++counts[key(l)];
    top_level = std::max(top_level, l.level);
  }
  std::vector<Finding> out;
  std::unordered_map<parse::TemplateId, std::size_t> first;  // template -> index in out
  bool onset_seen = top_level < format::Level::error;  // no onset bonus below error level
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto& l = lines[i];
    const auto k = key(l);
    double s = coarse_score(l);
    s += options.rarity_bonus / (1.0 + std::log2(static_cast<double>(counts[k])));
    if (s < options.keep_threshold) continue;
    if (options.one_per_template) {
      if (auto it = first.find(k); it != first.end()) {
        ++out[it->second].occurrences;
        continue;
      }
      first.emplace(k, out.size());
    }
    Finding f = describe(l);
    f.index = i;
    if (!onset_seen && l.level == top_level) {
      s += options.onset_bonus;
      onset_seen = true;
    }
    int best_priority = 0;
    for (const auto& p : f.parameters) {
      if (p.role != ParameterRole::none) best_priority = std::max(best_priority, p.fip_priority);
    }
    f.score = s + options.entity_bonus * (f.fip.empty() ? 0.0 : best_priority / 10.0);
    if (!options.one_per_template) f.occurrences = counts[k];
    out.push_back(std::move(f));
  }
  std::stable_sort(out.begin(), out.end(), [](const Finding& a, const Finding& b) { return a.score > b.score; });
  if (options.top != 0 && out.size() > options.top) out.resize(options.top);
  return out;
}

}  // namespace l4::extract
