#pragma once
// Diagnosis: l4's answer for one failed job — verdict, faulty nodes, stage and iteration,
// failure-indicating events, the parameters that matter — each traceable to file:line. The report
// module renders it (JSON contract, text summary); nothing else knows output shapes.
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "l4/diagnose/stage.hpp"
#include "l4/io/ingest_summary.hpp"
#include "l4/parse/template_id.hpp"

namespace l4::diagnose {

// When a line was written, for people and scripts: seconds since the job's first timestamp, and
// the wall-clock time as the logs print it. A line without a stamp of its own is placed at the
// next stamp of its stream (it was written by then: a traceback before the teardown after it).
struct Moment {
  double offset = std::numeric_limits<double>::quiet_NaN();  // NaN: the logs do not place it
  // ISO-8601 local time: "2024-02-09T22:46:06.667" with the year a line of the job prints beside
  // the time; "--02-09T22:46:06.667" (ISO 8601:2000, no year) when no line prints one (glog,
  // syslog); "" when not placed.
  std::string iso;

  [[nodiscard]] bool placed() const { return !std::isnan(offset); }
};

// A place in the logs: enough to open the file at the line.
struct Citation {
  std::string node, file;
  std::uint64_t line = 0;
  std::string text;
  Moment time;
};

enum class EventRole : std::uint8_t { root, symptom };
std::string_view to_string(EventRole role);

struct EventFinding {
  parse::TemplateId event_id = 0;
  std::string template_text;
  EventRole role = EventRole::symptom;
  double score = 0;
  std::string level;
  std::vector<std::string> nodes;  // nodes it occurred on (natural order)
  std::uint64_t count = 0;
  Citation first;
  // Events of the same incident that frame or restate this one (a wrapper, a stack-trace header,
  // a summary repeating its facts, quoted source code): listed here instead of on their own.
  std::vector<parse::TemplateId> related;
  // The first line of each related event (at most kMaxRelatedLines): what expanding it shows.
  static constexpr std::size_t kMaxRelatedLines = 12;
  std::vector<Citation> related_lines;
};

struct NodeFinding {
  std::string node;
  double score = 0;                 // relative: the top node has 1
  std::vector<parse::TemplateId> events;  // the events that make it stand out, strongest first
  // The ranks (processes) on the node that logged its root evidence, earliest first: ranks are not
  // nodes — a launcher prefix ("[rank12]:") or the line itself ("[Rank 12]") names them.
  std::vector<long> ranks;
  Moment first_seen;  // its earliest event showing the failure (listed kind, not outlived)
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
  std::vector<parse::TemplateId> events;  // its events none of the previous iterations had
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
  // lines), "generic" (only signatures of generic text on them: an OS error string such as
  // "Connection reset by peer", a signal name, a general phrase), "timeout" (only timeouts: the
  // job stopped, the text does not say why), "exit" (only the exit code or signal a launcher
  // reported), "exception" (an uncaught
  // exception of that class, nothing more specific), "feature" (a pattern of the job without
  // text: a stall, a slowdown, a silent node, a timeout outside training); "" for unknown/none.
  std::string basis;
  std::string exception; // the class of the uncaught exception the verdict rests on, when it does
  std::vector<std::string> evidence;  // why this category: short statements citing events
};

// The job's course in time: when it ran, its stages and its iteration progress, job-wide. Bounded
// however long the job ran: at most kMaxStages spans (shorter ones merge into their neighbours)
// and kMaxProgress progress samples.
struct Timeline {
  static constexpr std::size_t kMaxStages = 200, kMaxProgress = 240;
  struct StageSpan {
    Stage stage = Stage::init;
    double from = 0, to = 0;  // offsets (seconds since start)
  };
  struct Progress {
    double offset = 0;        // seconds since start
    long iteration = -1;      // the highest iteration any stream had reported by then
  };
  Moment start, end;          // the job's first and last timestamps (start.offset is 0)
  std::vector<StageSpan> stages;    // as the job-wide stage moved (stages only move forward past setup)
  std::vector<Progress> progress;   // ascending
};

// Failure-indicating events over time, node by node: which node lit up first, and when the others
// followed. A cell counts the failure-indicating events (templates) first seen on the row's nodes
// in its time bucket — the scan keeps each event's first occurrence per node, not every one.
// Events the job outlived are counted as `earlier` when they come before the window. Bounded:
// at most kMaxRows rows (beyond kMaxSingleRows ranked nodes, nodes of like rank are aggregated
// into bands) of at most kMaxBuckets buckets.
struct Heatmap {
  static constexpr std::size_t kMaxRows = 48, kMaxSingleRows = 24, kMaxBuckets = 60;
  struct Row {
    std::string label;          // the node id; for a band "first … last"
    std::uint32_t nodes = 1;    // nodes in the row (more than one: a band)
    double score = 0;           // the best node score in the row, relative to the top node
    Moment first_seen;          // its earliest event showing the failure (as NodeFinding::first_seen)
    std::vector<std::uint32_t> counts;  // per bucket
    std::uint32_t earlier = 0;  // failure-indicating events first seen before the window
    std::uint32_t unplaced = 0; // ... that the logs do not place in time
  };
  double from = 0;              // offset of the first bucket's start (seconds since start)
  double bucket = 0;            // seconds per bucket
  std::vector<Row> rows;        // by node score, the top node first
  // The cell of the first evidence (the earliest root event on the top node), when placed.
  std::optional<std::size_t> first_evidence_row, first_evidence_bucket;
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
  // The events listed as `related` of the events above (framing, restatements, quoted code), each
  // once, with its template and first line: what an event folds in (EventFinding::related_lines
  // says where, for reading).
  std::vector<EventFinding> related_events;
  // The earliest root evidence on the top node (else the earliest root evidence): where and when
  // the failure first shows (the summary cites it).
  std::optional<Citation> first_evidence;
  parse::TemplateId first_evidence_event = 0;  // the event of that line

  std::vector<ParameterFinding> parameters;
  std::vector<IterationAnomalyFinding> iteration_anomalies;  // earliest first
  // When the job completed: the lines that say so (a completion marker, progress at its total),
  // latest first. Lines after them are teardown, not evidence.
  std::vector<Citation> completion;
  Timeline timeline;
  Heatmap heatmap;                        // empty when no failure was found
  io::IngestSummary inputs;
  std::optional<HistoryUse> history;      // nullopt: no history, within-job evidence only
  std::vector<std::string> notes;         // what the analysis could not do, and why
};

}  // namespace l4::diagnose
