#pragma once
// SimTables: the parsed and compiled style and fault tables (data/simulate_styles.json,
// data/simulate_faults.json). Parsed once per process; every template is compiled up front so a
// bad table fails at load, naming the entry, rather than halfway through a job.
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "l4/diagnose/stage.hpp"
#include "l4/simulate/sim_catalogue.hpp"
#include "line_template.hpp"

namespace l4::simulate {

// The stages a job walks through: one vocabulary with the diagnosis, which localises a failure to
// the same stages the simulator strikes in.
using diagnose::Stage;

// The stages that run inside the training loop: they have an iteration.
inline bool in_iterations(Stage s) { return s == Stage::training || s == Stage::evaluation || s == Stage::checkpoint; }

// Which ranks a fault strikes: one rank, every rank of its node, or every rank of the job.
enum class FaultScope : std::uint8_t { rank, node, all };

// How the faulty processes fail, which decides the cascade: crash (they print their root evidence
// and exit), silent (the node stops logging), hang (one rank stops without a word), slow (one node
// slows down until the scheduler ends the job).
enum class FaultBehaviour : std::uint8_t { crash, silent, hang, slow };

struct StyleTable {
  std::string name;
  std::string entry;          // training script name ({entry})
  bool rank_prefix = false;   // torchrun-style "[rankN]:" prefixes in per-node and merged logs
  int log_every = 1;          // log_rank0 every N iterations
  bool fp16 = false;          // dynamic loss scaling: early OVERFLOW lines
  bool scientific = false;    // loss/lr printed as 1.234567E+00
  std::map<std::string, std::vector<Block>> hooks;
  [[nodiscard]] const std::vector<Block>& hook(const std::string& name) const;
};

// One way a symptom is printed; a job draws one per symptom, so every rank of a job prints the
// same version of the stack's text.
struct SymptomPhrasing {
  Block block;
  std::vector<std::string> source;  // real-corpus case ids (empty: l4's own phrasing)
};

struct SymptomTable {
  std::vector<std::string> keywords;
  std::vector<SymptomPhrasing> phrasings;  // the table's "block" first, then its "variants"
};

struct FaultVariant {
  std::string type;                 // empty: the fault's type (what truth.json records)
  std::vector<std::string> source;  // real-corpus case ids (empty: l4's own text)
  std::vector<Stage> stages;        // empty: the fault's stages
  std::vector<std::string> styles;  // empty: every style
  bool rank0 = false;
  std::vector<std::pair<Var, std::string>> set;
  std::vector<Block> node_root;
  std::vector<Block> root;
};

struct FaultTable {
  FaultInfo info;
  std::vector<Stage> stages;  // info.stages, typed
  FaultScope scope = FaultScope::rank;
  FaultBehaviour behaviour = FaultBehaviour::crash;
  bool diverges = false;  // loss and grad norm climb over the iterations before the strike
  std::vector<std::string> symptoms;
  std::vector<std::pair<std::string, LineTemplate>> parameters;
  std::vector<FaultVariant> variants;
  [[nodiscard]] bool has_symptom(const std::string& s) const;
};

struct SimTables {
  std::map<std::string, StyleTable> styles;
  std::vector<std::string> style_names;
  std::map<std::string, SymptomTable> symptoms;
  std::vector<std::string> launcher_keywords;
  std::vector<FaultTable> faults;

  static const SimTables& get();  // the embedded tables, parsed once
  // Parses and compiles the two tables; throws l4::Error naming the entry or JSON path on a bad one.
  static SimTables from_json(const nlohmann::json& styles, const nlohmann::json& faults);
  [[nodiscard]] const FaultTable* find_fault(const std::string& type) const;
};

}  // namespace l4::simulate
