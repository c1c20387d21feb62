// ClusterNode: what makes a sociod one node of a cluster on etcd (see
// docs/CLUSTER.md): the client of the etcd members, the node's
// MaterializedView of the records under "socio/" in its own Database, the
// writer that commits to etcd (ClusterRecords), and the Materializer that
// keeps the view equal to etcd.
//
//   auto node = ClusterNode::Open({.endpoints = {"10.0.0.1:2379"}}, database);
//   // open the stores over (*node)->view() and (*node)->writer(): they listen
//   RETURN_IF_ERROR((*node)->Start());  // caught up with etcd, then following
//   ...
//   (*node)->Stop();
//
// Thread safety: Open, Start and Stop from one thread; the rest from any.
#ifndef SOCIO_SERVICES_ETCD_CLUSTER_NODE_H_
#define SOCIO_SERVICES_ETCD_CLUSTER_NODE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "storage/database.h"
#include "storage/materialized_view.h"
#include "storage/replicated_records.h"

namespace socio::etcd {

class EtcdClient;
class Election;
class Materializer;
class ClusterRecords;

struct ClusterNodeOptions {
  // "host:port" of etcd's members (client URLs without the scheme).
  std::vector<std::string> endpoints;
  // How long Start may take to catch up with etcd (a full read of every
  // record on a new node).
  absl::Duration start_timeout = absl::Minutes(5);
};

class ClusterNode {
 public:
  // The key prefix of every record the node materializes.
  static constexpr char kPrefix[] = "socio/";

  // INVALID_ARGUMENT naming etcd_endpoints if there are none or one is not
  // host:port.
  static absl::Status CheckEndpoints(const std::vector<std::string>& endpoints);

  // Connects (lazily: the first call to etcd is Start's) and opens the view
  // over `database`. INVALID_ARGUMENT naming etcd_endpoints if there are
  // none or one is not host:port.
  static absl::StatusOr<std::unique_ptr<ClusterNode>> Open(
      const ClusterNodeOptions& options, std::shared_ptr<storage::Database> database);
  ~ClusterNode();  // stops
  ClusterNode(const ClusterNode&) = delete;
  ClusterNode& operator=(const ClusterNode&) = delete;

  storage::RecordView* view() const;
  storage::RecordWriter* writer() const;

  // Catches the view up with etcd (UNAVAILABLE naming the endpoints when no
  // member answers) and follows it. REQUIRES: the stores that listen to
  // view() are open.
  absl::Status Start();
  // Stops following; the view keeps what it applied.
  void Stop();

  // The view's revision, and whether it still follows etcd (the follower's
  // error, if it stopped).
  int64_t applied_revision() const;
  absl::Status following() const;
  // Returns once the view has applied `revision`; DEADLINE_EXCEEDED, saying
  // which revision it holds, after `timeout`.
  absl::Status AwaitRevision(int64_t revision, absl::Duration timeout) const;
  // Returns once the view has applied every write etcd had committed when
  // it was called; UNAVAILABLE if etcd does not answer, DEADLINE_EXCEEDED
  // after `timeout`. For a node taking over a duty: it first learns what
  // the last holder wrote.
  absl::Status CatchUp(absl::Duration timeout) const;

  // A duty held by one node of the cluster at a time (election.h), under
  // "socio-duties/<duty>" in etcd, campaigning as `node` (a name for
  // operators: host and port, say). Not started.
  std::unique_ptr<Election> NewDuty(absl::string_view duty, std::string node) const;

 private:
  ClusterNode() = default;

  std::vector<std::string> endpoints_;
  absl::Duration start_timeout_;
  std::unique_ptr<EtcdClient> etcd_;
  std::unique_ptr<storage::MaterializedView> view_;
  std::unique_ptr<ClusterRecords> records_;
  std::unique_ptr<Materializer> materializer_;
};

}  // namespace socio::etcd

#endif  // SOCIO_SERVICES_ETCD_CLUSTER_NODE_H_
