#pragma once
#include <string_view>

namespace l4 {
// The l4 release version, from the CMake project version.
inline constexpr std::string_view version = L4_VERSION;
}  // namespace l4
