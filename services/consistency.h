// Reading one's own writes across the nodes of a cluster (sociod --store
// etcd; docs/CLUSTER.md). Every answer of a cluster node, error or not,
// carries trailing metadata `socio-consistency-token`: what the node had
// applied of the store of record when it answered, so at least everything
// the call wrote or read. A call that sends that token back in its metadata,
// to any node, is served only once that node has applied as much:
//
//   ConsistencyGate gate({.applied = [&] { return node->applied_revision(); },
//                         .await = [&](int64_t r, absl::Duration t) {
//                           return node->AwaitRevision(r, t); }});
//   absl::Status admitted = gate.Admit(*context);   // before the handler's body
//   ...
//   gate.Stamp(context);                             // after it
//
// The token is opaque to callers (today the etcd revision in decimal): send
// back what an answer carried (of several answers', any one sent back is
// waited for; all of them sent back, the greatest).
// Serve (call_scope.h) applies the gate its Authenticator names to every
// call, after the caller is authenticated, so an unauthenticated call can
// make no node wait. A node without a gate (the embedded store, one process)
// sends no token and ignores one sent: it reads its own writes already.
#ifndef SOCIO_SERVICES_CONSISTENCY_H_
#define SOCIO_SERVICES_CONSISTENCY_H_

#include <cstdint>
#include <functional>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "clients/client_options.h"
#include "grpcpp/server_context.h"

namespace socio::services {

// The metadata key of the token, in requests and in trailing metadata.
using clients::kConsistencyTokenKey;

class ConsistencyGate {
 public:
  struct Options {
    // The revision this node has applied.
    std::function<int64_t()> applied;
    // Returns once the node has applied `revision`, or DEADLINE_EXCEEDED
    // after `timeout`.
    std::function<absl::Status(int64_t revision, absl::Duration timeout)> await;
    // How long a call waits at most when its own deadline is later (or
    // absent); a node that has not caught up by then answers UNAVAILABLE, so
    // the caller may try another.
    absl::Duration max_wait = absl::Seconds(5);
  };
  explicit ConsistencyGate(Options options) : options_(std::move(options)) {}

  // OK at once without a token; with one, once this node has applied what
  // it names (with several, the greatest). INVALID_ARGUMENT naming the
  // metadata key for a token that is not one a node sends; DEADLINE_EXCEEDED
  // when the call's deadline comes first; UNAVAILABLE, saying what this node
  // has applied, after max_wait.
  absl::Status Admit(const grpc::ServerContext& context) const;

  // Adds the token of what this node has applied now to the trailing
  // metadata of `context`'s answer. Call it once, after the handler's body.
  void Stamp(grpc::ServerContext* context) const;

 private:
  const Options options_;
};

}  // namespace socio::services

#endif  // SOCIO_SERVICES_CONSISTENCY_H_
