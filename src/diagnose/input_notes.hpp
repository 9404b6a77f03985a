#pragma once
// What a diagnosis must say about its inputs: logs that could not be read leave their nodes
// without evidence, so such a node may be at fault without showing it (and another be blamed).
// The report names them (inputs.unreadable) and a note says which nodes lost logs.
#include <string>
#include <vector>

#include "l4/io/ingest_summary.hpp"

namespace l4::diagnose {

// Appends a note naming the nodes (and inputs) whose logs could not be read; nothing when all
// were read.
void note_missing_logs(const io::IngestSummary& inputs, std::vector<std::string>& notes);

}  // namespace l4::diagnose
