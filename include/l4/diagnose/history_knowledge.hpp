#pragma once
// HistoryKnowledge: what the history of successful jobs says about each event (template) — the
// input of L4's cross-job pattern: an event that also occurs in normal jobs is not
// failure-indicating. It is a plain value loaded once from the SQLite store (HistoryStore::load),
// so diagnosis never touches the database while it scores lines.
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "l4/diagnose/stage.hpp"
#include "l4/parse/template_id.hpp"

namespace l4::diagnose {

// What the history knows about one template, aggregated over the stored jobs that contain it.
struct TemplateHistory {
  std::string text;                // template text, "<*>" for parameters
  std::uint32_t jobs = 0;          // stored jobs that contain the template
  std::uint64_t count = 0;         // occurrences, summed over those jobs
  std::uint64_t job_nodes = 0;     // node counts of those jobs, summed (a job with 0 nodes counts 1)
  std::uint64_t nodes_with = 0;    // nodes the template occurred on, summed over those jobs
  double mean_per_node = 0.0;      // count / job_nodes: expected occurrences per node in a normal job
  StageMask stages = 0;            // union of the stages it occurred in
};

// The whole history, keyed by template id.
struct HistoryKnowledge {
  std::string db;                  // where it was loaded from (for reports); "" when built in memory
  std::uint32_t jobs = 0;          // stored (normal) jobs
  std::unordered_map<parse::TemplateId, TemplateHistory> templates;

  // The template's entry, or nullptr when no stored job contains it.
  [[nodiscard]] const TemplateHistory* find(parse::TemplateId id) const {
    const auto it = templates.find(id);
    return it == templates.end() ? nullptr : &it->second;
  }
  // Fraction of stored jobs that contain the template: 0 for an unknown template or an empty
  // history, 1 when every normal job has it.
  [[nodiscard]] double job_fraction(parse::TemplateId id) const {
    const auto* t = find(id);
    return t == nullptr || jobs == 0 ? 0.0 : static_cast<double>(t->jobs) / static_cast<double>(jobs);
  }
};

}  // namespace l4::diagnose
