#pragma once
// JobScanner: reads a job (files, directories, stdin) and produces its JobScan, using both cores.
//
// Templates are learned in three steps so parsing stays fast and deterministic: (1) mine a sample
// (the first lines of every file) on top of known templates (e.g. the history's); (2) read every
// line on several threads, matching it against the now frozen template store — lines that match
// nothing are kept aside (they are rare: failures are among them); (3) mine those lines and add
// them. The result does not depend on the number of threads.
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "diagnose/job_scan.hpp"
#include "diagnose/stage_classifier.hpp"
#include "l4/diagnose/scan_options.hpp"
#include "l4/parse/template_store.hpp"

namespace l4::diagnose {


class JobScanner {
 public:
  explicit JobScanner(ScanOptions options = {});

  // Throws l4::InputError for unusable paths (see io::Ingestor::discover).
  JobScan scan(std::span<const std::string> paths, const parse::TemplateStore* known = nullptr) const;

 private:
  ScanOptions options_;
  StageClassifier stages_;
};

}  // namespace l4::diagnose
