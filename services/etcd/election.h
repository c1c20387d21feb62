// Election: among the nodes of a cluster, at most one holds a named duty at
// a time (delivering notifications, sweeping expiries, sending reminders),
// and when its holder dies another takes it over. The holder is whoever
// created the duty's key in etcd, attached to its own lease; the lease is
// kept alive while the node lives, and etcd deletes the key when it
// expires (the node died or lost etcd for longer than `ttl`) or is revoked
// (the node stopped). The others watch for that and try again.
//
//   Election election(etcd, {.key = "socio/duties/delivery", .node = "node-2"});
//   election.Start();
//   while (running) {
//     if (election.Holding()) DeliverSome();  // checked before each unit of work
//     ...
//   }
//   election.Stop();  // hands the duty on at once
//
// Holding() turns false as soon as the holder cannot be sure it still holds
// the key: when a keep-alive has not succeeded for ttl / 2, well before
// etcd lets the lease expire. Between two nodes, then, a duty can pause
// (up to ttl after a holder's death) but not run twice at once, provided
// each unit of work is shorter than ttl / 2.
//
// Thread safety: Start and Stop from one thread; the rest from any.
#ifndef SOCIO_SERVICES_ETCD_ELECTION_H_
#define SOCIO_SERVICES_ETCD_ELECTION_H_

#include <cstdint>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/etcd/etcd_client.h"

namespace socio::etcd {

struct ElectionOptions {
  std::string key;   // the duty's key in etcd
  std::string node;  // this node's name, the key's value while it holds it
  // The lease's time to live (whole seconds, at least 1): how long a dead
  // holder keeps the duty from the others.
  absl::Duration ttl = absl::Seconds(5);
};

class Election {
 public:
  // `etcd` is not owned and must outlive the Election.
  Election(EtcdClient* etcd, ElectionOptions options);
  ~Election();  // stops
  Election(const Election&) = delete;
  Election& operator=(const Election&) = delete;

  // Campaigns in a thread of its own until Stop.
  void Start();
  // Stops campaigning; if holding, revokes the lease so that another node
  // takes the duty over at once.
  void Stop();

  // Whether this node holds the duty now (see the header comment).
  bool Holding() const;
  // Returns once Holding(); DEADLINE_EXCEEDED after `timeout`.
  absl::Status AwaitHolding(absl::Duration timeout) const;

  // The node holding the duty according to etcd ("" if none), for status
  // pages and tests.
  absl::StatusOr<std::string> Holder() const;

 private:
  void Campaign();
  // One term: grants a lease, waits to create the key with it, keeps it
  // alive while it holds; returns when the term ends.
  void Term();
  bool Stopping() const;

  EtcdClient* const etcd_;
  const ElectionOptions options_;
  mutable absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  int64_t lease_ ABSL_GUARDED_BY(mu_) = 0;     // while a term runs
  bool holding_ ABSL_GUARDED_BY(mu_) = false;  // created the key in this term
  absl::Time sure_until_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  std::thread campaigner_;
};

}  // namespace socio::etcd

#endif  // SOCIO_SERVICES_ETCD_ELECTION_H_
