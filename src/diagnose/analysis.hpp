#pragma once
// The steps of Diagnoser::analyze and the state they hand each other (internal). Each step is a
// function of its own, in the order analyze() runs them:
//   weigh_events          cross-job, fault semantics, outlived or not, framing (event_weighing.cpp)
//   recognise_completion  did the job say it finished, with nothing dying after? (completion.cpp)
//   detect_features       stall, slowdown, drift (job_features.cpp)
//   find_onset / rank_nodes / assign_roles   spatial and onset (node_ranking.cpp)
//   locate_in_time        stage and iteration of the first root event (temporal.cpp)
//   decide_verdict        category from signatures and features, down the taxonomy (verdict.cpp)
//   explain_slowdown      a straggler's failure is where its numbers departed (temporal.cpp)
//   stage_from_kind       when no marker says, the kind of failure may (temporal.cpp)
//   list_findings         events, parameters, ranks, anomalies, first evidence, the job's course
//                         in time and the node × time heatmap for the report (findings.cpp)
//   describe_course       for a job without failure: its timeline, when it completed (findings.cpp)
#include <optional>
#include <string>
#include <vector>

#include "diagnose/event_evidence.hpp"
#include "l4/diagnose/analysis_options.hpp"
#include "l4/diagnose/category_catalog.hpp"
#include "l4/diagnose/diagnosis.hpp"
#include "l4/diagnose/history_knowledge.hpp"
#include "diagnose/job_scan.hpp"

namespace l4::diagnose {

class Calibration;

// Per-event working state of the analysis.
struct Candidate {
  const EventStats* event = nullptr;
  double novelty = 1;     // cross-job: 1 - fraction of normal jobs with the event
  double fault = 0;       // how strongly its text/level says "failure" (0..1)
  double terminal = 1;    // temporal: 1 when the job did not outlive it, else outlived_factor
  double spread = 0;      // spatial: fraction of nodes that show it
  double score = 0;
  bool drift = false;     // spatial: the numbers that single out a drifting node (no error text)
  // The line only frames an error stated elsewhere (a wrapper, a launcher's failure summary):
  // listed as related, never the onset, the root or a vote for a category.
  bool framing = false;
  // Its line names another node ("Connection closed by remote peer gpu-a038"): evidence about that
  // peer (named_node_scores), neither about the node that logged it nor the failure's onset there.
  bool about_peer = false;
  // The line says a process died of it: an uncaught exception, a fatal signal, a non-zero exit.
  bool process_died = false;
  // It recurs, and the job outlived its first occurrence: an intermittent condition, no onset.
  bool first_outlived = false;
  EventRole role = EventRole::symptom;
  std::vector<SignatureMatch> signatures;
};

// Job-level patterns that have no error text of their own.
struct Features {
  bool node_went_silent = false;        // a node lacks nearly every widespread symptom and says nothing itself
  std::size_t silent_node = 0;
  bool iteration_stall = false;
  bool iteration_slowdown = false;
  std::size_t slow_node = 0;
  long slow_since = -1;                 // iteration at which the slow node's numbers departed
  const EventStats* slow_event = nullptr;
};

// Whether the job said it finished, and where.
struct Completion {
  bool completed = false;
  std::vector<Citation> markers;        // the lines that say so, latest first
  // The first line of a process dying in teardown after the job said it completed (a fatal signal
  // or a non-zero exit in unmarked teardown): noted, not a failure.
  std::optional<Citation> teardown_death;
};

struct Analysis {
  Analysis(const JobScan& s, const HistoryKnowledge* h, const CategoryCatalog& c, const AnalysisOptions& o,
           const Calibration& cal)
      : scan(s), history(h), catalog(c), options(o), calibration(cal) {}

  const JobScan& scan;
  const HistoryKnowledge* history;      // nullptr: no cross-job evidence
  const CategoryCatalog& catalog;
  const AnalysisOptions& options;
  const Calibration& calibration;
  EventEvidence evidence;
  bool use_history = false;
  double progress_time = kNoTime;       // when the job last showed progress, job-wide
  double margin = 10;                   // seconds of progress that may still be iterations in flight

  std::vector<Candidate> candidates;
  Completion completion;
  Features features;
  const Candidate* onset = nullptr;     // the earliest strong evidence
  const Candidate* node_onset = nullptr;// the earliest about the node that logged it
  std::vector<double> node_score;
  std::vector<std::vector<std::pair<double, const EventStats*>>> node_events;  // (weight, event)
  std::vector<std::size_t> node_order;  // nodes by score, best first
  const Candidate* root = nullptr;      // the first root event: where and when the failure shows
  // The earliest strong statement on the top node: what names the cause where the failure is
  // (an unrelated warning on another node may come earlier).
  const Candidate* top_onset = nullptr;

  [[nodiscard]] std::size_t top_node() const { return node_order.empty() ? 0 : node_order.front(); }
};

// When the job last showed progress (an iteration report or a stage marker), job-wide.
double last_progress_time(const JobScan& scan);
// Typical seconds between iteration reports (0 when unknown).
double iteration_interval(const JobScan& scan);
// Where an occurrence is, for the report.
Citation cite(const Occurrence& o, const std::string& text, const JobScan& scan);

void weigh_events(Analysis& a);
void recognise_completion(Analysis& a);
// Notes on how a job that did not fail ended: where its logs end when nothing says it completed, a
// process that died in teardown after it did (completion.cpp).
void note_outcome(const Analysis& a, std::vector<std::string>& notes);
void detect_features(Analysis& a);
void find_onset(Analysis& a);
void rank_nodes(Analysis& a, NodeRanking ranking);
void assign_roles(Analysis& a);
void locate_in_time(const Analysis& a, Diagnosis& d);
void explain_slowdown(const Analysis& a, Diagnosis& d);
void stage_from_kind(const Analysis& a, Diagnosis& d);
void decide_verdict(const Analysis& a, Diagnosis& d);
void list_findings(const Analysis& a, std::size_t top_nodes, std::size_t max_events, Diagnosis& d);
void describe_course(const Analysis& a, Diagnosis& d);

}  // namespace l4::diagnose
