#include "l4/simulate/job_truth.hpp"

namespace l4::simulate {

nlohmann::json JobTruth::to_json() const {
  nlohmann::json j;
  j["job_id"] = job_id;
  j["style"] = style;
  j["layout"] = layout;
  j["nodes"] = nodes;
  j["ranks_per_node"] = ranks_per_node;
  j["fault"] = {{"type", fault_type}, {"category", fault_category}};
  j["faulty_nodes"] = faulty_nodes;
  j["faulty_ranks"] = faulty_ranks;
  j["stage"] = stage.empty() ? nlohmann::json(nullptr) : nlohmann::json(stage);
  j["iteration"] = {{"last_completed", last_completed ? nlohmann::json(*last_completed) : nlohmann::json(nullptr)},
                    {"failed_at", failed_at ? nlohmann::json(*failed_at) : nlohmann::json(nullptr)}};
  auto& lines_json = j["lines"] = nlohmann::json::array();
  for (const auto& l : lines) {
    lines_json.push_back({{"file", l.file}, {"line", l.line}, {"role", l.role}, {"node", l.node}});
  }
  auto& params = j["parameters"] = nlohmann::json::array();
  for (const auto& p : parameters) params.push_back({{"type", p.type}, {"value", p.value}});
  return j;
}

}  // namespace l4::simulate
