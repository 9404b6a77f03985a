#include "l4/simulate/job_truth.hpp"

namespace l4::simulate {

nlohmann::ordered_json JobTruth::to_json() const {
  nlohmann::ordered_json j;
  j["job_id"] = job_id;
  j["style"] = style;
  j["layout"] = layout;
  j["nodes"] = nodes;
  j["ranks_per_node"] = ranks_per_node;
  j["fault"] = {{"type", fault_type}, {"category", fault_category}};
  if (variant) {
    j["fault"]["simulated"] = simulated_fault;
    j["fault"]["variant"] = *variant;
    j["fault"]["source"] = source;
  }
  j["faulty_nodes"] = faulty_nodes;
  j["faulty_ranks"] = faulty_ranks;
  j["stage"] = stage.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(stage);
  j["iteration"] = {{"last_completed", last_completed ? nlohmann::ordered_json(*last_completed) : nlohmann::ordered_json(nullptr)},
                    {"failed_at", failed_at ? nlohmann::ordered_json(*failed_at) : nlohmann::ordered_json(nullptr)}};
  auto& lines_json = j["lines"] = nlohmann::ordered_json::array();
  for (const auto& l : lines) {
    lines_json.push_back({{"file", l.file}, {"line", l.line}, {"role", l.role}, {"node", l.node}});
  }
  auto& params = j["parameters"] = nlohmann::ordered_json::array();
  for (const auto& p : parameters) params.push_back({{"type", p.type}, {"value", p.value}});
  return j;
}

}  // namespace l4::simulate
