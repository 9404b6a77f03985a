#pragma once
// The diagnosis as one self-contained HTML page (`l4 diagnose --format html`): verdict and
// summary, a node × time heatmap of the failure-indicating events, the stage and iteration
// timeline with the failure point, the ranked evidence (each expandable to its related lines),
// parameters, completion, and what was read. Rendered from the same Diagnosis as the JSON and
// text reports; the page's structure, style and script are data (data/report.html), the parts
// that depend on the diagnosis are filled in here. Nothing is fetched: inline CSS, SVG and script.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "l4/diagnose/diagnosis.hpp"

namespace l4::report {

// `replaced` (optional) counts the bytes of invalid UTF-8 from the logs written as U+FFFD.
std::string render_html(const diagnose::Diagnosis& diagnosis, std::uint64_t* replaced = nullptr);

// `text` safe inside HTML text and attribute values: markup characters escaped, invalid UTF-8
// (log text is kept byte-exact) replaced by U+FFFD.
std::string html_escape(std::string_view text);

// Fills `{{name}}` slots of a page template. Throws l4::Error naming a slot the template has but
// `slots` lacks, so a template and its renderer cannot drift apart silently.
std::string fill_template(std::string_view page, const std::vector<std::pair<std::string, std::string>>& slots);

}  // namespace l4::report
