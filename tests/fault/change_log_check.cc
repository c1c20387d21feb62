#include "tests/fault/change_log_check.h"

#include <algorithm>
#include <chrono>
#include <functional>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/message_differencer.h"
#include "services/profile_service.h"

namespace socio::fault {
namespace {

using google::protobuf::util::MessageDifferencer;
using socio::v1::ProfileChange;

// Changes before the last one verified that an incremental Verify reads
// again, to see the log's end did not move back.
constexpr uint64_t kOverlap = 256;
// Differences listed per Verify; the rest are counted.
constexpr size_t kMaxListed = 10;

size_t HashOf(const ProfileChange& change) {
  return std::hash<std::string>{}(change.SerializeAsString());
}

}  // namespace

ChangeLogReader::ChangeLogReader(socio::v1::ProfileService::Stub& stub, uint64_t after) {
  context_.set_deadline(std::chrono::system_clock::now() + std::chrono::minutes(5));
  socio::v1::WatchProfilesRequest request;
  request.set_after_sequence(after);
  stream_ = stub.WatchProfiles(&context_, request);
  stream_->WaitForInitialMetadata();
  const auto& metadata = context_.GetServerInitialMetadata();
  auto found = metadata.find(services::ProfileServiceImpl::kLastSequenceMetadata);
  has_last_ =
      found != metadata.end() &&
      absl::SimpleAtoi(absl::string_view(found->second.data(), found->second.size()), &last_);
  if (!has_last_) {
    context_.TryCancel();
    ended_ = stream_->Finish();
  }
}

grpc::Status ChangeLogReader::Finish() {
  if (ended_.has_value()) return *ended_;
  return stream_->Finish();
}

void Replay(const ProfileChange& change, ReplayedProfiles* replay) {
  if (change.kind() == ProfileChange::DELETED) {
    replay->erase(change.profile().id());
  } else {
    (*replay)[change.profile().id()] = change.profile();
  }
}

void CheckReplay(const ReplayedProfiles& replay,
                 const absl::btree_map<std::string, socio::v1::Profile>& stored,
                 std::vector<std::string>* violations) {
  size_t listed = 0;
  const auto report = [&](std::string message) {
    if (listed++ < kMaxListed) violations->push_back(std::move(message));
  };
  for (const auto& [id, profile] : stored) {
    auto it = replay.find(id);
    if (it == replay.end()) {
      report(absl::StrCat("profile '", id, "' (version ", profile.version(),
                          ") is stored but the change log's last change of it is ",
                          "a delete or there is none"));
    } else if (!MessageDifferencer::Equals(it->second, profile)) {
      report(absl::StrCat("profile '", id, "' is stored at version ", profile.version(),
                          " but the change log's last change of it holds version ",
                          it->second.version(), " or other content"));
    }
  }
  for (const auto& [id, profile] : replay) {
    if (!stored.contains(id)) {
      report(absl::StrCat("the change log's last change of '", id, "' leaves version ",
                          profile.version(), " but no such profile is stored"));
    }
  }
  if (listed > kMaxListed) {
    violations->push_back(absl::StrCat(listed - kMaxListed, " more replay differences"));
  }
}

bool ChangeLogCheck::SameAsRead(const ProfileChange& change) const {
  const uint64_t sequence = change.sequence();
  return sequence >= 1 && sequence <= hashes_.size() && hashes_[sequence - 1] == HashOf(change);
}

void ChangeLogCheck::Verify(socio::v1::ProfileService::Stub& stub, bool from_start,
                            uint64_t expected_last, const std::string& accounting,
                            const absl::btree_map<std::string, socio::v1::Profile>& stored,
                            std::vector<std::string>* violations) {
  const uint64_t after = from_start ? 0 : verified() - std::min<uint64_t>(verified(), kOverlap);
  ChangeLogReader reader(stub, after);
  if (!reader.has_last()) {
    grpc::Status status = reader.Finish();
    violations->push_back(absl::StrCat("WatchProfiles after ", after,
                                       " sent no socio-last-sequence metadata (status ",
                                       status.error_code(), ": ", status.error_message(), ")"));
    return;
  }
  const uint64_t last = reader.last();

  // Reads (after, last]; applies to the replay what lies beyond verified().
  ReplayedProfiles replay;
  if (!from_start) replay = std::move(replay_);
  std::vector<size_t> hashes = hashes_;
  uint64_t next = after + 1;
  size_t changed = 0;
  ProfileChange change;
  while (next <= last && reader.Read(&change)) {
    ++entries_read_;
    if (change.sequence() != next) {
      violations->push_back(absl::StrCat("change log has a hole: after change ", next - 1,
                                         " came change ", change.sequence(), " (log ends at ", last,
                                         ")"));
      break;
    }
    if (next <= hashes.size()) {
      if (!SameAsRead(change) && changed++ < kMaxListed) {
        violations->push_back(absl::StrCat("change ", next, " (", change.profile().id(),
                                           ") differs from what the log held before"));
      }
      if (from_start) Replay(change, &replay);
    } else {
      hashes.push_back(HashOf(change));
      Replay(change, &replay);
    }
    ++next;
  }
  reader.Cancel();
  grpc::Status ended = reader.Finish();  // CANCELLED, as asked, once the end was read
  if (next <= last) {
    violations->push_back(absl::StrCat("WatchProfiles after ", after, " ended at change ", next - 1,
                                       " of ", last, ": ", ended.error_code(), ": ",
                                       ended.error_message()));
    return;
  }
  if (last < hashes_.size()) {
    violations->push_back(absl::StrCat("change log shrank: it ends at ", last, ", ", hashes_.size(),
                                       " changes were read before"));
    return;
  }
  if (changed > kMaxListed) {
    violations->push_back(absl::StrCat(changed - kMaxListed, " more changes differ"));
  }
  if (last != expected_last) {
    violations->push_back(absl::StrCat("change log ends at ", last, "; expected ", expected_last,
                                       " (", accounting, ")"));
  }
  CheckReplay(replay, stored, violations);
  hashes_ = std::move(hashes);
  replay_ = std::move(replay);
}

}  // namespace socio::fault
