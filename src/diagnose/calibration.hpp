#pragma once
// Calibration: turns the raw strength of a verdict's evidence (0..1) into the odds that the
// verdict is right, as measured on the real-failure corpus's tune part (data/calibration.json,
// fitted by `tools/eval-real --calibrate`): a piecewise-constant, non-decreasing map. Confidence
// then means what it says; the check part of the corpus tests that it does. A verdict category with
// enough full-strength first-look verdicts has odds of its own ("CUDA out of memory" is right far
// more often than the average signature verdict); the others are read from their basis's bins.
#include <string>
#include <string_view>
#include <vector>

namespace l4::diagnose {

class Calibration {
 public:
  // From the embedded data/calibration.json, or from `json`. Throws l4::InputError naming the
  // JSON path when the table is malformed (bins out of order, values outside 0..1, decreasing).
  explicit Calibration(std::string_view json = {});

  // The odds for a verdict of this category, basis ("signature", "exception", ...) and strength:
  // a full-strength verdict of a category with odds of its own gets them; any other gets its
  // basis's bins (a basis the table does not know: the "default" bins), capped by its category's
  // odds so that a weaker verdict never gets better odds than a full one.
  [[nodiscard]] double confidence(std::string_view category, std::string_view basis, double strength) const;

 private:
  struct Bin {
    double up_to = 1;       // strengths up to (and including) this value
    double confidence = 0;  // the odds of being right measured for them
  };
  struct CategoryOdds {
    std::string category;
    double from = 1;        // strengths from this value on are "full"
    double confidence = 0;  // the odds measured for the category's full-strength verdicts
  };
  std::vector<std::pair<std::string, std::vector<Bin>>> bases_;
  std::vector<CategoryOdds> categories_;
};

}  // namespace l4::diagnose
