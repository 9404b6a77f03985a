#include "l4/format/header_parser.hpp"

#include "l4/embedded_data.hpp"
#include "table/json_table.hpp"

namespace l4::format {

std::vector<KnownFormat> load_known_formats(std::string_view json) {
  const bool embedded = json.empty();
  if (embedded) json = embedded::data("formats.json");
  return table::load(json, embedded ? "formats.json" : "formats table", [](const table::Value& doc) {
    doc.keys({"about", "formats"});
    std::vector<KnownFormat> formats;
    for (const auto& f : doc["formats"].items()) {
      f.keys({"name", "description", "regex", "samples"});
      KnownFormat k;
      k.name = f["name"].text();
      if (auto d = f.find("description")) k.description = d->any_text();
      k.regex = f["regex"].pattern();
      if (auto samples = f.find("samples")) {
        for (const auto& s : samples->items()) {
          s.keys({"line", "timestamp", "level", "component", "content"});
          const auto part = [&](std::string_view key) { return s.has(key) ? s[key].any_text() : std::string(); };
          k.samples.push_back({s["line"].text(), part("timestamp"), part("level"), part("component"), part("content")});
        }
      }
      formats.push_back(std::move(k));
    }
    if (formats.empty()) doc["formats"].fail("no formats");
    return formats;
  });
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
