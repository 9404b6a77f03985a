#include <catch2/catch.hpp>

#include "support/test_support.hpp"

TEST_CASE("l4 --version prints the version and exits 0", "[e2e][cli]") {
  const auto r = l4::test::run_l4({"--version"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("0.") != std::string::npos);
}
