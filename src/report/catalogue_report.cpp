#include "l4/report/catalogue_report.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace l4::report {

Json catalogue_json(const diagnose::CategoryCatalog& catalog) {
  Json out = Json::array();
  for (const auto& c : catalog.categories()) {
    const auto stage = catalog.stage(c);
    out.push_back({{"category", c},
                   {"about", catalog.about(c)},
                   {"stage", stage ? Json(diagnose::to_string(*stage)) : Json(nullptr)},
                   {"signatures", catalog.signature_count(c)}});
  }
  return out;
}

std::string catalogue_text(const diagnose::CategoryCatalog& catalog) {
  std::string out;
  auto it = std::back_inserter(out);
  for (const auto& c : catalog.categories()) {
    const auto depth = static_cast<std::size_t>(std::count(c.begin(), c.end(), '/'));
    const auto n = catalog.signature_count(c);
    fmt::format_to(it, "{}{}{}  {}\n", std::string(2 * depth, ' '), c,
                   n > 0 ? fmt::format(" ({} signature{})", n, n == 1 ? "" : "s") : "", catalog.about(c));
  }
  return out;
}

}  // namespace l4::report
