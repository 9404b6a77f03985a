#include "cli_docs.hpp"

#include <fmt/format.h>

#include <string_view>
#include <vector>

namespace l4::cli {
namespace {

// A command of the tree with its full name ("l4", "l4 history add").
struct Command {
  std::string path;
  const CLI::App* app = nullptr;
};

bool visible(const CLI::App* app) { return !app->get_group().empty(); }
bool visible(const CLI::Option* opt) { return !opt->get_group().empty(); }

std::vector<const CLI::App*> subcommands(const CLI::App& app) {
  return app.get_subcommands([](const CLI::App* sub) { return visible(sub); });
}

// Every visible command under `app` (itself first), depth first in definition order.
void collect(const CLI::App& app, const std::string& path, std::vector<Command>& out) {
  out.push_back({path, &app});
  for (const auto* sub : subcommands(app)) collect(*sub, path + " " + sub->get_name(), out);
}

std::vector<Command> command_tree(const CLI::App& root) {
  std::vector<Command> out;
  collect(root, "l4", out);
  return out;
}

std::vector<const CLI::Option*> positionals(const CLI::App& app) {
  return app.get_options([](const CLI::Option* o) { return visible(o) && !o->nonpositional(); });
}

// The options a command accepts: its own, then those of the commands above it that unknown
// options fall through to (`l4 diagnose -q`).
std::vector<const CLI::Option*> options_in_scope(const CLI::App& app) {
  auto out = app.get_options([](const CLI::Option* o) { return visible(o) && o->nonpositional(); });
  if (app.get_fallthrough() && app.get_parent() != nullptr) {
    for (const auto* inherited : options_in_scope(*app.get_parent())) {
      bool shadowed = false;
      for (const auto* own : out) shadowed = shadowed || own->check_name(inherited->get_name());
      if (!shadowed) out.push_back(inherited);
    }
  }
  return out;
}

std::vector<std::string> option_names(const CLI::Option& opt) {
  std::vector<std::string> names;
  for (const auto& s : opt.get_snames()) names.push_back("-" + s);
  for (const auto& l : opt.get_lnames()) names.push_back("--" + l);
  return names;
}

bool takes_value(const CLI::Option& opt) { return opt.get_expected_max() != 0; }  // flags expect 0

// The allowed values of an option restricted to a set (CLI11 prints them as TEXT:{json,text}).
std::vector<std::string> choices(const CLI::Option& opt) {
  const std::string type = opt.get_type_name();
  const auto open = type.find(":{");
  if (open == std::string::npos || type.back() != '}') return {};
  std::vector<std::string> out;
  std::string_view set(type.data() + open + 2, type.size() - open - 3);
  while (!set.empty()) {
    const auto comma = set.find(',');
    out.emplace_back(set.substr(0, comma));
    set = comma == std::string_view::npos ? std::string_view() : set.substr(comma + 1);
  }
  return out;
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const auto& i : items) {
    if (!out.empty()) out += sep;
    out += i;
  }
  return out;
}

// --- man page -----------------------------------------------------------------------------------

// Text as roff: backslashes and hyphens escaped (so options copy-paste as typed), and a line that
// starts with a control character kept as text.
std::string roff(std::string_view text) {
  std::string out;
  bool line_start = true;
  for (const char c : text) {
    if (line_start && (c == '.' || c == '\'')) out += "\\&";
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else {
      out += c;
    }
    line_start = c == '\n';
  }
  return out;
}

std::string trim(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

// One option or positional as --help shows it: name, type/default, description.
void man_option(std::string& out, const CLI::Formatter& f, const CLI::Option& opt, bool positional) {
  fmt::format_to(std::back_inserter(out), ".TP\n\\fB{}\\fR{}\n{}\n", roff(f.make_option_name(&opt, positional)),
                 roff(f.make_option_opts(&opt)), roff(trim(f.make_option_desc(&opt))));
}

// A command's description, usage, positionals, options and footer (its examples).
void man_command_body(std::string& out, const CLI::Formatter& f, const Command& c) {
  std::string usage = trim(f.make_usage(c.app, c.path));
  if (usage.rfind("Usage: ", 0) == 0) usage.erase(0, 7);
  fmt::format_to(std::back_inserter(out), "{}\n.PP\n\\fBUsage:\\fR {}\n", roff(c.app->get_description()), roff(usage));
  for (const auto* p : positionals(*c.app)) man_option(out, f, *p, true);
  for (const auto* o : c.app->get_options([](const CLI::Option* o) { return visible(o) && o->nonpositional(); })) {
    man_option(out, f, *o, false);
  }
  const auto footer = trim(c.app->get_footer());
  if (!footer.empty()) fmt::format_to(std::back_inserter(out), ".PP\n.nf\n{}\n.fi\n", roff(footer));
}

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

std::string render_man_page(const CLI::App& root, const std::string& version) {
  const CLI::Formatter f;
  const auto tree = command_tree(root);
  std::string summary = root.get_description();
  if (summary.rfind("l4 - ", 0) == 0) summary.erase(0, 5);
  std::string out;
  auto it = std::back_inserter(out);
  fmt::format_to(it, ".\\\" Generated by `l4 man` from l4's command-line definition; do not edit.\n");
  fmt::format_to(it, ".TH L4 1 \"\" \"l4 {}\" \"User Commands\"\n.nh\n.ad l\n", version);  // no hyphenation
  fmt::format_to(it, ".SH NAME\nl4 \\- {}\n", roff(summary));
  fmt::format_to(it, ".SH SYNOPSIS\n\\fBl4\\fR [\\fIOPTIONS\\fR] \\fICOMMAND\\fR [\\fIARGS\\fR...]\n");
  std::string sentence = summary;
  if (!sentence.empty()) sentence[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(sentence[0])));
  fmt::format_to(it, ".SH DESCRIPTION\n{}.\nEach command is described below as \\fBl4 \\fICOMMAND\\fB \\-\\-help\\fR prints it.\n",
                 roff(sentence));
  fmt::format_to(it, ".SH OPTIONS\n");
  for (const auto* o : root.get_options([](const CLI::Option* o) { return visible(o) && o->nonpositional(); })) {
    man_option(out, f, *o, false);
  }
  fmt::format_to(it, ".SH COMMANDS\n");
  for (std::size_t i = 1; i < tree.size(); ++i) {
    fmt::format_to(it, ".TP\n\\fB{}\\fR\n{}\n", roff(tree[i].path), roff(tree[i].app->get_description()));
  }
  for (std::size_t i = 1; i < tree.size(); ++i) {
    const bool top_level = tree[i].app->get_parent() == &root;
    fmt::format_to(it, ".{} \"{}\"\n", top_level ? "SH" : "SS", roff(top_level ? upper(tree[i].path) : tree[i].path));
    man_command_body(out, f, tree[i]);
  }
  fmt::format_to(it, ".SH EXAMPLES\n.nf\n{}\n.fi\n", roff(trim(root.get_footer())));
  return out;
}

// --- bash ---------------------------------------------------------------------------------------

namespace {

struct BashTables {
  std::vector<std::string> enter;        // "l4:history" patterns: the word enters a subcommand
  std::vector<std::string> value_opts;   // "l4 diagnose:--db" patterns: the next word is a value...
  std::vector<std::string> choice_opts;  // ...and "l4 diagnose:--format": one of a set of values
  std::string choice_cases;              // "l4 diagnose:--format") COMPREPLY=(...) ;;
  std::string word_cases;                // "l4 history") opts=...; words=... ;;
};

BashTables bash_tables(const CLI::App& root) {
  BashTables t;
  for (const auto& c : command_tree(root)) {
    std::vector<std::string> opts, words;  // words: subcommands, or a positional's values
    for (const auto* sub : subcommands(*c.app)) {
      words.push_back(sub->get_name());
      t.enter.push_back(fmt::format("\"{}:{}\"", c.path, sub->get_name()));
    }
    for (const auto* p : positionals(*c.app)) {
      for (auto& value : choices(*p)) words.push_back(std::move(value));  // `l4 completion bash|zsh`
    }
    for (const auto* o : options_in_scope(*c.app)) {
      for (const auto& name : option_names(*o)) {
        opts.push_back(name);
        if (!takes_value(*o)) continue;
        const auto values = choices(*o);
        const auto pattern = fmt::format("\"{}:{}\"", c.path, name);
        if (values.empty()) {
          t.value_opts.push_back(pattern);
        } else {
          t.choice_opts.push_back(pattern);
          fmt::format_to(std::back_inserter(t.choice_cases), "    {}) COMPREPLY=($(compgen -W \"{}\" -- \"$cur\")); return 0 ;;\n",
                         pattern, join(values, " "));
        }
      }
    }
    fmt::format_to(std::back_inserter(t.word_cases), "    \"{}\") opts=\"{}\" words=\"{}\" ;;\n", c.path,
                   join(opts, " "), join(words, " "));
  }
  return t;
}

}  // namespace

std::string render_bash_completion(const CLI::App& root) {
  const auto t = bash_tables(root);
  // Walking the words typed so far, a subcommand name enters it and an option's value is skipped.
  std::vector<std::string> skip = t.value_opts;
  skip.insert(skip.end(), t.choice_opts.begin(), t.choice_opts.end());
  std::string out =
      "# bash completion for l4, generated by `l4 completion bash` from l4's command-line definition.\n"
      "# Load it with: source <(l4 completion bash)\n"
      "_l4() {\n"
      "  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} cmd=l4 i opts words\n"
      "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
      "    case \"$cmd:${COMP_WORDS[i]}\" in\n";
  if (!t.enter.empty()) out += fmt::format("      {}) cmd=\"$cmd ${{COMP_WORDS[i]}}\" ;;\n", join(t.enter, "|"));
  if (!skip.empty()) out += fmt::format("      {}) ((i++)) ;;\n", join(skip, "|"));
  out += "    esac\n  done\n  case \"$cmd:$prev\" in\n" + t.choice_cases;
  // A value without a set (a path, a number): bash's default completion (files).
  if (!t.value_opts.empty()) out += fmt::format("    {}) return 0 ;;\n", join(t.value_opts, "|"));
  out += "  esac\n  case \"$cmd\" in\n" + t.word_cases +
         "  esac\n"
         "  if [[ $cur == -* ]]; then\n"
         "    COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
         "  else\n"
         "    COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
         "  fi\n"
         "}\n"
         "complete -o bashdefault -o default -F _l4 l4\n";
  return out;
}

// --- zsh ----------------------------------------------------------------------------------------

namespace {

// Text inside a single-quoted zsh word.
std::string zsh_quoted(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out;
}

// An _arguments description ([...]): brackets escaped, one line.
std::string zsh_description(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '[' || c == ']') out += '\\';
    out += c == '\n' ? ' ' : c;
  }
  return zsh_quoted(out);
}

std::string zsh_function(const std::string& path) {
  std::string name = "_" + path;
  for (auto& c : name) {
    if (c == ' ' || c == '-') c = '_';
  }
  return name;
}

// One _arguments spec per option: '(-o --output)'{-o,--output}'[description]:output:_files'.
std::string zsh_option_spec(const CLI::Option& o) {
  const auto names = option_names(o);
  // A vector option (--catalog A --catalog B) or a counting flag (-vv) may be given again.
  const bool repeatable = o.get_expected_max() > 1 || o.get_multi_option_policy() == CLI::MultiOptionPolicy::TakeAll;
  std::string spec;
  if (names.size() > 1) {
    spec = repeatable ? "'*'" : fmt::format("'({})'", join(names, " "));
    spec += fmt::format("{{{}}}'", join(names, ","));
  } else {
    spec = repeatable ? "'*" + names.front() : "'" + names.front();
  }
  spec += "[" + zsh_description(o.get_description()) + "]";
  if (takes_value(o)) {
    const auto values = choices(o);
    const std::string label = o.get_lnames().empty() ? "value" : o.get_lnames().front();
    spec += values.empty() ? fmt::format(":{}:_files", label) : fmt::format(":{}:({})", label, join(values, " "));
  }
  return spec + "'";
}

std::string zsh_positional_spec(const CLI::Option& p) {
  const std::string name = zsh_quoted(p.get_name(true));
  if (p.get_expected_max() > 1) return fmt::format("'*:{}:_files'", name);
  const auto values = choices(p);
  return values.empty() ? fmt::format("':{}: '", name) : fmt::format("':{}:({})'", name, join(values, " "));
}

void zsh_command(std::string& out, const Command& c) {
  const auto subs = subcommands(*c.app);
  auto it = std::back_inserter(out);
  fmt::format_to(it, "{}() {{\n", zsh_function(c.path));
  if (!subs.empty()) fmt::format_to(it, "  local curcontext=$curcontext state state_descr line\n  typeset -A opt_args\n");
  fmt::format_to(it, "  _arguments -s{}", subs.empty() ? "" : " -C");
  for (const auto* o : options_in_scope(*c.app)) fmt::format_to(it, " \\\n    {}", zsh_option_spec(*o));
  if (subs.empty()) {
    for (const auto* p : positionals(*c.app)) fmt::format_to(it, " \\\n    {}", zsh_positional_spec(*p));
    out += "\n}\n";
    return;
  }
  out += " \\\n    '1:command:->command' \\\n    '*::argument:->argument'\n";
  out += "  case $state in\n    command)\n      local -a commands\n      commands=(";
  for (const auto* s : subs) {
    fmt::format_to(it, "\n        '{}:{}'", s->get_name(), zsh_quoted(s->get_description()));
  }
  fmt::format_to(it, "\n      )\n      _describe -t commands '{} command' commands ;;\n", c.path);
  out += "    argument)\n      case $line[1] in\n";
  for (const auto* s : subs) {
    fmt::format_to(it, "        {}) {} ;;\n", s->get_name(), zsh_function(c.path + " " + s->get_name()));
  }
  out += "      esac ;;\n  esac\n}\n";
}

}  // namespace

std::string render_zsh_completion(const CLI::App& root) {
  std::string out =
      "#compdef l4\n"
      "# zsh completion for l4, generated by `l4 completion zsh` from l4's command-line definition.\n"
      "# Install it as _l4 in a directory of $fpath.\n";
  for (const auto& c : command_tree(root)) zsh_command(out, c);
  out += "_l4 \"$@\"\n";
  return out;
}

}  // namespace l4::cli
