#pragma once
// l4/simulate.hpp — The simulator (not part of l4::core; link l4::simulate): realistic multi-node training logs
// with injected faults and per-line truth (docs/simulate.md).
//
//   l4::simulate::SimOptions options;
//   options.out_dir = "out/job-1";
//   options.fault = "hardware/gpu/ecc";
//   const l4::simulate::JobTruth truth = l4::simulate::simulate_job(options);
#include "l4/simulate/corpus_options.hpp"
#include "l4/simulate/job_simulator.hpp"
#include "l4/simulate/job_truth.hpp"
#include "l4/simulate/sim_catalogue.hpp"
#include "l4/simulate/sim_options.hpp"
