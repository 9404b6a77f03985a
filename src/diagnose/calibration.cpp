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

namespace {
template <typename Bin>
std::vector<Bin> read_bins(const nlohmann::json& bins, const std::string& at) {
  if (!bins.is_array() || bins.empty()) throw InputError("data/calibration.json: " + at + ": expected a non-empty array");
  std::vector<Bin> out;
  for (std::size_t i = 0; i < bins.size(); ++i) {
    const std::string path = fmt::format("{}/{}", at, i);
    if (!bins[i].is_object() || !bins[i].contains("up_to") || !bins[i].contains("confidence")) {
      throw InputError("data/calibration.json: " + path + ": expected {\"up_to\", \"confidence\", ...}");
    }
    Bin b{unit_at(bins[i].at("up_to"), path + "/up_to"), unit_at(bins[i].at("confidence"), path + "/confidence")};
    if (!out.empty() && (b.up_to <= out.back().up_to || b.confidence < out.back().confidence)) {
      throw InputError("data/calibration.json: " + path + ": bins must rise in up_to and not fall in confidence");
    }
    out.push_back(b);
  }
  if (out.back().up_to < 1) throw InputError("data/calibration.json: " + at + ": the last bin must reach up_to 1");
  return out;
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
  if (!doc.is_object() || !doc.contains("bases") || !doc.at("bases").is_object()) {
    throw InputError("data/calibration.json: /bases: expected an object of bins per basis");
  }
  const auto& bases = doc.at("bases");
  for (auto it = bases.begin(); it != bases.end(); ++it) {
    bases_.emplace_back(it.key(), read_bins<Bin>(it.value(), "/bases/" + it.key()));
  }
  if (doc.contains("categories")) {
    const auto& categories = doc.at("categories");
    if (!categories.is_object()) throw InputError("data/calibration.json: /categories: expected an object of odds per category");
    for (auto it = categories.begin(); it != categories.end(); ++it) {
      const std::string path = "/categories/" + it.key();
      if (!it.value().is_object() || !it.value().contains("from") || !it.value().contains("confidence")) {
        throw InputError("data/calibration.json: " + path + ": expected {\"from\", \"confidence\", ...}");
      }
      categories_.push_back({it.key(), unit_at(it.value().at("from"), path + "/from"),
                             unit_at(it.value().at("confidence"), path + "/confidence")});
    }
  }
  if (std::none_of(bases_.begin(), bases_.end(), [](auto& b) { return b.first == "default"; })) {
    throw InputError("data/calibration.json: /bases/default: missing");
  }
}

double Calibration::confidence(std::string_view category, std::string_view basis, double strength) const {
  const auto odds = std::find_if(categories_.begin(), categories_.end(), [&](auto& c) { return c.category == category; });
  if (odds != categories_.end() && strength >= odds->from) return odds->confidence;
  const auto named = [&](std::string_view name) {
    return std::find_if(bases_.begin(), bases_.end(), [&](auto& b) { return b.first == name; });
  };
  auto table = named(basis);
  if (table == bases_.end()) table = named("default");
  const auto& bins = table->second;
  const auto it = std::find_if(bins.begin(), bins.end(), [&](const Bin& b) { return strength <= b.up_to; });
  const double by_basis = it == bins.end() ? bins.back().confidence : it->confidence;
  return odds == categories_.end() ? by_basis : std::min(by_basis, odds->confidence);
}

}  // namespace l4::diagnose
