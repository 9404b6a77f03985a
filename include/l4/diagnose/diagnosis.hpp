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
  std::string category;  // e.g. "hardware/gpu/ecc"; "unknown" when nothing fits
  double confidence = 0; // 0..1
  std::string summary;   // one paragraph
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
  std::vector<ParameterFinding> parameters;
  std::vector<IterationAnomalyFinding> iteration_anomalies;  // earliest first
  io::IngestSummary inputs;
  std::optional<HistoryUse> history;      // nullopt: no history, within-job evidence only
  std::vector<std::string> notes;         // what the analysis could not do, and why
};

}  // namespace l4::diagnose
