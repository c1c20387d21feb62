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

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "services/etcd/cluster_records.h"
#include "services/etcd/etcd_client.h"
#include "services/etcd/materializer.h"
#include "storage/database.h"
#include "storage/materialized_view.h"
#include "storage/notification_store.h"
#include "storage/request_ids.h"
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

  // For stores that notify: opens `request_ids` and `notifications` in
  // cluster mode, over the parts (after OpenParts, before Follow).
  absl::Status OpenNotifications() {
    absl::StatusOr<std::unique_ptr<storage::RequestIdStore>> ids =
        storage::RequestIdStore::Open(database, true, view.get(), records.get());
    if (!ids.ok()) return ids.status();
    request_ids = *std::move(ids);
    absl::StatusOr<std::unique_ptr<storage::NotificationStore>> opened =
        storage::NotificationStore::Open(database, {.view = view.get(), .cluster = records.get()});
    if (!opened.ok()) return opened.status();
    notifications = *std::move(opened);
    return absl::OkStatus();
  }

  // The notifications after `after`, whole; empty (and a test failure) if
  // they cannot be read.
  std::vector<socio::v1::Notification> Outbox(uint64_t after = 0) const {
    std::vector<socio::v1::Notification> all;
    for (;;) {
      absl::StatusOr<std::vector<socio::v1::Notification>> page =
          notifications->Read(after, storage::NotificationStore::kMaxReadBatch);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok() || page->empty()) return all;
      after = page->back().sequence();
      for (socio::v1::Notification& n : *page) all.push_back(std::move(n));
    }
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
  std::unique_ptr<storage::RequestIdStore> request_ids;       // OpenNotifications
  std::unique_ptr<storage::NotificationStore> notifications;  // OpenNotifications
  std::unique_ptr<etcd::Materializer> materializer;           // last: destroyed first
};

// Runs `first` and `second` on two threads released at the same instant
// (two nodes' writes made to race), and returns once both have returned.
inline void AtOnce(const std::function<void()>& first, const std::function<void()>& second) {
  std::atomic<bool> go = false;
  std::thread one([&] {
    while (!go) std::this_thread::yield();
    first();
  });
  std::thread two([&] {
    while (!go) std::this_thread::yield();
    second();
  });
  go = true;
  one.join();
  two.join();
}

// "<KIND> <recipient>" of each notification, in order.
inline std::vector<std::string> Kinds(const std::vector<socio::v1::Notification>& outbox) {
  std::vector<std::string> out;
  for (const socio::v1::Notification& n : outbox) {
    out.push_back(absl::StrCat(socio::v1::Notification::Kind_Name(n.kind()), " ", n.recipient()));
  }
  return out;
}

// A clock for the stores of a test's nodes, which a test moves ahead of the
// real one (to make something due) and back: NodeClock() is now plus
// clock_ahead.
inline std::atomic<int64_t> clock_ahead_seconds = 0;
inline absl::Time NodeClock() { return absl::Now() + absl::Seconds(clock_ahead_seconds.load()); }

// Sequence, id, kind and recipient of each notification (and a partner
// link's chamber), to compare nodes' outboxes.
inline std::vector<std::string> Described(const std::vector<socio::v1::Notification>& outbox) {
  std::vector<std::string> out;
  for (const socio::v1::Notification& n : outbox) {
    out.push_back(absl::StrCat(n.sequence(), " ", n.id(), " ",
                               socio::v1::Notification::Kind_Name(n.kind()), " ", n.recipient(),
                               " ", n.chamber_partner().chamber_id()));
  }
  return out;
}

}  // namespace socio::testing

#endif  // SOCIO_TESTS_SUPPORT_CLUSTER_NODE_PARTS_H_
