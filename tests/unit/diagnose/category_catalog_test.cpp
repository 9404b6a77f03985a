#include <catch2/catch.hpp>

#include <algorithm>

#include "l4/diagnose/category_catalog.hpp"

using l4::diagnose::CategoryCatalog;

namespace {
bool has(const std::vector<std::pair<std::string, double>>& matches, const std::string& category) {
  return std::any_of(matches.begin(), matches.end(), [&](auto& m) { return m.first == category; });
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
  CHECK(has(catalog.feature("node_went_silent"), "hardware/node/lost"));
  CHECK(has(catalog.feature("iteration_stall"), "platform/hang"));
}
