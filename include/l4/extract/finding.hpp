#pragma once
// Finding: one fault-indicating line as the extractor reports it — where it is, the phrase that
// says what went wrong (fault-indicating description, FID), the entities involved
// (fault-indicating parameters, FIP) and the score that ranked it.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "l4/extract/typed_parameter.hpp"
#include "l4/format/level.hpp"
#include "l4/parse/template_id.hpp"

namespace l4::extract {

struct Finding {
  std::size_t index = 0;      // position of the line in the extractor's input
  std::string node;
  std::string file;
  std::uint64_t line_no = 0;
  format::Level level = format::Level::unknown;
  parse::TemplateId template_id = 0;
  std::string template_text;
  std::string content;        // the message
  std::string description;    // the FID: content[description_begin, description_end)
  std::size_t description_begin = 0;
  std::size_t description_end = 0;
  std::vector<TypedParameter> parameters;  // typed entities of the line, by position
  std::string fip;            // the primary fault-indicating parameter ("" when none)
  // What the FIP is: an entity (of the message, or the rank or node that printed the line when
  // the message names none) or a candidate (an exit code, a path, a field); none when no FIP.
  ParameterRole fip_role = ParameterRole::none;
  double score = 0;           // ranking score (higher = more fault-indicating)
  std::uint64_t occurrences = 1;  // lines of the input with this template
};

}  // namespace l4::extract
