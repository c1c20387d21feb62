// A client of etcd 3.4's v3 API for sociod's cluster mode: reads at a
// revision, compare-and-swap transactions, a watch that resumes by itself,
// and leases. etcd is the store of record there; this client adds no
// replication or caching of its own.
//
//   auto etcd = EtcdClient::Connect({.endpoints = {"10.0.0.1:2379", "10.0.0.2:2379"}});
//   // Create "profiles/p-1" only if it does not exist yet:
//   auto done = (*etcd)->Commit({{"profiles/p-1", 0}}, {{"profiles/p-1", bytes}});
//   if (done.ok() && !done->committed) { /* done->current[0] is what is there */ }
//   auto watch = (*etcd)->Watch("profiles/", done->revision + 1);
//   auto events = watch->Next(absl::Seconds(1));  // in revision order
//
// Thread safety: EtcdClient may be used from many threads at once; one
// WatchStream from one thread at a time.
//
// Failures: every error keeps the gRPC code etcd (or the channel) gave,
// with "etcd: " and what was being done before its message. Reads move on
// to the next endpoint when one is unavailable. A write (Commit) whose call
// fails may still have been applied by the cluster: the error says so, and
// the caller finds out by reading the keys it expected (every write here is
// a compare-and-swap, so applying it twice is impossible). A full database
// (etcd's NOSPACE alarm) is RESOURCE_EXHAUSTED saying what an operator does.
#ifndef SOCIO_SERVICES_ETCD_ETCD_CLIENT_H_
#define SOCIO_SERVICES_ETCD_ETCD_CLIENT_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace socio::etcd {

struct ClientOptions {
  // "host:port" of the cluster's members (their client URLs without the
  // scheme); at least one. Calls go to one member at a time and move to the
  // next when it is unavailable.
  std::vector<std::string> endpoints;
  // Deadline of each unary call.
  absl::Duration call_timeout = absl::Seconds(5);
  // Largest message accepted from etcd. A watch catching up sends all the
  // events of a revision range in one message, without limit (one bulk
  // import was 21 MB): gRPC's 4 MiB default would end the stream.
  int max_receive_bytes = 256 << 20;
};

// A key as etcd stores it.
struct KeyValue {
  std::string key;
  std::string value;
  int64_t create_revision = 0;  // revision of the key's creation; 0: absent
  int64_t mod_revision = 0;     // revision of its last change
  int64_t version = 0;          // changes since its creation, from 1
  int64_t lease = 0;            // the lease it is attached to; 0: none
};

// One page of a range read, at one revision.
struct RangePage {
  std::vector<KeyValue> kvs;  // in key order
  int64_t revision = 0;       // the store's revision the page was read at
  bool more = false;          // keys beyond the limit remain
};

// A condition of a transaction: `key`'s mod_revision equals
// `mod_revision`, where 0 means the key does not exist.
struct Expect {
  std::string key;
  int64_t mod_revision = 0;
};

// A change of a transaction: put `value` (attached to `lease`, 0: none), or
// delete the key when `value` is empty (std::nullopt).
struct Change {
  std::string key;
  std::optional<std::string> value;
  int64_t lease = 0;
};

struct CommitResult {
  bool committed = false;  // every Expect held, and every Change was applied
  // Committed: the revision the changes were written at. Otherwise: the
  // store's revision when the conditions were checked.
  int64_t revision = 0;
  // Not committed: each expected key as it was then, in the order of the
  // Expects (mod_revision 0: absent). Committed: empty.
  std::vector<KeyValue> current;
};

struct WatchEvent {
  enum class Type { kPut, kDelete };
  Type type = Type::kPut;
  // The key after the event; for a delete, its key and, as mod_revision,
  // the revision of the delete. kv.mod_revision is the event's revision.
  KeyValue kv;
};

class WatchStream;
namespace internal {
struct Channels;  // the members' channels and stubs, shared with watches
}  // namespace internal

class EtcdClient {
 public:
  // Opens channels to the endpoints; does not wait for a connection (the
  // first call does). INVALID_ARGUMENT if `options.endpoints` is empty.
  static absl::StatusOr<std::unique_ptr<EtcdClient>> Connect(const ClientOptions& options);
  ~EtcdClient();
  EtcdClient(const EtcdClient&) = delete;
  EtcdClient& operator=(const EtcdClient&) = delete;

  // `key` at `revision` (0: the latest, read linearizably); std::nullopt if
  // absent. OUT_OF_RANGE if `revision` was compacted away.
  absl::StatusOr<std::optional<KeyValue>> Get(absl::string_view key, int64_t revision = 0);

  // Up to `limit` keys (0: all) in [begin, end), at `revision` (0: the
  // latest). For every key with a prefix, end is PrefixEnd(prefix); to read
  // the next page, call again with begin = the last key + '\0' and the
  // page's revision, so that all pages show one revision.
  absl::StatusOr<RangePage> Range(absl::string_view begin, absl::string_view end,
                                  int64_t revision = 0, int64_t limit = 0);

  // One transaction: if every Expect holds, applies every Change at one new
  // revision. A Change's key must appear at most once. See the header
  // comment for a failed call. `timeout`: the call's deadline (zero: the
  // client's call_timeout).
  absl::StatusOr<CommitResult> Commit(const std::vector<Expect>& expects,
                                      const std::vector<Change>& changes,
                                      absl::Duration timeout = absl::ZeroDuration());

  // Drops the history up to `revision` (watches and reads from before it
  // then fail with OUT_OF_RANGE).
  absl::Status Compact(int64_t revision);

  // A lease of `ttl` (whole seconds, at least 1): keys attached to it are
  // deleted when it expires or is revoked. Returns its id.
  absl::StatusOr<int64_t> GrantLease(absl::Duration ttl);
  // Renews the lease once; NOT_FOUND if it has expired.
  absl::Status KeepAlive(int64_t lease);
  absl::Status RevokeLease(int64_t lease);

  // The events of every key with `prefix`, from `start_revision` on.
  std::unique_ptr<WatchStream> Watch(std::string prefix, int64_t start_revision);

  // The first key after every key with `prefix` ("" for "\0": every key).
  static std::string PrefixEnd(absl::string_view prefix);

 private:
  explicit EtcdClient(std::shared_ptr<internal::Channels> channels);
  const std::shared_ptr<internal::Channels> channels_;
};

// A watch of one prefix. Events come in revision order, each once; when
// the member serving it goes away the stream reconnects (to the next
// endpoint) from the revision after the last event it returned, so none is
// lost or repeated.
class WatchStream {
 public:
  ~WatchStream();  // cancels the watch
  WatchStream(const WatchStream&) = delete;
  WatchStream& operator=(const WatchStream&) = delete;

  // The next events, waiting up to `timeout` for some (an empty vector:
  // none came). OUT_OF_RANGE when the revision to watch from was compacted:
  // compact_revision() is then the oldest revision still held, and the
  // caller reads everything at a revision and watches anew from the next.
  // Any other error ends the stream only if etcd refused the watch itself.
  // With `complete_through`, it also receives the revision up to which
  // every event has now been returned (by this call or earlier ones): the
  // last event's, or further where etcd said it had sent everything up to a
  // later revision (RequestProgress).
  absl::StatusOr<std::vector<WatchEvent>> Next(absl::Duration timeout,
                                               int64_t* complete_through = nullptr);

  // Asks etcd to say how far the watch has been sent: once the member
  // answers (soon, if the watch is not catching up), next_revision() is
  // past etcd's revision at the time of the request, events or not. No-op
  // while the stream reconnects.
  void RequestProgress();

  // The oldest revision etcd still holds, after Next said OUT_OF_RANGE.
  int64_t compact_revision() const;
  // The revision from which the stream would resume now.
  int64_t next_revision() const;

 private:
  friend class EtcdClient;
  struct State;
  explicit WatchStream(std::shared_ptr<State> state);
  const std::shared_ptr<State> state_;
};

}  // namespace socio::etcd

#endif  // SOCIO_SERVICES_ETCD_ETCD_CLIENT_H_
