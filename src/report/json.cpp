#include "l4/report/json.hpp"

namespace l4::report {

std::string dump(const Json& j, int indent) { return j.dump(indent, ' ', false, Json::error_handler_t::replace); }

}  // namespace l4::report
