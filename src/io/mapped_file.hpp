#pragma once
// MappedFile: a read-only memory mapping of a whole file (RAII). Plain logs are read through it
// so ingestion touches each byte once, with no copies.
#include <cstddef>
#include <string>
#include <string_view>

namespace l4::io {

class MappedFile {
 public:
  // Throws l4::InputError naming `path` when it cannot be opened or mapped.
  explicit MappedFile(const std::string& path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  [[nodiscard]] std::string_view bytes() const {
    return {static_cast<const char*>(data_), size_};
  }
  // Drops the pages wholly before byte `offset` from memory: they were read and will not be read
  // again, so resident memory stays bounded however large the file.
  void release_before(std::size_t offset) const;

 private:
  void* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace l4::io
