#pragma once
// AnalysisOptions: every weight and threshold of l4's diagnosis in one place, each with the
// reason for its value. Diagnoser::analyze reads nothing else; tests switch mechanisms off here.
#include <cstddef>

namespace l4::diagnose {

// How faulty nodes are ranked: L4's analysis, or one of the L4 paper's baselines (for comparison).
enum class NodeRanking { l4, first_error, error_count };

struct AnalysisOptions {
  // --- Which events are failure-indicating ------------------------------------------------------
  // Cross-job: an event in at least this fraction of the history's normal jobs is not
  // failure-indicating (L4's cross-job pattern; one normal job in twenty is a habit, not chance).
  double history_cutoff = 0.05;
  // An event the job outlived (progress followed it well after its last occurrence) was recovered
  // from: its weight is multiplied by this. Small, not zero: a recovered error can still be the
  // first sign of what killed the job later.
  double outlived_factor = 0.15;
  // Fault score (0..1, extract's lexicon and the catalogue) below which an event is not kept:
  // 0.5 is extract's keep threshold (lexicon score 2.5 of 5).
  double keep_fault = 0.5;
  // The fault score of a line its program logged as INFO or DEBUG (and no signature of a report
  // value matched) is multiplied by this: the program itself does not call it an error. 0.4 keeps
  // only lines whose words alone say failure as plainly as an error level would (fault 1.0 -> 0.4,
  // below keep_fault).
  double informational_factor = 0.4;
  // Weight (novelty x fault x terminal) below which an event is not kept.
  double keep_score = 0.2;
  // Weight from which an event can be the failure's onset (the earliest strong evidence).
  double onset_score = 0.5;

  // --- Spatial: which node ----------------------------------------------------------------------
  // Node score of a node missing every widespread symptom, and of a node that other nodes'
  // failure lines name, against one root event on it (about 1-2).
  double missing_weight = 3.0;
  double named_weight = 1.5;
  // Symptom shortfall (0..1) from which a node that says nothing itself "went silent".
  double silent_shortfall = 0.75;
  // The node with the earliest evidence of the failure: its events count this many times.
  double onset_bonus = 2.0;
  // A node whose numbers drift (a straggler) gets this much node score.
  double slowdown_bonus = 2.0;
  // Look for a node whose own measurements (compute times, waits) drifted unlike every other
  // node's (a straggler that prints no error). Off only in tests of the other mechanisms.
  bool detect_drift = true;
  // A node's measurement drifts when its recent/early ratio departs from the median node's by this
  // factor (1.5: step times vary by a few percent from iteration to iteration; a straggler's grow
  // by half or more) ...
  double drift_ratio = 1.5;
  // ... and no second node departs even 1/drift_isolation as far (3: two nodes drifting together
  // are a slow link or a shared cause, not one straggler).
  double drift_isolation = 3.0;
  // The iteration it began to drift at is its own when its own ratio moved by this factor (1.3:
  // smaller than drift_ratio, since the median node may move the other way, e.g. waits shrink).
  double drift_own_ratio = 1.3;
  // (event, parameter) pairs that must single out the same node (2: one measurement can be noise;
  // a straggler shows in its compute time and in its peers' waits).
  std::size_t drift_min_votes = 2;
  // An event on at most this fraction of nodes is local to them (root material on the top node).
  double local_spread = 0.34;
  // Within one node, lines this close to the onset (in its file, on its rank) are the same incident
  // and root evidence with it (data/event_grouping.json's block size: a traceback and its wrappers).
  std::size_t block_lines = 40;
  // Root events' weight is raised by this factor for ranking.
  double root_boost = 1.25;

  // --- Success --------------------------------------------------------------------------------
  // Recognise completed jobs (a completion marker, or progress reaching its total, with no
  // process dying after it). Off only in tests of the other mechanisms.
  bool recognise_success = true;
  // A job whose only evidence is warnings the programs logged and went on from (WARN-level text no
  // signature explains, no process death, no stall or slowdown) shows no failure: a warning is the
  // program's own judgement that the condition is survivable. Off only in tests.
  bool warnings_are_no_failure = true;

  // --- Verdict ----------------------------------------------------------------------------------
  // A signature on a root event counts this much, on a symptom this much: the root states the
  // cause; symptoms on other nodes (timeouts, peers closing) are consequences.
  double root_vote = 2.0;
  double symptom_vote = 0.5;
  // The onset — the earliest strong statement of the failure — counts this many times more: the
  // first root event names the cause (L4's temporal pattern); later ones are often its
  // consequences in the same process (an Xid in the kernel log, then the CUDA error it causes).
  double onset_vote = 2.0;
  // A launcher's report of a process's exit ("failed (exitcode: -6)") is second-hand: the
  // process's own last words state the cause (a watchdog timeout ends in SIGABRT). It counts
  // this share of a first-hand line, enough to decide when nothing else speaks.
  double reported_vote = 0.35;
  // Each further event with a category's signature counts this share of the one before it: one
  // fault prints its signature in several templates, which is one piece of evidence.
  double further_evidence = 0.5;
  // A category score that is full support for a verdict: the onset root event carrying the
  // category's signature at full weight (root_vote x onset_vote x weight 1), or one job feature
  // that defines the category. Less is partial support: a generic signature of an inner category
  // (weight 0.6: "remote process exited or there was a network error") alone is not a full one.
  double strong_evidence = 4.0;
  // The verdict descends the taxonomy from the roots toward a leaf while the strongest child holds
  // at least this share of its and the runner-up's evidence together; otherwise it stops at the
  // parent (answers "hardware/network" when IB and RoCE evidence are alike). Below it among the
  // roots, the verdict is "unknown".
  double descend_share = 0.6;
  // A category that refines another inherits its evidence when its own signs are present, and a
  // cause takes over its consequences' evidence (catalogue 'refines', 'explains'). Off only in
  // tests.
  bool refine = true;
  // A signature match this long (characters) is fully specific; a verdict resting on shorter ones
  // ("Xid", "timed out") has its strength scaled down in proportion. 16 is about a short fixed
  // message ("CUDA out of memory").
  double specific_match = 16;
  // Use the calibration table (data/calibration.json) to turn the verdict's raw strength into the
  // odds of being right; off, confidence is the raw strength.
  bool calibrated = true;

  // --- Report -----------------------------------------------------------------------------------
  std::size_t max_iteration_anomalies = 10;  // deviating iterations listed, earliest first
  std::size_t max_symptoms_listed = 10;      // a teardown cascade prints many lines that say nothing new
  double listed_symptom_fault = 0.8;         // symptoms listed only when their text says "failure" plainly
  std::size_t max_parameters = 12;
};

}  // namespace l4::diagnose
