#pragma once
// l4/report.hpp — Reports: the JSON contract and the text and HTML renderings of every command's result — the
// only place that knows output shapes.
//
//   const l4::report::Json json = l4::report::to_json(diagnosis);
//   const std::string text = l4::report::render_text(diagnosis);
#include "l4/report/catalogue_report.hpp"
#include "l4/report/diagnosis_report.hpp"
#include "l4/report/finding_report.hpp"
#include "l4/report/format_report.hpp"
#include "l4/report/history_report.hpp"
#include "l4/report/html_report.hpp"
#include "l4/report/ingest_report.hpp"
#include "l4/report/json.hpp"
#include "l4/report/parse_report.hpp"
