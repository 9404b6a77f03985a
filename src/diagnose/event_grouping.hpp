#pragma once
// EventGrouper: folds the lines of one incident into one reported event. A failure prints a block
// of lines — the message, the runtime's wrapper around it ("terminate called after throwing ..."),
// a stack-trace header, advice, source code a traceback quotes, a summary repeating its facts —
// and only the statements are events; the rest are listed as their related events. The vocabulary
// (framing lines, traceback frames) is data: data/event_grouping.json.
#include <cstddef>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "diagnose/job_scan.hpp"

namespace l4::diagnose {

class EventGrouper {
 public:
  static constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();

  EventGrouper();                             // the embedded data/event_grouping.json
  explicit EventGrouper(std::string_view json);
  // The one grouper over the embedded data that scanning and diagnosis share (thread-safe).
  static const EventGrouper& embedded();
  ~EventGrouper();
  EventGrouper(EventGrouper&&) noexcept;
  EventGrouper& operator=(EventGrouper&&) noexcept;

  // The line only frames an error stated on another line (a wrapper, a stack-trace header, advice).
  [[nodiscard]] bool framing(std::string_view content) const;
  // The line is a launcher's report that a command it ran failed, naming the command ("Error:
  // failed to run torchrun ... on host, ..., exception: ..."): it frames the error its command
  // printed before it, and is the only statement of the failure when nothing did.
  [[nodiscard]] bool command_report(std::string_view content) const;
  // For each event, whether it only frames another: a framing line, or a command report with a
  // statement before it in its block (the error the command printed).
  [[nodiscard]] std::vector<bool> framing(std::span<const EventStats* const> events) const;
  // A traceback's frame line ('  File "x.py", line 3, in f'): the next line of its stream quotes
  // source code. Returns the frame's function ("f"; "" when the line names none), nullopt for a
  // line that is no frame.
  [[nodiscard]] std::optional<std::string_view> traceback_frame(std::string_view content) const;
  // A launcher or logger may print its own text before every line it relays ("[default0]:",
  // "node-3: ", "[pid 42] "), so a traceback's indentation follows that prefix. For a frame line
  // with such a prefix ('[pid 42]   File "x.py", line 3, in f'), the prefix's length; 0 for a line
  // that is no frame or has none.
  [[nodiscard]] std::size_t frame_prefix(std::string_view content) const;

  // A separator between the exceptions of one chain (data/event_grouping.json "chain_separators"):
  // what follows it, up to the exception the chain ends with, reports the same failure.
  [[nodiscard]] bool chain_separator(std::string_view content) const;
  // The line up to where it opens a list of possible causes (data/event_grouping.json "hedges").
  [[nodiscard]] std::string_view before_hedge(std::string_view content) const;
  // How many lines apart (in one file) two lines may be to belong to one block (one incident).
  [[nodiscard]] std::size_t block_lines() const;
  // For each event, the index of the event whose statement it belongs to: itself when it states
  // something of its own, another event of its block when it frames or restates that one, kNone
  // when it is quoted source code with no statement near it.
  [[nodiscard]] std::vector<std::size_t> representatives(std::span<const EventStats* const> events) const;

 private:
  // What an event's line is to its block: a statement, a line framing another, quoted source code.
  enum class Kind : unsigned char { statement, framing, code };
  [[nodiscard]] std::vector<Kind> kinds(std::span<const EventStats* const> events) const;

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace l4::diagnose
