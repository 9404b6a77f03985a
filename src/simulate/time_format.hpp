#pragma once
// TimeFormat: the timestamps table lines print ({py} 2024-03-05 14:02:11,532, {glog} 0305
// 14:02:11.532101, {c10d}, {iso}, {tsu}, {hms}, {kt} kernel uptime), with the date and clock of
// the current second cached: most lines of a job share their second with the line before.
#include <cstdint>
#include <string>

#include "line_template.hpp"
#include "rng.hpp"

namespace l4::simulate {

inline constexpr std::int64_t kSecond = 1'000'000;  // the simulator's time unit: microseconds

class TimeFormat {
 public:
  // True for the variables put() writes.
  static bool is_time(Var v);
  // Appends time variable `v` for a line at `time_us` (us since the epoch) on a node whose kernel
  // has been up `uptime_us`. {c10d} draws its nanosecond digits from `rng`.
  void put(std::string& out, Var v, std::int64_t time_us, std::int64_t uptime_us, Rng& rng);

 private:
  std::int64_t cached_sec_ = -1;
  char date_[32]{};  // "YYYY-MM-DD" + ' ' + "HH:MM:SS"
  int month_ = 1, day_ = 1;
};

}  // namespace l4::simulate
