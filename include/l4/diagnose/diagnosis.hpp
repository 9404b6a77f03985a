#pragma once
// Diagnosis: l4's answer for one failed job — verdict, faulty nodes, stage and iteration,
// failure-indicating events, the parameters that matter — each traceable to file:line. The report
// module renders it (JSON contract, text summary); nothing else knows output shapes.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "l4/diagnose/stage.hpp"
#include "l4/io/ingest_summary.hpp"

namespace l4::diagnose {

// A place in the logs: enough to open the file at the line.
struct Citation {
  std::string node, file;
  std::uint64_t line = 0;
  std::string text;
};

enum class EventRole : std::uint8_t { root, symptom };
std::string_view to_string(EventRole role);

struct EventFinding {
  std::string event_id;   // template id, 16 hex chars
  std::string template_text;
  EventRole role = EventRole::symptom;
  double score = 0;
  std::string level;
  std::vector<std::string> nodes;  // nodes it occurred on (natural order)
  std::uint64_t count = 0;
  Citation first;
  // Events of the same incident that frame or restate this one (a wrapper, a stack-trace header,
  // a summary repeating its facts, quoted source code): listed here instead of on their own.
  std::vector<std::string> related;
};

struct NodeFinding {
  std::string node;
  double score = 0;                 // relative: the top node has 1
  std::vector<std::string> events;  // ids of the events that make it stand out, strongest first
  // The ranks (processes) on the node that logged its root evidence, earliest first: ranks are not
  // nodes — a launcher prefix ("[rank12]:") or the line itself ("[Rank 12]") names them.
  std::vector<long> ranks;
};

struct ParameterFinding {
  std::string type, value, node;
};

// An iteration whose events deviate from the ones before it on the same stream (L4's DTW check):
// where a job began to go wrong, even before any line said so.
struct IterationAnomalyFinding {
  long iteration = -1;
  bool unfinished = false;   // the stream ended inside this iteration
  double distance = 0;       // mean normalised DTW distance to the previous ten iterations (0..1)
  double sigmas = 0;         // standard deviations above the stream's usual distance
  std::string node, file;    // the stream it deviates on
  std::uint64_t line = 0;    // the iteration's first line
  std::vector<std::string> events;  // ids of its events none of the previous iterations had
};

struct Verdict {
  // A category of the catalogue's taxonomy: a leaf ("hardware/gpu/ecc") or, when the evidence
  // singles out no leaf, the deepest category it supports ("hardware/network"); "unknown" when
  // nothing fits; "none" when no failure was found.
  std::string category;
  // The odds that the category is right (or a coarser form of the right one), read from a
  // calibration table measured on the real-failure corpus's tune part (data/calibration.json).
  double confidence = 0;
  double strength = 0;   // the raw strength of the evidence (0..1) the confidence is calibrated from
  // What the category rests on: "signature" (a catalogue signature on the failure's own root
  // lines), "timeout" (only timeouts: the job stopped, the text does not say why), "exit" (only
  // the exit code or signal a launcher reported), "exception" (an uncaught
  // exception of that class, nothing more specific), "feature" (a pattern of the job without
  // text: a stall, a slowdown, a silent node, a timeout outside training); "" for unknown/none.
  std::string basis;
  std::string exception; // the class of the uncaught exception the verdict rests on, when it does
  std::vector<std::string> evidence;  // why this category: short statements citing events
};

struct HistoryUse {
  std::string db;
  std::uint32_t normal_jobs = 0;
};

struct Diagnosis {
  bool failure_found = false;
  Verdict verdict;
  std::vector<NodeFinding> faulty_nodes;  // ranked
  std::optional<Stage> stage;
  std::optional<long> last_completed, failed_at;
  std::vector<EventFinding> events;       // ranked
  // The earliest root evidence: where and when the failure first shows (the summary cites it).
  std::optional<Citation> first_evidence;
  std::vector<ParameterFinding> parameters;
  std::vector<IterationAnomalyFinding> iteration_anomalies;  // earliest first
  // When the job completed: the lines that say so (a completion marker, progress at its total),
  // latest first. Lines after them are teardown, not evidence.
  std::vector<Citation> completion;
  io::IngestSummary inputs;
  std::optional<HistoryUse> history;      // nullopt: no history, within-job evidence only
  std::vector<std::string> notes;         // what the analysis could not do, and why
};

}  // namespace l4::diagnose
