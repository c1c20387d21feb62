#include "services/etcd/cluster_node.h"

#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/etcd/cluster_records.h"
#include "services/etcd/election.h"
#include "services/etcd/etcd_client.h"
#include "services/etcd/materializer.h"
#include "storage/materialized_view.h"

namespace socio::etcd {

absl::Status ClusterNode::CheckEndpoints(const std::vector<std::string>& endpoints) {
  if (endpoints.empty()) {
    return absl::InvalidArgumentError(
        "etcd_endpoints: give the etcd members' client addresses, host:port,...");
  }
  for (const std::string& endpoint : endpoints) {
    const size_t colon = endpoint.rfind(':');
    int port = 0;
    if (colon == std::string::npos || colon == 0 ||
        !absl::SimpleAtoi(endpoint.substr(colon + 1), &port) || port <= 0 || port > 65535 ||
        endpoint.find("://") != std::string::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("etcd_endpoints: '", endpoint,
                       "' is not host:port (give client addresses without "
                       "http://)"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<ClusterNode>> ClusterNode::Open(
    const ClusterNodeOptions& options, std::shared_ptr<storage::Database> database) {
  if (absl::Status s = CheckEndpoints(options.endpoints); !s.ok()) return s;
  auto node = std::unique_ptr<ClusterNode>(new ClusterNode);
  node->endpoints_ = options.endpoints;
  node->start_timeout_ = options.start_timeout;
  absl::StatusOr<std::unique_ptr<EtcdClient>> etcd =
      EtcdClient::Connect({.endpoints = options.endpoints});
  if (!etcd.ok()) return etcd.status();
  node->etcd_ = *std::move(etcd);
  absl::StatusOr<std::unique_ptr<storage::MaterializedView>> view =
      storage::MaterializedView::Open(std::move(database));
  if (!view.ok()) return view.status();
  auto* materialized = view->get();
  node->view_ = *std::move(view);
  node->records_ =
      std::make_unique<ClusterRecords>(node->etcd_.get(), materialized, ClusterRecordsOptions{});
  node->materializer_ = std::make_unique<Materializer>(
      node->etcd_.get(), materialized,
      MaterializerOptions{.prefix = kPrefix, .start_timeout = options.start_timeout});
  return node;
}

ClusterNode::~ClusterNode() { Stop(); }

storage::RecordView* ClusterNode::view() const { return view_.get(); }
storage::RecordWriter* ClusterNode::writer() const { return records_.get(); }

absl::Status ClusterNode::Start() {
  // etcd behind the view: restored from a backup, or another cluster. The
  // view must not go back in time, and waiting for etcd to pass it would
  // serve what etcd no longer holds.
  absl::StatusOr<RangePage> now =
      etcd_->Range(kPrefix, EtcdClient::PrefixEnd(kPrefix), /*revision=*/0, /*limit=*/1);
  if (now.ok() && now->revision < view_->applied_revision()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "etcd at ", absl::StrJoin(endpoints_, ","), " is at revision ", now->revision,
        ", behind this node's copy (revision ", view_->applied_revision(),
        "): etcd was restored from a backup or is another cluster; start this node on an empty "
        "--data_dir"));
  }
  absl::Status s = materializer_->Start();
  if (s.ok()) return s;
  return absl::Status(s.code(), absl::StrCat("etcd at ", absl::StrJoin(endpoints_, ","),
                                             ": catching up with the cluster: ", s.message()));
}

void ClusterNode::Stop() {
  if (materializer_ != nullptr) materializer_->Stop();
}

int64_t ClusterNode::applied_revision() const { return view_->applied_revision(); }

absl::Status ClusterNode::AwaitRevision(int64_t revision, absl::Duration timeout) const {
  return view_->AwaitRevision(revision, timeout);
}

absl::Status ClusterNode::CatchUp(absl::Duration timeout) const {
  return materializer_->Sync(timeout);
}

std::unique_ptr<Election> ClusterNode::NewDuty(absl::string_view duty, std::string node) const {
  return std::make_unique<Election>(
      etcd_.get(),
      ElectionOptions{.key = absl::StrCat("socio-duties/", duty), .node = std::move(node)});
}

absl::Status ClusterNode::following() const { return materializer_->error(); }

}  // namespace socio::etcd
