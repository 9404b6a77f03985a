# The library's layers as build targets (docs/architecture.md draws them):
#
#   base ─ io ─ format ─ parse ─ extract ─ pipeline ─ diagnose ─ history ─ report      simulate (diagnose: Stage)
#
# l4_layer(NAME [DEPENDS layers...] [LIBS external targets...] [SOURCES extra sources...]) makes
# the OBJECT library l4_NAME from src/NAME/*.cpp. It sees only
#   - its own public headers, include/l4/NAME/ (and the entry header include/l4/NAME.hpp),
#   - its own private headers, src/NAME/ (included as "NAME/x.hpp"),
#   - and what the layers it DEPENDS on export (their public headers; base also exports the
#     shared internals src/table/, src/text/ and src/support/),
# through include roots of its own under the build tree (symbolic links to the source tree), never
# through include/ or src/ as a whole. So a lower layer that includes a higher one's header does
# not compile: `#include "l4/diagnose/diagnoser.hpp"` or `"diagnose/analysis.hpp"` in src/parse/
# is "No such file" (tests/layers/ checks this on every test run).
#
# The objects of the product layers form one static library, l4_core (installed as libl4.a,
# exported as l4::core); the simulator's form l4_simulate (libl4_simulate.a, l4::simulate), which
# is not part of the product library.
set(L4_LAYER_ROOT ${PROJECT_BINARY_DIR}/layers)

function(l4_link_into link target)
  if(NOT EXISTS ${link} AND NOT IS_SYMLINK ${link})
    get_filename_component(dir ${link} DIRECTORY)
    file(MAKE_DIRECTORY ${dir})
    file(CREATE_LINK ${target} ${link} SYMBOLIC)
  endif()
endfunction()

function(l4_layer name)
  cmake_parse_arguments(L "" "" "DEPENDS;LIBS;SOURCES" ${ARGN})
  set(public_root ${L4_LAYER_ROOT}/${name}/include)
  set(private_root ${L4_LAYER_ROOT}/${name}/src)
  if(EXISTS ${PROJECT_SOURCE_DIR}/include/l4/${name})
    l4_link_into(${public_root}/l4/${name} ${PROJECT_SOURCE_DIR}/include/l4/${name})
  endif()
  if(EXISTS ${PROJECT_SOURCE_DIR}/include/l4/${name}.hpp)
    l4_link_into(${public_root}/l4/${name}.hpp ${PROJECT_SOURCE_DIR}/include/l4/${name}.hpp)
  endif()
  file(MAKE_DIRECTORY ${public_root})
  l4_link_into(${private_root}/${name} ${PROJECT_SOURCE_DIR}/src/${name})

  file(GLOB sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/src/${name}/*.cpp)
  add_library(l4_${name} OBJECT ${sources} ${L_SOURCES})
  target_include_directories(l4_${name} PUBLIC $<BUILD_INTERFACE:${public_root}> PRIVATE ${private_root})
  # the include roots the layer compiles with (its own and, transitively, its dependencies'
  # public ones): tests/layers/ compiles probes with exactly these
  set(roots ${public_root})
  foreach(dep IN LISTS L_DEPENDS)
    get_property(dep_roots GLOBAL PROPERTY L4_LAYER_ROOTS_${dep})
    list(APPEND roots ${dep_roots})
  endforeach()
  list(REMOVE_DUPLICATES roots)
  set_property(GLOBAL PROPERTY L4_LAYER_ROOTS_${name} ${roots})
  set_property(GLOBAL PROPERTY L4_LAYER_PRIVATE_ROOT_${name} ${private_root})
  list(TRANSFORM L_DEPENDS PREPEND l4_)
  target_link_libraries(l4_${name} PUBLIC ${L_DEPENDS} PRIVATE ${L_LIBS})
  l4_set_warnings(l4_${name})
endfunction()

# base: the error types, the version, the embedded data tables, and the internals every layer
# shares (src/table: JSON tables validated on load; src/text: character classes and text scans;
# src/support: the threads' fork-join).
set(base_root ${L4_LAYER_ROOT}/base)
foreach(header error.hpp version.hpp embedded_data.hpp)
  l4_link_into(${base_root}/include/l4/${header} ${PROJECT_SOURCE_DIR}/include/l4/${header})
endforeach()
foreach(shared table text support)
  l4_link_into(${base_root}/shared/${shared} ${PROJECT_SOURCE_DIR}/src/${shared})
endforeach()
file(GLOB base_sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/src/table/*.cpp ${PROJECT_SOURCE_DIR}/src/text/*.cpp)
add_library(l4_base OBJECT ${base_sources} ${L4_EMBEDDED_SOURCE})
target_include_directories(l4_base PUBLIC $<BUILD_INTERFACE:${base_root}/include> $<BUILD_INTERFACE:${base_root}/shared>)
target_link_libraries(l4_base PUBLIC fmt::fmt nlohmann_json::nlohmann_json spdlog::spdlog)
target_compile_definitions(l4_base PUBLIC L4_VERSION="${PROJECT_VERSION}")
l4_set_warnings(l4_base)
set_property(GLOBAL PROPERTY L4_LAYER_ROOTS_base ${base_root}/include ${base_root}/shared)

l4_layer(io DEPENDS base LIBS ZLIB::ZLIB Threads::Threads)
l4_layer(format DEPENDS base)
l4_layer(parse DEPENDS io base LIBS PkgConfig::RE2 Threads::Threads)
l4_layer(extract DEPENDS parse format base LIBS PkgConfig::RE2)
l4_layer(pipeline DEPENDS extract parse format io base LIBS Threads::Threads)
l4_layer(diagnose DEPENDS pipeline extract parse format io base LIBS PkgConfig::RE2 Threads::Threads)
l4_layer(history DEPENDS diagnose base LIBS SQLite::SQLite3)
l4_layer(report DEPENDS history diagnose extract parse format io base)
l4_layer(simulate DEPENDS diagnose base)  # diagnose: Stage, the vocabulary of its truth

set(L4_PRODUCT_LAYERS base io format parse extract pipeline diagnose history report)
set(core_objects "")
foreach(layer IN LISTS L4_PRODUCT_LAYERS)
  list(APPEND core_objects $<TARGET_OBJECTS:l4_${layer}>)
endforeach()
add_library(l4_core STATIC ${core_objects})
add_library(l4::core ALIAS l4_core)
target_include_directories(l4_core
  PUBLIC $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include> $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
target_link_libraries(l4_core
  PUBLIC fmt::fmt nlohmann_json::nlohmann_json
  PRIVATE spdlog::spdlog PkgConfig::RE2 ZLIB::ZLIB SQLite::SQLite3 Threads::Threads)
target_compile_definitions(l4_core PUBLIC L4_VERSION="${PROJECT_VERSION}")

add_library(l4_simulate_lib STATIC $<TARGET_OBJECTS:l4_simulate>)
add_library(l4::simulate ALIAS l4_simulate_lib)
target_link_libraries(l4_simulate_lib PUBLIC l4_core PRIVATE spdlog::spdlog)
