// Must NOT compile in the parse layer (tests/CMakeLists.txt, layers.*): diagnose is above parse, so
// its public headers are not on parse's include path (cmake/L4Layers.cmake).
#include "l4/parse/template_miner.hpp"  // parse's own public header: found
#include "l4/diagnose/diagnoser.hpp"    // a higher layer's public header: "No such file"
