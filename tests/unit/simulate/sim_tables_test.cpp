// SimTables: the fault table is validated on load (unknown keys, variant stages, sources), and its
// variants' types and sources point at real things: categories of the diagnosis taxonomy and
// tune cases of the real-failure corpus.
#include "simulate/sim_tables.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <set>

#include "l4/embedded_data.hpp"
#include "l4/error.hpp"
#include "l4/simulate/sim_catalogue.hpp"

using l4::simulate::SimTables;

namespace {

nlohmann::json embedded(const char* name) { return nlohmann::json::parse(l4::embedded::data(name)); }

// The message SimTables::from_json throws for `faults`, or "" when it loads.
std::string load_error(const nlohmann::json& faults) {
  try {
    SimTables::from_json(embedded("simulate_styles.json"), faults);
  } catch (const l4::Error& e) {
    return e.what();
  }
  return "";
}

// Index of the fault of `type` in the table.
std::size_t fault_index(const nlohmann::json& faults, const std::string& type) {
  for (std::size_t i = 0; i < faults["faults"].size(); ++i) {
    if (faults["faults"][i]["type"] == type) return i;
  }
  FAIL("no fault " << type);
  return 0;
}

}  // namespace

TEST_CASE("the embedded fault table loads", "[simulate]") {
  CHECK(load_error(embedded("simulate_faults.json")).empty());
}

TEST_CASE("a misspelt key in the fault table fails at load, naming its JSON path", "[simulate]") {
  auto faults = embedded("simulate_faults.json");
  const auto i = fault_index(faults, "hardware/storage/checkpoint");
  faults["faults"][i]["variants"][1]["sorce"] = "x";
  const auto msg = load_error(faults);
  CHECK(msg.find("/faults/" + std::to_string(i) + "/variants/1/sorce") != std::string::npos);
  CHECK(msg.find("unknown key") != std::string::npos);

  faults = embedded("simulate_faults.json");
  faults["faults"][0]["root_keyword"] = nlohmann::json::array();
  CHECK(load_error(faults).find("/faults/0/root_keyword") != std::string::npos);

  faults = embedded("simulate_faults.json");
  faults["symptoms"]["watchdog"]["variants"][0]["blocks"] = nlohmann::json::array();
  CHECK(load_error(faults).find("/symptoms/watchdog/variants/0/blocks") != std::string::npos);

  faults = embedded("simulate_faults.json");
  faults["symptom"] = nlohmann::json::object();
  CHECK(load_error(faults).find("/symptom: unknown key") != std::string::npos);
}

TEST_CASE("a variant's stages, type and source are checked at load", "[simulate]") {
  auto faults = embedded("simulate_faults.json");
  const auto i = fault_index(faults, "hardware/storage/checkpoint");
  faults["faults"][i]["variants"][0]["stages"] = {"training"};  // the fault strikes at checkpoints only
  CHECK(load_error(faults).find("variants/0/stages") != std::string::npos);

  faults = embedded("simulate_faults.json");
  faults["faults"][i]["variants"][0]["type"] = "Hardware/Disk Full";
  CHECK(load_error(faults).find("variants/0/type") != std::string::npos);

  faults = embedded("simulate_faults.json");
  faults["faults"][i]["variants"][0]["source"] = {"a-case", 3};
  CHECK(load_error(faults).find("variants/0/source") != std::string::npos);
}

TEST_CASE("a fault's stages, scope and behaviour are names the simulator knows, checked at load", "[simulate]") {
  auto faults = embedded("simulate_faults.json");
  faults["faults"][0]["stages"] = {"training", "warmup"};
  auto msg = load_error(faults);
  CHECK(msg.find("/faults/0/stages/1") != std::string::npos);
  CHECK(msg.find("expected a stage") != std::string::npos);

  faults = embedded("simulate_faults.json");
  faults["faults"][0]["stages"] = nlohmann::json::array();
  CHECK(load_error(faults).find("/faults/0/stages") != std::string::npos);

  faults = embedded("simulate_faults.json");
  faults["faults"][0]["variants"][0]["stages"] = {"Training"};
  CHECK(load_error(faults).find("/faults/0/variants/0/stages/0") != std::string::npos);

  faults = embedded("simulate_faults.json");
  faults["faults"][0]["scope"] = "cluster";
  msg = load_error(faults);
  CHECK(msg.find("/faults/0/scope") != std::string::npos);
  CHECK(msg.find("rank, node, all") != std::string::npos);

  faults = embedded("simulate_faults.json");
  faults["faults"][0]["behaviour"] = "explode";
  CHECK(load_error(faults).find("/faults/0/behaviour") != std::string::npos);

  faults = embedded("simulate_faults.json");
  faults["faults"][0]["diverges"] = "yes";
  CHECK(load_error(faults).find("/faults/0/diverges") != std::string::npos);

  const auto& table = SimTables::from_json(embedded("simulate_styles.json"), embedded("simulate_faults.json"));
  const auto* hang = table.find_fault("platform/hang");
  REQUIRE(hang != nullptr);
  CHECK(hang->behaviour == l4::simulate::FaultBehaviour::hang);
  CHECK(hang->stages.front() == l4::simulate::Stage::training);
  CHECK(hang->info.stages.front() == "training");
  CHECK_FALSE(hang->diverges);
  CHECK(table.find_fault("framework/numerics")->diverges);
}

TEST_CASE("variant types override the fault's type only where set", "[simulate]") {
  const auto& cat = l4::simulate::SimCatalogue::instance();
  const auto* ckpt = cat.find_fault("hardware/storage/checkpoint");
  REQUIRE(ckpt != nullptr);
  std::set<std::string> types;
  for (const auto& v : ckpt->variants) types.insert(v.type);
  CHECK(types == std::set<std::string>{"hardware/storage/checkpoint", "hardware/storage/disk-full",
                                       "hardware/storage/filesystem"});
  // Every fault keeps at least one variant whose truth is the fault itself.
  for (const auto& f : cat.faults()) {
    INFO(f.type);
    CHECK(std::any_of(f.variants.begin(), f.variants.end(), [&](const auto& v) { return v.type == f.type; }));
    for (const auto& v : f.variants) CHECK(v.category == v.type.substr(0, v.type.find('/')));
  }
}

TEST_CASE("every variant's type is a category of the diagnosis catalogue", "[simulate]") {
  const auto catalogue = embedded("catalogue.json");
  std::set<std::string> categories;
  for (const auto& c : catalogue["categories"]) categories.insert(c["category"].get<std::string>());
  for (const auto& f : l4::simulate::SimCatalogue::instance().faults()) {
    CHECK(categories.count(f.type) == 1);
    for (const auto& v : f.variants) {
      INFO(f.type << " -> " << v.type);
      CHECK(categories.count(v.type) == 1);
    }
  }
}

TEST_CASE("every phrasing taken from the real corpus names a tune case", "[simulate]") {
  // Check cases are never read while writing rules or phrasings (tests/fixtures/real/README.md).
  const auto real = std::filesystem::path(L4_SOURCE_DIR) / "tests/fixtures/real";
  std::ifstream in(real / "split.json");
  REQUIRE(in);
  const auto split = nlohmann::json::parse(in);
  const std::set<std::string> tune(split["tune"].begin(), split["tune"].end());
  const auto& sources = l4::simulate::SimCatalogue::instance().sources();
  CHECK(sources.size() >= 20);
  for (const auto& s : sources) {
    INFO(s);
    CHECK(tune.count(s) == 1);
    CHECK(std::filesystem::exists(real / s / "case.json"));
  }
}
