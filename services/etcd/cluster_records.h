// ClusterRecords: how a cluster node writes records. Each write is one etcd
// transaction that compares every key's revision with the one the caller
// read (the optimistic concurrency `expected_version` promises), and it
// returns once this node's MaterializedView has applied it, so the caller
// reads its own write on this node.
//
//   ClusterRecords records(etcd, view, {});
//   auto stored = view->Get("socio/profiles/p-1");          // revision r (0: none)
//   auto revision = records.Write({{"socio/profiles/p-1", bytes, r}});
//   // OK: written at *revision and visible in `view`.
//   // ABORTED: another write got there first; read again and retry (the
//   //          view shows a write that won when this returns; a delete
//   //          that won, as soon as the view has applied it).
//   // UNAVAILABLE: certainly not written; retry when etcd is back.
//
// A call to etcd that fails may still have been applied. Every transaction
// therefore also creates a receipt key of its own (on a lease: receipts
// expire after a minute), and requires that the receipt did not exist. When
// the outcome is unknown, the node creates that receipt itself, marked
// abandoned: if that succeeds the lost transaction can never apply any more
// (its condition now fails) and the answer is UNAVAILABLE, "not written";
// if the receipt exists, the transaction was applied and the answer is OK.
// A transaction certainly not applied is tried again (with a new receipt)
// until the deadline, so a write made while etcd elects a new leader is
// written once there is one. Only if etcd cannot be reached at all until the
// deadline does the answer stay unknown: DEADLINE_EXCEEDED, saying so.
//
// Thread safety: safe for concurrent use.
#ifndef SOCIO_SERVICES_ETCD_CLUSTER_RECORDS_H_
#define SOCIO_SERVICES_ETCD_CLUSTER_RECORDS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/etcd/etcd_client.h"
#include "storage/materialized_view.h"
#include "storage/replicated_records.h"

namespace socio::etcd {

struct ClusterRecordsOptions {
  // Where receipts go (outside every materialized prefix).
  std::string receipt_prefix = "socio-receipts/";
  // How long a write may take in all, finding out an unknown outcome and
  // this node's view applying it included.
  absl::Duration deadline = absl::Seconds(10);
  // How long receipts live.
  absl::Duration receipt_ttl = absl::Seconds(60);
  // How long one try of the transaction may take. A try that times out (its
  // member lost the leader, say) is fenced and, certainly not applied, tried
  // again, so a write outlives the election of a new leader.
  absl::Duration attempt_timeout = absl::Milliseconds(1500);
};

using storage::RecordWrite;

class ClusterRecords final : public storage::RecordWriter {
 public:
  // Neither is owned; both must outlive this. `view` must be kept up to
  // date by a Materializer of a prefix holding every key written.
  ClusterRecords(EtcdClient* etcd, storage::MaterializedView* view, ClusterRecordsOptions options);

  // Writes `writes` as one transaction; the revision it was written at. See
  // the header comment for the errors. INVALID_ARGUMENT if `writes` is empty
  // or names a key twice.
  absl::StatusOr<int64_t> Write(const std::vector<RecordWrite>& writes) override;

 private:
  // A lease of `ttl`, shared by every key that asks for the same `ttl`
  // while it is younger than `reuse_for`, then granted anew: a key on it
  // lives at least ttl - reuse_for.
  absl::StatusOr<int64_t> Lease(absl::Duration ttl, absl::Duration reuse_for);
  // The lease of receipts: they live between receipt_ttl / 2 and receipt_ttl.
  absl::StatusOr<int64_t> ReceiptLease();
  // The lease of a record written with `expires_after`: it is removed
  // between expires_after and expires_after * 25 / 24 after the write.
  absl::StatusOr<int64_t> RecordLease(absl::Duration expires_after);
  // The outcome of the transaction that would have created `receipt`, whose
  // call failed with `cause`: its revision if applied, UNAVAILABLE if
  // certainly not.
  absl::StatusOr<int64_t> Resolve(const std::string& receipt, const absl::Status& cause,
                                  absl::Time deadline);

  EtcdClient* const etcd_;
  storage::MaterializedView* const view_;
  const ClusterRecordsOptions options_;
  struct Granted {
    int64_t lease = 0;
    absl::Time at;
  };
  absl::Mutex mu_;
  // By the ttl they were granted for, in nanoseconds.
  absl::flat_hash_map<int64_t, Granted> leases_ ABSL_GUARDED_BY(mu_);
};

}  // namespace socio::etcd

#endif  // SOCIO_SERVICES_ETCD_CLUSTER_RECORDS_H_
