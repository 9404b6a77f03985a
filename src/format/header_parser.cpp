#include "l4/format/header_parser.hpp"

namespace l4::format {

HeaderParser::HeaderParser() { add(load_known_formats()); }

HeaderParser::HeaderParser(LogFormat user_format) { formats_.push_back(std::move(user_format)); }

HeaderParser::HeaderParser(const FormatOptions& options) {
  if (options.log_format) {
    formats_.push_back(LogFormat::from_loghub(*options.log_format));
    return;
  }
  add(options.user_formats);
  add(load_known_formats());
}

void HeaderParser::add(const std::vector<KnownFormat>& formats) {
  for (const auto& known : formats) {
    formats_.push_back(LogFormat::from_regex(known.name, known.regex, parse_level(known.default_level)));
  }
}

Header HeaderParser::split(std::string_view line) const {
  Header header;
  for (const auto& format : formats_) {
    if (format.split(line, header)) return header;
  }
  header.content = line;
  return header;
}

Header HeaderParser::split(std::string_view line, std::size_t& hint) const {
  Header header;
  if (hint < formats_.size() && formats_[hint].split(line, header)) return header;
  for (std::size_t i = 0; i < formats_.size(); ++i) {
    if (i != hint && formats_[i].split(line, header)) {
      hint = i;
      return header;
    }
  }
  header.content = line;
  return header;
}

}  // namespace l4::format
