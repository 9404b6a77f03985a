#include "l4/format/header_parser.hpp"

#include <nlohmann/json.hpp>

#include "l4/embedded_data.hpp"
#include "l4/error.hpp"

namespace l4::format {

std::vector<KnownFormat> load_known_formats(std::string_view json) {
  if (json.empty()) json = embedded::data("formats.json");
  std::vector<KnownFormat> formats;
  try {
    const auto doc = nlohmann::json::parse(json);
    for (const auto& f : doc.at("formats")) {
      KnownFormat k;
      k.name = f.at("name").get<std::string>();
      k.description = f.value("description", "");
      k.regex = f.at("regex").get<std::string>();
      for (const auto& s : f.value("samples", nlohmann::json::array())) {
        k.samples.push_back({s.at("line").get<std::string>(), s.value("timestamp", ""),
                             s.value("level", ""), s.value("component", ""),
                             s.value("content", "")});
      }
      formats.push_back(std::move(k));
    }
  } catch (const nlohmann::json::exception& e) {
    throw InputError(std::string("malformed formats table: ") + e.what());
  }
  return formats;
}

HeaderParser::HeaderParser() {
  for (const auto& known : load_known_formats()) {
    formats_.push_back(LogFormat::from_regex(known.name, known.regex));
  }
}

HeaderParser::HeaderParser(LogFormat user_format) { formats_.push_back(std::move(user_format)); }

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
