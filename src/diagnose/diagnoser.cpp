#include "l4/diagnose/diagnoser.hpp"

#include <algorithm>

#include "diagnose/analysis.hpp"
#include "diagnose/calibration.hpp"
#include "diagnose/input_notes.hpp"
#include "diagnose/job_scanner.hpp"
#include "l4/io/utf8.hpp"

namespace l4::diagnose {

parse::TemplateStore known_templates(const HistoryKnowledge& history) {
  parse::TemplateStore store;
  std::vector<const std::string*> texts;
  for (const auto& [id, t] : history.templates) {
    if (!parse::TemplateStore::parameters_only(t.text)) texts.push_back(&t.text);
  }
  std::sort(texts.begin(), texts.end(), [](auto a, auto b) { return *a < *b; });
  for (const auto* t : texts) store.add(*t, 0);
  return store;
}

Diagnoser::Diagnoser(DiagnoseOptions options)
    : options_(std::move(options)), catalog_(options_.catalog_files), calibration_(std::make_shared<Calibration>()) {}

Diagnosis Diagnoser::diagnose(std::span<const std::string> paths, const HistoryKnowledge* history) const {
  JobScanner scanner(options_.scan);
  if (history != nullptr && !history->templates.empty()) {
    const auto store = known_templates(*history);
    return analyze(scanner.scan(paths, &store), history);
  }
  return analyze(scanner.scan(paths), history);
}

namespace {

// Every candidate is a warning the program logged and went on from: WARN-level text no signature
// of the catalogue explains, no process died of it, and no stall or slowdown was seen. A warning
// says the program judged the condition survivable; with nothing else, that is no failure evidence.
bool only_warnings(const Analysis& a) {
  if (!a.options.warnings_are_no_failure) return false;
  if (a.features.iteration_stall || a.features.iteration_slowdown || a.features.node_went_silent) return false;
  return !a.candidates.empty() && std::all_of(a.candidates.begin(), a.candidates.end(), [](const Candidate& c) {
    return c.event->level == format::Level::warn && c.signatures.empty() && !c.process_died;
  });
}

void no_failure(const Analysis& a, Diagnosis& d) {
  d.failure_found = false;
  d.verdict.category = "none";
  d.completion = a.completion.markers;
  note_outcome(a, d.notes);
  describe_course(a, d);
}

}  // namespace

Diagnosis Diagnoser::analyze(JobScan scan, const HistoryKnowledge* history) const {
  Analysis a(scan, history, catalog_, options_.analysis, *calibration_);
  Diagnosis d;
  note_missing_logs(scan.ingest, d.notes);
  a.use_history = history != nullptr && history->jobs > 0;
  if (a.use_history) {
    d.history = HistoryUse{history->db, history->jobs};
  } else {
    d.notes.push_back("no history of normal jobs: events were weighed by within-job evidence only "
                      "(add successful jobs with `l4 history add`)");
  }
  a.progress_time = last_progress_time(scan);
  // Progress within a few iterations of an event may still be the last iterations finishing.
  a.margin = std::max(10.0, 3.0 * iteration_interval(scan));

  weigh_events(a);
  recognise_completion(a);
  detect_features(a);
  if (a.completion.completed || (a.candidates.empty() && !a.features.iteration_slowdown) || only_warnings(a)) {
    no_failure(a, d);
    d.inputs = std::move(scan.ingest);
    return d;
  }
  d.failure_found = true;
  find_onset(a);
  rank_nodes(a, options_.ranking);
  assign_roles(a);
  locate_in_time(a, d);
  decide_verdict(a, d);
  explain_slowdown(a, d);
  stage_from_kind(a, d);
  list_findings(a, options_.top_nodes, options_.max_events, d);
  d.inputs = std::move(scan.ingest);
  return d;
}

std::string_view to_string(EventRole role) { return role == EventRole::root ? "root" : "symptom"; }

}  // namespace l4::diagnose
