#pragma once
// JobProfiler: the JobProfile of a job — the same scan diagnosis makes, reduced to per-template
// statistics — for `l4 history add`. Parsing starts from the history's known templates, so a
// normal job's events get the ids a later diagnosis will see.
#include <span>
#include <string>

#include "l4/diagnose/diagnoser.hpp"
#include "l4/diagnose/diagnosis.hpp"
#include "l4/diagnose/history_knowledge.hpp"
#include "l4/diagnose/job_profile.hpp"
#include "l4/diagnose/scan_options.hpp"

namespace l4::diagnose {

struct JobScan;  // one read of a job's logs (internal: src/diagnose/job_scan.hpp)

// The profile of an existing scan.
JobProfile profile_of(const JobScan& scan, std::string job_id, std::string style = {});

// Scans `paths` (starting from `known`'s templates when given) and profiles the job.
// Throws l4::InputError for unusable paths.
JobProfile profile_job(std::span<const std::string> paths, std::string job_id, const HistoryKnowledge* known,
                       const ScanOptions& options = {});

// A job's profile together with l4's own diagnosis of the same scan (one read of the logs). The
// history must hold successful jobs only (their events are taken as normal), so `history add`
// refuses a job whose diagnosis finds a failure unless told otherwise.
struct CheckedProfile {
  JobProfile profile;
  Diagnosis diagnosis;
};

// Scans `paths` once (starting from `known`'s templates when given), profiles the job and
// diagnoses it with `known` as the history. Throws l4::InputError for unusable paths.
CheckedProfile profile_and_diagnose(std::span<const std::string> paths, std::string job_id,
                                    const HistoryKnowledge* known, const DiagnoseOptions& options = {});

}  // namespace l4::diagnose
