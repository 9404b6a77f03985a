#pragma once
// run_workers: the fork-join every threaded step of l4 uses — `work(w)` for w = 0 .. n-1 on n
// threads (on the calling thread when n is 1, not at all when n is 0), all joined before it
// returns; the first worker's
// exception (by worker number) is rethrown once every thread has stopped, so an error in one
// worker never leaves another running or is lost.
#include <exception>
#include <thread>
#include <vector>

namespace l4::support {

template <typename Work>
void run_workers(unsigned n, Work&& work) {
  if (n == 0) return;
  if (n == 1) {
    work(0U);
    return;
  }
  std::vector<std::exception_ptr> errors(n);
  std::vector<std::thread> pool;
  pool.reserve(n);
  for (unsigned w = 0; w < n; ++w) {
    pool.emplace_back([&work, &errors, w] {
      try {
        work(w);
      } catch (...) {
        errors[w] = std::current_exception();
      }
    });
  }
  for (auto& t : pool) t.join();
  for (auto& e : errors) {
    if (e) std::rethrow_exception(e);
  }
}

}  // namespace l4::support
