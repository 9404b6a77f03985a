#pragma once
// ProgressDisplay: one self-updating line on stderr while a long read runs ("l4: 37/128 files,
// 312 MB, 280 MB/s"). Shown only when stderr is a terminal and the log level is the default (no
// -q, no -v lines to interleave with), not while results stream to the same terminal, and only
// after the first second, so short runs and scripts see nothing. The line is cleared when the
// display goes out of scope.
#include <condition_variable>
#include <mutex>
#include <thread>

#include "l4/io/read_progress.hpp"

namespace l4::cli {

class ProgressDisplay {
 public:
  // Shows `progress` when the conditions above hold; otherwise does nothing. `streams_to_stdout`:
  // the command writes results while it reads (to stdout unless -o names a file).
  explicit ProgressDisplay(const io::ReadProgress& progress, bool streams_to_stdout = false);
  ~ProgressDisplay();
  ProgressDisplay(const ProgressDisplay&) = delete;
  ProgressDisplay& operator=(const ProgressDisplay&) = delete;

  // Whether a display would be shown.
  static bool wanted(bool streams_to_stdout);

 private:
  void run(const std::stop_token& stop);

  const io::ReadProgress& progress_;
  std::mutex mutex_;
  std::condition_variable_any wake_;
  bool drawn_ = false;
  std::jthread thread_;  // last: started after the members it uses
};

}  // namespace l4::cli
