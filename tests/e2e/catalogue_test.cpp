// `l4 catalogue list|check`: the taxonomy diagnose answers in, and a user's catalogue checked as
// diagnose --catalog would load it.
#include <catch2/catch.hpp>

#include "support/test_support.hpp"

using l4::test::run_l4;
using json = nlohmann::json;

TEST_CASE("l4 catalogue list shows the taxonomy down from the four roots", "[e2e][catalogue]") {
  const auto text = run_l4({"catalogue", "list"});
  REQUIRE(text.exit_code == 0);
  CHECK(text.out.starts_with("hardware  "));
  CHECK(text.out.find("\n    hardware/gpu/ecc (") != std::string::npos);
  const auto j = run_l4({"catalogue", "list", "--format", "json"});
  REQUIRE(j.exit_code == 0);
  const auto list = json::parse(j.out);
  std::size_t roots = 0;
  for (const auto& c : list) roots += c["category"].get<std::string>().find('/') == std::string::npos ? 1 : 0;
  CHECK(roots == 4);
  CHECK(list.size() >= 60);
}

TEST_CASE("l4 catalogue check names the JSON path of a mistake", "[e2e][catalogue][bad-input]") {
  l4::test::TempDir dir;
  const auto bad = dir.write("bad.json", R"({"categories": [{"category": "user/oops", "refines": "user/none"}]})");
  const auto r = run_l4({"catalogue", "check", bad.string()});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("refines 'user/none'") != std::string::npos);
  const auto good = dir.write("good.json", R"({"categories": [{"category": "user/mine", "weight": 1.5,
      "signatures": [{"pattern": "my job broke", "source": "my team"}]}]})");
  const auto ok = run_l4({"catalogue", "check", good.string()});
  CHECK(ok.exit_code == 0);
  // ... and diagnose uses it.
  const auto logs = dir.write("job/node-1.log", "ERROR my job broke at step 3\n");
  const auto d = run_l4({"diagnose", "--no-history", "--catalog", good.string(), (dir.path() / "job").string()});
  REQUIRE(d.exit_code == 0);
  CHECK(json::parse(d.out)["verdict"]["category"] == "user/mine");
}
