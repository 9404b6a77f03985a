# What `l4 --version` records (cmake/L4BuildInfo.cmake): the commit of a git work tree, "unknown"
# for a source tree without .git — a release tarball, here unpacked inside the build directory,
# i.e. inside another git work tree whose commit must not be taken for its own.
#   cmake -DL4_SOURCE_DIR=... -DWORK_DIR=... -P tests/install/build_info_test.cmake
set(script ${L4_SOURCE_DIR}/cmake/L4BuildInfo.cmake)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR}/tarball)

execute_process(COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${WORK_DIR}/tarball -DOUT=${WORK_DIR}/tarball.cpp
                        -DBUILD_TYPE=Release -P ${script} RESULT_VARIABLE rc)
file(READ ${WORK_DIR}/tarball.cpp text)
if(NOT rc EQUAL 0 OR NOT text MATCHES "build_commit = \"unknown\"" OR NOT text MATCHES "build_type = \"Release\"")
  message(FATAL_ERROR "a tree without .git should say commit unknown, build type Release:\n${text}")
endif()

find_package(Git QUIET)
if(GIT_FOUND AND EXISTS ${L4_SOURCE_DIR}/.git)
  execute_process(COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${L4_SOURCE_DIR} -DOUT=${WORK_DIR}/git.cpp
                          -DBUILD_TYPE=Debug -P ${script} RESULT_VARIABLE rc)
  execute_process(COMMAND ${GIT_EXECUTABLE} -C ${L4_SOURCE_DIR} rev-parse --short=12 HEAD
                  OUTPUT_VARIABLE head OUTPUT_STRIP_TRAILING_WHITESPACE)
  file(READ ${WORK_DIR}/git.cpp text)
  if(NOT rc EQUAL 0 OR NOT text MATCHES "build_commit = \"${head}(-dirty)?\"")
    message(FATAL_ERROR "the git work tree at ${head} should give its commit:\n${text}")
  endif()
  message(STATUS "git work tree: commit ${head}; tree without .git: unknown")
else()
  message(STATUS "tree without .git: unknown (the source is not a git work tree: commit case not checked)")
endif()
