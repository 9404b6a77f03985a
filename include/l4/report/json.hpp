#pragma once
// The JSON type of l4's outputs. Keys keep the order they are written in — the order the
// documented contracts show (README "Report contract", docs/*.md) — instead of nlohmann::json's
// alphabetical order, so a report reads top-down as documented: verdict first, inputs last.
#include <nlohmann/json.hpp>
#include <string>

namespace l4::report {

using Json = nlohmann::ordered_json;

// The text of `j` (`indent` < 0: one line). Log text is kept byte-exact by ingestion, so it may
// hold invalid UTF-8: such bytes come out as U+FFFD instead of failing the whole report.
std::string dump(const Json& j, int indent = 2);

}  // namespace l4::report
