#pragma once
// simulate_job: writes one multi-node training job's logs (launch, distributed init, loading,
// training, evaluation, checkpoints, teardown — as torchrun, NCCL, c10d, Megatron-LM, DeepSpeed
// and HF Trainer print them) with benign noise and, optionally, one injected fault with its
// cascade, plus truth.json beside the log tree. Deterministic for equal options.
#include "l4/simulate/job_truth.hpp"
#include "l4/simulate/sim_options.hpp"

namespace l4::simulate {

// Generates the job under options.out_dir (created). Throws l4::InputError on bad options and
// l4::Error when a file cannot be written. Returns the truth it also wrote to truth.json.
JobTruth simulate_job(const SimOptions& options);

}  // namespace l4::simulate
