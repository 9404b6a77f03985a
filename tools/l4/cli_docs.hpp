#pragma once
// The man page and the shell completions of `l4`, rendered from the same CLI11 definition that
// prints --help (every command's description, options, option types and defaults, footer with
// examples), so the three cannot drift apart. The build runs `l4 man` and `l4 completion bash|zsh`
// to generate the installed files (cmake/L4Install.cmake). Hidden commands and options (empty
// CLI11 group) are left out.
#include <CLI/CLI.hpp>

#include <string>

namespace l4::cli {

// l4(1) in roff: NAME, SYNOPSIS, DESCRIPTION, OPTIONS, COMMANDS, then one section per command
// ("L4 DIAGNOSE", with a subsection per nested command such as "l4 history add"), EXAMPLES.
std::string render_man_page(const CLI::App& root, const std::string& version);

// A bash completion script: commands, options, option values ({json,text} sets); everything else
// (paths, option values without a set) falls back to bash's file completion.
std::string render_bash_completion(const CLI::App& root);

// A zsh completion function (#compdef l4) with descriptions for commands and options.
std::string render_zsh_completion(const CLI::App& root);

}  // namespace l4::cli
