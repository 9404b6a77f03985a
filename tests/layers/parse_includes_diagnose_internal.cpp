// Must NOT compile in the parse layer (tests/CMakeLists.txt, layers.*): src/ is not on any
// layer's include path, only the layer's own src/<layer>/, so diagnose's internals are out of reach.
#include "parse/masked_lines.hpp"       // parse's own internal header: found
#include "diagnose/analysis.hpp"        // a higher layer's internal header: "No such file"
