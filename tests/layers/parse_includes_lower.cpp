// Compiles in the parse layer (the control for the two probes beside it): its own headers, public
// and internal, the public headers of the layers below it, and base's shared internals.
#include "l4/error.hpp"
#include "l4/io/ingestor.hpp"
#include "l4/parse/template_miner.hpp"
#include "parse/masked_lines.hpp"
#include "table/json_table.hpp"
