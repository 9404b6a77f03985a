#include "sim_tables.hpp"

#include <algorithm>

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

SimTables build() {
  SimTables t;
  const auto styles = load("simulate_styles.json");
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
  const auto faults = load("simulate_faults.json");
  t.launcher_keywords = strings(faults.at("launcher_keywords"));
  for (const auto& [name, s] : faults.at("symptoms").items()) {
    t.symptoms[name] = SymptomTable{strings(s.at("keywords")), compile_block(s.at("block"), "symptom " + name)};
  }
  for (const auto& f : faults.at("faults")) {
    FaultTable ft;
    ft.info.type = f.at("type").get<std::string>();
    const auto& type = ft.info.type;
    ft.info.category = type.substr(0, type.find('/'));
    ft.info.stages = strings(f.at("stages"));
    ft.info.root_keywords = strings(f.value("root_keywords", nlohmann::json::array()));
    ft.scope = f.at("scope").get<std::string>();
    ft.behaviour = f.at("behaviour").get<std::string>();
    ft.symptoms = strings(f.at("symptoms"));
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
    for (const auto& v : f.at("variants")) {
      FaultVariant fv;
      fv.stages = strings(v.value("stages", nlohmann::json::array()));
      fv.styles = strings(v.value("styles", nlohmann::json::array()));
      fv.rank0 = v.value("rank0", false);
      const nlohmann::json set = v.contains("set") ? v.at("set") : nlohmann::json::object();
      for (const auto& [k, val] : set.items()) {
        fv.set.emplace_back(var_named(k, type), val.get<std::string>());
      }
      fv.node_root = compile_blocks(v.value("node_root", nlohmann::json()), type);
      fv.root = compile_blocks(v.value("root", nlohmann::json()), type);
      ft.variants.push_back(std::move(fv));
    }
    if (ft.variants.empty()) throw Error("simulate table: fault " + type + " has no variant");
    t.faults.push_back(std::move(ft));
  }
  return t;
}

}  // namespace

const std::vector<Block>& StyleTable::hook(const std::string& name) const {
  static const std::vector<Block> kEmpty;
  const auto it = hooks.find(name);
  return it == hooks.end() ? kEmpty : it->second;
}

bool FaultTable::has_symptom(const std::string& s) const {
  return std::find(symptoms.begin(), symptoms.end(), s) != symptoms.end();
}

const SimTables& SimTables::get() {
  static const SimTables tables = build();
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
  for (const auto& f : t.faults) faults_.push_back(f.info);
  styles_ = t.style_names;
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
