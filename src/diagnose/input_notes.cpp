#include "diagnose/input_notes.hpp"

#include <fmt/format.h>

namespace l4::diagnose {

void note_missing_logs(const io::IngestSummary& inputs, std::vector<std::string>& notes) {
  std::vector<const io::FileSummary*> unreadable;
  for (const auto& f : inputs.files) {
    if (f.status == io::FileStatus::unreadable) unreadable.push_back(&f);
  }
  if (unreadable.empty()) return;
  std::string which;
  for (std::size_t i = 0; i < unreadable.size() && i < 3; ++i) {
    which += fmt::format("{}{}: {}", i ? "; " : "", unreadable[i]->path, unreadable[i]->message);
  }
  if (unreadable.size() > 3) which += fmt::format("; {} more", unreadable.size() - 3);
  const auto nodes = inputs.nodes_missing_logs();
  if (nodes.empty()) {
    notes.push_back(fmt::format("{} input{} could not be read ({}); evidence in them is missing",
                                unreadable.size(), unreadable.size() == 1 ? "" : "s", which));
    return;
  }
  notes.push_back(fmt::format(
      "logs of node{} {} could not be read ({}): {} own evidence is missing, so {} may be at fault without "
      "showing it, and the ranking of the other nodes may be wrong",
      nodes.size() == 1 ? "" : "s", fmt::join(nodes, ", "), which, nodes.size() == 1 ? "its" : "their",
      nodes.size() == 1 ? "it" : "they"));
}

}  // namespace l4::diagnose
