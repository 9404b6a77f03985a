#pragma once
// l4/diagnose.hpp — Diagnosis: why a job failed — failure-indicating events, faulty nodes, stage, iteration,
// parameters and a root-cause category (L4's cross-job, spatial and temporal patterns).
//
//   const l4::diagnose::Diagnoser diagnoser;
//   const l4::diagnose::Diagnosis d = diagnoser.diagnose(paths, history);  // history may be nullptr
#include "l4/diagnose/analysis_options.hpp"
#include "l4/diagnose/category_catalog.hpp"
#include "l4/diagnose/diagnoser.hpp"
#include "l4/diagnose/diagnosis.hpp"
#include "l4/diagnose/history_knowledge.hpp"
#include "l4/diagnose/job_profile.hpp"
#include "l4/diagnose/job_profiler.hpp"
#include "l4/diagnose/scan_options.hpp"
#include "l4/diagnose/stage.hpp"
