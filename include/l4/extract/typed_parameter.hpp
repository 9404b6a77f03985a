#pragma once
// TypedParameter: an entity found in a log message (a GPU index, a peer IP:port, an exit code...),
// with its type name from data/parameter_types.json and where it sits in the message.
#include <cstddef>
#include <string>

namespace l4::extract {

// What a parameter can be to a fault (data/parameter_types.json, "role" of its type).
enum class ParameterRole {
  none,       // never the fault-indicating parameter (a bare number, an error-code label)
  candidate,  // the FIP when it follows the description (an exit code, a path, a field)
  entity,     // the thing a fault is about (node, address, GPU, container): the FIP wherever it is named
};

struct TypedParameter {
  std::string type;     // e.g. "ip_port", "rank", "exit_code" (see data/parameter_types.json)
  std::string value;    // the entity itself ("-9", "mlx5_10", "/172.17.0.5:50538")
  std::string text;     // the matched text, key included ("exitcode: -9"); equals value when keyless
  std::size_t begin = 0;// byte offset of `text` in the message
  std::size_t end = 0;  // one past its last byte
  std::size_t value_begin = 0;  // byte offset of `value`
  std::size_t match_begin = 0;  // the whole match, key and wrapper included
  std::size_t match_end = 0;    //   (DatanodeInfoWithStorage[...] for a bracketed value)
  ParameterRole role = ParameterRole::none;  // what the value can be to a fault
  int fip_priority = 0; // ranks the types as the FIP (higher first)
  bool generic = false; // a generic shape (key=value, number, identifier) rather than a named entity
  bool fip_with_key = false;  // the FIP shows `text` (key and value) rather than `value`
  // A failure value written as a sentence ("Exit code is 137", "httpCode is 500"; the type's
  // failure_values and the table's statement_sep): it states the fault, so it is description
  // text, never the FIP.
  bool states_failure = false;
};

}  // namespace l4::extract
