#pragma once
// The report contract of `l4 diagnose` (documented in README.md, "Report contract") and its short
// readable text form.
#include <string>

#include "l4/diagnose/diagnosis.hpp"
#include "l4/report/json.hpp"

namespace l4::report {

Json to_json(const diagnose::Diagnosis& diagnosis);
// A moment as the report writes it: {"iso": "2024-02-09T22:46:06.667" | null, "offset_s": 2458.2},
// null when the logs do not place it.
Json to_json(const diagnose::Moment& moment);
// A moment for people: its ISO-8601 time where the logs give a date, else job-relative
// ("+00:40:58.123"); "" when not placed.
std::string moment_text(const diagnose::Moment& moment);
// The verdict in one paragraph: what, where (node and ranks), when, the first evidence by
// file:line; for a job that completed, the lines that say so.
std::string summary(const diagnose::Diagnosis& diagnosis);
// A few lines for people: verdict, where and when, the evidence with file:line, parameters.
std::string render_text(const diagnose::Diagnosis& diagnosis, bool colour = false);

}  // namespace l4::report
