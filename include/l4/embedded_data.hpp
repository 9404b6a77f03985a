#pragma once
// Access to the JSON tables under data/ that are compiled into the binary (see
// cmake/L4EmbedData.cmake). Keeps formats, lexicons and catalogues as data without a runtime path.
#include <string_view>

namespace l4::embedded {

// Text of data/<name> (e.g. "formats.json"), or an empty view if no such file was embedded.
std::string_view data(std::string_view name);

}  // namespace l4::embedded
