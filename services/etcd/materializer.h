// Materializer: keeps a node's MaterializedView equal to etcd's records
// under one prefix. It reads everything at one revision when the view is
// empty (or its revision has been compacted away in etcd), then follows
// etcd's watch from the revision after the view's, applying each batch of
// events with its revision in one write. A node can therefore be wiped and
// rebuilt from etcd at any time, and after a restart it resumes where its
// view stopped.
//
//   Materializer materializer(etcd, view, {.prefix = "socio/"});
//   RETURN_IF_ERROR(materializer.Start());   // caught up to etcd's revision then
//   ... write through etcd, then view->AwaitRevision(commit.revision, ...) ...
//   RETURN_IF_ERROR(materializer.Sync(absl::Seconds(5)));  // etcd as of now
//   materializer.Stop();
//
// A revision lower than the view's is refused (the view stays as it was,
// and error() says why): etcd 3.4 before 3.4.32 could hand one out after a
// crash during compaction.
//
// Thread safety: Start and Stop from one thread; the rest from any.
#ifndef SOCIO_SERVICES_ETCD_MATERIALIZER_H_
#define SOCIO_SERVICES_ETCD_MATERIALIZER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "services/etcd/etcd_client.h"
#include "storage/materialized_view.h"

namespace socio::etcd {

struct MaterializerOptions {
  // The keys followed: every key that starts with it.
  std::string prefix;
  // Keys per read of a full read.
  int64_t page_size = 1000;
  // How long Start may take to catch up.
  absl::Duration start_timeout = absl::Minutes(5);
};

class Materializer {
 public:
  // Neither `etcd` nor `view` is owned; both must outlive the Materializer.
  Materializer(EtcdClient* etcd, storage::MaterializedView* view, MaterializerOptions options);
  ~Materializer();  // stops
  Materializer(const Materializer&) = delete;
  Materializer& operator=(const Materializer&) = delete;

  // Brings the view up to date (a full read if the view is empty or its
  // revision was compacted; otherwise the changes since) as Sync does, and
  // follows in a thread of its own. Errors of etcd or of the view if the
  // catch-up fails (nothing is followed then).
  absl::Status Start();
  // Returns once the view holds every change under the prefix up to etcd's
  // revision at the time of the call, and records that revision as applied
  // even if the last changes were elsewhere in etcd. DEADLINE_EXCEEDED
  // after `timeout`; the follower's error if it stopped. REQUIRES: started.
  absl::Status Sync(absl::Duration timeout);
  // Stops following; the view keeps what it applied.
  void Stop();

  // The last error that stopped the following (OK while it follows). Watch
  // interruptions by a member's death are not errors: the watch moves on.
  absl::Status error() const;
  // Full reads done since construction (the first, and one per compaction
  // that overtook the view).
  int64_t full_reads() const;

 private:
  // Reads every key at one revision into the view; the revision.
  absl::StatusOr<int64_t> FullRead();
  // Applies the watch's events until stopped or an error.
  void Follow();

  EtcdClient* const etcd_;
  storage::MaterializedView* const view_;
  const MaterializerOptions options_;
  mutable absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status error_ ABSL_GUARDED_BY(mu_);
  int64_t full_reads_ ABSL_GUARDED_BY(mu_) = 0;
  // Replaced only by the follower (after a compaction), under mu_.
  std::unique_ptr<WatchStream> watch_ ABSL_GUARDED_BY(mu_);
  std::thread follower_;
};

}  // namespace socio::etcd

#endif  // SOCIO_SERVICES_ETCD_MATERIALIZER_H_
