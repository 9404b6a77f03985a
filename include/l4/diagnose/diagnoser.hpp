#pragma once
// Diagnoser: L4's failure localisation over a JobScan.
//   cross-job — events that normal jobs (the history) also show are not failure-indicating;
//   spatial   — nodes of a job behave alike, so the faulty node is the one whose events deviate;
//               events on nearly every node (watchdog timeouts, SIGTERM teardown) are symptoms;
//   temporal  — the failure sits in a stage and an iteration; errors followed by progress were
//               recovered from; iteration stalls and slowdowns reveal hangs and stragglers.
// The verdict's category comes from the CategoryCatalog (data), never from code paths per fault.
//
//   l4::diagnose::Diagnoser diagnoser;
//   auto diagnosis = diagnoser.diagnose({"job/logs"}, history);  // history may be nullptr
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "l4/diagnose/analysis_options.hpp"
#include "l4/diagnose/category_catalog.hpp"
#include "l4/diagnose/diagnosis.hpp"
#include "l4/diagnose/history_knowledge.hpp"
#include "l4/diagnose/scan_options.hpp"
#include "l4/parse/template_store.hpp"

namespace l4::diagnose {

struct JobScan;  // one read of a job's logs (internal: src/diagnose/job_scan.hpp)

class Calibration;  // the verdict's strength -> odds of being right (internal)

struct DiagnoseOptions {
  NodeRanking ranking = NodeRanking::l4;
  ScanOptions scan;
  AnalysisOptions analysis;        // weights and thresholds of the analysis
  std::size_t top_nodes = 8;       // faulty_nodes listed
  std::size_t max_events = 25;     // events listed
  std::vector<std::string> catalog_files;
};

class Diagnoser {
 public:
  explicit Diagnoser(DiagnoseOptions options = {});

  // Reads and analyses a job. Throws l4::InputError for unusable paths.
  [[nodiscard]] Diagnosis diagnose(std::span<const std::string> paths, const HistoryKnowledge* history) const;
  // Analyses an existing scan (the scan must have been made with the history's templates known).
  [[nodiscard]] Diagnosis analyze(JobScan scan, const HistoryKnowledge* history) const;

  [[nodiscard]] const DiagnoseOptions& options() const { return options_; }

 private:
  DiagnoseOptions options_;
  CategoryCatalog catalog_;
  std::shared_ptr<const Calibration> calibration_;
};

// The templates a history knows, as a store to start parsing from, so ids agree across jobs;
// templates of parameters only are left out (they would take any line of their length).
parse::TemplateStore known_templates(const HistoryKnowledge& history);

}  // namespace l4::diagnose
