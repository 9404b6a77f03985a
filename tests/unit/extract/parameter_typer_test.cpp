// ParameterTyper: every type of data/parameter_types.json, the training-stack forms of issue 5,
// overlap resolution and hostile input.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "l4/error.hpp"
#include "l4/extract/parameter_typer.hpp"

using l4::extract::ParameterRole;
using l4::extract::ParameterTyper;
using l4::extract::TypedParameter;

namespace {

const ParameterTyper& typer() {
  static const ParameterTyper t;
  return t;
}

// The parameter of `type` found in `text`, or nullptr.
std::optional<TypedParameter> find_type(std::string_view text, std::string_view type) {
  for (auto& p : typer().find(text)) {
    if (p.type == type) return p;
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("training-stack forms are typed with the right value", "[extract][typer]") {
  struct Case {
    std::string text, type, value;
  };
  const std::vector<Case> cases = {
      {"NCCL WARN NET/IB : Got completion with error 12, opcode 0, len 0, vendor err 129 hca mlx5_10", "hca",
       "mlx5_10"},
      {"NVRM: GPU at PCI:0000:db:00: GPU has fallen off the bus.", "pci_bus_id", "0000:db:00"},
      {"[Rank 3] Watchdog caught collective operation timeout", "rank", "3"},
      {"[rank13]: Traceback (most recent call last):", "rank", "13"},
      {"failed (exitcode: -9) local_rank: 1 (pid: 4242) of binary: /usr/bin/python", "local_rank", "1"},
      {"failed (exitcode: -9) local_rank: 1 (pid: 4242) of binary: /usr/bin/python", "exit_code", "-9"},
      {"NVRM: Xid 79, pid=1234, GPU has fallen off the bus", "xid", "79"},
      {"NVRM: Xid (PCI:0000:3b:00): 79, pid=1234", "xid", "79"},
      {"HCCL error code EI0002: The wait execution of the Notify register times out.", "hccl_error_code",
       "EI0002"},
      {"Device: 3, node: set-zw04-kubernetes-pc133", "gpu", "3"},
      {"Device: 3, node: set-zw04-kubernetes-pc133", "host", "set-zw04-kubernetes-pc133"},
      {"Connection to 10.0.0.5:29500 failed", "ip_port", "10.0.0.5:29500"},
      {"ping 192.168.1.20 unreachable", "ip", "192.168.1.20"},
      {"Failed to get block(s) from worker3:34655", "host_port", "worker3:34655"},
      // A source file with a line number is a code location, not a host and port.
      {"gpu-a030:1869349:1870191 [2] misc/socket.cc:47 NCCL WARN socketProgress", "source_location",
       "misc/socket.cc:47"},
      {"process received SIGKILL", "signal", "SIGKILL"},
      {"Signal 9 (SIGKILL) received by PID 77", "signal", "9"},
      {"connect() failed: errno: 111", "errno", "111"},
      {"socket error ECONNREFUSED", "errno", "ECONNREFUSED"},
      {"httpCode is 404. requestEntity's type is GET", "http_status", "404"},
      {"RuntimeError: CUDA error: an illegal memory access was encountered", "cuda_error",
       "CUDA error: an illegal memory access was encountered"},
      {"got cudaErrorLaunchFailure from kernel", "cuda_error", "cudaErrorLaunchFailure"},
      {"NCCL communicator was aborted: ncclInternalError: Internal check failed", "nccl_error",
       "ncclInternalError"},
      {"saving checkpoint to /mnt/ckpt/step_1200/model.pt failed", "path", "/mnt/ckpt/step_1200/model.pt"},
      {"reading hdfs://master3:9000/user/root/in", "url", "hdfs://master3:9000/user/root/in"},
      {"Container killed: container_1634281403423_0053_01_000002 on host", "container_id",
       "container_1634281403423_0053_01_000002"},
      {"Submitted application_1634793166808_0019 to ResourceManager", "job_id", "application_1634793166808_0019"},
      {"Abandoning BP-1-172.17.0.2-1:blk_1073742150_1327", "block_id", "BP-1-172.17.0.2-1:blk_1073742150_1327"},
      {"Received blk_1073742150_1327 of size 42", "block_id", "blk_1073742150_1327"},
      {"trial 123e4567-e89b-12d3-a456-426614174000 died", "uuid", "123e4567-e89b-12d3-a456-426614174000"},
      {"Slow waitForAckedSeqno (threshold=30000ms)", "key_value", "threshold=30000ms"},
      {"Excluding datanode DatanodeInfoWithStorage[172.17.0.5:50010,DS-0d95,DISK]", "bracketed",
       "[172.17.0.5:50010,DS-0d95,DISK]"},
      {"took 66480 ms", "number", "66480"},
  };
  for (const auto& c : cases) {
    INFO(c.text << " -> " << c.type);
    const auto p = find_type(c.text, c.type);
    REQUIRE(p.has_value());
    CHECK(p->value == c.value);
    CHECK(c.text.substr(p->begin, p->end - p->begin) == p->text);
  }
}

TEST_CASE("every type in the table has examples, and each example is typed as its type", "[extract][typer]") {
  const auto& names = typer().type_names();
  const auto& examples = typer().examples();
  REQUIRE(names.size() == examples.size());
  REQUIRE(names.size() >= 20);
  for (std::size_t i = 0; i < names.size(); ++i) {
    REQUIRE_FALSE(examples[i].empty());
    for (const auto& e : examples[i]) {
      INFO(names[i] << ": " << e);
      CHECK(find_type(e, names[i]).has_value());
    }
  }
}

TEST_CASE("type_of names the type of a bare value", "[extract][typer]") {
  CHECK(typer().type_of("mlx5_10") == "hca");
  CHECK(typer().type_of("10.0.0.5:29500") == "ip_port");
  CHECK(typer().type_of("10.0.0.5") == "ip");
  CHECK(typer().type_of("EI0002") == "hccl_error_code");
  CHECK(typer().type_of("SIGSEGV") == "signal");
  CHECK(typer().type_of("0000:db:00.0") == "pci_bus_id");
  CHECK(typer().type_of("/var/log/x.log") == "path");
  CHECK(typer().type_of("container_1634281403423_0053_01_000002") == "container_id");
  CHECK(typer().type_of("42") == "number");
  CHECK_FALSE(typer().type_of("hello world").has_value());
}

TEST_CASE("a specific type wins over the generic key=value it overlaps", "[extract][typer]") {
  const auto params = typer().find("worker failed exitcode: -9 signal: 9 retries=3");
  std::vector<std::string> types;
  for (const auto& p : params) types.push_back(p.type);
  CHECK(types == std::vector<std::string>{"exit_code", "signal", "key_value"});
  CHECK(params[0].text == "exitcode: -9");  // keyed types keep their key in text
  CHECK(params[0].fip_with_key);
  CHECK(params[2].text == "retries=3");
}

TEST_CASE("parameters come back in position order and never overlap", "[extract][typer]") {
  const std::string line =
      "[rank7]: Device: 3, node: gpu-node-12 peer 10.1.2.3:4000 hca mlx5_2 Xid 48 path /a/b/c errno=5 x=1";
  const auto params = typer().find(line);
  REQUIRE(params.size() >= 8);
  for (std::size_t i = 1; i < params.size(); ++i) {
    CHECK(params[i - 1].end <= params[i].begin);
  }
}

TEST_CASE("hostile input: empty, binary and very long lines", "[extract][typer]") {
  CHECK(typer().find("").empty());
  const std::string binary("\xff\xfe\x00\x01 10.0.0.1:80 \x80\x81", 20);
  CHECK(find_type(binary, "ip_port").has_value());
  const std::string long_line(100000, 'a');
  CHECK(typer().find(long_line).empty());
}

TEST_CASE("a table with a bad pattern is rejected with its name", "[extract][typer]") {
  const std::string bad = R"({"types":[{"name":"broken","regex":"(unclosed"}]})";
  CHECK_THROWS_AS(ParameterTyper(bad), l4::InputError);
  try {
    ParameterTyper t(bad);
  } catch (const l4::InputError& e) {
    CHECK(std::string(e.what()).find("broken") != std::string::npos);
  }
  CHECK_THROWS_AS(ParameterTyper("{not json"), l4::InputError);
}

TEST_CASE("an HDFS block's name is one entity: the address inside its pool id is no IP", "[extract][typer]") {
  const auto all = typer().find("Abandoning BP-1183228465-172.17.0.2-1634793146465:blk_1073742118_1295");
  REQUIRE(all.size() == 1);
  CHECK(all[0].type == "block_id");
  CHECK(all[0].value == "BP-1183228465-172.17.0.2-1634793146465:blk_1073742118_1295");
}

TEST_CASE("a bonded RoCE device is an HCA", "[extract][typer]") {
  CHECK(find_type("failed with 110 Connection timed out, on dev mlx5_bond_1:1, curr state INIT", "hca")->value ==
        "mlx5_bond_1");
}

TEST_CASE("a file name with a line number is no host and port", "[extract][typer]") {
  CHECK_FALSE(find_type("misc/socket.cc:47 NCCL WARN socketProgress", "host_port").has_value());
  CHECK_FALSE(find_type("at SparkHadoopWriter.scala:78", "host_port").has_value());
  CHECK(find_type("connect to master3:42213 refused", "host_port")->value == "master3:42213");
}

TEST_CASE("fields: code-style keys with ':', '=' or ' is ', error codes, request context", "[extract][typer]") {
  const auto task = find_type("Task is not exist or dup, taskId is 42", "key_value");
  REQUIRE(task.has_value());
  CHECK(task->text == "taskId is 42");
  CHECK_FALSE(find_type("the Task is gone", "key_value").has_value());  // prose is no field
  CHECK(find_type("ids:[\"id\"] can supported", "key_value")->text == "ids:[\"id\"]");
  CHECK(find_type("param name:name, value:value", "key_value")->text == "name:name");
  CHECK(find_type("x, value:value", "key_value")->text == "value:value");  // generic keys: value, key, type
  const auto code = find_type("internal server error, error code:vapp-00001, error message:x", "error_code");
  REQUIRE(code.has_value());
  CHECK(code->value == "vapp-00001");
  CHECK(code->role == ParameterRole::none);  // an error code labels the fault; it is no FIP on its own
  // Request context is never a FIP, keyed before the value or inside the field.
  for (const auto& p : typer().find("traceid is 61d26ce1, x-request-id:routeid5, userId is 7")) {
    INFO(p.text);
    if (p.text.find("userId") != std::string::npos) {
      CHECK(p.role == ParameterRole::candidate);
    } else {
      CHECK(p.role == ParameterRole::none);
    }
  }
  const std::string line = "requestEntity's url is /v2/url. next";
  const auto path = find_type(line, "path");
  REQUIRE(path.has_value());
  CHECK(path->value == "/v2/url");  // the sentence's full stop is no part of the value
  CHECK(typer().field_key_before(line, line.find("/v2")) == line.find("url is"));
  CHECK(typer().field_key_before(line, line.find("next")) == std::string_view::npos);
}

TEST_CASE("roles come from the table: entities, candidates, and types that are never the FIP", "[extract][typer]") {
  auto role_of = [](const char* text, const char* type) {
    const auto p = find_type(text, type);
    REQUIRE(p.has_value());
    return p->role;
  };
  CHECK(role_of("peer 10.0.0.5:29500", "ip_port") == ParameterRole::entity);
  CHECK(role_of("on GPU 7", "gpu") == ParameterRole::entity);
  CHECK(role_of("exitcode: -9", "exit_code") == ParameterRole::candidate);
  CHECK(role_of("seqno=737", "key_value") == ParameterRole::candidate);
  CHECK(role_of("waited 42 s", "number") == ParameterRole::none);
  CHECK(role_of("at misc/socket.cc:47", "source_location") == ParameterRole::none);
  CHECK(find_type("seqno=737", "key_value")->generic);
  CHECK_FALSE(find_type("peer 10.0.0.5:29500", "ip_port")->generic);
  // An unknown role is an error that names where it is.
  try {
    ParameterTyper bad(R"({"types":[{"name":"a","regex":"a","role":"boss"}]})");
    FAIL("accepted an unknown role");
  } catch (const l4::InputError& e) {
    CHECK(std::string(e.what()).find("/types/0/role") != std::string::npos);
  }
  // No role declared: never the FIP.
  const ParameterTyper plain(R"({"types":[{"name":"word","regex":"\\bzz\\b"}]})");
  const auto found = plain.find("a zz b");
  REQUIRE(found.size() == 1);
  CHECK(found[0].role == ParameterRole::none);
}

TEST_CASE("a failure value written as a sentence states the fault; a field does not", "[extract][typer]") {
  auto states = [](const char* text, const char* type) {
    const auto p = find_type(text, type);
    REQUIRE(p.has_value());
    return p->states_failure;
  };
  // failure_values of the table: a non-zero exit code, an HTTP 4xx/5xx status; statement_sep: " is ".
  CHECK(states("Container killed on request. Exit code is 137", "exit_code"));
  CHECK(states("ResponseEntity return httpCode is 500. requestEntity's type is POST", "http_status"));
  CHECK(states("response code is 400! [url=/x]", "http_status"));
  CHECK_FALSE(states("Final app status: FAILED, exitCode: 10", "exit_code"));  // a field
  CHECK_FALSE(states("failed to send restful request. status code: 404", "http_status"));
  CHECK_FALSE(states("Process finished, exit code is 0", "exit_code"));  // not a failure value
  CHECK_FALSE(states("ResponseEntity return httpCode is 201", "http_status"));
  CHECK_FALSE(states("peer 10.0.0.5:29500 is down", "ip_port"));  // a type without failure values
  // A malformed range is an error naming where it is.
  for (const char* ranges : {"[[5, 1]]", "[[1]]", "[[\"a\", 2]]"}) {
    const std::string table = std::string(R"j({"types":[{"name":"c","regex":"c(\\d+)","failure_values":)j") + ranges + "}]}";
    try {
      ParameterTyper bad(table);
      FAIL("accepted failure_values " << ranges);
    } catch (const l4::InputError& e) {
      CHECK(std::string(e.what()).find("/types/0/failure_values/0") != std::string::npos);
    }
  }
}

TEST_CASE("a value a field key names is shown as the field, key and all", "[extract][typer]") {
  const auto url = find_type("requestEntity's url is https://127.0.0.1:8081/url. requestEntity's header", "url");
  REQUIRE(url.has_value());
  CHECK(url->value == "https://127.0.0.1:8081/url");
  CHECK(url->text == "url is https://127.0.0.1:8081/url");
  const auto path = find_type("upload rejected, targetPath=/data/ckpt/step_100", "path");
  REQUIRE(path.has_value());
  CHECK(path->value == "/data/ckpt/step_100");
  CHECK(path->text == "targetPath=/data/ckpt/step_100");
  // A type whose match shows its text (a path) takes the key before it too.
  const auto named = find_type("requestEntity's url is /path. requestEntity's header", "path");
  REQUIRE(named.has_value());
  CHECK(named->value == "/path");
  CHECK(named->text == "url is /path");
  // No key before it: the value alone.
  const auto bare = find_type("cannot open /data/ckpt/step_100 for reading", "path");
  REQUIRE(bare.has_value());
  CHECK(bare->text == "/data/ckpt/step_100");
}
