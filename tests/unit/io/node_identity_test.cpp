#include <catch2/catch.hpp>

#include "l4/io/node_identity.hpp"

using namespace l4::io;

TEST_CASE("node ids come from the path relative to the job root", "[io][node]") {
  CHECK(node_from_path("node-03.log") == "node-03");
  CHECK(node_from_path("worker-7/stdout.log") == "worker-7");
  CHECK(node_from_path("rank_12.log") == "rank_12");
  CHECK(node_from_path("gpu-a17.log.gz") == "gpu-a17");
  CHECK(node_from_path("logs/node-03/rank_5.log") == "node-03");
  CHECK(node_from_path("trainer/stderr.txt") == "trainer");
  CHECK(node_from_path("master.log.1") == "master");
  CHECK(node_from_path("stdout.log") == "stdout");
}

TEST_CASE("launcher prefixes are recognised and peeled outermost first", "[io][node]") {
  SECTION("torchrun rank and default forms") {
    auto p = parse_launcher_prefix("[rank3]:[E321 02:07:08.408 x.cpp:1] boom", false);
    REQUIRE(p);
    CHECK(p->rule == NodeRule::torchrun);
    CHECK(p->rank == 3);
    CHECK(p->length == 8);
    auto d = parse_launcher_prefix("[default12]:hello", false);
    REQUIRE(d);
    CHECK(d->rank == 12);
    CHECK(node_from_prefix(*d) == "rank12");
  }
  SECTION("pdsh host and IP forms need the ambiguous forms enabled") {
    CHECK_FALSE(parse_launcher_prefix("worker-3: hello", false));
    auto p = parse_launcher_prefix("worker-3: [rank13]:hello", true);
    REQUIRE(p);
    CHECK(p->rule == NodeRule::pdsh);
    CHECK(p->host == "worker-3");
    CHECK(p->rank == 13);
    CHECK(std::string_view("worker-3: [rank13]:hello").substr(p->length) == "hello");
    auto ip = parse_launcher_prefix("10.0.0.5: NCCL INFO x", true);
    REQUIRE(ip);
    CHECK(ip->host == "10.0.0.5");
  }
  SECTION("srun -l task labels") {
    auto p = parse_launcher_prefix("11: iteration 5", true);
    REQUIRE(p);
    CHECK(p->rule == NodeRule::slurm);
    CHECK(p->rank == 11);
    CHECK(node_from_prefix(*p) == "rank11");
  }
  SECTION("OpenMPI tag-output") {
    auto p = parse_launcher_prefix("[1,7]<stderr>:Traceback", false);
    REQUIRE(p);
    CHECK(p->rule == NodeRule::openmpi);
    CHECK(p->rank == 7);
    // horovodrun's tag holds the rank alone; both launchers can stamp each line with ctime's form.
    auto h = parse_launcher_prefix("[13]<stderr>:terminate called", false);
    REQUIRE(h);
    CHECK(h->rank == 13);
    CHECK(std::string_view("[13]<stderr>:terminate called").substr(h->length) == "terminate called");
    const std::string_view stamped = "Tue Mar 19 04:12:08 2024[1,3]<stdout>:gpu-t401:712044 NCCL WARN x";
    auto t = parse_launcher_prefix(stamped, false);
    REQUIRE(t);
    CHECK(t->rule == NodeRule::openmpi);
    CHECK(t->rank == 3);
    CHECK(stamped.substr(t->length) == "gpu-t401:712044 NCCL WARN x");
    auto day = parse_launcher_prefix("Wed Mar  5 14:37:19 2025[7]<stderr>:boom", false);
    REQUIRE(day);
    CHECK(day->rank == 7);
    CHECK_FALSE(parse_launcher_prefix("Tue Mar 19 04:12:08 2024 plain text", true));
    CHECK_FALSE(parse_launcher_prefix("[13] not a tag", true));
  }
  SECTION("ordinary text is not a prefix") {
    CHECK_FALSE(parse_launcher_prefix("Traceback: most recent call last", true));
    CHECK_FALSE(parse_launcher_prefix("12:34:56 INFO start", true));
    CHECK_FALSE(parse_launcher_prefix("[2023-06-02 00:34:14,470] [INFO] x", true));
    CHECK_FALSE(parse_launcher_prefix("[rank3] missing colon", true));
  }
}

TEST_CASE("node ids sort naturally", "[io][node]") {
  CHECK(natural_less("node-2", "node-10"));
  CHECK_FALSE(natural_less("node-10", "node-2"));
  CHECK(natural_less("a", "b"));
  CHECK(natural_less("node-02", "node-3"));
  CHECK_FALSE(natural_less("x", "x"));
}

TEST_CASE("Ray's and host:rank labels name processes, and hosts where they say them", "[io][node]") {
  using l4::io::parse_launcher_prefix;
  auto ray = parse_launcher_prefix("(WorkerDict pid=44152) torch.OutOfMemoryError: CUDA out of memory", false);
  REQUIRE(ray);
  CHECK(ray->rule == l4::io::NodeRule::ray);
  CHECK_FALSE(ray->names_host());
  CHECK(ray->length == std::string("(WorkerDict pid=44152) ").size());
  auto remote = parse_launcher_prefix("(TaskRunner pid=7, ip=10.0.0.5) RuntimeError: boom", false);
  REQUIRE(remote);
  CHECK(remote->host == "10.0.0.5");
  CHECK(parse_launcher_prefix("(raylet) A worker died or was killed", false));
  CHECK_FALSE(parse_launcher_prefix("(most recent call last):", false));
  CHECK_FALSE(parse_launcher_prefix("(see above) something", false));
  auto labelled = parse_launcher_prefix("[gpu-a07:3]:  File \"train.py\", line 9", false);
  REQUIRE(labelled);
  CHECK(labelled->rule == l4::io::NodeRule::host_rank);
  CHECK(labelled->host == "gpu-a07");
  CHECK(labelled->rank == 3);
  CHECK_FALSE(parse_launcher_prefix("[12:34]: not a host", false));
}
