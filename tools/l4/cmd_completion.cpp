// `l4 completion bash|zsh` and the hidden `l4 man`: the shell completions and the man page, rendered
// from the CLI definition itself (cli_docs.hpp). The build runs them to generate the installed files.
#include <memory>

#include "cli_docs.hpp"
#include "command.hpp"
#include "l4/version.hpp"
#include "output.hpp"

namespace l4::cli {
namespace {

struct DocArgs {
  std::string shell;
  OutputOptions output;
};

int write(const OutputOptions& output, const std::string& text) {
  OutputStream out(output);
  out.write(text);
  out.finish();
  return 0;
}

const CommandRegistration completion{CommandSpec{
    "completion", "Print a shell completion script for l4 (bash or zsh)", [](CLI::App& sub) {
      auto args = std::make_shared<DocArgs>();
      sub.add_option("shell", args->shell, "Shell to complete in")->required()->check(CLI::IsMember({"bash", "zsh"}));
      add_output_file_option(sub, args->output);
      sub.footer(
          "Installed by `cmake --install` as share/bash-completion/completions/l4 and\n"
          "share/zsh/site-functions/_l4.\n"
          "Examples:\n"
          "  source <(l4 completion bash)                       # this shell only\n"
          "  l4 completion bash > ~/.local/share/bash-completion/completions/l4\n"
          "  l4 completion zsh -o ~/.zfunc/_l4                  # with fpath+=(~/.zfunc)\n"
          "Exit: 0 printed, 2 unknown shell.");
      return [args, app = &sub] {
        const CLI::App& root = *app->get_parent();
        return write(args->output, args->shell == "zsh" ? render_zsh_completion(root) : render_bash_completion(root));
      };
    }}};

// Hidden: the page is installed as man1/l4.1; `l4 man | man -l -` shows it without installing.
const CommandRegistration man{CommandSpec{"man", "Print the l4(1) man page (roff)", [](CLI::App& sub) {
                                            auto args = std::make_shared<DocArgs>();
                                            sub.group("");
                                            add_output_file_option(sub, args->output);
                                            return [args, app = &sub] {
                                              return write(args->output,
                                                           render_man_page(*app->get_parent(), std::string(l4::version)));
                                            };
                                          }}};

}  // namespace
}  // namespace l4::cli
