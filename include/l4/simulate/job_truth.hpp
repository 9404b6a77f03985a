#pragma once
// JobTruth: the ground truth of a simulated job, recorded by the generator while it writes the
// lines (never searched for afterwards). Serialised as truth.json; docs/simulate.md is the contract.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace l4::simulate {

// One failure-indicating line: file relative to logs/, 1-based physical line number.
struct TruthLine {
  std::string file;
  std::uint64_t line = 0;
  std::string role;  // "root" | "symptom"
  std::string node;  // host name = the node id ingestion assigns
};

// A fault-indicating parameter: type (gpu, rank, ip, hca, xid, exit_code, ...) and its value.
struct TruthParameter {
  std::string type;
  std::string value;
};

struct JobTruth {
  std::string job_id;
  std::string style;
  std::string layout;
  std::vector<std::string> nodes;
  int ranks_per_node = 0;
  std::string fault_type = "none";      // the category the job's failure belongs to
  std::string fault_category = "none";  // its top level
  std::string simulated_fault;          // failed jobs: the simulator fault drawn (may be coarser)
  std::optional<int> variant;           // failed jobs: index of the fault's variant that printed it
  std::vector<std::string> source;      // real-corpus case ids of the variant's text
  std::vector<std::string> faulty_nodes;
  std::vector<int> faulty_ranks;
  std::string stage;  // init|loading|training|evaluation|checkpoint ("" for normal jobs)
  std::optional<int> last_completed;
  std::optional<int> failed_at;
  std::vector<TruthLine> lines;
  std::vector<TruthParameter> parameters;
  std::uint64_t bytes_written = 0;  // uncompressed log bytes (not serialised)
  std::uint64_t lines_written = 0;  // log lines (not serialised)

  [[nodiscard]] nlohmann::ordered_json to_json() const;  // keys in the documented order
};

}  // namespace l4::simulate
