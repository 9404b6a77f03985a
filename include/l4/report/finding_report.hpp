#pragma once
// The output shapes of `l4 extract` (documented in docs/extract.md): a finding as one JSON object
// (the jsonl line), all findings as one JSON document, and the readable text form.
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "l4/extract/finding.hpp"
#include "l4/report/json.hpp"

namespace l4::report {

// A finding with the extraction set it came from (a node, a file, or "" for the whole job).
using GroupedFinding = std::pair<std::string, extract::Finding>;

// {"node","file","line","level","template_id","template","description","fip","parameters":[{type,
// value}],"score","occurrences"} plus "group" when `group` is not empty.
Json to_json(const extract::Finding& finding, std::string_view group);
// {"lines", "group_by", "findings": [...]}; findings carry their group unless grouped by job.
Json findings_document(std::span<const GroupedFinding> findings, std::uint64_t lines,
                                 std::string_view group_by);
// file:line [node] LEVEL score, then description, fip and parameters; "== group" headers unless
// grouped by job.
std::string render_text(std::span<const GroupedFinding> findings, std::string_view group_by);

}  // namespace l4::report
