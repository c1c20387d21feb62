// MatchPolicyStore: each chamber's match policy (the factor weights its
// members' matches are ranked with), kept durably in the "match_policies"
// column family of a shared Database, keyed by chamber id.
//
//   absl::StatusOr<std::shared_ptr<Database>> db = Database::Open(dir, {});
//   absl::StatusOr<std::unique_ptr<MatchPolicyStore>> policies =
//       MatchPolicyStore::Open(*db, {});
//   absl::StatusOr<socio::v1::MatchPolicy> stored =
//       (*policies)->Put(policy, /*expected_version=*/0);
//   // stored->version() == 1 for a chamber's first policy
//
// A chamber that never set a policy has none stored: Get returns NOT_FOUND
// and the caller uses the default weights (see match.proto).
//
// Thread safety: every method may be called from any thread. Writes are
// serialised, so a version check and the write it guards are atomic.
#ifndef SOCIO_STORAGE_MATCH_POLICY_STORE_H_
#define SOCIO_STORAGE_MATCH_POLICY_STORE_H_

#include <cstdint>
#include <memory>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "socio/v1/match.pb.h"
#include "storage/database.h"
#include "storage/replicated_records.h"

namespace socio::storage {

struct MatchPolicyStoreOptions {
  // Default: true. Put returns only after RocksDB's write-ahead log is synced
  // to disk, so an acknowledged policy survives power loss. false keeps it
  // across a crash of the process but not of the machine; the log is still
  // synced when the database closes cleanly.
  bool sync_writes = true;
  // Default: nullptr, the embedded store. A cluster node's view of the
  // records in etcd and the writer to etcd (see ProfileStore's "Cluster
  // mode"): both or neither. Policies are then kept in etcd under
  // "socio/match-policies/<chamber id>", the same on every node. Not owned;
  // must outlive the store, which must be opened before the view is fed.
  RecordView* view = nullptr;
  RecordWriter* cluster = nullptr;
};

class MatchPolicyStore {
 public:
  // Opens the store over an open `database`, which it shares.
  // INVALID_ARGUMENT if `database` is missing; FAILED_PRECONDITION if another
  // MatchPolicyStore is open over `database` (one serialises the writes).
  static absl::StatusOr<std::unique_ptr<MatchPolicyStore>> Open(
      std::shared_ptr<Database> database, const MatchPolicyStoreOptions& options);

  ~MatchPolicyStore();

  MatchPolicyStore(const MatchPolicyStore&) = delete;
  MatchPolicyStore& operator=(const MatchPolicyStore&) = delete;

  // The chamber's policy as stored. NOT_FOUND if the chamber never set one;
  // INVALID_ARGUMENT for a malformed chamber id.
  absl::StatusOr<socio::v1::MatchPolicy> Get(absl::string_view chamber_id) const;

  // Stores `policy` for policy.chamber_id() with the version grown by one (1
  // for a chamber's first) and update_time now, and returns it as stored; the
  // output-only fields of `policy` are ignored and its unknown fields
  // dropped. INVALID_ARGUMENT naming the field for a malformed chamber id,
  // missing weights or a negative expected_version; the weights' values are
  // the matcher's to judge (services::SetPolicy checks them before storing
  // them). ABORTED if
  // expected_version != 0 and differs from the stored version (0 when none is
  // stored). A rejected Put changes nothing.
  absl::StatusOr<socio::v1::MatchPolicy> Put(socio::v1::MatchPolicy policy,
                                             int64_t expected_version);

 private:
  MatchPolicyStore(std::shared_ptr<Database> database, const MatchPolicyStoreOptions& options);

  // The stored policy; NOT_FOUND if none.
  absl::StatusOr<socio::v1::MatchPolicy> Read(absl::string_view chamber_id) const;
  // `policy` as the next version after `stored_version`, as of now;
  // ABORTED if expected_version != 0 and differs from stored_version.
  static absl::Status Stamp(socio::v1::MatchPolicy& policy, int64_t stored_version,
                            int64_t expected_version);
  // Cluster mode's Put, after the checks.
  absl::StatusOr<socio::v1::MatchPolicy> PutInCluster(socio::v1::MatchPolicy policy,
                                                      int64_t expected_version);

  const std::shared_ptr<Database> database_;
  const MatchPolicyStoreOptions options_;

  // Held for the whole read-check-write of every Put.
  absl::Mutex write_mu_;
  std::unique_ptr<FamilyMirror> mirror_;  // cluster mode only
};

}  // namespace socio::storage

#endif  // SOCIO_STORAGE_MATCH_POLICY_STORE_H_
