#include "command.hpp"

#include <algorithm>

namespace l4::cli {
namespace {
std::vector<CommandSpec>& registry() {
  static std::vector<CommandSpec> commands;
  return commands;
}
}  // namespace

CommandRegistration::CommandRegistration(CommandSpec spec) {
  auto& commands = registry();
  commands.push_back(std::move(spec));
  std::sort(commands.begin(), commands.end(),
            [](const CommandSpec& a, const CommandSpec& b) { return a.name < b.name; });
}

const std::vector<CommandSpec>& registered_commands() { return registry(); }

}  // namespace l4::cli
