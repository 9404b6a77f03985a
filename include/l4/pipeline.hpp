#pragma once
// l4/pipeline.hpp — The pipeline: paths -> lines with headers -> templates (-> findings), as library calls every
// command shares: LineSource reads, parse_templates parses, extract_faults extracts.
//
//   const l4::pipeline::LineSource source(paths, {});
//   const auto extraction = l4::pipeline::extract_faults(source, paths, {});
#include "l4/pipeline/fault_extraction.hpp"
#include "l4/pipeline/line_source.hpp"
#include "l4/pipeline/template_parse.hpp"
