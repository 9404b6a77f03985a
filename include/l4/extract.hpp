#pragma once
// l4/extract.hpp — Fault extraction: the fault-indicating lines of a set of lines, each with its description
// (FID) and typed parameters (FIP), LoFI's two stages without a model (docs/extract.md).
//
//   const l4::extract::FaultExtractor extractor;
//   for (const auto& finding : extractor.extract(lines, {})) { /* finding.description, finding.fip */ }
#include "l4/extract/extract_line.hpp"
#include "l4/extract/fault_extractor.hpp"
#include "l4/extract/fault_lexicon.hpp"
#include "l4/extract/finding.hpp"
#include "l4/extract/line_forms.hpp"
#include "l4/extract/parameter_typer.hpp"
#include "l4/extract/typed_parameter.hpp"
