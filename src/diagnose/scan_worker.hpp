#pragma once
// ScanWorker: one thread of JobScanner's parallel read. It reads whole files against the frozen
// template store and aggregates per event and per node (worker-local node indexes), keeping the
// lines no template matched for the miner (PendingLine); JobScanner merges the workers' Partials.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "diagnose/event_grouping.hpp"
#include "diagnose/job_scan.hpp"
#include "diagnose/stage_classifier.hpp"
#include "l4/format/header_parser.hpp"
#include "l4/io/ingestor.hpp"
#include "l4/parse/template_store.hpp"
#include "l4/pipeline/line_source.hpp"

namespace l4::diagnose {

// A line no template matched during the parallel pass; mined afterwards.
struct PendingLine {
  std::string node;
  Occurrence where;
  std::string raw, content;
  format::Level level = format::Level::unknown;
  bool quoted = false;
  std::string raised;  // the exception class it names when it ends a traceback
};

// Per-thread aggregation; nodes are local indexes until merged.
struct Partial {
  std::vector<std::string> node_names;
  std::unordered_map<std::string, std::uint32_t> node_index;
  std::vector<NodeStats> nodes;
  std::vector<EventStats> events;  // indexed by template index in the store
  std::vector<PendingLine> pending;
  std::vector<io::FileSummary> files;  // (file index, summary) kept in `file_ids`
  std::vector<std::uint32_t> file_ids;
  long last_iteration = -1;
  std::vector<StageChange> stage_changes;
  std::vector<std::pair<std::uint32_t, std::uint64_t>> file_last_progress;  // (file index, line)
  std::vector<IterationAnomaly> iteration_anomalies;  // node is local until the merge
  std::vector<FrameStage> frame_stages;

  std::uint32_t node(std::string_view name) {
    auto it = node_index.find(std::string(name));
    if (it != node_index.end()) return it->second;
    const auto idx = static_cast<std::uint32_t>(node_names.size());
    node_names.emplace_back(name);
    node_index.emplace(std::string(name), idx);
    NodeStats stats;
    stats.id = std::string(name);
    nodes.push_back(std::move(stats));
    return idx;
  }
};

struct StreamState;  // one stream's state as it is read (scan_worker.cpp)

class ScanWorker {
 public:
  ScanWorker(const pipeline::LineSource& source, const StageClassifier& stages, const parse::TemplateStore& store,
             const std::vector<TemplateStageInfo>& infos);
  ~ScanWorker();

  // Reads one input (index `file_index` of the source's inputs) into partial().
  void read(const io::InputFile& input, std::uint32_t file_index);
  Partial& partial() { return partial_; }

 private:
  struct FileState;
  struct Traceback;
  void take(const io::LineRecord& line, FileState& fs, bool counts);
  // What the line is to its stream's traceback (frame, raise, quoted source, chained report).
  Traceback read_traceback(StreamState& st, std::string_view content, bool stamped) const;
  Traceback follow_traceback(StreamState& st, std::string_view content, int indent, bool quoted) const;
  // The line's content after the prefix its stream's traceback lines carry (EventGrouper::frame_prefix);
  // nullopt for a line amid such a traceback that does not carry it (another process's line).
  std::optional<std::string_view> traceback_body(StreamState& st, std::string_view content) const;
  void close_iteration(StreamState& st, std::uint32_t node, std::uint32_t file, long iteration, bool unfinished);

  const pipeline::LineSource& source_;
  const StageClassifier& stages_;
  const parse::TemplateStore& store_;
  const std::vector<TemplateStageInfo>& infos_;
  const EventGrouper& grouper_ = EventGrouper::embedded();
  format::HeaderParser headers_;
  Partial partial_;
};

// Splits files over workers by size (largest first, to the least loaded); deterministic.
std::vector<std::vector<std::uint32_t>> plan_workers(const std::vector<io::InputFile>& inputs, unsigned workers);

}  // namespace l4::diagnose
