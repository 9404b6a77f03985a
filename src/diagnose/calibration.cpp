#include "diagnose/calibration.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

#include "l4/embedded_data.hpp"
#include "l4/error.hpp"

namespace l4::diagnose {

namespace {
double unit_at(const nlohmann::json& v, const std::string& path) {
  if (!v.is_number() || !std::isfinite(v.get<double>()) || v.get<double>() < 0 || v.get<double>() > 1) {
    throw InputError(fmt::format("data/calibration.json: {}: expected a number in 0..1", path));
  }
  return v.get<double>();
}
}  // namespace

Calibration::Calibration(std::string_view json) {
  if (json.empty()) json = embedded::data("calibration.json");
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(json);
  } catch (const nlohmann::json::exception& e) {
    throw InputError(std::string("data/calibration.json: malformed: ") + e.what());
  }
  if (!doc.is_object() || !doc.contains("bins") || !doc.at("bins").is_array() || doc.at("bins").empty()) {
    throw InputError("data/calibration.json: /bins: expected a non-empty array");
  }
  const auto& bins = doc.at("bins");
  for (std::size_t i = 0; i < bins.size(); ++i) {
    const std::string path = fmt::format("/bins/{}", i);
    if (!bins[i].is_object() || !bins[i].contains("up_to") || !bins[i].contains("confidence")) {
      throw InputError("data/calibration.json: " + path + ": expected {\"up_to\", \"confidence\", ...}");
    }
    Bin b{unit_at(bins[i].at("up_to"), path + "/up_to"), unit_at(bins[i].at("confidence"), path + "/confidence")};
    if (!bins_.empty() && (b.up_to <= bins_.back().up_to || b.confidence < bins_.back().confidence)) {
      throw InputError("data/calibration.json: " + path + ": bins must rise in up_to and not fall in confidence");
    }
    bins_.push_back(b);
  }
  if (bins_.back().up_to < 1) throw InputError("data/calibration.json: the last bin must reach up_to 1");
}

double Calibration::confidence(double strength) const {
  const auto it = std::find_if(bins_.begin(), bins_.end(), [&](const Bin& b) { return strength <= b.up_to; });
  return it == bins_.end() ? bins_.back().confidence : it->confidence;
}

}  // namespace l4::diagnose
