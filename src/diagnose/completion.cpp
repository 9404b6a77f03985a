// Step 2 of the analysis: success is recognised, not inferred from silence. A job that completed
// says so — a completion marker ("Training completed.", "exits successfully", "worker group
// successfully finished"), or a progress report that reached the total the run counts to
// ("iteration 3000/ 3000") — and everything before that the job outlived. What it prints after
// the last marker is teardown (peers closing connections, communicators aborted, rendezvous
// shutting down), unless a process dies there: an uncaught exception, a fatal signal or a
// non-zero exit after the job said it finished is a failure of its own (a final save that broke).
#include <spdlog/spdlog.h>

#include <algorithm>

#include "diagnose/analysis.hpp"
#include "l4/io/utf8.hpp"

namespace l4::diagnose {

namespace {

std::vector<std::pair<Occurrence, const std::string*>> completion_markers(const JobScan& scan) {
  std::vector<std::pair<Occurrence, const std::string*>> out;
  for (const auto& n : scan.nodes) {
    if (n.completed.valid()) out.emplace_back(n.completed, &n.completed_text);
    // Progress at its total completes the run only when that total is the run's length (the
    // largest any report counts to), not an evaluation loop's.
    if (n.reached_total.valid() && n.reached_total_of == scan.progress_total) out.emplace_back(n.reached_total, &n.reached_total_text);
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return b.first.before(a.first); });
  return out;
}

}  // namespace

void recognise_completion(Analysis& a) {
  if (!a.options.recognise_success) return;
  auto markers = completion_markers(a.scan);
  if (markers.empty()) return;
  const Occurrence& latest = markers.front().first;
  const auto died_after = std::find_if(a.candidates.begin(), a.candidates.end(), [&](const Candidate& c) {
    return c.process_died && latest.before(c.event->last);
  });
  if (died_after != a.candidates.end()) {
    spdlog::debug("the job said it finished, but a process died after that: '{}'", io::utf8_prefix(died_after->event->text, 100));
    return;
  }
  a.completion.completed = true;
  for (std::size_t i = 0; i < std::min<std::size_t>(3, markers.size()); ++i) {
    a.completion.markers.push_back(cite(markers[i].first, *markers[i].second, a.scan));
  }
}

}  // namespace l4::diagnose
