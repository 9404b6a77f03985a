#pragma once
// The one way l4 turns a JSON report into text. Reports carry log text byte-exact, and logs hold
// invalid UTF-8; JSON must not. Dumping never throws on such text: every string (and key) that is
// not valid UTF-8 has its bad bytes replaced by U+FFFD, and the replacements are counted so the
// caller can say so.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace l4::report {

// `doc` as JSON text (indent as nlohmann::json::dump: -1 = one line). Adds the number of bytes
// replaced by U+FFFD to *replaced when given.
std::string dump_json(const nlohmann::json& doc, int indent, std::uint64_t* replaced = nullptr);

}  // namespace l4::report
