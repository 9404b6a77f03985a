#pragma once
// SimCatalogue: the styles and fault types the simulator knows, read from the embedded tables
// data/simulate_styles.json and data/simulate_faults.json. Adding a framework or a fault is an
// entry there; this type only exposes names and the evidence keywords tests check lines against.
#include <string>
#include <vector>

namespace l4::simulate {

// One variant of a fault: what it prints is coherent text of one stack, and what it prints may
// belong to a finer category of the diagnosis taxonomy than the fault (a checkpoint write that
// fails with "No space left on device" is hardware/storage/disk-full): `type` is what truth.json
// records for a job that drew this variant.
struct VariantInfo {
  std::string type;                  // the truth's fault type: the variant's own, else the fault's
  std::string category;              // its top level ("hardware")
  std::vector<std::string> stages;   // stages it may strike in (a subset of the fault's)
  std::vector<std::string> styles;   // empty: every style
  std::vector<std::string> source;   // real-corpus case ids its text comes from (empty: l4's own)
  bool prints_root = false;          // it has root lines (kernel or process); false: a silent kill
};

struct FaultInfo {
  std::string type;                        // "hardware/gpu/ecc"
  std::string category;                    // "hardware"
  std::vector<std::string> stages;         // stages the fault may strike in
  std::vector<std::string> root_keywords;  // every root line carries one of them
  std::vector<std::string> symptom_keywords;  // every symptom line carries one of them
  std::vector<VariantInfo> variants;       // in table order; truth.json's fault.variant indexes it
};

class SimCatalogue {
 public:
  // The embedded catalogue (parsed once; throws l4::Error if a table is malformed).
  static const SimCatalogue& instance();

  [[nodiscard]] const std::vector<FaultInfo>& faults() const { return faults_; }
  [[nodiscard]] const std::vector<std::string>& styles() const { return styles_; }
  // Every real-corpus case id a fault variant or a symptom phrasing names as its source (sorted,
  // unique): tests check that each is a tune case of tests/fixtures/real.
  [[nodiscard]] const std::vector<std::string>& sources() const { return sources_; }
  [[nodiscard]] static const std::vector<std::string>& layouts();
  // nullptr when `type` is unknown.
  [[nodiscard]] const FaultInfo* find_fault(const std::string& type) const;

 private:
  SimCatalogue();
  std::vector<FaultInfo> faults_;
  std::vector<std::string> styles_;
  std::vector<std::string> sources_;
};

}  // namespace l4::simulate
