// What every test node of a store in cluster mode is made of: an etcd
// client, a database with its view of etcd's records, the writer to etcd,
// and the materializer that makes the view follow etcd. A test's node
// derives from it and opens its stores over `view` and `records` between
// OpenParts and Follow (stores listen to the view before anything feeds it).
//
//   class Node : public socio::testing::NodeParts {
//    public:
//     static absl::StatusOr<std::unique_ptr<Node>> Start(...) {
//       auto node = std::make_unique<Node>();
//       RETURN_IF_ERROR(node->OpenParts(cluster, dir, first));
//       ... open the stores ...
//       RETURN_IF_ERROR(node->Follow());
//     }
//   };
//
// The materializer is destroyed first; the stores, destroyed before it,
// stop listening on their own.
#ifndef SOCIO_TESTS_SUPPORT_CLUSTER_NODE_PARTS_H_
#define SOCIO_TESTS_SUPPORT_CLUSTER_NODE_PARTS_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/etcd/cluster_records.h"
#include "services/etcd/etcd_client.h"
#include "services/etcd/materializer.h"
#include "storage/database.h"
#include "storage/materialized_view.h"
#include "tests/support/etcd_cluster.h"

namespace socio::testing {

class NodeParts {
 public:
  // Connects to `cluster` (member `first` first) and opens the database on
  // `dir` (new, or as a node left it), its view and the writer; nothing
  // follows etcd yet.
  absl::Status OpenParts(const EtcdCluster& cluster, const std::string& dir, int first) {
    absl::StatusOr<std::unique_ptr<etcd::EtcdClient>> client =
        etcd::EtcdClient::Connect({.endpoints = cluster.ClientAddressList(first)});
    if (!client.ok()) return client.status();
    etcd = *std::move(client);
    absl::StatusOr<std::shared_ptr<storage::Database>> opened = storage::Database::Open(dir, {});
    if (!opened.ok()) return opened.status();
    database = *std::move(opened);
    absl::StatusOr<std::unique_ptr<storage::MaterializedView>> materialized =
        storage::MaterializedView::Open(database);
    if (!materialized.ok()) return materialized.status();
    view = *std::move(materialized);
    records = std::make_unique<etcd::ClusterRecords>(etcd.get(), view.get(),
                                                     etcd::ClusterRecordsOptions{});
    return absl::OkStatus();
  }

  // Catches up with etcd and follows it from then on.
  absl::Status Follow() {
    materializer = std::make_unique<etcd::Materializer>(
        etcd.get(), view.get(), etcd::MaterializerOptions{.prefix = "socio/"});
    return materializer->Start();
  }

  // Returns once this node holds every write etcd had when called.
  absl::Status Sync(absl::Duration timeout = absl::Seconds(10)) {
    return materializer->Sync(timeout);
  }

  std::unique_ptr<etcd::EtcdClient> etcd;
  std::shared_ptr<storage::Database> database;
  std::unique_ptr<storage::MaterializedView> view;
  std::unique_ptr<etcd::ClusterRecords> records;
  std::unique_ptr<etcd::Materializer> materializer;  // last: destroyed first
};

}  // namespace socio::testing

#endif  // SOCIO_TESTS_SUPPORT_CLUSTER_NODE_PARTS_H_
