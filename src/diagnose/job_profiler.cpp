#include "l4/diagnose/job_profiler.hpp"

#include "l4/diagnose/diagnoser.hpp"

namespace l4::diagnose {

JobProfile profile_of(const JobScan& scan, std::string job_id, std::string style) {
  JobProfile p;
  p.job_id = std::move(job_id);
  p.style = std::move(style);
  p.node_count = static_cast<std::uint32_t>(scan.nodes.size());
  p.lines = scan.ingest.total.used;
  for (const auto& e : scan.events) {
    p.templates.push_back(TemplateProfile{parse::to_hex(e.id), e.text, e.count, e.node_spread(), e.stages});
  }
  std::sort(p.templates.begin(), p.templates.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return p;
}

JobProfile profile_job(std::span<const std::string> paths, std::string job_id, const HistoryKnowledge* known,
                       const ScanOptions& options) {
  JobScanner scanner(options);
  if (known != nullptr && !known->templates.empty()) {
    const auto store = known_templates(*known);
    return profile_of(scanner.scan(paths, &store), std::move(job_id));
  }
  return profile_of(scanner.scan(paths), std::move(job_id));
}

}  // namespace l4::diagnose
