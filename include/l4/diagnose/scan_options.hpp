#pragma once
// ScanOptions: how a job's logs are read for diagnosis — ingestion, the header formats, the threads
// and the sample the templates are first mined from (the scan itself is internal:
// src/diagnose/job_scanner.hpp).
#include <cstdint>

#include "l4/format/header_parser.hpp"
#include "l4/io/ingestor.hpp"

namespace l4::diagnose {

struct ScanOptions {
  io::IngestOptions ingest;
  unsigned threads = 2;
  std::uint64_t sample_lines_per_file = 2000;
  format::FormatOptions formats;  // --log-format, --formats; default: the known formats
};

}  // namespace l4::diagnose
