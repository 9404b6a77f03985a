#pragma once
// JobScan: everything diagnosis needs from one read of a job's logs, aggregated per event
// (template) and per node — counts, where and when each event was first seen, the stage and
// iteration each stream was in. Memory grows with templates × nodes, not with lines.
#include <array>
#include <cmath>
#include <cstdint>
#include <span>
#include <limits>
#include <string>
#include <vector>

#include "l4/diagnose/stage.hpp"
#include "diagnose/stage_classifier.hpp"
#include "l4/format/level.hpp"
#include "l4/io/ingest_summary.hpp"
#include "l4/parse/template_id.hpp"

namespace l4::diagnose {

inline constexpr double kNoTime = std::numeric_limits<double>::quiet_NaN();

// Where and when an event was seen: enough to cite it (file:line) and to place it in time.
struct Occurrence {
  std::uint32_t node = 0;       // index into JobScan::nodes
  std::uint32_t file = 0;       // index into JobScan::ingest.files
  std::uint64_t line = 0;       // 1-based; 0 = no occurrence
  double time = kNoTime;        // seconds of year (format::parse_timestamp); inherited by lines
                                // without a stamp; NaN before a stream's first stamp
  std::optional<Stage> stage;   // the stream's stage at this line
  long iteration = -1;          // the last iteration the stream had reported before this line
  bool stamped = false;         // the line carried its own timestamp (else `time` is a lower bound)
  double next_stamp = kNoTime;  // for an unstamped line: the next stamp in its stream (upper bound)
  int rank = -1;                // the rank a launcher prefix names ("[rank3]:"), -1 when none

  // Best estimate of when an unstamped line was written: a crash's traceback is printed just
  // before the teardown that follows it, long after the last stamped progress line.
  [[nodiscard]] double estimated_time() const { return stamped || std::isnan(next_stamp) ? time : next_stamp; }

  [[nodiscard]] bool valid() const { return line != 0; }
  // Earlier: in one file, by line (the order it was written in); across files by time, unknown
  // times after known ones, ties by file then line.
  [[nodiscard]] bool before(const Occurrence& o) const {
    if (file == o.file) return line < o.line;
    const bool a = !std::isnan(time), b = !std::isnan(o.time);
    if (a != b) return a;
    if (a && time != o.time) return time < o.time;
    if (file != o.file) return file < o.file;
    return line < o.line;
  }
};

// One node's measurements in one event's numeric parameters (step times, waits, throughput): their
// early level and their recent level. A straggler slows every rank's step, but only its own
// compute times grow; comparing how each node's numbers moved finds it without any error text.
struct NumericTrack {
  static constexpr std::size_t kWidth = 8;         // parameters tracked: the first kWidth
  static constexpr std::uint32_t kBaseline = 16;   // occurrences whose mean is the early level
  std::array<double, kWidth> base_sum{};
  std::array<double, kWidth> recent{};             // exponential moving average after the baseline
  // When the current departure from the early level began: the stream's iteration (-1 unknown)
  // and time (NaN unknown). Streams that print no iteration reports of their own are placed by time.
  std::array<long, kWidth> departed_at{-1, -1, -1, -1, -1, -1, -1, -1};
  std::array<double, kWidth> departed_time{kNoTime, kNoTime, kNoTime, kNoTime, kNoTime, kNoTime, kNoTime, kNoTime};
  std::array<std::uint32_t, kWidth> numeric{};    // occurrences where the parameter was a number
  std::uint32_t seen = 0;
  double last_time = kNoTime;                      // of the latest occurrence
  long last_iteration = -1;

  // `values`: the line's parameters as numbers (NaN when not a number); `at`: where the line is.
  void observe(std::span<const double> values, long iteration, double time);
  // Mean of the early level of parameter p (NaN until the baseline is complete or when p was not
  // always a number), and the recent level relative to it.
  [[nodiscard]] double baseline(std::size_t p) const;
  [[nodiscard]] double recent_ratio(std::size_t p) const;
  // Merges a track of the same node and event from another worker (approximate: averages).
  void merge(const NumericTrack& other);
};

struct EventStats {
  parse::TemplateId id = 0;
  std::string text;                       // template text
  format::Level level = format::Level::unknown;  // highest level seen
  std::uint64_t count = 0;
  std::vector<std::uint32_t> node_counts;  // per node index
  std::vector<Occurrence> node_first;      // first occurrence per node (invalid when none)
  Occurrence first;                        // earliest occurrence in the job
  Occurrence last;                         // latest occurrence in the job
  std::string first_text;                  // the raw line of `first` (capped)
  std::string first_content;               // its content (header removed)
  std::vector<std::string> first_parameters;
  std::vector<std::vector<std::string>> node_first_parameters;  // of node_first, per node index
  StageMask stages = 0;
  TemplateStageInfo stage_info;
  std::vector<NumericTrack> node_numbers;  // per node index; empty when no parameter is a number
  // Occurrences that directly follow a traceback frame line in their stream: source code the
  // traceback quotes ("    raise ChildFailedError("), which states no event of its own.
  std::uint64_t quoted = 0;
  // For exit reports (stage_info.process_end == exit_report): occurrences stating exit code 0 and
  // a non-zero one, and the first non-zero code (negative: the signal that killed the process).
  std::uint32_t exits_zero = 0, exits_nonzero = 0;
  long first_nonzero_exit = 0;
  // The ranks that logged it (launcher prefixes), ascending, at most kMaxRanks of them: within one
  // node, an event of one rank singles that rank out as a node's event singles out a node.
  static constexpr std::size_t kMaxRanks = 64;
  std::vector<int> ranks;
  // Occurrences that end a traceback (the uncaught exception it raised), and the class the first
  // one names.
  std::uint32_t raised = 0;
  std::string raised_class;
  // The highest sequence number a collective of its lines had in its process group
  // (TemplateStageInfo::collective_parameter), -1 when none.
  long max_collective = -1;

  [[nodiscard]] std::uint32_t node_spread() const {
    std::uint32_t n = 0;
    for (auto c : node_counts) n += c > 0 ? 1 : 0;
    return n;
  }
};

struct NodeStats {
  std::string id;
  std::uint64_t lines = 0;
  Occurrence first_line, last_line;
  // The last line that showed progress (an iteration report or a stage marker below WARN): an
  // error followed by progress on its node was recovered from.
  Occurrence last_progress;
  long last_iteration = -1;
  // (iteration, time of its first report on this node), ascending by iteration
  std::vector<std::pair<long, double>> iterations;
  std::uint64_t warn_or_worse = 0;  // lines at WARN level or above
  // Error lines (ERROR/FATAL level, or no level and "error" in the text): the input of the L4
  // paper's baselines, which rank nodes by first error time or by error count.
  std::uint64_t errors = 0;
  Occurrence first_error;
  // The latest line on the node saying the job or a process finished its work ("Training
  // completed.", "exits successfully"), and the latest progress report that reached its own
  // total ("iteration 3000/ 3000"; that total in `progress_total`).
  Occurrence completed;
  Occurrence reached_total;
  std::string completed_text, reached_total_text;  // their raw lines (capped)
  long reached_total_of = -1;      // the total `reached_total` reached
  long progress_total = -1;        // the largest total any of the node's progress reports counted to
};

// A stream (one node's lines in one file) entering a stage, at a stamped time. Markers without a
// stamp of their own share their stream's last stamp; the file position keeps their order.
struct StageChange {
  double time = kNoTime;
  Stage stage = Stage::init;
  std::uint32_t file = 0;
  std::uint64_t line = 0;
};

// A traceback frame whose function names a stage ("in backward": training): what a process was
// doing when it raised.
struct FrameStage {
  std::uint32_t file = 0;
  std::uint64_t line = 0;
  Stage stage = Stage::init;
  bool fallback = false;  // named only when no other frame of the traceback names a stage ("__init__")
};

// An iteration whose sequence of events deviates from its stream's previous ones (L4's DTW check;
// see src/diagnose/iteration_sequence.hpp).
struct IterationAnomaly {
  std::uint32_t node = 0;        // index into JobScan::nodes
  std::uint32_t file = 0;        // index into JobScan::ingest.files
  std::uint64_t line = 0;        // the first line of the iteration's events
  long iteration = -1;           // the iteration those events belong to
  bool unfinished = false;       // the stream ended inside it: no report closed it
  double distance = 0;           // mean normalised DTW distance to the previous iterations (0..1)
  double sigmas = 0;             // standard deviations above the stream's usual distance
  std::vector<parse::TemplateId> novel;  // its events that none of the compared iterations had
};

struct JobScan {
  io::IngestSummary ingest;
  std::vector<NodeStats> nodes;    // natural order of node ids
  std::vector<EventStats> events;  // every template that occurred, by id
  long last_iteration = -1;        // highest iteration any stream reported
  std::vector<StageChange> stage_changes;  // from every stream, sorted by time
  // Per input file, the line number of its last progress line (0: none): whether an unstamped
  // line was followed by progress is read from its own file.
  std::vector<std::uint64_t> file_last_progress;
  std::uint64_t templates_from_history = 0;
  long progress_total = -1;        // the largest total any progress report counted to
  std::size_t ranks = 0;           // distinct ranks named by launcher prefixes (0: none)
  std::vector<IterationAnomaly> iteration_anomalies;  // by iteration, node, file
  std::vector<FrameStage> frame_stages;    // by file, line
};

}  // namespace l4::diagnose
