#include <catch2/catch.hpp>

#include <optional>

#include <algorithm>

#include "l4/diagnose/category_catalog.hpp"

using l4::diagnose::CategoryCatalog;

namespace {
bool has(const std::vector<l4::diagnose::SignatureMatch>& matches, const std::string& category) {
  return std::any_of(matches.begin(), matches.end(), [&](auto& m) { return m.category == category; });
}
bool has(const std::vector<std::pair<std::string, double>>& weights, const std::string& category) {
  return std::any_of(weights.begin(), weights.end(), [&](auto& m) { return m.first == category; });
}
}  // namespace

TEST_CASE("catalogue signatures match fault text, and only as whole words", "[diagnose][catalog]") {
  const CategoryCatalog catalog;
  CHECK(has(catalog.match("NVRM: Xid (PCI:0000:db:00): 79, GPU has fallen off the bus."), "hardware/gpu/fell-off-bus"));
  CHECK(has(catalog.match("torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 14.06 GiB"),
            "user/config/gpu-oom"));
  CHECK(has(catalog.match("RoCE port 1 of mlx5_2 lost its GID"), "hardware/network/roce"));
  // "process" holds the letters of RoCE: teardown text is no network evidence.
  CHECK_FALSE(has(catalog.match("Sending process 31747 closing signal SIGTERM"), "hardware/network/roce"));
  CHECK(catalog.match("iteration 12/ 100 | lm loss: 2.3").empty());
}

TEST_CASE("a refining category is listed with the general one it inherits from", "[diagnose][catalog]") {
  const CategoryCatalog catalog;
  const auto refinements = catalog.refinements();
  CHECK(std::find(refinements.begin(), refinements.end(),
                  std::pair<std::string, std::string>{"hardware/network/roce", "hardware/network/ib"}) != refinements.end());
  // Job features are data too: a silent node speaks for a lost node, a stall for a hang.
  CHECK(has(catalog.feature(l4::diagnose::JobFeature::node_went_silent), "hardware/node/lost"));
  CHECK(has(catalog.feature(l4::diagnose::JobFeature::iteration_stall), "platform/hang"));
}

TEST_CASE("the taxonomy is a tree: every category's parent is a category, down from the four roots", "[diagnose][catalog]") {
  const CategoryCatalog catalog;
  std::size_t leaves = 0;
  const auto all = catalog.categories();
  for (const auto& c : all) {
    const auto parent = CategoryCatalog::parent(c);
    if (parent.empty()) {
      CHECK((c == "hardware" || c == "user" || c == "framework" || c == "platform"));
    } else {
      CHECK(catalog.contains(parent));
    }
    const bool leaf = std::none_of(all.begin(), all.end(), [&](auto& o) { return CategoryCatalog::parent(o) == c; });
    leaves += leaf ? 1 : 0;
    CHECK_FALSE(catalog.about(c).empty());
  }
  CHECK(leaves >= 40);
  CHECK(CategoryCatalog::parent("hardware/gpu/ecc") == "hardware/gpu");
}

TEST_CASE("every signature match says where its text comes from", "[diagnose][catalog]") {
  const CategoryCatalog catalog;
  const auto m = catalog.match("RuntimeError: CUDA error: an illegal memory access was encountered");
  REQUIRE_FALSE(m.empty());
  for (const auto& s : m) CHECK_FALSE(s.source.empty());
}

TEST_CASE("a malformed catalogue fails at load, naming the JSON path", "[diagnose][catalog]") {
  using Catch::Matchers::Contains;
  const auto load = [](const std::string& json) { return CategoryCatalog::from_json(json, "x.json"); };
  CHECK_THROWS_WITH(load(R"({"categories": [{"category": "user", "feature": {}}]})"), Contains("/categories/0/feature") && Contains("unknown key"));
  CHECK_THROWS_WITH(load(R"({"categories": [{"category": "user", "features": {"iteration_stal": 1}}]})"),
                    Contains("/categories/0/features/iteration_stal") && Contains("unknown job feature"));
  CHECK_THROWS_WITH(load(R"({"categories": [{"category": "user"}, {"category": "user/x", "refines": "user/y"}]})"),
                    Contains("refines 'user/y'"));
  CHECK_THROWS_WITH(load(R"({"categories": [{"category": "user/x"}]})"), Contains("parent 'user'"));
  CHECK_THROWS_WITH(load(R"({"categories": [{"category": "user", "weight": 1e308}]})"), Contains("/categories/0/weight"));
  CHECK_THROWS_WITH(load(R"({"categories": [{"category": "user", "weight": -1}]})"), Contains("/categories/0/weight"));
  CHECK_THROWS_WITH(load(R"({"categories": [{"category": "user", "signatures": [{"pattern": "a("}]}]})"),
                    Contains("/categories/0/signatures/0"));
  CHECK_THROWS_WITH(load(R"({"categories": [{"category": "user", "signatures": [{"pattern": "x*", "source": "s"}]}]})"),
                    Contains("matches empty text"));
  CHECK_THROWS_WITH(load(R"({"categories": [{"category": "user", "signatures": [{"pattern": "abc"}]}]})"),
                    Contains("/categories/0/signatures/0/source"));
  CHECK_NOTHROW(load(R"({"categories": [{"category": "user", "signatures": [{"pattern": "abc", "source": "me"}]}]})"));
  CHECK_THROWS_WITH(load(R"({"categories": [{"category": "user", "signatures": [{"pattern": "abc", "source": "me", "stage": "warmup"}]}]})"),
                    Contains("/categories/0/signatures/0/stage") && Contains("unknown stage"));
  CHECK_THROWS_WITH(load(R"({"categories": [{"category": "user", "signatures": [{"pattern": "abc", "source": "me", "generic": 1}]}]})"),
                    Contains("/categories/0/signatures/0/generic") && Contains("true or false"));
}

TEST_CASE("generic text is marked: OS error strings and signal names, not one program's messages", "[diagnose][catalog]") {
  const CategoryCatalog catalog;
  const auto generic_of = [&](const std::string& line, const std::string& category) {
    for (const auto& m : catalog.match(line)) {
      if (m.category == category) return std::optional<bool>(m.generic);
    }
    return std::optional<bool>();
  };
  CHECK(generic_of("ConnectionResetError: [Errno 104] Connection reset by peer", "hardware/network/socket") == true);
  CHECK(generic_of("OSError: [Errno 28] No space left on device", "hardware/storage/disk-full") == true);
  CHECK(generic_of("torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB", "user/config/gpu-oom") == false);
  CHECK(generic_of("NCCL WARN NET/IB : Got completion from peer 10.0.0.2 with error 12", "hardware/network/ib") == false);
}

TEST_CASE("a signature whose source places its message carries that stage", "[diagnose][catalog]") {
  const auto catalog = CategoryCatalog::from_json(
      R"({"categories": [{"category": "user", "signatures": [{"pattern": "Check batch related parameters", "source": "s", "stage": "init"},
                                                             {"pattern": "batch", "source": "s"}]}]})",
      "x.json");
  const auto staged = catalog.match("AssertionError: Check batch related parameters. train_batch_size is not equal");
  REQUIRE(staged.size() == 1);  // the longest match of the category speaks for it
  CHECK(staged.front().stage == l4::diagnose::Stage::init);
  const auto plain = catalog.match("batch 3 of 10");
  REQUIRE(plain.size() == 1);
  CHECK_FALSE(plain.front().stage.has_value());
  // The embedded catalogue: DeepSpeed's batch assertion runs while the engine is initialised.
  const CategoryCatalog embedded;
  bool found = false;
  for (const auto& m : embedded.match("AssertionError: Check batch related parameters. train_batch_size is not equal to "
                                      "micro_batch_per_gpu * gradient_acc_step * world_size 8 != 2 * 1 * 1")) {
    if (m.category == "user/config/parallelism") found = m.stage == l4::diagnose::Stage::init;
  }
  CHECK(found);
  // NCCL creates its /dev/shm segments while it connects ranks (set-up); a data loader worker's
  // shared memory fills up in any stage, so that message places nothing.
  const auto stage_of = [&](const char* line) -> std::optional<l4::diagnose::Stage> {
    for (const auto& m : embedded.match(line)) {
      if (m.category == "user/config/shm") return m.stage;
    }
    return l4::diagnose::Stage::evaluation;  // no user/config/shm match: fails both checks below
  };
  CHECK(stage_of("include/shm.h:48 NCCL WARN Error while creating shared memory segment nccl-shm-recv-1a2b-0-1-3 (size 9637888)") ==
        l4::diagnose::Stage::init);
  CHECK(stage_of("RuntimeError: DataLoader worker (pid 4242) is killed by signal: Bus error. It is possible that dataloader's "
                 "workers are out of shared memory. Please try to raise your shared memory limit.") == std::nullopt);
}

TEST_CASE("a category is within itself and its ancestors, by whole path components", "[diagnose][catalog]") {
  CHECK(CategoryCatalog::within("hardware/gpu/ecc", "hardware/gpu"));
  CHECK(CategoryCatalog::within("hardware/gpu/ecc", "hardware"));
  CHECK(CategoryCatalog::within("hardware/gpu", "hardware/gpu"));
  CHECK_FALSE(CategoryCatalog::within("hardware/gpu/ecc", "hardware/g"));
  CHECK_FALSE(CategoryCatalog::within("hardware", "hardware/gpu"));
  CHECK_FALSE(CategoryCatalog::within("user/config", "hardware"));
}
