#include "sim_tables.hpp"

#include <algorithm>
#include <span>
#include <string_view>

#include "l4/embedded_data.hpp"
#include "l4/error.hpp"
#include "table/json_table.hpp"

namespace l4::simulate {
namespace {

// The block hooks a style may define: the simulator asks for these by name (job_simulator.cpp).
constexpr std::string_view kHooks[] = {
    "launch_master", "launch_node", "spawn_rank", "init_rank", "pg_options", "nccl_rank", "nccl_channel",
    "nccl_rank_end", "init_rank0", "loading_rank0", "loading_rank", "train_start_rank0", "iter_rank0", "log_rank0",
    "iter_node", "eval_rank0", "ckpt_rank0_begin", "ckpt_rank", "ckpt_rank0_end", "overflow_rank0",
    "first_iter_rank", "end_rank0", "end_rank_node", "end_node", "end_rank", "sigterm", "fail_local",
    "benign_rank_pool", "retry_pool"};
constexpr std::string_view kStyleOptions[] = {"entrypoint", "rank_prefix", "log_every", "fp16", "numbers"};

bool one_of(std::string_view value, std::span<const std::string_view> allowed) {
  return std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

std::string_view embedded_table(const char* name) {
  const auto text = embedded::data(name);
  if (text.empty()) throw Error(std::string("simulate: embedded table missing: ") + name);
  return text;
}

Var var_named(const std::string& name, const std::string& where) {
  const auto t = compile_line("{" + name + "}", where);
  return t.segments.at(0).var;
}

void read_style(const table::Value& s, const std::string& name, const table::Value& common, SimTables& t) {
  StyleTable st;
  st.name = name;
  for (const auto& [key, v] : s.members()) {
    if (!one_of(key, kHooks) && !one_of(key, kStyleOptions)) v.fail("unknown key (neither a hook nor a style option)");
  }
  if (auto e = s.find("entrypoint")) st.entry = e->text();
  if (auto r = s.find("rank_prefix")) st.rank_prefix = r->boolean();
  if (auto l = s.find("log_every")) st.log_every = static_cast<int>(l->integer(1, 1000000));
  if (auto f = s.find("fp16")) st.fp16 = f->boolean();
  if (auto n = s.find("numbers")) {
    const auto how = n->text();
    if (how != "plain" && how != "scientific") n->fail("expected \"plain\" or \"scientific\"");
    st.scientific = how == "scientific";
  }
  for (const auto& [hook, blocks] : common.members()) {
    if (!one_of(hook, kHooks)) blocks.fail("unknown hook");
    st.hooks[hook] = compile_blocks(blocks.json(), blocks.path());
  }
  for (const auto& [hook, blocks] : s.members()) {
    if (one_of(hook, kHooks)) st.hooks[hook] = compile_blocks(blocks.json(), blocks.path());
  }
  t.style_names.push_back(name);
  t.styles.emplace(name, std::move(st));
}

void read_fault(const table::Value& f, SimTables& t) {
  f.keys({"type", "stages", "root_keywords", "scope", "behaviour", "symptoms", "parameters", "variants"});
  FaultTable ft;
  ft.info.type = f["type"].text();
  const auto& type = ft.info.type;
  ft.info.category = type.substr(0, type.find('/'));
  ft.info.stages = f["stages"].texts();
  if (auto k = f.find("root_keywords")) ft.info.root_keywords = k->texts();
  ft.scope = f["scope"].text();
  if (ft.scope != "rank" && ft.scope != "node" && ft.scope != "all") f["scope"].fail("expected rank, node or all");
  ft.behaviour = f["behaviour"].text();
  if (ft.behaviour != "crash" && ft.behaviour != "hang" && ft.behaviour != "silent" && ft.behaviour != "slow") {
    f["behaviour"].fail("expected crash, hang, silent or slow");
  }
  ft.symptoms = f["symptoms"].texts();
  for (std::size_t i = 0; i < ft.symptoms.size(); ++i) {
    const auto& s = ft.symptoms[i];
    if (s == "local_teardown") continue;
    const auto it = t.symptoms.find(s);
    if (it == t.symptoms.end()) f["symptoms"].items()[i].fail("unknown symptom");
    for (const auto& k : it->second.keywords) ft.info.symptom_keywords.push_back(k);
  }
  for (const auto& k : t.launcher_keywords) ft.info.symptom_keywords.push_back(k);
  for (const auto& p : f["parameters"].items()) {
    const auto pair = p.items();
    if (pair.size() != 2) p.fail("expected [type, line template]");
    ft.parameters.emplace_back(pair[0].text(), compile_line(pair[1].text(), pair[1].path()));
  }
  for (const auto& v : f["variants"].items()) {
    v.keys({"stages", "styles", "rank0", "set", "node_root", "root"});
    FaultVariant fv;
    if (auto st = v.find("stages")) fv.stages = st->texts();
    if (auto st = v.find("styles")) fv.styles = st->texts();
    if (auto r = v.find("rank0")) fv.rank0 = r->boolean();
    if (auto set = v.find("set")) {
      for (const auto& [k, val] : set->members()) fv.set.emplace_back(var_named(k, val.path()), val.any_text());
    }
    if (auto b = v.find("node_root")) fv.node_root = compile_blocks(b->json(), b->path());
    if (auto b = v.find("root")) fv.root = compile_blocks(b->json(), b->path());
    ft.variants.push_back(std::move(fv));
  }
  if (ft.variants.empty()) f["variants"].fail("a fault needs at least one variant");
  t.faults.push_back(std::move(ft));
}

SimTables build() {
  SimTables t;
  table::load(embedded_table("simulate_styles.json"), "simulate_styles.json", [&](const table::Value& styles) {
    styles.keys({"about", "common", "styles"});
    for (const auto& [name, s] : styles["styles"].members()) read_style(s, name, styles["common"], t);
  });
  table::load(embedded_table("simulate_faults.json"), "simulate_faults.json", [&](const table::Value& faults) {
    faults.keys({"about", "launcher_keywords", "symptoms", "faults"});
    t.launcher_keywords = faults["launcher_keywords"].texts();
    for (const auto& [name, s] : faults["symptoms"].members()) {
      s.keys({"keywords", "block"});
      t.symptoms[name] = SymptomTable{s["keywords"].texts(), compile_block(s["block"].json(), s["block"].path())};
    }
    for (const auto& f : faults["faults"].items()) read_fault(f, t);
  });
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
