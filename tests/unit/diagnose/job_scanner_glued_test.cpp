// Records glued onto one line by a progress bar redrawn with a carriage return are read apart.
#include <catch2/catch.hpp>

#include "diagnose/job_scanner.hpp"
#include "support/test_support.hpp"

using namespace l4::diagnose;

TEST_CASE("a rank's record glued to a progress bar is read as its own line", "[diagnose][scanner]") {
  l4::test::TempDir dir;
  dir.write("job/train.log",
            "{'loss': 3.55, 'grad_norm': 1.41, 'learning_rate': 2.0e-06, 'epoch': 0.01}\n"
            "  1%|          | 23/1752 [01:05<1:23:14,  2.89s/it]\n"
            "  1%|          | 24/1752 [01:08<1:22:56,  2.88s/it][rank5]:[E602 11:17:52.185053341 "
            "ProcessGroupNCCL.cpp:632] [Rank 5] Watchdog caught collective operation timeout: WorkNCCL(SeqNum=28, "
            "OpType=ALLREDUCE, Timeout(ms)=600000) ran for 600047 milliseconds before timing out.\n");
  const std::vector<std::string> paths{(dir.path() / "job").string()};
  const JobScan scan = JobScanner().scan(paths);
  const auto watchdog = std::find_if(scan.events.begin(), scan.events.end(), [](const EventStats& e) {
    return e.text.find("Watchdog caught collective operation timeout") != std::string::npos;
  });
  REQUIRE(watchdog != scan.events.end());
  CHECK(watchdog->first.line == 3);
  CHECK(watchdog->first.rank == 5);               // the glued record's own prefix names its rank
  CHECK(watchdog->text.find("s/it") == std::string::npos);  // the bar is not part of it
  CHECK(scan.nodes.size() == 1);
  CHECK(scan.nodes[0].lines == 3);  // one line of the file, whatever it held
  CHECK(scan.last_iteration == 24);  // the bar still reports its iteration
}
