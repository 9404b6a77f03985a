#include <catch2/catch.hpp>

#include <vector>

#include "l4/report/finding_report.hpp"

using namespace l4;

namespace {
extract::Finding ecc_finding() {
  extract::Finding f;
  f.node = "gpu-a033";
  f.file = "gpu-a033.log";
  f.line_no = 1749;
  f.level = format::Level::error;
  f.template_id = 0x50ecfe38c13c8056ULL;
  f.template_text = "CUDA error: uncorrectable ECC error encountered on device <*>";
  f.description = "CUDA error: uncorrectable ECC error encountered";
  f.fip = "device 3";
  f.parameters.push_back(extract::TypedParameter{});
  f.parameters.back().type = "gpu";
  f.parameters.back().value = "3";
  f.score = 7.12345;
  f.occurrences = 2;
  return f;
}
}  // namespace

TEST_CASE("an extract finding as JSON carries its place, FID, FIP and typed parameters", "[report][extract]") {
  const auto j = report::to_json(ecc_finding(), "");
  CHECK(j["node"] == "gpu-a033");
  CHECK(j["line"] == 1749);
  CHECK(j["level"] == "ERROR");
  CHECK(j["template_id"] == "50ecfe38c13c8056");
  CHECK(j["fip"] == "device 3");
  CHECK(j["parameters"][0]["type"] == "gpu");
  CHECK(j["score"] == Approx(7.123));
  CHECK_FALSE(j.contains("group"));
  CHECK(report::to_json(ecc_finding(), "gpu-a033")["group"] == "gpu-a033");
}

TEST_CASE("extract findings as a document and as text name their groups unless grouped by job",
          "[report][extract]") {
  const std::vector<report::GroupedFinding> findings{{"gpu-a033", ecc_finding()}, {"gpu-a034", ecc_finding()}};
  const auto doc = report::findings_document(findings, 120, "node");
  CHECK(doc["lines"] == 120);
  CHECK(doc["group_by"] == "node");
  REQUIRE(doc["findings"].size() == 2);
  CHECK(doc["findings"][1]["group"] == "gpu-a034");
  CHECK_FALSE(report::findings_document(findings, 120, "job")["findings"][0].contains("group"));

  const auto text = report::render_text(findings, "node");
  CHECK(text.find("== gpu-a033\ngpu-a033.log:1749 [gpu-a033] ERROR score 7.12 (x2)\n") == 0);
  CHECK(text.find("  description: CUDA error: uncorrectable ECC error encountered\n  fip: device 3\n"
                  "  parameters: gpu=3\n") != std::string::npos);
  CHECK(text.find("== gpu-a034") != std::string::npos);
  CHECK(report::render_text(findings, "job").find("==") == std::string::npos);
}
