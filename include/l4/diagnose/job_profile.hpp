#pragma once
// JobProfile: what one job's logs say in terms of events (templates) — how often each occurred, on
// how many nodes, in which stages. Successful jobs' profiles fill the history that the cross-job
// pattern of L4 compares a failed job against.
#include <cstdint>
#include <string>
#include <vector>

#include "l4/diagnose/stage.hpp"
#include "l4/parse/template_id.hpp"

namespace l4::diagnose {

struct TemplateProfile {
  parse::TemplateId id = 0;
  std::string text;         // template text, "<*>" for parameters
  std::uint64_t count = 0;  // occurrences in the job
  std::uint32_t nodes = 0;  // nodes it occurred on
  StageMask stages = 0;     // stages it occurred in
};

struct JobProfile {
  std::string job_id;
  std::string style;             // framework style when recognisable ("megatron", ...), else ""
  std::uint32_t node_count = 0;
  std::uint64_t lines = 0;       // lines used
  std::vector<TemplateProfile> templates;  // sorted by id
};

}  // namespace l4::diagnose
