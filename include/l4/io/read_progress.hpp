#pragma once
// ReadProgress: how far a read of many or large log files has got, counted by the threads that
// read. The library only counts; the CLI decides whether to show it (a terminal, nothing else
// logging there).
#include <atomic>
#include <cstdint>

namespace l4::io {

class ReadProgress {
 public:
  struct Snapshot {
    std::uint64_t files_done = 0, files_total = 0, bytes = 0;
  };

  void expect_files(std::uint64_t n) { files_total_.fetch_add(n, std::memory_order_relaxed); }
  void add_bytes(std::uint64_t n) { bytes_.fetch_add(n, std::memory_order_relaxed); }
  void file_done() { files_done_.fetch_add(1, std::memory_order_relaxed); }
  [[nodiscard]] Snapshot snapshot() const {
    return {files_done_.load(std::memory_order_relaxed), files_total_.load(std::memory_order_relaxed),
            bytes_.load(std::memory_order_relaxed)};
  }

 private:
  std::atomic<std::uint64_t> files_done_{0}, files_total_{0}, bytes_{0};
};

}  // namespace l4::io
