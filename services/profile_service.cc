#include "services/profile_service.h"

#include <algorithm>
#include <functional>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "absl/algorithm/container.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "google/protobuf/unknown_field_set.h"
#include "services/access.h"
#include "services/call_scope.h"
#include "services/idempotency.h"
#include "services/profile_lookup.h"
#include "storage/profile_batch_writer.h"
#include "storage/update_mask.h"

namespace socio::services {
namespace {

using socio::v1::ProfileChange;

// Changes read from the log per round trip of a watch.
constexpr size_t kWatchChunk = 256;
// How long a watch sleeps between looks at cancellation and shutdown.
constexpr absl::Duration kWatchPoll = absl::Milliseconds(200);

// A write whose caller has already given up is not started: the caller would
// be told it failed while it happened.
bool CallerGone(const grpc::ServerContext* context) {
  return context->IsCancelled() || std::chrono::system_clock::now() > context->deadline();
}

absl::Status CallerGoneStatus() {
  return absl::DeadlineExceededError(
      "the call's deadline passed or it was cancelled before the write started");
}

absl::Status Required(const char* field) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": is required"));
}

// How often a write checked against the stored profile is tried again when
// the profile changed between the check and the write.
constexpr int kCheckedWriteAttempts = 3;

// Runs `write(version)` once `check(stored)` approves the stored profile `id`,
// pinning the version it checked, so a change in between (a move to another
// chamber) cannot slip past the check. The caller's own expected_version, if
// any, is kept and its ABORTED returned; without one the write is retried.
// A profile the caller may not read is NOT_FOUND naming `field`, as a
// missing one is.
template <typename T>
absl::StatusOr<T> CheckedWrite(const storage::ProfileStore& store, const Disclosure* disclosure,
                               const Caller& caller, const std::string& id, absl::string_view field,
                               int64_t expected_version,
                               const std::function<absl::Status(const socio::v1::Profile&)>& check,
                               const std::function<absl::StatusOr<T>(int64_t)>& write) {
  for (int attempt = 1;; ++attempt) {
    absl::StatusOr<socio::v1::Profile> stored =
        ReadProfile(StoreProfileLookup(&store), caller, id, field, disclosure);
    if (!stored.ok()) return stored.status();
    if (absl::Status s = check(*stored); !s.ok()) return s;
    absl::StatusOr<T> written = write(expected_version != 0 ? expected_version : stored->version());
    if (expected_version != 0 || !absl::IsAborted(written.status()) ||
        attempt == kCheckedWriteAttempts) {
      return written;
    }
  }
}

}  // namespace

grpc::Status ProfileServiceImpl::CreateProfile(grpc::ServerContext* context,
                                               const socio::v1::CreateProfileRequest* request,
                                               socio::v1::Profile* response) {
  return Serve(*auth_, disclosure_, context, *request, response, [&](const Caller& caller) {
    return AnswerOnce(*request_ids_, caller, "CreateProfile", *request, response,
                      [&](const storage::RequestTicket* ticket) -> absl::Status {
                        if (!request->has_profile()) return Required("profile");
                        if (absl::Status s = RequireChamber(caller, request->profile().chamber_id(),
                                                            "profile.chamber_id");
                            !s.ok()) {
                          return s;
                        }
                        if (CallerGone(context)) return CallerGoneStatus();
                        absl::StatusOr<socio::v1::Profile> created =
                            store_->Create(request->profile(), ticket);
                        if (!created.ok()) return created.status();
                        *response = *std::move(created);
                        return absl::OkStatus();
                      });
  });
}

grpc::Status ProfileServiceImpl::GetProfile(grpc::ServerContext* context,
                                            const socio::v1::GetProfileRequest* request,
                                            socio::v1::Profile* response) {
  return Serve(
      *auth_, disclosure_, context, *request, response, [&](const Caller& caller) -> absl::Status {
        // A company revealed to the caller may be read whatever its visibility
        // (its contacts with it: see disclosure.h).
        absl::StatusOr<socio::v1::Profile> profile =
            ReadProfile(StoreProfileLookup(store_), caller, request->id(), "id", disclosure_);
        if (!profile.ok()) return profile.status();
        *response = *std::move(profile);
        return absl::OkStatus();
      });
}

grpc::Status ProfileServiceImpl::UpdateProfile(grpc::ServerContext* context,
                                               const socio::v1::UpdateProfileRequest* request,
                                               socio::v1::Profile* response) {
  return Serve(
      *auth_, disclosure_, context, *request, response, [&](const Caller& caller) -> absl::Status {
        if (!request->has_profile()) return Required("profile");
        if (CallerGone(context)) return CallerGoneStatus();
        const socio::v1::Profile& patch = request->profile();
        absl::StatusOr<socio::v1::Profile> updated;
        if (caller.is_admin()) {
          updated = store_->Update(patch, request->update_mask(), request->expected_version());
        } else {
          const bool writes_chamber =
              storage::UpdateWrites(patch, request->update_mask(), "chamber_id");
          updated = CheckedWrite<socio::v1::Profile>(
              *store_, disclosure_, caller, patch.id(), "profile.id", request->expected_version(),
              [&](const socio::v1::Profile& stored) -> absl::Status {
                if (absl::Status s = CheckActsFor(caller, stored, "profile.id"); !s.ok()) return s;
                if (!writes_chamber || patch.chamber_id() == stored.chamber_id()) {
                  return absl::OkStatus();
                }
                if (caller.role == socio::v1::MEMBER) {
                  return absl::PermissionDeniedError(
                      absl::StrCat(caller.Describe(),
                                   " may not move itself to another chamber (profile.chamber_id)"));
                }
                return RequireChamber(caller, patch.chamber_id(), "profile.chamber_id");
              },
              [&](int64_t version) {
                return store_->Update(patch, request->update_mask(), version);
              });
        }
        if (!updated.ok()) return updated.status();
        *response = *std::move(updated);
        return absl::OkStatus();
      });
}

grpc::Status ProfileServiceImpl::DeleteProfile(grpc::ServerContext* context,
                                               const socio::v1::DeleteProfileRequest* request,
                                               socio::v1::DeleteProfileResponse* response) {
  return Serve(*auth_, disclosure_, context, *request, response,
               [&](const Caller& caller) -> absl::Status {
                 if (CallerGone(context)) return CallerGoneStatus();
                 absl::StatusOr<uint64_t> sequence;
                 if (caller.is_admin()) {
                   sequence = store_->Delete(request->id(), request->expected_version());
                 } else {
                   sequence = CheckedWrite<uint64_t>(
                       *store_, disclosure_, caller, request->id(), "id", request->expected_version(),
                       [&](const socio::v1::Profile& stored) {
                         return RequireChamber(caller, stored.chamber_id(), "id");
                       },
                       [&](int64_t version) { return store_->Delete(request->id(), version); });
                 }
                 if (!sequence.ok()) return sequence.status();
                 response->set_sequence(*sequence);
                 return absl::OkStatus();
               });
}

grpc::Status ProfileServiceImpl::ListProfiles(grpc::ServerContext* context,
                                              const socio::v1::ListProfilesRequest* request,
                                              socio::v1::ListProfilesResponse* response) {
  return Serve(
      *auth_, disclosure_, context, *request, response, [&](const Caller& caller) -> absl::Status {
        if (caller.role == socio::v1::MEMBER) {
          return absl::PermissionDeniedError(
              absl::StrCat(caller.Describe(), " may not list profiles; GetProfile reads its own"));
        }
        Disclosure::Call disclosure(disclosure_, caller);
        // Staff see their chamber's members and the federation's: pages are
        // filled from those alone.
        absl::StatusOr<storage::ProfilePage> page = store_->List({
            .chamber_id = request->chamber_id(),
            .country = request->country(),
            .sector_prefix = request->sector_prefix(),
            .query = request->query(),
            .order_by = request->order_by(),
            .count_total = request->include_total_size(),
            .page_size = request->page_size(),
            .page_token = request->page_token(),
            // An anonymous company is met through matches, not looked up in a
            // list (its name would be searched or sorted on).
            .keep =
                [&](const socio::v1::Profile& profile) {
                  return CanRead(caller, profile) && disclosure.Sees(profile);
                },
        });
        if (!page.ok()) return page.status();
        for (socio::v1::Profile& profile : page->profiles) {
          *response->add_profiles() = std::move(profile);
        }
        response->set_next_page_token(std::move(page->next_page_token));
        response->set_total_size(page->total_size);
        return absl::OkStatus();
      });
}

namespace {

// The ImportError listed for item `index` of the stream, id `id`.
socio::v1::ImportError ImportErrorOf(int64_t index, const std::string& id,
                                     const absl::Status& status) {
  socio::v1::ImportError error;
  error.set_index(index);
  error.set_id(id);
  error.set_code(absl::StatusCodeToString(status.code()));
  error.set_message(std::string(status.message()));
  return error;
}

// An import's summary as its batches are written: the counts, and the
// errors listed in stream order up to kMaxListedImportErrors, the rest
// counted as omitted. Record runs on the batch writer's thread; the owner
// reads the summary once the writer is flushed.
class ImportTally {
 public:
  explicit ImportTally(socio::v1::ImportProfilesSummary* summary) : summary_(summary) {}

  // Counts a written batch whose items are numbers `indices` of the stream.
  void Record(const std::vector<int64_t>& indices, const std::vector<socio::v1::Profile>& items,
              const storage::BatchResults& results) {
    for (size_t i = 0; i < results.size(); ++i) {
      if (results[i].ok()) {
        if (*results[i] == ProfileChange::CREATED) {
          summary_->set_created(summary_->created() + 1);
        } else {
          summary_->set_updated(summary_->updated() + 1);
        }
        continue;
      }
      summary_->set_rejected(summary_->rejected() + 1);
      List(ImportErrorOf(indices[i], items[i].id(), results[i].status()));
    }
  }

  // Adds items refused before they reached the store, keeping the listed
  // errors in stream order.
  void AddRefused(std::vector<socio::v1::ImportError> refused) {
    if (refused.empty()) return;
    std::vector<socio::v1::ImportError> merged(summary_->errors().begin(),
                                               summary_->errors().end());
    merged.insert(merged.end(), std::make_move_iterator(refused.begin()),
                  std::make_move_iterator(refused.end()));
    std::stable_sort(merged.begin(), merged.end(), [](const auto& a, const auto& b) {
      return a.index() < b.index();
    });
    summary_->set_rejected(summary_->rejected() + static_cast<int64_t>(refused.size()));
    summary_->clear_errors();
    for (socio::v1::ImportError& error : merged) List(std::move(error));
  }

 private:
  void List(socio::v1::ImportError error) {
    if (summary_->errors_size() < ProfileServiceImpl::kMaxListedImportErrors) {
      *summary_->add_errors() = std::move(error);
    } else {
      summary_->set_errors_omitted(summary_->errors_omitted() + 1);
    }
  }

  socio::v1::ImportProfilesSummary* const summary_;
};

// How a read from an import stream came out.
enum class ImportRead { kMessage, kEnd, kUnparsable };

// A field number the request does not have (the largest there is).
constexpr int kUnreadMark = 536'870'911;

// ServerReader::Read returns false both at the end of the stream and for a
// message that does not parse. Parsing clears the message before reading
// into it, so a mark put on `request` before the read and gone after a
// failed one means a message came and did not parse. (A crafted message that
// carries the mark itself before its flaw passes for the end; `more` still
// tells that the stream ended early.)
ImportRead ReadImportMessage(grpc::ServerReader<socio::v1::ImportProfilesRequest>* reader,
                             socio::v1::ImportProfilesRequest* request) {
  request->Clear();
  const google::protobuf::Reflection* reflection = request->GetReflection();
  reflection->MutableUnknownFields(request)->AddVarint(kUnreadMark, 1);
  if (reader->Read(request)) return ImportRead::kMessage;
  const google::protobuf::UnknownFieldSet& unknown = reflection->GetUnknownFields(*request);
  const bool untouched = unknown.field_count() == 1 && unknown.field(0).number() == kUnreadMark;
  return untouched ? ImportRead::kEnd : ImportRead::kUnparsable;
}

// The answer to an import that did not complete (its stream ended before its
// last message, or the disk filled): `why`, then what of the items read was
// stored.
absl::Status IncompleteImport(absl::string_view why,
                              const socio::v1::ImportProfilesSummary& summary,
                              absl::StatusCode code = absl::StatusCode::kInvalidArgument) {
  const int64_t stored = summary.created() + summary.updated();
  const int64_t messages = summary.messages_received();
  return absl::Status(
      code, absl::StrCat(why, "; read before: ", messages,
                         messages == 1 ? " message, " : " messages, ", summary.received(),
                         " items, of which ", stored, " stored (", summary.created(), " created, ",
                         summary.updated(), " updated) in the batches committed before; the other ",
                         summary.received() - stored,
                         code == absl::StatusCode::kDeadlineExceeded
                             ? " not known to be stored: read them back before importing again"
                             : " not stored"));
}

}  // namespace

grpc::Status ProfileServiceImpl::ImportProfiles(
    grpc::ServerContext* context, grpc::ServerReader<socio::v1::ImportProfilesRequest>* reader,
    socio::v1::ImportProfilesSummary* response) {
  return Serve(*auth_, context, [&](const Caller& caller) -> absl::Status {
    if (!caller.is_admin() && caller.role != socio::v1::STAFF) {
      return absl::PermissionDeniedError(
          absl::StrCat(caller.Describe(), " may not import profiles (staff and operators only)"));
    }
    // The writer's destructor waits for the batch in hand, so however the
    // call ends, it ends with every batch handed over written; the tally
    // outlives it.
    ImportTally tally(response);
    storage::ProfileBatchWriter writer(store_);
    std::vector<socio::v1::Profile> pending;
    std::vector<int64_t> pending_indices;
    std::vector<socio::v1::ImportError> refused;
    int64_t received = 0;
    bool upsert = false;
    const auto flush = [&] {
      if (pending.empty()) return;
      writer.Write(
          store_->Prepare(std::move(pending), upsert),
          [&tally, indices = std::move(pending_indices)](
              const std::vector<socio::v1::Profile>& items, const storage::BatchResults& results) {
            tally.Record(indices, items, results);
          });
      pending = {};
      pending.reserve(kImportBatchSize);
      pending_indices = {};
    };
    // Staff import into their own chamber only, and never overwrite another
    // chamber's profile.
    const auto refusal = [&](const socio::v1::Profile& profile) -> absl::Status {
      if (caller.is_admin()) return absl::OkStatus();
      if (absl::Status s = RequireChamber(caller, profile.chamber_id(), "profile.chamber_id");
          !s.ok()) {
        return s;
      }
      if (!upsert) return absl::OkStatus();
      absl::StatusOr<socio::v1::Profile> stored = store_->Get(profile.id());
      if (!stored.ok()) return absl::OkStatus();  // the store reports its own errors
      return RequireChamber(caller, stored->chamber_id(), "the stored profile's chamber_id");
    };

    // A retry of an import that finished is only read, to check it is the same.
    StreamAnswerOnce retry(*request_ids_, caller, "ImportProfiles");
    socio::v1::ImportProfilesRequest request;
    int64_t messages = 0;
    bool more = false;  // the last message read said more follow
    ImportRead read;
    while ((read = ReadImportMessage(reader, &request)) == ImportRead::kMessage) {
      ++messages;
      more = request.more();
      if (absl::Status s = retry.Add(&request); !s.ok()) return s;
      if (retry.answered()) continue;
      if (!request.profiles().empty() && request.upsert() != upsert) {
        flush();
        upsert = request.upsert();
      }
      for (socio::v1::Profile& profile : *request.mutable_profiles()) {
        const int64_t index = received++;
        if (absl::Status s = refusal(profile); !s.ok()) {
          refused.push_back(ImportErrorOf(index, profile.id(), s));
          continue;
        }
        pending.push_back(std::move(profile));
        pending_indices.push_back(index);
        if (static_cast<int>(pending.size()) == kImportBatchSize) flush();
      }
      if (context->IsCancelled()) {
        return absl::CancelledError("import cancelled; the batches committed before stay stored");
      }
    }
    // Read also fails when the caller cancels, its deadline passes or its
    // connection drops: the items read since the last batch are then not
    // written, as no write starts after its caller has given up.
    if (CallerGone(context)) {
      return absl::CancelledError("import cancelled; the batches committed before stay stored");
    }
    // A stream that ended early leaves the items read since the last batch
    // unwritten, as a cancelled one does.
    const bool ended_early = read == ImportRead::kUnparsable || more;
    if (retry.answered() && !ended_early) return retry.Finish(response);
    if (!ended_early) flush();
    writer.Flush();
    response->set_received(received);
    response->set_messages_received(messages);
    if (read == ImportRead::kUnparsable) {
      return IncompleteImport(
          absl::StrCat("message ", messages + 1,
                       " of the import stream does not parse as an ImportProfilesRequest (a "
                       "string that is not UTF-8, a broken field, ...); the import ends there"),
          *response);
    }
    if (more) {
      return IncompleteImport(absl::StrCat("the import stream ended after message ", messages,
                                           ", which said more follow (more: true)"),
                              *response);
    }
    // A full disk (or, on a cluster node, etcd out of reach) is the
    // operator's to fix, not an item's fault: the whole import says so, with
    // what was stored before.
    if (absl::Status failure = writer.store_failure(); !failure.ok()) {
      return IncompleteImport(failure.message(), *response, failure.code());
    }
    tally.AddRefused(std::move(refused));
    response->set_last_sequence(store_->LastSequence());
    // The import is committed whatever this says; a failure only leaves its
    // retry unrecognised.
    (void)retry.Finish(response);
    return absl::OkStatus();
  });
}

grpc::Status ProfileServiceImpl::WatchProfiles(grpc::ServerContext* context,
                                               const socio::v1::WatchProfilesRequest* request,
                                               grpc::ServerWriter<ProfileChange>* writer) {
  return Serve(*auth_, context, [&](const Caller& caller) -> absl::Status {
    if (absl::Status s = RequireAdmin(caller, "WatchProfiles (every chamber's changes)"); !s.ok()) {
      return s;
    }
    uint64_t after = request->after_sequence();
    // Where the log ends now, so the watcher can tell when it has caught up.
    context->AddInitialMetadata(kLastSequenceMetadata, absl::StrCat(store_->LastSequence()));
    writer->SendInitialMetadata();
    while (true) {
      if (absl::Status s = WatchGoesOn(context, shutting_down_, after); !s.ok()) return s;
      absl::StatusOr<std::vector<ProfileChange>> changes = store_->ReadChanges(after, kWatchChunk);
      if (!changes.ok()) return changes.status();
      // Operators only (above): the changes go out whole, contacts included,
      // as the matcher and planner roles that follow them need no less.
      for (const ProfileChange& change : *changes) {
        if (!writer->Write(change)) return absl::CancelledError("watcher went away");
        after = change.sequence();
      }
      if (changes->size() < kWatchChunk) store_->WaitForChangeAfter(after, kWatchPoll);
    }
  });
}

}  // namespace socio::services
