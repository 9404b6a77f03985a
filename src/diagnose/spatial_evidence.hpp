#pragma once
// Spatial evidence beyond "which node shows an event": the nodes of one job behave alike, so a node
// is also singled out when it *lacks* what every other node reports (it died, hung or lost its
// network before it could report), and when the other nodes' failure lines name it.
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <span>
#include <vector>

#include "diagnose/job_scan.hpp"
#include "l4/diagnose/analysis_options.hpp"

namespace l4::diagnose {

// An event the analysis found failure-indicating, with its weight (0..1).
struct WeightedEvent {
  const EventStats* event = nullptr;
  double weight = 0;
};

// Per node, the weighted mean shortfall (0..1) of its counts of the widespread failure events
// (shown by at least half the nodes) against the typical node's count. Zero everywhere for jobs
// of fewer than three nodes, where "typical" means nothing.
std::vector<double> missing_symptom_scores(const JobScan& scan, std::span<const WeightedEvent> events);

// `id` occurs in `text` with no letter or digit glued to either end ("dgx-b23" in
// "'dgx-b23_91007_0'", not in "dgx-b230").
bool names_node(std::string_view text, std::string_view id);

// The IPv4 addresses nodes state as their own, with the node (index) each belongs to. A banner
// that most nodes print with a different address on each ("Bootstrap : Using eth0:10.0.0.5<0>")
// is each node naming itself; an address two nodes claim is dropped.
std::map<std::string, std::size_t, std::less<>> node_addresses(const JobScan& scan);

// The IPv4 addresses (dotted quads) in `text`, in order.
std::vector<std::string_view> ipv4_addresses(std::string_view text);

// Per node, the weighted number of failure events shown by *other* nodes that name it: its node
// id as a whole word in the event's text ("The node 'dgx-b23_91007_0' has failed to send a
// keep-alive"), or, in the parameters a node logged the event with, an address of it
// ("Got completion from peer 10.0.0.7<50401> with status=5", counted once per naming node).
std::vector<double> named_node_scores(const JobScan& scan, std::span<const WeightedEvent> events);

// The node whose measurements moved unlike every other node's: in some event that all (or most)
// nodes log with numbers, its recent level departed from its early level while the others' did
// not, or the reverse (a straggler's compute times grow; everyone else's waits grow).
struct DriftingNode {
  std::size_t node = 0;
  std::size_t votes = 0;        // (event, parameter) pairs that single it out
  long since = -1;              // iteration at which its own numbers began to depart, -1 unknown
                                // (placed by time on the job's iteration reports when its own
                                // stream reports none)
  const EventStats* event = nullptr;  // the event that singles it out most strongly
};
std::optional<DriftingNode> drifting_node(const JobScan& scan, const AnalysisOptions& options = {});

}  // namespace l4::diagnose
