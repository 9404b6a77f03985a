#pragma once
// ParameterTyper: names the type of a parameter value, or finds every typed parameter in a
// message, with the RE2 patterns of data/parameter_types.json (IP and host:port, host name, rank
// and local rank, GPU index, PCI bus id, HCA, Xid, exit code and signal, errno, HTTP/CUDA/NCCL/
// HCCL error codes, path, container/job/task id, UUID, key=value ...). Overlaps are resolved so
// that a specific type beats a generic one (key=value, number), then the longer match wins (a
// tuple over the UUID inside it), then the type listed first — a specific form (`exitcode: -9`)
// is never reported as the key=value it also is.
//
//   l4::extract::ParameterTyper typer;                       // embedded table
//   typer.type_of("mlx5_10");                                 // "hca"
//   for (auto& p : typer.find("Xid 79 on Device: 3")) ...     // xid "79", gpu "3"
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "l4/extract/typed_parameter.hpp"

namespace l4::extract {

class ParameterTyper {
 public:
  // Types from the embedded data/parameter_types.json, or from `json` when not empty.
  // Throws l4::InputError on malformed JSON or a pattern RE2 rejects.
  explicit ParameterTyper(std::string_view json = {});
  ParameterTyper(ParameterTyper&&) noexcept;
  ParameterTyper& operator=(ParameterTyper&&) noexcept;
  ~ParameterTyper();

  // The first type (table order) whose pattern matches all of `value`; nullopt when none does.
  [[nodiscard]] std::optional<std::string> type_of(std::string_view value) const;

  // Every typed parameter in `text`, non-overlapping, ordered by position. Thread-safe.
  [[nodiscard]] std::vector<TypedParameter> find(std::string_view text) const;

  // Where a field key and its separator ("taskId is ", "url=") end exactly at `pos` of `text`,
  // the key's start; npos when the text before `pos` is not such a key (see field_key in the table).
  [[nodiscard]] std::size_t field_key_before(std::string_view text, std::size_t pos) const;

  // Type names in table order.
  [[nodiscard]] const std::vector<std::string>& type_names() const;
  // The examples listed for each type (same order as type_names()).
  [[nodiscard]] const std::vector<std::vector<std::string>>& examples() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace l4::extract
