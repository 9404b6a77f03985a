#pragma once
// FileSink: one output log file. Lines are appended to a memory buffer and written in large
// chunks (plain append, or through a deflate stream for --gzip), so thousands of per-rank files
// need neither thousands of open descriptors nor iostream formatting. Counts lines as they are
// written so truth line numbers are exact.
#include <zlib.h>

#include <cstdint>
#include <memory>
#include <string>

namespace l4::simulate {

class FileSink {
 public:
  FileSink(std::string path, std::string display, bool gzip, std::size_t flush_bytes);
  ~FileSink();
  FileSink(const FileSink&) = delete;
  FileSink& operator=(const FileSink&) = delete;

  // The buffer to append one line's text to (without '\n'); call end_line() after.
  std::string& buffer() { return buf_; }
  // Terminates the current line; returns its 1-based line number.
  std::uint64_t end_line() {
    buf_.push_back('\n');
    ++lines_;
    if (buf_.size() >= flush_bytes_) flush();
    return lines_;
  }
  // Writes everything and closes the file; throws l4::Error on I/O failure.
  void close();

  [[nodiscard]] const std::string& display() const { return display_; }
  [[nodiscard]] std::uint64_t lines() const { return lines_; }
  [[nodiscard]] std::uint64_t bytes() const { return bytes_ + buf_.size(); }

 private:
  void flush(bool finish = false);
  void write_raw(const char* data, std::size_t size);

  std::string path_;
  std::string display_;  // path relative to logs/
  bool gzip_;
  std::size_t flush_bytes_;
  std::string buf_;
  std::uint64_t lines_ = 0;
  std::uint64_t bytes_ = 0;
  bool created_ = false;
  bool closed_ = false;
  std::unique_ptr<z_stream> z_;
  std::string zout_;
};

}  // namespace l4::simulate
