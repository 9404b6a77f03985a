#include "sim_tables.hpp"

#include <algorithm>
#include <set>
#include <span>
#include <string_view>

#include "l4/embedded_data.hpp"
#include "l4/error.hpp"

namespace l4::simulate {
namespace {

nlohmann::json load(const char* name) {
  const auto text = embedded::data(name);
  if (text.empty()) throw Error(std::string("simulate: embedded table missing: ") + name);
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw Error(std::string("simulate: malformed ") + name + ": " + e.what());
  }
}

std::vector<std::string> strings(const nlohmann::json& j) {
  std::vector<std::string> out;
  if (j.is_array()) {
    for (const auto& s : j) out.push_back(s.get<std::string>());
  }
  return out;
}

Var var_named(const std::string& name, const std::string& where) {
  const auto t = compile_line("{" + name + "}", where);
  return t.segments.at(0).var;
}

// The keys each entry of the fault table may have: a misspelt key ("sorce") would otherwise be
// ignored without a word.
constexpr std::string_view kTableKeys[] = {"about", "launcher_keywords", "symptoms", "faults"};
constexpr std::string_view kSymptomKeys[] = {"keywords", "block", "variants"};
constexpr std::string_view kPhrasingKeys[] = {"block", "source"};
constexpr std::string_view kFaultKeys[] = {"type",       "stages",        "scope",    "behaviour", "symptoms",
                                           "parameters", "root_keywords", "variants", "diverges"};
constexpr std::string_view kVariantKeys[] = {"type", "source", "stages", "styles", "rank0", "set", "node_root", "root"};

[[noreturn]] void table_error(const std::string& path, const std::string& message) {
  throw Error("simulate table simulate_faults.json: " + path + ": " + message);
}

void check_keys(const nlohmann::json& j, std::span<const std::string_view> known, const std::string& path) {
  if (!j.is_object()) table_error(path.empty() ? "/" : path, "expected an object");
  for (const auto& [key, value] : j.items()) {
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    std::string list;
    for (const auto k : known) list += (list.empty() ? "" : ", ") + std::string(k);
    table_error(path + "/" + key, "unknown key (known: " + list + ")");
  }
}

// "source": one real-corpus case id or a list of them.
std::vector<std::string> source_at(const nlohmann::json& j, const std::string& path) {
  if (!j.contains("source")) return {};
  const auto& v = j.at("source");
  std::vector<std::string> out;
  if (v.is_string()) out.push_back(v.get<std::string>());
  if (v.is_array()) {
    for (const auto& s : v) {
      if (s.is_string()) out.push_back(s.get<std::string>());
    }
  }
  if (out.empty() || (v.is_array() && out.size() != v.size()) ||
      std::any_of(out.begin(), out.end(), [](const std::string& s) { return s.empty(); })) {
    table_error(path + "/source", "expected a case id or a list of case ids");
  }
  return out;
}

// A string at `path` that names one of `names`; returns its index (the enum value).
std::size_t name_at(const nlohmann::json& j, const std::string& path, std::span<const std::string_view> names) {
  const std::string name = j.is_string() ? j.get<std::string>() : std::string();
  const auto it = std::find(names.begin(), names.end(), name);
  if (it != names.end()) return static_cast<std::size_t>(it - names.begin());
  std::string list;
  for (const auto n : names) list += (list.empty() ? "" : ", ") + std::string(n);
  table_error(path, "expected one of " + list);
}

constexpr std::string_view kScopeNames[] = {"rank", "node", "all"};                   // FaultScope
constexpr std::string_view kBehaviourNames[] = {"crash", "silent", "hang", "slow"};  // FaultBehaviour

// A list of stage names at `path`, typed.
std::vector<Stage> stages_at(const nlohmann::json& j, const std::string& path) {
  if (!j.is_array()) table_error(path, "expected an array of stage names");
  std::vector<Stage> out;
  for (std::size_t i = 0; i < j.size(); ++i) {
    const auto stage = j[i].is_string() ? diagnose::parse_stage(j[i].get<std::string>()) : std::nullopt;
    if (!stage) {
      std::string list;
      for (int s = 0; s < diagnose::kStageCount; ++s) {
        list += (list.empty() ? "" : ", ") + std::string(diagnose::to_string(static_cast<Stage>(s)));
      }
      table_error(path + "/" + std::to_string(i), "expected a stage: one of " + list);
    }
    out.push_back(*stage);
  }
  return out;
}

std::vector<std::string> stage_names(const std::vector<Stage>& stages) {
  std::vector<std::string> out;
  for (const Stage s : stages) out.emplace_back(diagnose::to_string(s));
  return out;
}

bool valid_type_name(std::string_view name) {
  if (name.empty() || name.front() == '/' || name.back() == '/' || name.find("//") != std::string_view::npos) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '/'; });
}

SymptomTable build_symptom(const std::string& name, const nlohmann::json& s) {
  const std::string path = "/symptoms/" + name;
  check_keys(s, kSymptomKeys, path);
  SymptomTable t{strings(s.at("keywords")), {}};
  t.phrasings.push_back(SymptomPhrasing{compile_block(s.at("block"), "symptom " + name), {}});
  const auto variants = s.value("variants", nlohmann::json::array());
  for (std::size_t i = 0; i < variants.size(); ++i) {
    const auto vpath = path + "/variants/" + std::to_string(i);
    check_keys(variants[i], kPhrasingKeys, vpath);
    auto block = compile_block(variants[i].at("block"), "symptom " + name + " variant " + std::to_string(i));
    t.phrasings.push_back(SymptomPhrasing{std::move(block), source_at(variants[i], vpath)});
  }
  return t;
}

FaultVariant build_variant(const FaultTable& ft, const nlohmann::json& v, const std::string& path) {
  const auto& type = ft.info.type;
  check_keys(v, kVariantKeys, path);
  FaultVariant fv;
  fv.type = v.value("type", std::string());
  if (v.contains("type") && !valid_type_name(fv.type)) {
    table_error(path + "/type", "expected a category path like hardware/storage/disk-full");
  }
  fv.source = source_at(v, path);
  fv.stages = stages_at(v.value("stages", nlohmann::json::array()), path + "/stages");
  for (const Stage st : fv.stages) {
    if (std::find(ft.stages.begin(), ft.stages.end(), st) == ft.stages.end()) {
      table_error(path + "/stages", "stage " + std::string(diagnose::to_string(st)) + " is not one of the fault's stages");
    }
  }
  fv.styles = strings(v.value("styles", nlohmann::json::array()));
  fv.rank0 = v.value("rank0", false);
  const nlohmann::json set = v.contains("set") ? v.at("set") : nlohmann::json::object();
  for (const auto& [k, val] : set.items()) {
    fv.set.emplace_back(var_named(k, type), val.get<std::string>());
  }
  fv.node_root = compile_blocks(v.value("node_root", nlohmann::json()), type);
  fv.root = compile_blocks(v.value("root", nlohmann::json()), type);
  return fv;
}

// What the public catalogue says about a variant.
VariantInfo variant_info(const FaultTable& ft, const FaultVariant& v) {
  VariantInfo info;
  info.type = v.type.empty() ? ft.info.type : v.type;
  info.category = info.type.substr(0, info.type.find('/'));
  info.stages = v.stages.empty() ? ft.info.stages : stage_names(v.stages);
  info.styles = v.styles;
  info.source = v.source;
  info.prints_root = !v.node_root.empty() || !v.root.empty();
  return info;
}

FaultTable build_fault(const SimTables& t, const nlohmann::json& f, const std::string& path) {
  check_keys(f, kFaultKeys, path);
  FaultTable ft;
  ft.info.type = f.at("type").get<std::string>();
  const auto& type = ft.info.type;
  ft.info.category = type.substr(0, type.find('/'));
  ft.stages = stages_at(f.at("stages"), path + "/stages");
  if (ft.stages.empty()) table_error(path + "/stages", "a fault strikes in one stage at least");
  ft.info.stages = stage_names(ft.stages);
  ft.info.root_keywords = strings(f.value("root_keywords", nlohmann::json::array()));
  ft.scope = static_cast<FaultScope>(name_at(f.at("scope"), path + "/scope", kScopeNames));
  ft.behaviour = static_cast<FaultBehaviour>(name_at(f.at("behaviour"), path + "/behaviour", kBehaviourNames));
  ft.symptoms = strings(f.at("symptoms"));
  if (f.contains("diverges") && !f.at("diverges").is_boolean()) table_error(path + "/diverges", "expected true or false");
  ft.diverges = f.value("diverges", false);
  for (const auto& s : ft.symptoms) {
    if (s == "local_teardown") continue;
    const auto it = t.symptoms.find(s);
    if (it == t.symptoms.end()) throw Error("simulate table: fault " + type + " names unknown symptom " + s);
    for (const auto& k : it->second.keywords) ft.info.symptom_keywords.push_back(k);
  }
  for (const auto& k : t.launcher_keywords) ft.info.symptom_keywords.push_back(k);
  for (const auto& p : f.at("parameters")) {
    ft.parameters.emplace_back(p.at(0).get<std::string>(), compile_line(p.at(1).get<std::string>(), type));
  }
  const auto& variants = f.at("variants");
  for (std::size_t i = 0; i < variants.size(); ++i) {
    ft.variants.push_back(build_variant(ft, variants[i], path + "/variants/" + std::to_string(i)));
    ft.info.variants.push_back(variant_info(ft, ft.variants.back()));
  }
  if (ft.variants.empty()) throw Error("simulate table: fault " + type + " has no variant");
  return ft;
}

}  // namespace

SimTables SimTables::from_json(const nlohmann::json& styles, const nlohmann::json& faults) {
  SimTables t;
  const auto& common = styles.at("common");
  for (const auto& [name, s] : styles.at("styles").items()) {
    StyleTable st;
    st.name = name;
    st.entry = s.value("entrypoint", "train.py");
    st.rank_prefix = s.value("rank_prefix", false);
    st.log_every = std::max(1, s.value("log_every", 1));
    st.fp16 = s.value("fp16", false);
    st.scientific = s.value("numbers", "plain") == "scientific";
    for (const auto& [hook, blocks] : common.items()) st.hooks[hook] = compile_blocks(blocks, name + "." + hook);
    for (const auto& [hook, blocks] : s.items()) {
      if (blocks.is_array()) st.hooks[hook] = compile_blocks(blocks, name + "." + hook);
    }
    t.style_names.push_back(name);
    t.styles.emplace(name, std::move(st));
  }
  check_keys(faults, kTableKeys, "");
  t.launcher_keywords = strings(faults.at("launcher_keywords"));
  for (const auto& [name, s] : faults.at("symptoms").items()) t.symptoms[name] = build_symptom(name, s);
  const auto& list = faults.at("faults");
  for (std::size_t i = 0; i < list.size(); ++i) t.faults.push_back(build_fault(t, list[i], "/faults/" + std::to_string(i)));
  return t;
}

const std::vector<Block>& StyleTable::hook(const std::string& name) const {
  static const std::vector<Block> kEmpty;
  const auto it = hooks.find(name);
  return it == hooks.end() ? kEmpty : it->second;
}

bool FaultTable::has_symptom(const std::string& s) const {
  return std::find(symptoms.begin(), symptoms.end(), s) != symptoms.end();
}

const SimTables& SimTables::get() {
  static const SimTables tables = from_json(load("simulate_styles.json"), load("simulate_faults.json"));
  return tables;
}

const FaultTable* SimTables::find_fault(const std::string& type) const {
  for (const auto& f : faults) {
    if (f.info.type == type) return &f;
  }
  return nullptr;
}

const SimCatalogue& SimCatalogue::instance() {
  static const SimCatalogue catalogue;
  return catalogue;
}

SimCatalogue::SimCatalogue() {
  const auto& t = SimTables::get();
  std::set<std::string> sources;
  for (const auto& f : t.faults) {
    faults_.push_back(f.info);
    for (const auto& v : f.variants) sources.insert(v.source.begin(), v.source.end());
  }
  for (const auto& [name, s] : t.symptoms) {
    for (const auto& p : s.phrasings) sources.insert(p.source.begin(), p.source.end());
  }
  styles_ = t.style_names;
  sources_.assign(sources.begin(), sources.end());
}

const std::vector<std::string>& SimCatalogue::layouts() {
  static const std::vector<std::string> kLayouts = {"per-node", "per-rank", "merged"};
  return kLayouts;
}

const FaultInfo* SimCatalogue::find_fault(const std::string& type) const {
  for (const auto& f : faults_) {
    if (f.type == type) return &f;
  }
  return nullptr;
}

}  // namespace l4::simulate
