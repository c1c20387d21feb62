// ChamberStore in cluster mode: records kept in etcd, the tables following
// the node's RecordView (see "Cluster mode" in chamber_store.h).
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "storage/chamber_store.h"

namespace socio::storage {
namespace {

using socio::v1::Chamber;
using socio::v1::ChamberPartner;
using socio::v1::Notification;

constexpr absl::string_view kChamberPrefix = "socio/chambers/";
constexpr absl::string_view kLinkPrefix = "socio/chamber-partners/";

absl::Status NotA(absl::string_view prefix, absl::string_view id, absl::string_view what) {
  return absl::DataLossError(absl::StrCat("cluster: the record '", prefix, id, "' is not ", what));
}

}  // namespace

std::string ChamberStore::ClusterChamberKey(absl::string_view id) {
  return absl::StrCat(kChamberPrefix, id);
}

std::string ChamberStore::ClusterLinkKey(absl::string_view chamber_id,
                                         absl::string_view partner_id) {
  return absl::StrCat(kLinkPrefix, chamber_id, "/", partner_id);
}

void ChamberStore::FollowView() {
  chamber_mirror_ = std::make_unique<FamilyMirror>(
      FamilyMirror::Options{.prefix = std::string(kChamberPrefix),
                            .family = database_->chambers(),
                            .check = [](absl::string_view id, const std::string& value) {
                              Chamber chamber;
                              if (!chamber.ParseFromString(value) || chamber.id() != id) {
                                return NotA(kChamberPrefix, id, "that chamber's record");
                              }
                              return absl::OkStatus();
                            }});
  // "<chamber>/<partner>" (ids have no '/') is the family's "<chamber>\0<partner>".
  link_mirror_ = std::make_unique<FamilyMirror>(FamilyMirror::Options{
      .prefix = std::string(kLinkPrefix),
      .family = database_->chamber_partners(),
      .check =
          [](absl::string_view id, const std::string& value) {
            ChamberPartner link;
            if (!link.ParseFromString(value) ||
                id != absl::StrCat(link.chamber_id(), "/", link.partner_chamber_id())) {
              return NotA(kLinkPrefix, id, "that partner link");
            }
            return absl::OkStatus();
          },
      .family_key = [](absl::string_view id) -> absl::StatusOr<std::string> {
        const size_t slash = id.find('/');
        if (slash == absl::string_view::npos || slash == 0 || slash + 1 == id.size()) {
          return NotA(kLinkPrefix, id, "a partner link");
        }
        std::string key(id);
        key[slash] = '\0';
        return key;
      }});
  options_.view->AddListener(chamber_mirror_.get());
  options_.view->AddListener(link_mirror_.get());
}

absl::Status ChamberStore::ApplyInCluster(const std::vector<Change>& changes,
                                          std::vector<Notification> notifications,
                                          const RequestTicket* ticket, absl::string_view answer,
                                          bool* raced) {
  std::vector<RecordWrite> writes;
  for (const Change& change : changes) {
    writes.push_back({change.cluster_key, change.value, change.expected_revision});
  }
  if (!notifications.empty()) {
    absl::StatusOr<std::vector<RecordWrite>> told =
        notifications_->ClusterWrites(std::move(notifications));
    if (!told.ok()) return told.status();
    writes.insert(writes.end(), told->begin(), told->end());
  }
  if (ticket != nullptr) {
    // Remembered in the same transaction: a retry on any node finds it.
    absl::StatusOr<RecordWrite> remembered =
        RequestIdStore::ClusterWrite(*options_.view, *ticket, answer, absl::Now());
    if (!remembered.ok()) return remembered.status();
    writes.push_back(*std::move(remembered));
  }
  absl::StatusOr<int64_t> written = options_.cluster->Write(writes);
  if (absl::IsAborted(written.status())) {
    // Another node's write came first: once this node has it, read again.
    for (const Change& change : changes) {
      AwaitChange(*options_.view, change.cluster_key, change.expected_revision);
    }
    *raced = true;
    return absl::AbortedError(
        "the chamber records kept being changed by other writes; read them again and retry");
  }
  return written.status();
}

}  // namespace socio::storage
