#pragma once
// l4/io.hpp — Ingestion: paths (files, directories, stdin, FIFOs, gzip) become line records with their node,
// file, line number and offset, and every line is accounted for (read = used + skipped).
//
//   l4::io::Ingestor ingestor;
//   const auto inputs = ingestor.discover(paths);          // throws l4::InputError for bad paths
//   const auto summary = ingestor.read_all(inputs, [](const l4::io::LineRecord& line) { ... });
#include "l4/io/ingest_summary.hpp"
#include "l4/io/ingestor.hpp"
#include "l4/io/line_record.hpp"
#include "l4/io/node_identity.hpp"
#include "l4/io/read_progress.hpp"
#include "l4/io/utf8.hpp"
