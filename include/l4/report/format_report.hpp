#pragma once
// The output shapes of `l4 formats` (README "Header formats"): the known header formats with their
// samples, and the result of checking a formats table — each as JSON and as text.
#include <span>
#include <string>
#include <string_view>

#include "l4/format/format_table.hpp"
#include "l4/report/json.hpp"

namespace l4::report {

// `formats list`: {"formats": [{"name", "source", "description", "regex", "samples": [{"line",
// "timestamp", "level", "component", "content"}]}]}, in the order they are tried.
Json formats_json(std::span<const format::KnownFormat> formats);
// Per format: name (source), description, regex, and each sample line with its parts.
std::string formats_text(std::span<const format::KnownFormat> formats);

// `formats check`: {"source", "ok", "formats", "samples", "problems": [{"path", "message"}]}.
Json check_json(const format::FormatTableCheck& check, std::string_view source);
// One line per problem ("FILE: formats[1].samples[0].level: expected ..."), then a summary line.
std::string check_text(const format::FormatTableCheck& check, std::string_view source);

}  // namespace l4::report
