#pragma once
// ExtractLine: one parsed log line as the extractor consumes it — where it came from, its level,
// its message and the template the parser matched. The extractor depends on these fields only,
// never on parser internals, so `l4 diagnose`, `l4 extract` and the LoFI evaluation can build
// them from any source (TemplateMiner results, saved templates, or a stand-in in tests).
#include <cstdint>
#include <string_view>
#include <vector>

#include "l4/format/level.hpp"
#include "l4/parse/template_id.hpp"

namespace l4::extract {

struct ExtractLine {
  std::string_view node;           // node id (may be empty)
  std::string_view file;           // display path (may be empty)
  std::uint64_t line_no = 0;       // 1-based line number in `file`
  int rank = -1;                   // global rank a launcher prefix ("[rank3]:") named, -1 when none
  format::Level level = format::Level::unknown;
  std::string_view content;        // the message (header stripped)
  parse::TemplateId template_id = 0;
  std::string_view template_text;  // "<*>" marks parameters; empty = content is the template
  std::vector<std::string_view> parameters;  // the text at each "<*>", in order
};

}  // namespace l4::extract
