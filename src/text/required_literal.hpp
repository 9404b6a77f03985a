#pragma once
// required_literal: a piece of plain text that every match of a regular expression contains, so
// that a line without it is known not to match before a regex engine runs. A pattern run over
// every line of a job (a C/C++ library's error-return trace, which few lines are) costs a DFA pass
// over all of the text; a memmem for its required literal costs a fraction of that.
//
// The analysis is conservative: it reads RE2 syntax at the top level of the pattern only (a group,
// a class, an escape class such as \d or \b, '.', '^' and '$' end a literal run; a character a
// quantifier may repeat zero times is left out) and gives up ("") on a top-level alternation and
// on flags ("(?i)": matching would no longer be byte for byte). "" means: no filter, run the regex.
#include <string>
#include <string_view>

namespace l4::text {

// The longest literal every match of `pattern` (RE2 syntax, case-sensitive) contains; "" if none
// is found.
std::string required_literal(std::string_view pattern);

// Whether `text` contains `literal` (true for an empty literal).
bool contains_literal(std::string_view text, std::string_view literal);

}  // namespace l4::text
