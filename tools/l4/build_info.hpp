#pragma once
// What `l4 --version` says about the build besides the release version: the git commit the binary
// was built from and the CMake build type. Generated at build time (cmake/L4BuildInfo.cmake).
#include <string>
#include <string_view>

namespace l4::cli {

extern const std::string_view build_commit;  // 12 hex digits (+ "-dirty"), or "unknown" without git
extern const std::string_view build_type;    // Release, Debug, RelWithDebInfo, ...

// "l4 0.1.0 (commit 1a2b3c4d5e6f, Release build)".
std::string version_text();

}  // namespace l4::cli
