#pragma once
// ByteSource: the decompressed bytes of one input, delivered in chunks — a memory-mapped file in
// 64 MiB windows (each released once the next is asked for), stdin and other streams (FIFOs,
// pipes) in 1 MiB reads, gzip (recognised by its magic bytes, any number of
// members) inflated with zlib. Reports a gzip stream that ends early or is corrupt.
#include <zlib.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/mapped_file.hpp"

namespace l4::io {

class ByteSource {
 public:
  // Opens a file (memory-mapped), stdin when path == "-", or a stream (FIFO, pipe, character
  // device: read in chunks). Throws l4::InputError.
  explicit ByteSource(const std::string& path);
  // True for stdin and for paths that are FIFOs, pipes or character devices: they can be read once.
  static bool is_stream(const std::string& path);
  ~ByteSource();
  ByteSource(const ByteSource&) = delete;
  ByteSource& operator=(const ByteSource&) = delete;

  // The next chunk of decompressed bytes; empty at the end.
  std::string_view next();

  [[nodiscard]] bool gzip() const { return gzip_; }
  // Set after the end when the gzip stream was truncated or corrupt: a one-line reason.
  [[nodiscard]] const std::optional<std::string>& damage() const { return damage_; }

 private:
  std::string_view next_raw();
  std::string_view next_inflated();

  std::string path_;
  std::unique_ptr<MappedFile> mapped_;
  std::size_t mapped_pos_ = 0;  // bytes of the mapping handed out so far
  int fd_ = -1;
  bool owns_fd_ = false;
  bool fd_eof_ = false;
  std::vector<char> raw_buffer_;
  std::string_view pending_raw_;   // raw bytes not yet consumed (first chunk after sniffing)
  bool gzip_ = false;
  z_stream zs_{};
  bool inflate_ready_ = false;
  bool inflate_done_ = false;
  std::vector<char> out_buffer_;
  std::optional<std::string> damage_;
};

}  // namespace l4::io
