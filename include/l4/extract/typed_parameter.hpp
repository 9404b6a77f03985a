#pragma once
// TypedParameter: an entity found in a log message (a GPU index, a peer IP:port, an exit code...),
// with its type name from data/parameter_types.json and where it sits in the message.
#include <cstddef>
#include <string>

namespace l4::extract {

struct TypedParameter {
  std::string type;     // e.g. "ip_port", "rank", "exit_code" (see data/parameter_types.json)
  std::string value;    // the entity itself ("-9", "mlx5_10", "/172.17.0.5:50538")
  std::string text;     // the matched text, key included ("exitcode: -9"); equals value when keyless
  std::size_t begin = 0;// byte offset of `text` in the message
  std::size_t end = 0;  // one past its last byte
  std::size_t value_begin = 0;  // byte offset of `value`
  std::size_t match_begin = 0;  // the whole match, key and wrapper included
  std::size_t match_end = 0;    //   (DatanodeInfoWithStorage[...] for a bracketed value)
  int fip_priority = 0; // how strongly this type indicates the fault's subject (higher first)
  bool fip_with_key = false;  // the FIP shows `text` (key and value) rather than `value`
};

}  // namespace l4::extract
