# re2 for l4: Debian's libre2-dev ships a pkg-config file but no CMake package, so re2 comes
# through pkg-config as the imported target PkgConfig::RE2. Used by the build
# (L4Dependencies.cmake) and installed beside l4Config.cmake, so find_package(l4) finds it the same way.
if(NOT TARGET PkgConfig::RE2)
  find_package(PkgConfig REQUIRED)
  pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)
endif()
