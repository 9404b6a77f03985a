#pragma once
// SimOptions: everything that decides one simulated job. Two runs with equal options write
// byte-identical files, so the options (with the seed) are the job's full identity.
#include <cstdint>
#include <string>

namespace l4::simulate {

struct SimOptions {
  std::string out_dir;             // job directory: logs under out_dir/logs/, out_dir/truth.json
  std::string job_id;              // empty: derived from the seed ("sim-<seed>")
  std::uint64_t seed = 1;
  int nodes = 4;
  int ranks_per_node = 8;
  int iterations = 300;            // training iterations planned (the job may fail earlier)
  std::string fault = "random";    // a fault type from the catalogue, "none" or "random"
  std::string style = "megatron";  // megatron | deepspeed | hf (see data/simulate_styles.json)
  std::string layout = "per-node"; // per-node | per-rank | merged
  bool gzip = false;               // compress log files (<name>.log.gz)
};

}  // namespace l4::simulate
