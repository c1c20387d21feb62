// A node that campaigns for one duty and holds it until killed: the process
// election_test kills with SIGKILL to see the duty move on.
//
//   election_holder ENDPOINTS KEY NODE TTL_SECONDS
//
// ENDPOINTS: host:port,host:port,... Prints "holding KEY as NODE" on stderr
// once it holds the duty.
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "services/etcd/election.h"
#include "services/etcd/etcd_client.h"

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s ENDPOINTS KEY NODE TTL_SECONDS\n", argv[0]);
    return 2;
  }
  socio::etcd::ClientOptions options;
  options.endpoints = absl::StrSplit(argv[1], ',');
  auto etcd = socio::etcd::EtcdClient::Connect(options);
  if (!etcd.ok()) {
    std::fprintf(stderr, "%s\n", etcd.status().ToString().c_str());
    return 1;
  }
  socio::etcd::Election election(
      etcd->get(), {.key = argv[2], .node = argv[3], .ttl = absl::Seconds(std::atoi(argv[4]))});
  election.Start();
  bool told = false;
  for (;;) {
    if (election.Holding() && !told) {
      std::fprintf(stderr, "holding %s as %s\n", argv[2], argv[3]);
      told = true;
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
}
