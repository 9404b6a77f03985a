#pragma once
// The ingestion summary as JSON and as a short text table (`l4 ingest`, and the `inputs` part of
// other reports).
#include <string>

#include "l4/io/ingest_summary.hpp"
#include "l4/report/json.hpp"

namespace l4::report {

// {"read","used","skipped":{"blank","binary"},"invalid_utf8","truncated","crlf","nul",
//  "nul_bytes_skipped"}
Json to_json(const io::LineCounts& counts);
// The inputs that are not logs: [{"path","status","reason"}] (document, checkpoint, binary, special).
Json skipped_inputs_json(const io::IngestSummary& summary);
// The inputs that could not be read: [{"path","node","reason"}] (node: whose logs they held, or null).
Json unreadable_inputs_json(const io::IngestSummary& summary);
// {"files":[...], "nodes":[...], "total":{...}}
Json to_json(const io::IngestSummary& summary);
// A per-node table followed by per-file notes (only files that are not "ok").
std::string render_text(const io::IngestSummary& summary);

}  // namespace l4::report
