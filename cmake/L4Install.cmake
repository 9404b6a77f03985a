# `cmake --install build --prefix DIR` installs
#   bin/l4
#   share/man/man1/l4.1                                        one section per command
#   share/bash-completion/completions/l4, share/zsh/site-functions/_l4
#   include/l4/...                                             the public headers
#   lib/libl4.a, lib/cmake/l4/                                 find_package(l4) -> l4::core
#   lib/libl4_simulate.a                                       l4::simulate (the simulator; links l4::core)
# The man page and the completions are generated at build time by the built l4 itself
# (`l4 man`, `l4 completion bash|zsh`) from the CLI11 definition that also prints --help, so the
# three cannot drift apart. tests/install/check_install.sh checks the installed tree.
include(CMakePackageConfigHelpers)

set(L4_GENERATED_SHARE ${CMAKE_CURRENT_BINARY_DIR}/share)
add_custom_command(
  OUTPUT ${L4_GENERATED_SHARE}/l4.1 ${L4_GENERATED_SHARE}/l4.bash ${L4_GENERATED_SHARE}/_l4
  COMMAND ${CMAKE_COMMAND} -E make_directory ${L4_GENERATED_SHARE}
  COMMAND l4 man -o ${L4_GENERATED_SHARE}/l4.1
  COMMAND l4 completion bash -o ${L4_GENERATED_SHARE}/l4.bash
  COMMAND l4 completion zsh -o ${L4_GENERATED_SHARE}/_l4
  DEPENDS l4
  COMMENT "Generating the l4 man page and shell completions from the CLI"
  VERBATIM)
add_custom_target(l4_docs ALL DEPENDS ${L4_GENERATED_SHARE}/l4.1 ${L4_GENERATED_SHARE}/l4.bash ${L4_GENERATED_SHARE}/_l4)

install(TARGETS l4 RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${L4_GENERATED_SHARE}/l4.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${L4_GENERATED_SHARE}/l4.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME l4)
install(FILES ${L4_GENERATED_SHARE}/_l4 DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/site-functions)

set_target_properties(l4_core PROPERTIES EXPORT_NAME core OUTPUT_NAME l4)
set_target_properties(l4_simulate_lib PROPERTIES EXPORT_NAME simulate OUTPUT_NAME l4_simulate)
install(TARGETS l4_core l4_simulate_lib EXPORT l4Targets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/l4 DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

set(L4_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/l4)
install(EXPORT l4Targets NAMESPACE l4:: DESTINATION ${L4_CMAKE_DIR})
set(L4_CORE_PACKAGES_QUOTED "")
foreach(package IN LISTS L4_CORE_PACKAGES)
  string(APPEND L4_CORE_PACKAGES_QUOTED " \"${package}\"")
endforeach()
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/l4Config.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/l4Config.cmake INSTALL_DESTINATION ${L4_CMAKE_DIR})
# 0.x releases: a minor version may break the API.
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/l4ConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/l4Config.cmake ${CMAKE_CURRENT_BINARY_DIR}/l4ConfigVersion.cmake
              ${PROJECT_SOURCE_DIR}/cmake/L4FindRE2.cmake
        DESTINATION ${L4_CMAKE_DIR})
