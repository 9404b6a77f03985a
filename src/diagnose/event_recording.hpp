#pragma once
// Recording events into EventStats — one definition of how an event's counts, ranks, numbers and
// first/last occurrences (per job and per node) are kept, used both for a line as it is read
// (record_event) and for a worker's aggregate joining the job's (merge_event).
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "diagnose/job_scan.hpp"
#include "diagnose/stage_classifier.hpp"

namespace l4::diagnose {

// Longest raw line or content kept for an event's first occurrence (cut on a character boundary).
inline constexpr std::size_t kMaxTextBytes = 2000;

// Records one occurrence of `e`: the line at `at`, with its level, raw text, content (header
// removed) and parameters; `quoted`: the line quotes a traceback frame's source code.
void record_event(EventStats& e, const Occurrence& at, format::Level level, std::string_view raw,
                  std::string_view content, std::span<const std::string_view> params, bool quoted);
// Adds `from` (a worker's aggregate of the same template, with worker-local node indexes) to
// `into`; remap[local node] is the job's node index, `nodes` the job's node count. Moves texts out
// of `from`.
void merge_event(EventStats& into, EventStats& from, std::span<const std::uint32_t> remap, std::size_t nodes);
// Makes room for `nodes` nodes in the per-node vectors of `e`.
void reserve_nodes(EventStats& e, std::size_t nodes);

// Counts a line that ends a traceback as the exception it raised.
void record_raised(EventStats& e, const std::string& cls);
// Counts an exit report's code (0 or not) on its event.
void record_exit(EventStats& e, const TemplateStageInfo& info, std::string_view content, const StageClassifier& stages);
// Keeps the highest collective sequence number a line of `e` names (TemplateStageInfo::collective_parameter).
void record_collective(EventStats& e, const TemplateStageInfo& info, std::span<const std::string_view> params,
                       const StageClassifier& stages);
// Gives the unstamped occurrences of `e` at or before line `line` of `file` the stream's next stamp.
void bound_unstamped(EventStats& e, std::uint32_t node, std::uint32_t file, std::uint64_t line, double stamp);
// A parameter as a number ("5465.1", "-6", "4.8E-05"), as std::from_chars reads it; NaN when it is
// anything else (or not finite).
double as_number(std::string_view p);
// Adds a rank to a sorted set of at most EventStats::kMaxRanks ranks.
void add_rank(std::vector<int>& ranks, int rank);

}  // namespace l4::diagnose
