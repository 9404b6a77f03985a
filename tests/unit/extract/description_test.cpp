// The named steps of the fine stage (src/extract/description.hpp), each on its own, with the
// embedded lexicon and parameter types.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "extract/description.hpp"
#include "l4/extract/fault_lexicon.hpp"
#include "l4/extract/parameter_typer.hpp"

namespace d = l4::extract::description;
using l4::extract::FaultLexicon;
using l4::extract::ParameterTyper;
using l4::extract::TypedParameter;

namespace {

const FaultLexicon& lexicon() {
  static const FaultLexicon l;
  return l;
}
const ParameterTyper& typer() {
  static const ParameterTyper t;
  return t;
}

// A message taken through the steps up to the one under test.
struct Message {
  std::string content;
  std::vector<std::string_view> template_parameters;
  std::vector<TypedParameter> typed;
  d::ParameterLayout layout;
  std::vector<d::Clause> clauses;

  explicit Message(std::string text, std::vector<std::string> template_params = {}) : content(std::move(text)) {
    for (const auto& p : template_params) {
      const auto at = content.find(p);
      REQUIRE(at != std::string::npos);
      template_parameters.push_back(std::string_view(content).substr(at, p.size()));
    }
    typed = typer().find(content);
    layout = d::locate_parameters(content, template_parameters, typed);
    clauses = d::split_clauses(content, layout, lexicon());
    d::score_clauses(content, layout, lexicon(), d::Weights{}, clauses);
  }
  [[nodiscard]] std::string text(d::Span s) const { return content.substr(s.begin, s.size()); }
  [[nodiscard]] std::vector<std::string> clause_texts() const {
    std::vector<std::string> out;
    for (const auto& c : clauses) out.push_back(text(c.span));
    return out;
  }
  [[nodiscard]] std::string description() const {
    return text(d::pick_description(content, clauses, d::pick_clause(clauses), layout, lexicon()));
  }
  [[nodiscard]] std::string parameter() const {
    const auto chosen = d::pick_clause(clauses);
    const auto desc = d::pick_description(content, clauses, chosen, layout, lexicon());
    const auto i = d::pick_parameter(typed, clauses, chosen, desc, d::Weights{});
    return i < typed.size() ? typed[i].text : std::string();
  }
};

}  // namespace

TEST_CASE("locate_parameters: template values and typed entities, a wrapper glued to its value", "[extract][describe]") {
  const Message m("Excluding datanode DatanodeInfoWithStorage[172.17.0.5:50010,DS-1,DISK] due to null", {"null"});
  // The plain word "null" is an atom (no separator cuts it) but reads as text: no cut.
  CHECK(std::any_of(m.layout.atoms.begin(), m.layout.atoms.end(), [&](auto s) { return m.text(s) == "null"; }));
  CHECK(std::none_of(m.layout.cuts.begin(), m.layout.cuts.end(), [&](auto s) { return m.text(s) == "null"; }));
  // The bracketed tuple's cut starts at the class name glued before it.
  REQUIRE(m.layout.cuts.size() == 1);
  CHECK(m.text(m.layout.cuts[0]) == "DatanodeInfoWithStorage[172.17.0.5:50010,DS-1,DISK]");
  const Message kv("retry later, seqno=737 pending");
  // A key=value cut holds the whole field; its atom too.
  REQUIRE(kv.layout.cuts.size() == 1);
  CHECK(kv.text(kv.layout.cuts[0]) == "seqno=737");
  // A host glued to its address ("master3/", Java's host/ip:port) is part of the value: the
  // description ends before it, never inside the entity.
  const Message host("Failed to connect to master3/172.17.0.2:41337");
  REQUIRE(host.layout.cuts.size() == 1);
  CHECK(host.text(host.layout.cuts[0]) == "master3/172.17.0.2:41337");
  CHECK(host.description() == "Failed to connect");
  CHECK(host.parameter() == "master3/172.17.0.2:41337");
  // A key before its value is not glued: "exit code 2" keeps its key as text.
  const Message key("Process exited with exit code 2");
  REQUIRE(key.layout.cuts.size() == 1);
  CHECK(key.text(key.layout.cuts[0]) == "2");
}

TEST_CASE("split_clauses: the log's separators, never inside a parameter, parentheses nest", "[extract][describe]") {
  const Message m("Failed to send RPC 5 to master3/172.17.0.2:45681: java.io.IOException: Broken pipe");
  CHECK(m.clause_texts() ==
        std::vector<std::string>{"Failed to send RPC 5 to master3/172.17.0.2:45681", "java.io.IOException", "Broken pipe"});
  CHECK(m.clauses[1].separator_before == ": ");
  const Message p("Final app status: FAILED, exitCode: 10, (reason: Uncaught exception: boom)");
  const auto texts = p.clause_texts();
  REQUIRE(texts.size() == 6);
  CHECK(texts[0] == "Final app status");
  CHECK(texts[2] == "exitCode: 10");  // one parameter: its ": " cuts nothing
  CHECK(texts[3] == "reason");
  CHECK_FALSE(p.clauses[0].parenthetical);
  CHECK(p.clauses[3].parenthetical);  // inside "( … )"
  CHECK(p.clauses[5].parenthetical);
  // At one position the longest separator wins: " : " rather than ": ".
  const Message s("Exception encountered while connecting to the server : java.net.SocketTimeoutException: timeout");
  REQUIRE(s.clauses.size() == 3);
  CHECK(s.clauses[1].separator_before == " : ");
  CHECK(d::split_clauses("", {}, lexicon()).empty());
}

TEST_CASE("fault_weight: distinct terms; a field's key names no fault", "[extract][describe]") {
  CHECK(d::fault_weight("Connection refused", lexicon()) == Approx(3.0));
  CHECK(d::fault_weight("failed, failed again", lexicon()) == Approx(3.0));
  CHECK(d::fault_weight("errorCode=00500", lexicon()) == Approx(0.0));
  CHECK(d::fault_weight("exception.id:vdc", lexicon()) == Approx(0.0));
  CHECK(d::fault_weight("error: disk full", lexicon()) > 0);  // "error: " with a space is a label, not a key
}

TEST_CASE("score_clauses: parameters only, class labels, hand-over, nesting and position", "[extract][describe]") {
  const Message params("Final app status: FAILED, exitCode: 10");
  REQUIRE(params.clauses.size() == 3);
  CHECK(params.clauses[2].params_only);  // "exitCode: 10"
  CHECK_FALSE(params.clauses[1].params_only);

  const Message label("Container from a bad node: container_1_2_01_000002 on host: worker3. Exit status: 137. "
                      "Diagnostics: Container killed on request");
  const auto texts = label.clause_texts();
  const auto diag = std::find(texts.begin(), texts.end(), "Diagnostics") - texts.begin();
  REQUIRE(diag + 1 < static_cast<long>(texts.size()));
  CHECK(label.clauses[diag].score <= 0);  // a label says nothing itself
  // It hands its weight on: the clause after it outscores its own fault words.
  const auto& killed = label.clauses[diag + 1];
  CHECK(killed.score > killed.weight - 0.3 * static_cast<double>(diag + 1));

  const Message cause("Executor self-exiting due to : Unable to create executor due to null", {"null"});
  REQUIRE(cause.clauses.size() == 2);
  CHECK(cause.clauses[1].score > cause.clauses[0].score);  // "due to :" points at the cause

  const Message cls("Failed to send RPC 5 to master3/172.17.0.2:45681: java.io.IOException: Broken pipe");
  CHECK(cls.clauses[1].class_label);
  CHECK_FALSE(cls.clauses[0].class_label);
  CHECK(cls.clauses[0].score > cls.clauses[2].score);  // the headline first

  const Message nested("reader timed out (socket timeout)");
  REQUIRE(nested.clauses.size() == 2);
  CHECK(nested.clauses[1].parenthetical);
  CHECK(nested.clauses[1].score < nested.clauses[0].score);
}

TEST_CASE("pick_clause: the highest score, the first of equals, never parameters only", "[extract][describe]") {
  std::vector<d::Clause> clauses(3);
  clauses[0].score = 1.0;
  clauses[1].score = 2.0;
  clauses[2].score = 2.0;
  CHECK(d::pick_clause(clauses) == 1);
  clauses[1].params_only = true;
  CHECK(d::pick_clause(clauses) == 2);
}

TEST_CASE("pick_description: the run with the fault words, stop words and punctuation trimmed", "[extract][describe]") {
  CHECK(Message("Exception in connection from /172.17.0.5:50538").description() == "Exception in connection");
  CHECK(Message("Failed to connect to /172.17.0.2:50010 for block, add to deadNodes and continue").description() ==
        "Failed to connect");
  CHECK(Message("Final app status: FAILED, exitCode: 10").description() == "Final app status: FAILED");
  CHECK(Message("sync run finished,runId:77,state:failed").description() == "state:failed");
  CHECK(Message("Slow ReadProcessor read fields took 48048ms (threshold=30000ms)").description() ==
        "Slow ReadProcessor read fields");
  CHECK(Message("Lost executor(s) 3 on worker1").description() == "Lost executor(s)");
  // A statement filling its clause runs on over a comma into a clause that states a fault too...
  CHECK(Message("jobHisId:9350, param has error, start to update status to fail").description() ==
        "param has error, start to update status to fail");
  // ...but not into one that states none, nor from a description that ends inside its clause.
  CHECK(Message("param has error, start to update status").description() == "param has error");
  CHECK(Message("Failed to connect to /172.17.0.2:50010 for block, peer lost").description() == "Failed to connect");
}

TEST_CASE("pick_parameter: the entity of the description, after it, named before it, or further on", "[extract][describe]") {
  CHECK(Message("Failed to connect to /172.17.0.2:50010 for block, add to deadNodes and continue").parameter() ==
        "/172.17.0.2:50010");
  CHECK(Message("Excluding datanode DatanodeInfoWithStorage[172.17.0.5:50010,DS-1,DISK]").parameter() ==
        "[172.17.0.5:50010,DS-1,DISK]");
  // An entity named before the description is its subject.
  CHECK(Message("Container from a bad node: container_1_2_01_000002 on host: worker3. Exit status: 137. "
                "Diagnostics: Container killed on request")
            .parameter() == "container_1_2_01_000002");
  // A candidate too far after the description (more than two clauses) is not its parameter...
  CHECK(Message("Connection refused, a, b, c, d, retry with seqno=737").parameter().empty());
  // ...an entity is, however far, when none is near; a near one wins over a far one.
  CHECK(Message("CUDA out of memory. Tried to allocate 93.75 GiB (GPU 4; 79.17 GiB total capacity)").parameter() ==
        "GPU 4");
  CHECK(Message("Connection refused, peer 10.0.0.7:29500, a, b, c, node 10.0.0.9:29500").parameter() ==
        "10.0.0.7:29500");
  // Details in parentheses count only when they are entities.
  CHECK(Message("Slow ReadProcessor read fields took 48048ms (threshold=30000ms)").parameter().empty());
  CHECK(Message("Lost connection (peer 10.0.0.7:29500)").parameter() == "10.0.0.7:29500");
  // An error code labels the fault; it is no FIP on its own.
  CHECK(Message("request failed, error code:vapp-00001").parameter().empty());
}

TEST_CASE("split_clauses: a quote is a message of its own, cut only at sentence ends", "[extract][describe]") {
  const Message m("execute db failed; nested exception is Exception: [reason='Failed to read data from socket, the "
                  "socket may have been closed. detail: Connection reset by peer', serverIP=127.0.0.1:8083]");
  const auto texts = m.clause_texts();
  // ", " and ": " inside the quote cut nothing; ". " does.
  CHECK(std::find(texts.begin(), texts.end(), "Failed to read data from socket, the socket may have been closed") !=
        texts.end());
  CHECK(std::find(texts.begin(), texts.end(), "detail: Connection reset by peer") != texts.end());
  const Message call("an error occurred when handle message, error: IndexError('list index out of range')");
  REQUIRE_FALSE(call.clauses.empty());
  const auto& last = call.clauses.back();
  CHECK(call.text(last.span) == "list index out of range");
  CHECK_FALSE(last.parenthetical);  // the quote opened by "('" is no parenthetical detail
  CHECK(last.message.begin > 0);
  CHECK(call.clauses.front().message == d::Span{0, call.content.size()});
}

TEST_CASE("pick_parameter: a description inside a quote takes no parameter from around it", "[extract][describe]") {
  const Message m("Cause: Exception: [errorCode=00500, reason='Sql cannot be null or empty.', clientIP=127.0.0.1.]");
  CHECK(m.description() == "Sql cannot be null or empty");
  CHECK(m.parameter().empty());  // clientIP belongs to the wrapper
  CHECK(Message("reason='Connection refused by 10.0.0.7:29500', retry=3").parameter() == "10.0.0.7:29500");
}

TEST_CASE("a failure value written as a sentence is description text, not a parameter", "[extract][describe]") {
  // locate_parameters: "httpCode is 401" is a statement; the template's <*> inside it cuts nothing.
  const Message m("ResponseEntity return httpCode is 401. requestEntity's type is GET", {"401"});
  REQUIRE(m.layout.statements.size() == 1);
  CHECK(m.text(m.layout.statements[0]) == "httpCode is 401");
  CHECK(std::none_of(m.layout.cuts.begin(), m.layout.cuts.end(), [&](auto s) { return m.text(s) == "401"; }));
  // score_clauses: its clause states a fault (as much as one fault term) and is no parameter-only clause.
  REQUIRE(!m.clauses.empty());
  CHECK_FALSE(m.clauses[0].params_only);
  CHECK(m.clauses[0].weight >= d::Weights{}.statement_weight);
  // pick_description: the statement is a run of its own and wins over the words without fault.
  CHECK(m.description() == "httpCode is 401");
  CHECK(Message("response code is 400! [url=/url4533], [msg=x]").description() == "response code is 400");
  // Not a failure value, or written as a field: a parameter as before.
  CHECK(Message("ResponseEntity return httpCode is 200. requestEntity's type is GET", {"200"}).layout.statements.empty());
  CHECK(Message("Final app status: FAILED, exitCode: 10").layout.statements.empty());
  // pick_parameter: a statement is never the FIP.
  CHECK(Message("response code is 400! [url=/url4533]").parameter() == "url=/url4533");
  CHECK(Message("task ended, exit code is 1").parameter().empty());
}

TEST_CASE("pick_description: a statement runs on over a sentence end into a fault stated in words", "[extract][describe]") {
  CHECK(Message("Container from a bad node: container_1_2 on host: worker3. Diagnostics: Container killed on request. "
                "Exit code is 137")
            .description() == "Container killed on request. Exit code is 137");
  // The next clause names parameters: details, not the statement going on.
  CHECK(Message("Container killed on request. Lost container_1634281403423_0053_01_000002 on worker3").description() ==
        "Container killed on request");
  // A field after the statement stays a parameter, and the FIP.
  const Message field("Final app status: FAILED, exitCode: 10");
  CHECK(field.description() == "Final app status: FAILED");
  CHECK(field.parameter() == "exitCode: 10");
}

TEST_CASE("is_class_label: exception class names only, a colon after them at most", "[extract][describe]") {
  CHECK(d::is_class_label("java.net.ConnectException"));
  CHECK(d::is_class_label("ServiceException  ServiceException:"));
  CHECK(d::is_class_label("torch.OutOfMemoryError"));
  CHECK_FALSE(d::is_class_label("Connection refused"));
  CHECK_FALSE(d::is_class_label("ServiceException error"));
  CHECK_FALSE(d::is_class_label(""));
}

TEST_CASE("score_clauses: an exception class opening a message labels it, as error: does", "[extract][describe]") {
  const Message m("ServiceException: exception.id: vdc; task queue unavailable");
  REQUIRE(m.clauses.size() >= 3);
  CHECK(m.clauses[0].class_label);
  CHECK(m.clauses[0].score <= 0);  // its weight passes on
  CHECK(m.clause_texts()[d::pick_clause(m.clauses)] == "task queue unavailable");
  CHECK(m.description() == "task queue unavailable");
  // In the middle of a message the class is a detail of the headline, no label.
  CHECK(Message("Failed to send RPC to master3/172.17.0.2:45681: java.io.IOException: Broken pipe").description() ==
        "Failed to send RPC");
}

TEST_CASE("read_subjects: a code name that is a word of its clause's prose is text, not a parameter", "[extract][describe]") {
  Message m("projectId may not be null");
  REQUIRE(m.typed.size() == 1);  // "projectId", a code name
  d::read_subjects(m.content, m.clauses, m.typed, m.layout);
  REQUIRE(m.layout.subjects.size() == 1);
  CHECK(m.text(m.layout.subjects[0]) == "projectId");
  CHECK(m.layout.cuts.empty());
  CHECK(m.description() == "projectId may not be null");
  CHECK(m.parameter().empty());  // a parameter inside the description is part of what it says
  // Between words of its clause it is one of them.
  Message inside("cannot get topicInfo for consumer");
  d::read_subjects(inside.content, inside.clauses, inside.typed, inside.layout);
  REQUIRE(inside.layout.subjects.size() == 1);
  CHECK(inside.description() == "cannot get topicInfo for consumer");
  // With no words after it, or after a separator: a parameter as before.
  Message last("cannot get topicInfo");
  d::read_subjects(last.content, last.clauses, last.typed, last.layout);
  CHECK(last.layout.subjects.empty());
  Message alone("failed to start: awaitResult");
  d::read_subjects(alone.content, alone.clauses, alone.typed, alone.layout);
  CHECK(alone.layout.subjects.empty());
  // A field is no code name, even when it opens its clause.
  Message field("ids:[\"id\"] can supported");
  d::read_subjects(field.content, field.clauses, field.typed, field.layout);
  CHECK(field.layout.subjects.empty());
}

TEST_CASE("pick_description: over a sentence end only a failure value stated as a sentence runs on", "[extract][describe]") {
  // The next sentence states a fault in words: the statement ends with its own sentence.
  CHECK(Message("Container killed on request. Peer lost too").description() == "Container killed on request");
  // A comma still continues it.
  CHECK(Message("param has error, start to update status to fail").description() ==
        "param has error, start to update status to fail");
}

TEST_CASE("an object printed with nested fields is one parameter: the description ends before it", "[extract][describe]") {
  const Message m("Error sending result ChunkFetchSuccess[streamChunkId=StreamChunkId[streamId=30,chunkIndex=0],"
                  "buffer=FileSegmentManagedBuffer[file=/tmp/s_0.data,offset=64,length=89]] to /172.17.0.5:40820; "
                  "closing connection");
  CHECK(m.description() == "Error sending result");
  CHECK(m.parameter() == "/172.17.0.5:40820");
}
