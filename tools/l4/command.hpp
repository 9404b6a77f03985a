#pragma once
// How a subcommand plugs into the `l4` executable: each tools/l4/cmd_<name>.cpp defines one static
// CommandRegistration. main.cpp builds the CLI from the registry, so adding a command touches no
// other file.
#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

namespace l4::cli {

// Runs the command after parsing; returns the process exit code (see l4::ExitCode).
using Runner = std::function<int()>;
// Adds the command's options to its CLI11 subcommand and returns the runner that will use them.
using Setup = std::function<Runner(CLI::App& sub)>;

struct CommandSpec {
  std::string name;
  std::string description;
  Setup setup;
};

// Registers a subcommand at static-initialization time.
struct CommandRegistration {
  explicit CommandRegistration(CommandSpec spec);
};

// All registered commands, sorted by name.
const std::vector<CommandSpec>& registered_commands();

}  // namespace l4::cli
