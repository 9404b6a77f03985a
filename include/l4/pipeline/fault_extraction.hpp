#pragma once
// Fault extraction over whole inputs (`l4 extract`): reads the lines (LineSource), mines their
// templates, groups them into extraction sets (the whole job, each node or each file) and runs
// extract::FaultExtractor on each set.
#include <functional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "l4/extract/fault_extractor.hpp"
#include "l4/pipeline/line_source.hpp"

namespace l4::pipeline {

// What one extraction set holds.
enum class ExtractionSet { job, node, file };

struct FaultExtractionOptions {
  ExtractionSet group = ExtractionSet::job;
  extract::ExtractOptions extract;
  std::string templates_file;          // start mining from the templates saved there (l4 parse); read
                                       // once the lines are (after the inputs were found usable)
  std::function<void()> on_read;       // called when every line is read, before mining
};

struct FaultExtraction {
  // (set key, finding): the key is the node or file name, "" for the whole job; sets in key order.
  std::vector<std::pair<std::string, extract::Finding>> findings;
  std::size_t lines = 0;   // lines read
  std::size_t groups = 0;  // extraction sets
};

// Throws l4::InputError for inputs without a usable line and a templates file that cannot be read.
FaultExtraction extract_faults(const LineSource& source, std::span<const std::string> paths,
                               const FaultExtractionOptions& options);

}  // namespace l4::pipeline
