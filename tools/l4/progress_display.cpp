#include "progress_display.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>

namespace l4::cli {
namespace {
constexpr auto kDelay = std::chrono::seconds(1);
constexpr auto kPeriod = std::chrono::milliseconds(250);
}  // namespace

bool ProgressDisplay::wanted(bool streams_to_stdout) {
  if (streams_to_stdout && isatty(STDOUT_FILENO) != 0) return false;
  return isatty(STDERR_FILENO) != 0 && spdlog::default_logger()->level() == spdlog::level::warn;
}

ProgressDisplay::ProgressDisplay(const io::ReadProgress& progress, bool streams_to_stdout) : progress_(progress) {
  if (wanted(streams_to_stdout)) thread_ = std::jthread([this](const std::stop_token& stop) { run(stop); });
}

ProgressDisplay::~ProgressDisplay() {
  if (thread_.joinable()) {
    thread_.request_stop();
    thread_.join();
  }
}

void ProgressDisplay::run(const std::stop_token& stop) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  std::unique_lock lock(mutex_);
  if (wake_.wait_for(lock, stop, kDelay, [] { return false; })) return;
  while (!stop.stop_requested()) {
    const auto s = progress_.snapshot();
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    const double mb = static_cast<double>(s.bytes) / 1e6;
    const std::string line = fmt::format("l4: {}/{} files, {:.0f} MB read, {:.0f} MB/s", s.files_done,
                                         s.files_total, mb, seconds > 0 ? mb / seconds : 0.0);
    std::fprintf(stderr, "\r\033[K%s", line.c_str());
    std::fflush(stderr);
    drawn_ = true;
    wake_.wait_for(lock, stop, kPeriod, [] { return false; });
  }
  if (drawn_) {
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
  }
}

}  // namespace l4::cli
