#include "l4/diagnose/job_profiler.hpp"

#include "diagnose/job_scanner.hpp"
#include "l4/diagnose/diagnoser.hpp"

namespace l4::diagnose {

JobProfile profile_of(const JobScan& scan, std::string job_id, std::string style) {
  JobProfile p;
  p.job_id = std::move(job_id);
  p.style = std::move(style);
  p.node_count = static_cast<std::uint32_t>(scan.nodes.size());
  p.lines = scan.ingest.total.used;
  for (const auto& e : scan.events) {
    p.templates.push_back(TemplateProfile{e.id, e.text, e.count, e.node_spread(), e.stages});
  }
  std::sort(p.templates.begin(), p.templates.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return p;
}

namespace {

// The scan diagnosis would make: parsing starts from the history's templates, so ids agree.
JobScan scan_with(std::span<const std::string> paths, const HistoryKnowledge* known, const ScanOptions& options) {
  JobScanner scanner(options);
  if (known != nullptr && !known->templates.empty()) {
    const auto store = known_templates(*known);
    return scanner.scan(paths, &store);
  }
  return scanner.scan(paths);
}

}  // namespace

JobProfile profile_job(std::span<const std::string> paths, std::string job_id, const HistoryKnowledge* known,
                       const ScanOptions& options) {
  return profile_of(scan_with(paths, known, options), std::move(job_id));
}

CheckedProfile profile_and_diagnose(std::span<const std::string> paths, std::string job_id,
                                    const HistoryKnowledge* known, const DiagnoseOptions& options) {
  JobScan scan = scan_with(paths, known, options.scan);
  CheckedProfile out;
  out.profile = profile_of(scan, std::move(job_id));
  out.diagnosis = Diagnoser(options).analyze(std::move(scan), known != nullptr && known->jobs > 0 ? known : nullptr);
  return out;
}

}  // namespace l4::diagnose
