#include <fmt/format.h>

#include "build_info.hpp"
#include "l4/version.hpp"

namespace l4::cli {

std::string version_text() { return fmt::format("l4 {} (commit {}, {} build)", l4::version, build_commit, build_type); }

}  // namespace l4::cli
