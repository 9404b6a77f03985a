#pragma once
// SimCatalogue: the styles and fault types the simulator knows, read from the embedded tables
// data/simulate_styles.json and data/simulate_faults.json. Adding a framework or a fault is an
// entry there; this type only exposes names and the evidence keywords tests check lines against.
#include <string>
#include <vector>

namespace l4::simulate {

struct FaultInfo {
  std::string type;                        // "hardware/gpu/ecc"
  std::string category;                    // "hardware"
  std::vector<std::string> stages;         // stages the fault may strike in
  std::vector<std::string> root_keywords;  // every root line carries one of them
  std::vector<std::string> symptom_keywords;  // every symptom line carries one of them
};

class SimCatalogue {
 public:
  // The embedded catalogue (parsed once; throws l4::Error if a table is malformed).
  static const SimCatalogue& instance();

  [[nodiscard]] const std::vector<FaultInfo>& faults() const { return faults_; }
  [[nodiscard]] const std::vector<std::string>& styles() const { return styles_; }
  [[nodiscard]] static const std::vector<std::string>& layouts();
  // nullptr when `type` is unknown.
  [[nodiscard]] const FaultInfo* find_fault(const std::string& type) const;

 private:
  SimCatalogue();
  std::vector<FaultInfo> faults_;
  std::vector<std::string> styles_;
};

}  // namespace l4::simulate
