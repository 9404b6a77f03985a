#pragma once
// LineSplitter: cuts a byte stream that arrives in chunks into lines, handing out views. Lines
// inside one chunk are never copied; a line that spans chunks is assembled in a carry buffer that
// never grows past the line cap (the rest of an over-long line is counted, not stored). A line is
// cut at the cap on a character boundary, so cutting never makes valid UTF-8 invalid.
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "l4/io/utf8.hpp"

namespace l4::io {

class LineSplitter {
 public:
  explicit LineSplitter(std::size_t max_line_bytes) : cap_(max_line_bytes) {}

  // Calls on_line(text, offset, truncated) for every complete line in `chunk` (text without "\n").
  template <typename OnLine>
  void feed(std::string_view chunk, OnLine&& on_line) {
    std::size_t pos = 0;
    while (pos < chunk.size() && !stopped_) {
      const void* nl = std::memchr(chunk.data() + pos, '\n', chunk.size() - pos);
      const std::size_t end =
          nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - chunk.data()) : chunk.size();
      const std::string_view piece = chunk.substr(pos, end - pos);
      if (nl == nullptr) {  // partial line: keep for the next chunk
        append_carry(piece);
        consumed_ += piece.size();
        return;
      }
      if (pending_) {
        append_carry(piece);
        emit(std::string_view(carry_), carry_truncated_, on_line);
        consumed_ += piece.size() + 1;
        line_start_ = consumed_;
        carry_.clear();
        carry_truncated_ = false;
        pending_ = false;
      } else {
        const bool truncated = piece.size() > cap_;
        emit(truncated ? utf8_prefix(piece, cap_) : piece, truncated, on_line);
        consumed_ += piece.size() + 1;
        line_start_ = consumed_;
      }
      pos = end + 1;
    }
  }

  // Emits the final line when the stream does not end with "\n".
  template <typename OnLine>
  void finish(OnLine&& on_line) {
    if (pending_) {
      emit(std::string_view(carry_), carry_truncated_, on_line);
      carry_.clear();
      pending_ = false;
    }
  }

  [[nodiscard]] std::uint64_t bytes() const { return consumed_; }
  // No more lines are wanted (a sample has enough): feed cuts no further lines, which saves the
  // search for line ends through the rest of a mapped file.
  void stop() { stopped_ = true; }

 private:
  void append_carry(std::string_view piece) {
    pending_ = true;
    if (carry_truncated_) return;
    const std::size_t room = cap_ - carry_.size();  // the carry never grows past the cap
    if (piece.size() > room) {
      carry_truncated_ = true;
      piece = utf8_prefix(piece, room);
    }
    carry_.append(piece);
  }

  template <typename OnLine>
  void emit(std::string_view text, bool truncated, OnLine& on_line) {
    on_line(text, line_start_, truncated);
  }

  std::size_t cap_;
  std::string carry_;
  bool carry_truncated_ = false;
  bool pending_ = false;
  bool stopped_ = false;
  std::uint64_t consumed_ = 0;    // bytes of the stream consumed so far
  std::uint64_t line_start_ = 0;  // offset of the current line's first byte
};

}  // namespace l4::io
