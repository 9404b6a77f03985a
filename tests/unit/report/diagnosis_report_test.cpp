#include <catch2/catch.hpp>

#include "l4/io/utf8.hpp"
#include "l4/report/diagnosis_report.hpp"

using namespace l4;

TEST_CASE("the summary quotes the first evidence whole, or cut at a word with an ellipsis", "[report][summary]") {
  diagnose::Diagnosis d;
  d.failure_found = true;
  d.verdict.category = "hardware/gpu/ecc";
  d.faulty_nodes = {{"node-1", 1.0, {}, {}, {}}};
  d.first_evidence = diagnose::Citation{"node-1", "node-1.log", 3, "CUDA error: uncorrectable ECC error encountered", {}};
  CHECK(report::summary(d).find("\"CUDA error: uncorrectable ECC error encountered\".") != std::string::npos);

  // 150 bytes of words, then a word that crosses the 160-byte cut.
  std::string long_line(150, 'x');
  for (std::size_t i = 9; i < long_line.size(); i += 10) long_line[i] = ' ';
  long_line += " uncorrectable ECC error encountered";
  d.first_evidence->text = long_line;
  const auto s = report::summary(d);
  CHECK(s.find(" uncorrectable") == std::string::npos);  // never "... uncorr"
  CHECK(s.find("…\".") != std::string::npos);
  // Multi-byte text is cut on a character boundary.
  std::string cjk;
  for (int i = 0; i < 70; ++i) cjk += "\xe9\x94\x99";  // 错 x 70 = 210 bytes, no spaces
  d.first_evidence->text = cjk;
  CHECK(io::is_valid_utf8(report::summary(d)));
}
