#include "tests/fault/store_checks.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/message_differencer.h"
#include "matcher/match_index.h"
#include "services/index_follower.h"
#include "storage/database.h"
#include "storage/profile_store.h"
#include "storage/snapshot_store.h"
#include "tests/support/index_answers.h"

namespace socio::fault {
namespace {

using google::protobuf::util::MessageDifferencer;
using socio::v1::Profile;

constexpr size_t kMaxListed = 10;
constexpr size_t kChangeChunk = 4096;
// Members whose partners the saved and the rebuilt index are asked for.
constexpr size_t kIndexSample = 64;

class Reporter {
 public:
  explicit Reporter(std::vector<std::string>* violations) : violations_(violations) {}
  ~Reporter() {
    if (count_ > kMaxListed) {
      violations_->push_back(absl::StrCat(count_ - kMaxListed, " more store differences"));
    }
  }
  void operator()(std::string message) {
    if (count_++ < kMaxListed) violations_->push_back(std::move(message));
  }

 private:
  std::vector<std::string>* violations_;
  size_t count_ = 0;
};

}  // namespace

std::string CheckStoreDirectory(const StoreCheckInputs& inputs,
                                std::vector<std::string>* violations) {
  Reporter report(violations);
  absl::StatusOr<std::shared_ptr<storage::Database>> database =
      storage::Database::Open(inputs.data_dir, {});
  if (!database.ok()) {
    report(absl::StrCat("opening the data directory: ", database.status().ToString()));
    return "";
  }
  absl::StatusOr<std::unique_ptr<storage::ProfileStore>> store =
      storage::ProfileStore::Open(*database, {.reference = inputs.reference});
  absl::StatusOr<std::unique_ptr<storage::SnapshotStore>> snapshots =
      storage::SnapshotStore::Open(*database);
  if (!store.ok() || !snapshots.ok()) {
    report(absl::StrCat("opening the stores: ", store.status().ToString(), " ",
                        snapshots.status().ToString()));
    return "";
  }

  // The profiles, scanned.
  const StoredProfiles& expected = *inputs.expected;
  StoredProfiles scanned;
  absl::Status scan = (*store)->ForEachProfile([&](const Profile& profile) {
    scanned.emplace(profile.id(), profile);
    return absl::OkStatus();
  });
  if (!scan.ok()) report(absl::StrCat("ForEachProfile: ", scan.ToString()));
  for (const auto& [id, profile] : expected) {
    auto it = scanned.find(id);
    if (it == scanned.end() || !MessageDifferencer::Equals(it->second, profile)) {
      report(absl::StrCat("profile '", id, "' as the server listed it (version ", profile.version(),
                          ") is not what the store holds"));
    }
  }
  for (const auto& [id, profile] : scanned) {
    if (!expected.contains(id)) report(absl::StrCat("the store holds '", id, "', unlisted"));
  }

  // The chamber index.
  absl::btree_set<std::string> chambers = *inputs.chambers;
  for (const auto& [id, profile] : scanned) chambers.insert(profile.chamber_id());
  int64_t indexed = 0;
  for (const std::string& chamber : chambers) {
    storage::ProfileQuery query{.chamber_id = chamber,
                                .page_size = storage::ProfileStore::kMaxPageSize};
    do {
      absl::StatusOr<storage::ProfilePage> page = (*store)->List(query);
      if (!page.ok()) {
        report(absl::StrCat("List of chamber ", chamber, ": ", page.status().ToString()));
        break;
      }
      for (const Profile& profile : page->profiles) {
        ++indexed;
        if (profile.chamber_id() != chamber) {
          report(absl::StrCat("the chamber index lists '", profile.id(), "' under ", chamber,
                              " but its profile says ", profile.chamber_id()));
        }
      }
      query.page_token = page->next_page_token;
    } while (!query.page_token.empty());
  }
  if (indexed != static_cast<int64_t>(scanned.size())) {
    report(absl::StrCat("the chamber index lists ", indexed, " profiles; ", scanned.size(),
                        " are stored"));
  }

  // The change log, read directly.
  const uint64_t last = (*store)->LastSequence();
  if (last != inputs.log->verified()) {
    report(absl::StrCat("the change log ends at ", last, "; WatchProfiles ended at ",
                        inputs.log->verified()));
  }
  uint64_t after = 0;
  while (after < last) {
    absl::StatusOr<std::vector<socio::v1::ProfileChange>> changes =
        (*store)->ReadChanges(after, kChangeChunk);
    if (!changes.ok() || changes->empty()) {
      report(absl::StrCat("ReadChanges after ", after, ": ",
                          changes.ok() ? "nothing" : changes.status().ToString()));
      break;
    }
    for (const socio::v1::ProfileChange& change : *changes) {
      if (change.sequence() != after + 1) {
        report(absl::StrCat("ReadChanges: after change ", after, " came ", change.sequence()));
        after = last;
        break;
      }
      if (!inputs.log->SameAsRead(change)) {
        report(absl::StrCat("change ", change.sequence(), " differs from what WatchProfiles sent"));
      }
      ++after;
    }
  }

  // The index saved at shutdown against a scan of the store.
  std::string snapshot_note = "no saved index";
  absl::StatusOr<storage::Snapshot> snapshot =
      (*snapshots)->Get(services::IndexFollower::kSnapshotName);
  if (!snapshot.ok()) {
    report(absl::StrCat("the match index saved at shutdown: ", snapshot.status().ToString()));
  } else {
    if (snapshot->sequence != last) {
      report(absl::StrCat("the match index saved at shutdown reflects change ", snapshot->sequence,
                          "; the log ends at ", last));
    }
    matcher::MatchIndex saved(inputs.tables);
    matcher::MatchIndex rebuilt(inputs.tables);
    absl::Status loaded = saved.Load(snapshot->data);
    absl::Status built = services::LoadIndex(**store, &rebuilt, 2);
    if (!loaded.ok() || !built.ok()) {
      report(absl::StrCat("loading the saved index: ", loaded.ToString(),
                          "; building one: ", built.ToString()));
    } else {
      std::vector<std::string> ids;
      for (const auto& [id, profile] : scanned) ids.push_back(id);
      const size_t stride = std::max<size_t>(1, ids.size() / kIndexSample);
      const int64_t now = absl::ToUnixSeconds(absl::Now());
      if (saved.size() != rebuilt.size() ||
          socio::testing::IndexAnswers(saved, ids, stride, now) !=
              socio::testing::IndexAnswers(rebuilt, ids, stride, now)) {
        report(absl::StrCat("the match index saved at shutdown (", saved.size(),
                            " profiles) answers otherwise than one built from the store (",
                            rebuilt.size(), ")"));
      }
      snapshot_note = absl::StrCat("saved index at change ", snapshot->sequence, " = rebuilt");
    }
  }
  return absl::StrCat(scanned.size(), " profiles scanned, ", indexed, " in the chamber index, ",
                      after, " changes read, ", snapshot_note);
}

}  // namespace socio::fault
