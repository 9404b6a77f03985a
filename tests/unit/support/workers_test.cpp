#include <catch2/catch.hpp>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

#include "support/workers.hpp"

TEST_CASE("run_workers runs each worker once and joins them all", "[support][workers]") {
  std::vector<std::atomic<int>> runs(4);
  l4::support::run_workers(4, [&](unsigned w) { ++runs[w]; });
  for (const auto& r : runs) CHECK(r == 1);
}

TEST_CASE("run_workers: one worker runs on the calling thread, none runs nothing", "[support][workers]") {
  std::thread::id where;
  l4::support::run_workers(1, [&](unsigned w) {
    CHECK(w == 0);
    where = std::this_thread::get_id();
  });
  CHECK(where == std::this_thread::get_id());
  bool ran = false;
  l4::support::run_workers(0, [&](unsigned) { ran = true; });
  CHECK_FALSE(ran);
}

TEST_CASE("run_workers rethrows the first worker's error once every worker has stopped", "[support][workers]") {
  std::atomic<int> finished{0};
  const auto work = [&](unsigned w) {
    if (w == 1) throw std::runtime_error("worker 1");
    if (w == 2) throw std::logic_error("worker 2");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    ++finished;
  };
  try {
    l4::support::run_workers(4, work);
    FAIL("no exception");
  } catch (const std::runtime_error& e) {
    CHECK(std::string(e.what()) == "worker 1");
  }
  CHECK(finished == 2);  // workers 0 and 3 ran to the end before the error came out
}
