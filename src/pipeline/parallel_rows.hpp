#pragma once
// ParallelRows: per-line output made on worker threads and written in input order. The calling
// thread adds lines (copied into batches); a worker turns each line into its output with `make`
// (false: it cannot, e.g. the line needs a template learned on the way); the calling thread writes
// finished batches in order, running `serial` for the lines `make` left. `make` runs on several
// threads at once and must only read shared state; `serial` runs on the calling thread only.
// With one thread everything runs inline, without copies, and rows are written about a megabyte at
// a time. Batches are reused once written, so their buffers are allocated only while they grow.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace l4::pipeline {

class ParallelRows {
 public:
  struct Line {
    std::string_view text;
    std::uint64_t line_no = 0;
    std::uint32_t file = 0;
    std::uint64_t seq = 0;  // set by ParallelRows: the line's place among all lines added (0, 1, ...)
  };
  // Appends the line's output to `out`; `worker` is 0 .. threads-1.
  using Make = std::function<bool(const Line& line, unsigned worker, std::string& out)>;
  using Serial = std::function<void(const Line& line, std::string& out)>;
  using Write = std::function<void(std::string_view bytes)>;

  ParallelRows(unsigned threads, Make make, Serial serial, Write write);
  ParallelRows(const ParallelRows&) = delete;
  ParallelRows& operator=(const ParallelRows&) = delete;
  ~ParallelRows();

  void add(const Line& line);
  // Writes everything still pending; rethrows a worker's error.
  void finish();

 private:
  struct Shared;
  void write_ready(bool wait_all);
  void add_inline(const Line& line);
  void flush_inline();
  Make make_;
  Serial serial_;
  Write write_;
  std::string inline_out_;
  std::uint64_t added_ = 0;
  std::unique_ptr<Shared> shared_;
};

}  // namespace l4::pipeline
