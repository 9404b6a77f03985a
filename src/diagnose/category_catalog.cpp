#include "l4/diagnose/category_catalog.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <re2/re2.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "l4/embedded_data.hpp"
#include "l4/error.hpp"

namespace l4::diagnose {

namespace {

constexpr std::pair<JobFeature, std::string_view> kFeatureNames[] = {
    {JobFeature::no_root_text, "no_root_text"},
    {JobFeature::node_went_silent, "node_went_silent"},
    {JobFeature::iteration_stall, "iteration_stall"},
    {JobFeature::iteration_slowdown, "iteration_slowdown"},
    {JobFeature::uncaught_exception, "uncaught_exception"},
    {JobFeature::timeout_outside_training, "timeout_outside_training"},
};

// Raised while reading one document; rethrown as InputError naming the origin.
struct TableError {
  std::string path, message;
};

void require_keys(const nlohmann::json& object, const std::string& path, std::initializer_list<std::string_view> allowed) {
  if (!object.is_object()) throw TableError{path, "expected an object"};
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (std::find(allowed.begin(), allowed.end(), it.key()) == allowed.end()) {
      throw TableError{path + "/" + it.key(), "unknown key"};
    }
  }
}

std::string string_at(const nlohmann::json& object, const std::string& key, const std::string& path, bool required) {
  if (!object.contains(key)) {
    if (required) throw TableError{path + "/" + key, "missing"};
    return {};
  }
  const auto& v = object.at(key);
  if (!v.is_string() || v.get<std::string>().empty()) throw TableError{path + "/" + key, "expected a non-empty string"};
  return v.get<std::string>();
}

double weight_at(const nlohmann::json& value, const std::string& path) {
  if (!value.is_number()) throw TableError{path, "expected a number"};
  const double w = value.get<double>();
  // A weight is a share of evidence: finite and positive, and small enough that sums of a few
  // dozen of them stay finite.
  if (!std::isfinite(w) || w <= 0 || w > 1e6) throw TableError{path, fmt::format("weight {} is not in (0, 1e6]", w)};
  return w;
}

bool valid_category_name(std::string_view name) {
  if (name.empty() || name.front() == '/' || name.back() == '/' || name.find("//") != std::string_view::npos) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '/' || c == '_';
  });
}

}  // namespace

std::string_view to_string(JobFeature feature) {
  for (const auto& [f, name] : kFeatureNames) {
    if (f == feature) return name;
  }
  return "";
}

std::optional<JobFeature> parse_job_feature(std::string_view name) {
  for (const auto& [f, n] : kFeatureNames) {
    if (n == name) return f;
  }
  return std::nullopt;
}

struct CategoryCatalog::Impl {
  struct Signature {
    std::unique_ptr<RE2> re;
    std::string source;
    std::optional<Stage> stage;  // where the program prints it, when its source says so
    bool generic = false;        // text many programs print in many contexts (strerror, a signal name)
  };
  struct Entry {
    std::string category;
    std::string about;
    double weight = 1;
    std::vector<Signature> signatures;
    std::map<JobFeature, double> features;
    std::string refines;
    std::optional<Stage> stage;
    bool in_reports = false;
    std::vector<std::string> explains;
  };
  std::vector<Entry> entries;

  Entry& entry(const std::string& category) {
    for (auto& e : entries) {
      if (e.category == category) return e;
    }
    entries.push_back(Entry{});
    entries.back().category = category;
    return entries.back();
  }

  void load(std::string_view json, const std::string& origin) {
    try {
      const auto doc = nlohmann::json::parse(json);
      require_keys(doc, "", {"about", "categories"});
      if (!doc.contains("categories") || !doc.at("categories").is_array()) throw TableError{"/categories", "expected an array"};
      const auto& list = doc.at("categories");
      for (std::size_t i = 0; i < list.size(); ++i) load_entry(list[i], fmt::format("/categories/{}", i));
    } catch (const nlohmann::json::exception& e) {
      throw InputError(origin + ": malformed catalogue: " + e.what());
    } catch (const TableError& e) {
      throw InputError(fmt::format("{}: {}: {}", origin, e.path.empty() ? "/" : e.path, e.message));
    }
  }

  void load_entry(const nlohmann::json& c, const std::string& path) {
    require_keys(c, path, {"category", "about", "weight", "signatures", "features", "refines", "stage", "in_reports", "explains"});
    const std::string name = string_at(c, "category", path, true);
    if (!valid_category_name(name)) throw TableError{path + "/category", "'" + name + "' is not a path of lower-case words"};
    Entry& e = entry(name);
    if (c.contains("about")) e.about = string_at(c, "about", path, false);
    if (c.contains("weight")) e.weight = weight_at(c.at("weight"), path + "/weight");
    if (c.contains("refines")) e.refines = string_at(c, "refines", path, false);
    if (c.contains("explains")) {
      const auto& list = c.at("explains");
      if (!list.is_array()) throw TableError{path + "/explains", "expected an array of categories"};
      for (std::size_t i = 0; i < list.size(); ++i) {
        if (!list[i].is_string()) throw TableError{fmt::format("{}/explains/{}", path, i), "expected a category"};
        e.explains.push_back(list[i].get<std::string>());
      }
    }
    if (c.contains("in_reports")) {
      if (!c.at("in_reports").is_boolean()) throw TableError{path + "/in_reports", "expected true or false"};
      e.in_reports = c.at("in_reports").get<bool>();
    }
    if (c.contains("stage")) {
      e.stage = parse_stage(string_at(c, "stage", path, false));
      if (!e.stage) throw TableError{path + "/stage", "unknown stage"};
    }
    if (c.contains("signatures")) load_signatures(c.at("signatures"), path + "/signatures", e);
    if (c.contains("features")) {
      const auto& features = c.at("features");
      if (!features.is_object()) throw TableError{path + "/features", "expected an object"};
      for (auto it = features.begin(); it != features.end(); ++it) {
        const auto f = parse_job_feature(it.key());
        if (!f) throw TableError{path + "/features/" + it.key(), "unknown job feature"};
        e.features[*f] = weight_at(*it, path + "/features/" + it.key());
      }
    }
  }

  static void load_signatures(const nlohmann::json& list, const std::string& path, Entry& e) {
    if (!list.is_array()) throw TableError{path, "expected an array"};
    RE2::Options options;
    options.set_case_sensitive(false);
    options.set_log_errors(false);
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string at = fmt::format("{}/{}", path, i);
      require_keys(list[i], at, {"pattern", "source", "stage", "generic"});
      const std::string pattern = string_at(list[i], "pattern", at, true);
      auto re = std::make_unique<RE2>(pattern, options);
      if (!re->ok()) throw TableError{at + "/pattern", "bad pattern '" + pattern + "': " + re->error()};
      // A signature that matches the empty string would match every event.
      if (RE2::PartialMatch("", *re)) throw TableError{at + "/pattern", "pattern '" + pattern + "' matches empty text"};
      std::optional<Stage> stage;
      if (list[i].contains("stage")) {
        stage = parse_stage(string_at(list[i], "stage", at, false));
        if (!stage) throw TableError{at + "/stage", "unknown stage"};
      }
      bool generic = false;
      if (list[i].contains("generic")) {
        if (!list[i].at("generic").is_boolean()) throw TableError{at + "/generic", "expected true or false"};
        generic = list[i].at("generic").get<bool>();
      }
      e.signatures.push_back(Signature{std::move(re), string_at(list[i], "source", at, true), stage, generic});
    }
  }

  // Every category's parent and every `refines` target must be a category.
  void check_references(const std::string& origin) const {
    std::set<std::string> names;
    for (const auto& e : entries) names.insert(e.category);
    for (std::size_t i = 0; i < entries.size(); ++i) {
      const auto& e = entries[i];
      const auto parent = CategoryCatalog::parent(e.category);
      if (!parent.empty() && !names.contains(std::string(parent))) {
        throw InputError(fmt::format("{}: category '{}': its parent '{}' is not a category", origin, e.category, parent));
      }
      for (const auto& x : e.explains) {
        if (!names.contains(x)) {
          throw InputError(fmt::format("{}: category '{}': explains '{}', which is not a category", origin, e.category, x));
        }
      }
      if (!e.refines.empty() && !names.contains(e.refines)) {
        throw InputError(fmt::format("{}: category '{}': refines '{}', which is not a category", origin, e.category, e.refines));
      }
    }
  }
};

CategoryCatalog::CategoryCatalog(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

CategoryCatalog::CategoryCatalog(const std::vector<std::string>& extra_files) : impl_(std::make_unique<Impl>()) {
  impl_->load(embedded::data("catalogue.json"), "data/catalogue.json");
  impl_->check_references("data/catalogue.json");
  for (const auto& file : extra_files) {
    std::ifstream in(file);
    if (!in) throw InputError("cannot open catalogue " + file);
    std::stringstream ss;
    ss << in.rdbuf();
    impl_->load(ss.str(), file);
    impl_->check_references(file);
  }
}

CategoryCatalog CategoryCatalog::from_json(std::string_view json, const std::string& origin) {
  auto impl = std::make_unique<Impl>();
  impl->load(json, origin);
  impl->check_references(origin);
  return CategoryCatalog(std::move(impl));
}

CategoryCatalog::CategoryCatalog(CategoryCatalog&&) noexcept = default;
CategoryCatalog& CategoryCatalog::operator=(CategoryCatalog&&) noexcept = default;
CategoryCatalog::~CategoryCatalog() = default;

std::vector<SignatureMatch> CategoryCatalog::match(std::string_view text) const {
  std::vector<SignatureMatch> out;
  const re2::StringPiece piece(text.data(), text.size());
  for (const auto& e : impl_->entries) {
    const Impl::Signature* best = nullptr;
    std::size_t best_length = 0;
    for (const auto& s : e.signatures) {
      re2::StringPiece m;
      if (s.re->Match(piece, 0, piece.size(), RE2::UNANCHORED, &m, 1) && (best == nullptr || m.size() > best_length)) {
        best = &s;
        best_length = m.size();
      }
    }
    if (best != nullptr) out.push_back(SignatureMatch{e.category, e.weight, best->re->pattern(), best->source, best_length, best->stage, best->generic});
  }
  return out;
}

std::vector<std::pair<std::string, double>> CategoryCatalog::feature(JobFeature feature) const {
  std::vector<std::pair<std::string, double>> out;
  for (const auto& e : impl_->entries) {
    auto it = e.features.find(feature);
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

std::vector<std::pair<std::string, std::string>> CategoryCatalog::explanations() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& e : impl_->entries) {
    for (const auto& x : e.explains) out.emplace_back(e.category, x);
  }
  return out;
}

std::vector<std::string> CategoryCatalog::categories() const {
  std::vector<std::string> out;
  out.reserve(impl_->entries.size());
  for (const auto& e : impl_->entries) out.push_back(e.category);
  return out;
}

bool CategoryCatalog::contains(std::string_view category) const {
  return std::any_of(impl_->entries.begin(), impl_->entries.end(), [&](const auto& e) { return e.category == category; });
}

std::optional<Stage> CategoryCatalog::stage(std::string_view category) const {
  for (std::string_view c = category; !c.empty(); c = parent(c)) {
    for (const auto& e : impl_->entries) {
      if (e.category == c && e.stage) return e.stage;
    }
  }
  return std::nullopt;
}

std::size_t CategoryCatalog::signature_count(std::string_view category) const {
  for (const auto& e : impl_->entries) {
    if (e.category == category) return e.signatures.size();
  }
  return 0;
}

bool CategoryCatalog::in_reports(std::string_view category) const {
  return std::any_of(impl_->entries.begin(), impl_->entries.end(),
                     [&](const auto& e) { return e.category == category && e.in_reports; });
}

std::string CategoryCatalog::about(std::string_view category) const {
  for (const auto& e : impl_->entries) {
    if (e.category == category) return e.about;
  }
  return {};
}

std::string_view CategoryCatalog::parent(std::string_view category) {
  const auto slash = category.rfind('/');
  return slash == std::string_view::npos ? std::string_view{} : category.substr(0, slash);
}

bool CategoryCatalog::within(std::string_view category, std::string_view root) {
  return category.starts_with(root) && (category.size() == root.size() || category[root.size()] == '/');
}

}  // namespace l4::diagnose
