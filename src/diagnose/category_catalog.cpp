#include "l4/diagnose/category_catalog.hpp"

#include <nlohmann/json.hpp>
#include <re2/re2.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "l4/embedded_data.hpp"
#include "l4/error.hpp"

namespace l4::diagnose {

struct CategoryCatalog::Impl {
  struct Entry {
    std::string category;
    double weight = 1;
    std::vector<std::unique_ptr<RE2>> patterns;
    std::map<std::string, double> features;
    std::string refines;  // a more general category whose evidence this one inherits
  };
  std::vector<Entry> entries;

  void load(std::string_view json, const std::string& origin) {
    try {
      const auto doc = nlohmann::json::parse(json);
      for (const auto& c : doc.at("categories")) {
        Entry e;
        e.category = c.at("category").get<std::string>();
        e.weight = c.value("weight", 1.0);
        e.refines = c.value("refines", std::string());
        RE2::Options options;
        options.set_case_sensitive(false);
        options.set_log_errors(false);
        const nlohmann::json patterns = c.value("patterns", nlohmann::json::array());
        for (const auto& p : patterns) {
          auto re = std::make_unique<RE2>(p.get<std::string>(), options);
          if (!re->ok()) throw InputError(origin + ": bad pattern '" + p.get<std::string>() + "': " + re->error());
          e.patterns.push_back(std::move(re));
        }
        if (c.contains("features")) {
          const auto& features = c.at("features");
          for (auto it = features.begin(); it != features.end(); ++it) e.features[it.key()] = it->get<double>();
        }
        entries.push_back(std::move(e));
      }
    } catch (const nlohmann::json::exception& e) {
      throw InputError(origin + ": malformed catalogue: " + e.what());
    }
  }
};

CategoryCatalog::CategoryCatalog(const std::vector<std::string>& extra_files) : impl_(std::make_unique<Impl>()) {
  impl_->load(embedded::data("catalogue.json"), "data/catalogue.json");
  for (const auto& file : extra_files) {
    std::ifstream in(file);
    if (!in) throw InputError("cannot open catalogue " + file);
    std::stringstream ss;
    ss << in.rdbuf();
    impl_->load(ss.str(), file);
  }
}

CategoryCatalog::CategoryCatalog(CategoryCatalog&&) noexcept = default;
CategoryCatalog& CategoryCatalog::operator=(CategoryCatalog&&) noexcept = default;
CategoryCatalog::~CategoryCatalog() = default;

std::vector<std::pair<std::string, double>> CategoryCatalog::match(std::string_view text) const {
  std::vector<std::pair<std::string, double>> out;
  const re2::StringPiece piece(text.data(), text.size());
  for (const auto& e : impl_->entries) {
    for (const auto& re : e.patterns) {
      if (RE2::PartialMatch(piece, *re)) {
        out.emplace_back(e.category, e.weight);
        break;
      }
    }
  }
  return out;
}

std::vector<std::pair<std::string, double>> CategoryCatalog::feature(std::string_view name) const {
  std::vector<std::pair<std::string, double>> out;
  for (const auto& e : impl_->entries) {
    auto it = e.features.find(std::string(name));
    if (it != e.features.end()) out.emplace_back(e.category, it->second);
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> CategoryCatalog::refinements() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& e : impl_->entries) {
    if (!e.refines.empty()) out.emplace_back(e.category, e.refines);
  }
  return out;
}

std::vector<std::string> CategoryCatalog::categories() const {
  std::vector<std::string> out;
  for (const auto& e : impl_->entries) {
    if (std::find(out.begin(), out.end(), e.category) == out.end()) out.push_back(e.category);
  }
  return out;
}

}  // namespace l4::diagnose
