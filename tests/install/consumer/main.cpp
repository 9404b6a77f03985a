// Uses an installed l4 library as a program would: splits a log header, diagnoses a job directory
// and prints the verdict as the report contract spells it.
//   l4_consumer JOB_DIR   ->   version 0.1.0 / header python-bracketed INFO / verdict <category> <node>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "l4/diagnose/diagnoser.hpp"
#include "l4/error.hpp"
#include "l4/format/header_parser.hpp"
#include "l4/report/diagnosis_report.hpp"
#include "l4/version.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: l4_consumer JOB_DIR\n");
    return 2;
  }
  std::printf("version %s\n", std::string(l4::version).c_str());

  const l4::format::HeaderParser headers;
  const auto h = headers.split("[2023-06-02 00:34:14,470] [INFO] [logging.py:96:log_dist] step=100, skipped=0");
  std::printf("header %s %s\n", std::string(h.format).c_str(), std::string(h.level_text).c_str());

  try {
    const l4::diagnose::Diagnoser diagnoser;
    const std::vector<std::string> paths{argv[1]};
    const auto report = l4::report::to_json(diagnoser.diagnose(paths, nullptr));
    std::printf("verdict %s %s\n", report["verdict"]["category"].get<std::string>().c_str(),
                report["faulty_nodes"].empty() ? "-" : report["faulty_nodes"][0]["node"].get<std::string>().c_str());
  } catch (const l4::Error& e) {
    std::fprintf(stderr, "l4_consumer: %s\n", e.what());
    return 2;
  }
  return 0;
}
