#include "io/byte_source.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "l4/error.hpp"
#include "l4/io/ingestor.hpp"
#include "l4/io/utf8.hpp"

namespace l4::io {
namespace {
constexpr std::size_t kChunk = 1 << 20;
constexpr std::size_t kMapWindow = std::size_t{64} << 20;
}

ByteSource::ByteSource(const std::string& path) : path_(path) {
  if (names_stdin(path)) {
    fd_ = STDIN_FILENO;
    raw_buffer_.resize(kChunk);
  } else if (is_stream(path)) {
    // A FIFO, a pipe (/dev/fd/N of a process substitution), a character device: read once, in
    // chunks, like stdin. Opening a FIFO waits for its writer, as `cat` does.
    do {
      fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    } while (fd_ < 0 && errno == EINTR);
    if (fd_ < 0) throw InputError("cannot open " + escape_path(path) + ": " + std::strerror(errno));
    owns_fd_ = true;
    raw_buffer_.resize(kChunk);
  } else {
    mapped_ = std::make_unique<MappedFile>(path);
  }
  // Sniff the gzip magic on the first raw bytes.
  pending_raw_ = next_raw();
  if (pending_raw_.size() >= 2 && static_cast<unsigned char>(pending_raw_[0]) == 0x1f &&
      static_cast<unsigned char>(pending_raw_[1]) == 0x8b) {
    gzip_ = true;
    if (inflateInit2(&zs_, 15 + 32) != Z_OK) throw Error("zlib initialisation failed");
    inflate_ready_ = true;
    out_buffer_.resize(kChunk);
  }
}

ByteSource::~ByteSource() {
  if (inflate_ready_) inflateEnd(&zs_);
  if (owns_fd_) ::close(fd_);
}

bool ByteSource::is_stream(const std::string& path) {
  if (names_stdin(path)) return true;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return false;  // opening will say why
  return S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode) || S_ISSOCK(st.st_mode);
}

std::string_view ByteSource::next_raw() {
  if (mapped_) {
    const std::string_view all = mapped_->bytes();
    if (mapped_pos_ >= all.size()) return {};
    // The caller is done with the previous window (partial lines were copied) when it asks again.
    mapped_->release_before(mapped_pos_);
    const std::size_t n = std::min(kMapWindow, all.size() - mapped_pos_);
    const std::string_view window = all.substr(mapped_pos_, n);
    mapped_pos_ += n;
    return window;
  }
  if (fd_eof_) return {};
  std::size_t filled = 0;
  // Fill the buffer (pipes deliver small pieces) so chunks are large.
  while (filled < raw_buffer_.size()) {
    const ssize_t n = ::read(fd_, raw_buffer_.data() + filled, raw_buffer_.size() - filled);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw InputError("cannot read " + (names_stdin(path_) ? std::string("standard input") : escape_path(path_)) + ": " +
                       std::strerror(errno));
    }
    if (n == 0) {
      fd_eof_ = true;
      break;
    }
    filled += static_cast<std::size_t>(n);
  }
  return {raw_buffer_.data(), filled};
}

std::string_view ByteSource::next() {
  if (gzip_) return next_inflated();
  if (!pending_raw_.empty()) {
    const auto chunk = pending_raw_;
    pending_raw_ = {};
    return chunk;
  }
  return next_raw();
}

std::string_view ByteSource::next_inflated() {
  while (!inflate_done_) {
    if (zs_.avail_in == 0) {
      std::string_view in = pending_raw_;
      pending_raw_ = {};
      if (in.empty()) in = next_raw();
      constexpr std::size_t kMaxFeed = std::size_t{1} << 30;  // zlib counts in 32 bits
      if (in.size() > kMaxFeed) {
        pending_raw_ = in.substr(kMaxFeed);
        in = in.substr(0, kMaxFeed);
      }
      if (in.empty()) {
        // Input ended inside a gzip member.
        inflate_done_ = true;
        damage_ = "truncated gzip stream (ended after " + std::to_string(zs_.total_in) +
                  " compressed bytes)";
        return {};
      }
      zs_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
      zs_.avail_in = static_cast<uInt>(in.size());
    }
    zs_.next_out = reinterpret_cast<Bytef*>(out_buffer_.data());
    zs_.avail_out = static_cast<uInt>(out_buffer_.size());
    const int rc = inflate(&zs_, Z_NO_FLUSH);
    const std::size_t produced = out_buffer_.size() - zs_.avail_out;
    if (rc == Z_STREAM_END) {
      // Another gzip member may follow (concatenated .gz files are valid gzip).
      bool more = zs_.avail_in > 0 || !pending_raw_.empty();
      if (!more) {
        pending_raw_ = next_raw();
        more = !pending_raw_.empty();
      }
      if (more) {
        inflateReset(&zs_);
      } else {
        inflate_done_ = true;
      }
    } else if (rc == Z_DATA_ERROR || rc == Z_NEED_DICT || rc == Z_MEM_ERROR) {
      inflate_done_ = true;
      damage_ = std::string("corrupt gzip data: ") + (zs_.msg ? zs_.msg : "inflate failed");
    }
    if (produced > 0) return {out_buffer_.data(), produced};
  }
  return {};
}

}  // namespace l4::io
