#pragma once
// The output shapes of `l4 catalogue list`: the root-cause taxonomy as a tree (text) or as data
// (JSON), each category with what it means, the stage its kind implies and how many signatures it
// has.
#include <string>

#include "l4/diagnose/category_catalog.hpp"
#include "l4/report/json.hpp"

namespace l4::report {

Json catalogue_json(const diagnose::CategoryCatalog& catalog);
std::string catalogue_text(const diagnose::CategoryCatalog& catalog);

}  // namespace l4::report
