#include "file_sink.hpp"

#include <cstdio>

#include "l4/error.hpp"

namespace l4::simulate {

FileSink::FileSink(std::string path, std::string display, bool gzip, std::size_t flush_bytes)
    : path_(std::move(path)), display_(std::move(display)), gzip_(gzip), flush_bytes_(flush_bytes) {
  buf_.reserve(flush_bytes_ + 4096);
}

FileSink::~FileSink() {
  if (z_) deflateEnd(z_.get());
}

void FileSink::write_raw(const char* data, std::size_t size) {
  // Opened per chunk (append) so a 1024-rank job does not hold 1024 descriptors.
  std::FILE* f = std::fopen(path_.c_str(), created_ ? "ab" : "wb");
  if (f == nullptr) throw Error("cannot write " + path_);
  created_ = true;
  const bool ok = size == 0 || std::fwrite(data, 1, size, f) == size;
  if (std::fclose(f) != 0 || !ok) throw Error("write failed: " + path_);
}

void FileSink::flush(bool finish) {
  bytes_ += buf_.size();
  if (!gzip_) {
    if (!buf_.empty() || !created_) write_raw(buf_.data(), buf_.size());
    buf_.clear();
    return;
  }
  if (!z_) {
    z_ = std::make_unique<z_stream>();
    // windowBits 15 + 16: gzip wrapper with a zero mtime, so output is deterministic.
    if (deflateInit2(z_.get(), 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
      z_.reset();
      throw Error("zlib init failed for " + path_);
    }
  }
  zout_.resize(deflateBound(z_.get(), buf_.size()) + 64);
  z_->next_in = reinterpret_cast<Bytef*>(buf_.data());
  z_->avail_in = static_cast<uInt>(buf_.size());
  std::size_t produced = 0;
  int rc = Z_OK;
  do {
    if (produced == zout_.size()) zout_.resize(zout_.size() * 2);
    z_->next_out = reinterpret_cast<Bytef*>(zout_.data() + produced);
    z_->avail_out = static_cast<uInt>(zout_.size() - produced);
    rc = deflate(z_.get(), finish ? Z_FINISH : Z_NO_FLUSH);
    produced = zout_.size() - z_->avail_out;
    if (rc == Z_STREAM_ERROR) throw Error("zlib error writing " + path_);
  } while (finish ? rc != Z_STREAM_END : (z_->avail_in != 0 || z_->avail_out == 0));
  write_raw(zout_.data(), produced);
  buf_.clear();
}

void FileSink::close() {
  if (closed_) return;
  flush(true);
  closed_ = true;
  std::string().swap(buf_);
  std::string().swap(zout_);
}

}  // namespace l4::simulate
