# l4_embed_data(OUT files...) generates one C++ source defining l4::embedded::data(name), which
# returns the text of data/<name> compiled into the binary. Keeps tables as data, binaries
# self-contained.
function(l4_embed_data out_var)
  set(gen ${CMAKE_CURRENT_BINARY_DIR}/l4_embedded_data.cpp)
  set(body "#include <string_view>\n#include \"l4/embedded_data.hpp\"\nnamespace l4::embedded {\nstd::string_view data([[maybe_unused]] std::string_view name) {\n")
  foreach(f ${ARGN})
    get_filename_component(name ${f} NAME)
    file(READ ${f} content)
    set(body "${body}  if (name == \"${name}\") return R\"l4data(${content})l4data\";\n")
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${f})
  endforeach()
  set(body "${body}  return {};\n}\n}  // namespace l4::embedded\n")
  file(WRITE ${gen}.tmp "${body}")
  file(COPY_FILE ${gen}.tmp ${gen} ONLY_IF_DIFFERENT)
  set(${out_var} ${gen} PARENT_SCOPE)
endfunction()
