#include <catch2/catch.hpp>

#include "l4/error.hpp"
#include "l4/format/header_parser.hpp"

using namespace l4::format;

TEST_CASE("every sample line in data/formats.json splits as documented", "[format]") {
  const auto known = load_known_formats();
  REQUIRE(known.size() >= 8);
  HeaderParser parser;
  for (const auto& format : known) {
    REQUIRE_FALSE(format.samples.empty());
    for (const auto& sample : format.samples) {
      INFO(format.name << ": " << sample.line);
      const Header h = parser.split(sample.line);
      CHECK(h.format == format.name);
      CHECK(h.timestamp == sample.timestamp);
      CHECK(h.level_text == sample.level);
      CHECK(h.component == sample.component);
      CHECK(h.content == sample.content);
      if (!sample.severity.empty()) CHECK(h.level == parse_level(sample.severity));
    }
  }
}

TEST_CASE("a shell's report under its own name is an error, a warning when it says so", "[format]") {
  HeaderParser parser;
  // bash error.c (error_prolog, internal_warning), builtins' builtin_error; dash error.c exvwarning2.
  for (const auto* line : {"/bin/bash: line 1: export: `=x': not a valid identifier", "bash: UID: readonly variable",
                           "/bin/sh: 1: torchrun: not found", "sh: 3: cd: can't cd to /data",
                           "./launch.sh: line 9: 4411 Killed                  python train.py"}) {
    INFO(line);
    CHECK(parser.split(line).level == Level::error);
  }
  CHECK(parser.split("bash: warning: setlocale: LC_ALL: cannot change locale (C.UTF-8)").level == Level::warn);
  // Not a shell's name, or a script name without the line number a non-interactive shell prints.
  CHECK(parser.split("ssh: connect to host gpu-a01 port 22: Connection refused").level == Level::unknown);
  CHECK(parser.split("train.sh: starting").level == Level::unknown);
}

TEST_CASE("levels are normalised across stacks", "[format]") {
  CHECK(parse_level("E") == Level::error);
  CHECK(parse_level("WARNING") == Level::warn);
  CHECK(parse_level("warn") == Level::warn);
  CHECK(parse_level("CRITICAL") == Level::fatal);
  CHECK(parse_level("[INFO]") == Level::info);
  CHECK(parse_level("hello") == Level::unknown);
}

TEST_CASE("a line no format matches keeps the whole line as content", "[format]") {
  HeaderParser parser;
  const Header h = parser.split("  File \"train.py\", line 12, in <module>");
  CHECK(h.format.empty());
  CHECK(h.content == "  File \"train.py\", line 12, in <module>");
  CHECK(h.level == Level::unknown);
}

TEST_CASE("Loghub-style format strings split lines into named fields", "[format]") {
  auto hdfs = LogFormat::from_loghub("<Date> <Time> <Pid> <Level> <Component>: <Content>");
  Header h;
  REQUIRE(hdfs.split("081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_38865049064139660 terminating", h));
  CHECK(h.timestamp == "081109 203615");
  CHECK(h.level == Level::info);
  CHECK(h.component == "dfs.DataNode$PacketResponder");
  CHECK(h.content == "PacketResponder 1 for block blk_38865049064139660 terminating");

  auto apache = LogFormat::from_loghub("\\[<Time>\\] \\[<Level>\\] <Content>");
  REQUIRE(apache.split("[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok /etc/httpd/conf/workers2.properties", h));
  CHECK(h.level == Level::notice);
  CHECK(h.content == "workerEnv.init() ok /etc/httpd/conf/workers2.properties");

  auto zk = LogFormat::from_loghub("<Date> <Time> - <Level>  \\[<Node>:<Component>@<Id>\\] - <Content>");
  std::vector<std::string_view> values;
  REQUIRE(zk.split_fields("2015-07-29 17:41:44,747 - INFO  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:FastLeaderElection@774] - Notification time out: 3200", values));
  REQUIRE(values.size() == 7);
  CHECK(values[3] == "QuorumPeer[myid=1]/0");
  CHECK(values[6] == "Notification time out: 3200");

  // Optional groups are regex syntax, as in Loghub's own parser.
  auto linux_fmt = LogFormat::from_loghub("<Month> <Date> <Time> <Level> <Component>(\\[<PID>\\])?: <Content>");
  REQUIRE(linux_fmt.split("Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; logname=", h));
  CHECK(h.content == "authentication failure; logname=");
  REQUIRE(linux_fmt.split("Jun 14 15:16:02 combo kernel: Linux version 2.6.5", h));
  CHECK(h.component == "kernel");

  CHECK_FALSE(hdfs.split("not a matching line", h));
  CHECK_THROWS_AS(LogFormat::from_loghub("<Date> <Time>"), l4::InputError);
  CHECK_THROWS_AS(LogFormat::from_loghub("<Date> (<Content>"), l4::InputError);
}

TEST_CASE("the format hint follows the stream and gives the same result", "[format]") {
  HeaderParser parser;
  std::size_t hint = 0;
  for (const auto& format : load_known_formats()) {
    for (const auto& sample : format.samples) {
      const Header with_hint = parser.split(sample.line, hint);
      const Header without = parser.split(sample.line);
      CHECK(with_hint.format == without.format);
      CHECK(with_hint.content == without.content);
      CHECK(parser.formats()[hint].name() == format.name);
    }
  }
}
