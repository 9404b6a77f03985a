#pragma once
// Calibration: turns the raw strength of a verdict's evidence (0..1) into the odds that the
// verdict is right, as measured on the real-failure corpus's tune part (data/calibration.json,
// fitted by `tools/eval-real --calibrate`): a piecewise-constant, non-decreasing map. Confidence
// then means what it says; the check part of the corpus tests that it does.
#include <string>
#include <string_view>
#include <vector>

namespace l4::diagnose {

class Calibration {
 public:
  // From the embedded data/calibration.json, or from `json`. Throws l4::InputError naming the
  // JSON path when the table is malformed (bins out of order, values outside 0..1, decreasing).
  explicit Calibration(std::string_view json = {});

  // The odds for a verdict of this basis ("signature", "exception", ...) and strength; a basis
  // the table does not know gets its "default" bins.
  [[nodiscard]] double confidence(std::string_view basis, double strength) const;

 private:
  struct Bin {
    double up_to = 1;       // strengths up to (and including) this value
    double confidence = 0;  // the odds of being right measured for them
  };
  std::vector<std::pair<std::string, std::vector<Bin>>> bases_;
};

}  // namespace l4::diagnose
