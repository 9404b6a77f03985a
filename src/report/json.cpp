#include "l4/report/json.hpp"

#include "l4/io/utf8.hpp"

namespace l4::report {
namespace {

// Replaces invalid UTF-8 in every string and key of `doc`, in place (key order kept).
void make_valid(Json& doc, std::uint64_t& replaced) {
  if (doc.is_string()) {
    auto& s = doc.get_ref<std::string&>();
    if (!io::is_valid_utf8(s)) s = io::to_valid_utf8(s, &replaced);
  } else if (doc.is_array()) {
    for (auto& v : doc) make_valid(v, replaced);
  } else if (doc.is_object()) {
    Json fixed = Json::object();
    for (auto it = doc.begin(); it != doc.end(); ++it) {
      make_valid(it.value(), replaced);
      const std::string& key = it.key();
      fixed[io::is_valid_utf8(key) ? key : io::to_valid_utf8(key, &replaced)] = std::move(it.value());
    }
    doc = std::move(fixed);
  }
}

}  // namespace

std::string dump(const Json& j, int indent, std::uint64_t* replaced) {
  try {
    return j.dump(indent);
  } catch (const Json::type_error& e) {
    if (e.id != 316) throw;  // 316: invalid UTF-8; anything else is a bug
  }
  Json copy = j;
  std::uint64_t bad = 0;
  make_valid(copy, bad);
  if (replaced != nullptr) *replaced += bad;
  return copy.dump(indent);
}

}  // namespace l4::report
