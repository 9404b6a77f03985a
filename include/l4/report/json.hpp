#pragma once
// The JSON type of l4's outputs, and the one way a report becomes text.
//
// Keys keep the order they are written in — the order the documented contracts show (README
// "Report contract", docs/*.md) — instead of nlohmann::json's alphabetical order, so a report reads
// top-down as documented: verdict first, inputs last.
//
// Reports carry log text byte-exact, and logs hold invalid UTF-8; JSON must not. Dumping never
// throws on such text: every string (and key) that is not valid UTF-8 has its bad bytes replaced by
// U+FFFD, and the replacements are counted so the caller can say so.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace l4::report {

using Json = nlohmann::ordered_json;

// The text of `j` (`indent` < 0: one line). Adds the number of bytes replaced by U+FFFD to
// *replaced when given.
std::string dump(const Json& j, int indent = 2, std::uint64_t* replaced = nullptr);

}  // namespace l4::report
