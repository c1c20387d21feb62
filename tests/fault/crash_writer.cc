#include "tests/fault/crash_writer.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/field_mask_util.h"
#include "services/profile_service.h"

namespace socio::fault {
namespace {

using socio::v1::Profile;

// Items per message of an import stream.
constexpr int kImportChunk = 250;
constexpr auto kCallDeadline = std::chrono::seconds(30);
// Generator indices donors come from: far from the ids in use, any will do.
constexpr uint64_t kDonorRange = 50'000'000;
// Generated members a WriterGroup's chamber book is drawn from.
constexpr int kChamberBookSample = 5000;
constexpr auto kInitialImportDeadline = std::chrono::minutes(5);

uint64_t Below(std::mt19937_64& rng, uint64_t n) { return n == 0 ? 0 : rng() % n; }
bool Percent(std::mt19937_64& rng, int percent) {
  return Below(rng, 100) < static_cast<uint64_t>(percent);
}

std::unique_ptr<grpc::ClientContext> Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + kCallDeadline);
  return context;
}

void RemoveAt(std::vector<std::string>* ids, size_t i) {
  (*ids)[i] = std::move(ids->back());
  ids->pop_back();
}

}  // namespace

bool EndedByKill(const grpc::Status& status) {
  switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::CANCELLED:
    case grpc::StatusCode::UNKNOWN:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return true;
    default:
      return false;
  }
}

void WriterCounts::Add(const WriterCounts& other) {
  creates += other.creates;
  updates += other.updates;
  checked_updates += other.checked_updates;
  deletes += other.deletes;
  checked_deletes += other.checked_deletes;
  imports += other.imports;
  import_items += other.import_items;
}

struct CrashWriter::Call {
  Write write;
  socio::v1::CreateProfileRequest create;
  socio::v1::UpdateProfileRequest update;
  socio::v1::DeleteProfileRequest remove;
  std::vector<socio::v1::ImportProfilesRequest> import;
  int64_t import_new = 0;
  int64_t import_existing = 0;
  // The id's place in present_ (update, delete) or absent_ (recreate).
  size_t picked = 0;
  bool recreate = false;
  // Set by Send when the server acknowledged the write with a wrong answer.
  std::string wrong_answer;
};

WriterCounts CrashWriter::TakeCounts() { return std::exchange(counts_, WriterCounts{}); }

Profile CrashWriter::Donor(std::mt19937_64& rng) const {
  return options_.generator->Generate(Below(rng, kDonorRange));
}

Profile CrashWriter::Edit(const Profile& current, std::mt19937_64& rng,
                          std::vector<std::string>* mask) {
  const Profile donor = Donor(rng);
  Profile edited = current;
  std::vector<std::string> paths;
  const auto move_chamber = [&]() -> bool {
    auto it = options_.chambers->find(current.country());
    if (it == options_.chambers->end() || it->second.size() < 2) return false;
    std::string chamber;
    do {
      chamber = it->second[Below(rng, it->second.size())];
    } while (chamber == current.chamber_id());
    edited.set_chamber_id(chamber);
    return true;
  };
  switch (Below(rng, 4)) {
    case 0:  // new figures and wording
      edited.set_employees(donor.employees());
      edited.set_description(donor.description());
      *edited.mutable_keywords() = donor.keywords();
      paths = {"employees", "description", "keywords"};
      break;
    case 1:  // new plans
      *edited.mutable_objectives() = donor.objectives();
      *edited.mutable_target_markets() = donor.target_markets();
      paths = {"objectives", "target_markets"};
      break;
    case 2:  // joins another chamber of its country
      if (move_chamber()) {
        paths = {"chamber_id"};
        break;
      }
      [[fallthrough]];
    default:  // the whole profile sent again, some of it changed
      edited.set_description(donor.description());
      *edited.mutable_objectives() = donor.objectives();
      edited.set_employees(donor.employees());
      if (Percent(rng, 30)) move_chamber();
      break;
  }
  chambers_written_.insert(edited.chamber_id());
  *mask = std::move(paths);
  return edited;
}

CrashWriter::Call CrashWriter::PrepareCreate(std::mt19937_64& rng) {
  Call call;
  call.write.kind = Write::kCreate;
  Profile profile = options_.generator->Generate(options_.next_index->fetch_add(1));
  if (!absent_.empty() && Percent(rng, 30)) {  // a deleted member comes back
    call.recreate = true;
    call.picked = Below(rng, absent_.size());
    profile.set_id(absent_[call.picked]);
  }
  chambers_written_.insert(profile.chamber_id());
  ProfileState outcome = StateOf(profile);
  outcome.version = 1;
  call.write.outcomes.emplace_back(profile.id(), std::move(outcome));
  *call.create.mutable_profile() = std::move(profile);
  return call;
}

CrashWriter::Call CrashWriter::PrepareUpdate(std::mt19937_64& rng) {
  Call call;
  call.write.kind = Write::kUpdate;
  call.picked = Below(rng, present_.size());
  const std::string& id = present_[call.picked];
  const ProfileState& now = ledger_.known().at(id);
  Profile current = now.content;
  std::vector<std::string> paths;
  Profile edited = Edit(current, rng, &paths);
  if (paths.empty()) {
    *call.update.mutable_profile() = edited;
    call.update.mutable_update_mask()->add_paths("*");  // a full replacement
  } else {
    // Only the named fields are sent: the others must stay as stored.
    for (const std::string& path : paths) call.update.mutable_update_mask()->add_paths(path);
    Profile* patch = call.update.mutable_profile();
    patch->set_id(id);
    google::protobuf::util::FieldMaskUtil::MergeOptions options;
    options.set_replace_repeated_fields(true);
    google::protobuf::util::FieldMaskUtil::MergeMessageTo(edited, call.update.update_mask(),
                                                          options, patch);
  }
  if (Percent(rng, 50)) call.update.set_expected_version(now.version);
  ProfileState outcome = StateOf(edited);
  outcome.version = now.version + 1;
  call.write.outcomes.emplace_back(id, std::move(outcome));
  return call;
}

CrashWriter::Call CrashWriter::PrepareDelete(std::mt19937_64& rng) {
  Call call;
  call.write.kind = Write::kDelete;
  call.picked = Below(rng, present_.size());
  const std::string& id = present_[call.picked];
  call.remove.set_id(id);
  if (Percent(rng, 50)) call.remove.set_expected_version(ledger_.known().at(id).version);
  call.write.outcomes.emplace_back(id, ProfileState{});
  return call;
}

CrashWriter::Call CrashWriter::PrepareImport(std::mt19937_64& rng) {
  Call call;
  call.write.kind = Write::kImport;
  call.write.batch_size = services::ProfileServiceImpl::kImportBatchSize;
  const bool upsert = Percent(rng, 70);
  const int items = 1 + static_cast<int>(Below(rng, options_.max_import_items));
  // Existing members resent (upsert only) and new ones, keeping the writer
  // near its target: new ones only while it is below 110 % of it (a few more
  // in a create-only stream, which deletes make up for).
  const int present = static_cast<int>(present_.size());
  const int room = std::max(0, options_.target_present * 11 / 10 - present);
  int fresh = 0;
  int existing = 0;
  if (upsert) {
    fresh = std::min(room, static_cast<int>(Below(rng, items / 4 + 1)));
    existing = std::min(present, items - fresh);
  } else {
    fresh = std::min(items, std::max(room, 10));
  }
  if (fresh + existing == 0) fresh = 1;
  std::vector<std::string> chosen = present_;
  std::shuffle(chosen.begin(), chosen.end(), rng);
  chosen.resize(existing);
  std::vector<Profile> profiles;
  for (const std::string& id : chosen) {
    const ProfileState& now = ledger_.known().at(id);
    std::vector<std::string> ignored;
    Profile edited = Edit(now.content, rng, &ignored);
    ProfileState outcome = StateOf(edited);
    outcome.version = now.version + 1;
    call.write.outcomes.emplace_back(id, std::move(outcome));
    profiles.push_back(std::move(edited));
  }
  for (int i = 0; i < fresh; ++i) {
    Profile profile = options_.generator->Generate(options_.next_index->fetch_add(1));
    chambers_written_.insert(profile.chamber_id());
    ProfileState outcome = StateOf(profile);
    outcome.version = 1;
    call.write.outcomes.emplace_back(profile.id(), std::move(outcome));
    profiles.push_back(std::move(profile));
  }
  // Stream order: new and resent members mixed.
  std::vector<size_t> order(profiles.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), rng);
  std::vector<std::pair<std::string, ProfileState>> outcomes;
  for (size_t i : order) {
    if (call.import.empty() || call.import.back().profiles_size() == kImportChunk) {
      call.import.emplace_back().set_upsert(upsert);
    }
    *call.import.back().add_profiles() = std::move(profiles[i]);
    outcomes.push_back(std::move(call.write.outcomes[i]));
  }
  call.write.outcomes = std::move(outcomes);
  call.import_existing = existing;
  call.import_new = fresh;
  return call;
}

grpc::Status CrashWriter::Send(socio::v1::ProfileService::Stub& stub, Call& call) {
  const std::string& first_id = call.write.outcomes.front().first;
  const ProfileState& expected = call.write.outcomes.front().second;
  switch (call.write.kind) {
    case Write::kCreate:
    case Write::kUpdate: {
      Profile answer;
      grpc::Status status = call.write.kind == Write::kCreate
                                ? stub.CreateProfile(Context().get(), call.create, &answer)
                                : stub.UpdateProfile(Context().get(), call.update, &answer);
      if (!status.ok()) return status;
      if (!SameState(StateOf(answer), expected)) {
        call.wrong_answer = absl::StrCat("the acknowledged ", KindName(call.write.kind), " of '",
                                         first_id, "' answered ", Describe(StateOf(answer)),
                                         ", expected ", Describe(expected));
      }
      return status;
    }
    case Write::kDelete: {
      socio::v1::DeleteProfileResponse answer;
      grpc::Status status = stub.DeleteProfile(Context().get(), call.remove, &answer);
      if (status.ok() && answer.sequence() == 0) {
        call.wrong_answer =
            absl::StrCat("the acknowledged delete of '", first_id, "' answered sequence 0");
      }
      return status;
    }
    case Write::kImport: {
      socio::v1::ImportProfilesSummary summary;
      auto context = Context();
      auto stream = stub.ImportProfiles(context.get(), &summary);
      for (const socio::v1::ImportProfilesRequest& message : call.import) {
        if (!stream->Write(message)) break;  // Finish says why
      }
      stream->WritesDone();
      grpc::Status status = stream->Finish();
      if (!status.ok()) return status;
      const int64_t items = static_cast<int64_t>(call.write.outcomes.size());
      if (summary.received() != items || summary.created() != call.import_new ||
          summary.updated() != call.import_existing || summary.rejected() != 0) {
        call.wrong_answer = absl::StrCat(
            "the acknowledged import of ", items, " items (", call.import_new, " new, ",
            call.import_existing, " resent) answered received ", summary.received(), ", created ",
            summary.created(), ", updated ", summary.updated(), ", rejected ", summary.rejected(),
            summary.errors_size() > 0 ? absl::StrCat(" (first: ", summary.errors(0).id(), ": ",
                                                     summary.errors(0).message(), ")")
                                      : "");
      }
      return status;
    }
  }
  return grpc::Status::OK;
}

void CrashWriter::Acknowledged(const Call& call) {
  switch (call.write.kind) {
    case Write::kCreate:
      ++counts_.creates;
      if (call.recreate) RemoveAt(&absent_, call.picked);
      present_.push_back(call.write.outcomes.front().first);
      break;
    case Write::kUpdate:
      ++counts_.updates;
      if (call.update.expected_version() != 0) ++counts_.checked_updates;
      break;
    case Write::kDelete:
      ++counts_.deletes;
      if (call.remove.expected_version() != 0) ++counts_.checked_deletes;
      absent_.push_back(call.write.outcomes.front().first);
      RemoveAt(&present_, call.picked);
      break;
    case Write::kImport:
      ++counts_.imports;
      counts_.import_items += static_cast<int64_t>(call.write.outcomes.size());
      for (const auto& [id, outcome] : call.write.outcomes) {
        if (outcome.version == 1) present_.push_back(id);
      }
      break;
  }
  ledger_.Acknowledge();
}

void CrashWriter::Run(const std::shared_ptr<grpc::Channel>& channel, uint64_t seed,
                      const std::atomic<bool>& stop, const std::atomic<bool>& killed) {
  auto stub = socio::v1::ProfileService::NewStub(channel);
  std::mt19937_64 rng(seed);
  present_ = ledger_.PresentIds();
  absent_ = ledger_.AbsentIds();
  while (!stop) {
    const int present = static_cast<int>(present_.size());
    const int target = options_.target_present;
    // Percentages: creates and deletes keep the writer near its target.
    const uint64_t roll = Below(rng, 100);
    const uint64_t creates = present < target ? 20 : 6;
    const uint64_t imports = creates + 3;
    const uint64_t deletes = imports + (present > target ? 30 : 8);
    Call call;
    if (present == 0 || roll < creates) {
      call = PrepareCreate(rng);
    } else if (roll < imports) {
      call = PrepareImport(rng);
    } else if (roll < deletes) {
      call = PrepareDelete(rng);
    } else {
      call = PrepareUpdate(rng);
    }
    ledger_.Begin(call.write);
    grpc::Status status = Send(*stub, call);
    if (status.ok() && call.wrong_answer.empty()) {
      Acknowledged(call);
      continue;
    }
    if (status.ok()) {
      errors_.push_back(absl::StrCat("writer ", options_.number, ": ", call.wrong_answer));
      return;
    }
    if (killed && EndedByKill(status)) return;  // in flight at the kill
    errors_.push_back(
        absl::StrCat("writer ", options_.number, ": ", KindName(call.write.kind), " of '",
                     call.write.outcomes.front().first, "'",
                     call.write.outcomes.size() > 1
                         ? absl::StrCat(" and ", call.write.outcomes.size() - 1, " more")
                         : "",
                     killed ? " (after the kill)" : " (before the kill)",
                     " failed: ", status.error_code(), ": ", status.error_message()));
    return;
  }
}

WriterGroup::WriterGroup(WriterGroupOptions options)
    : options_(std::move(options)), generator_({.seed = options_.seed}) {
  for (int i = 0; i < kChamberBookSample; ++i) {
    const Profile p = generator_.Generate(static_cast<uint64_t>(i));
    std::vector<std::string>& chambers = chambers_[p.country()];
    if (std::find(chambers.begin(), chambers.end(), p.chamber_id()) == chambers.end()) {
      chambers.push_back(p.chamber_id());
    }
  }
  std::vector<int> owned(static_cast<size_t>(options_.writers), 0);
  for (int i = 0; i < options_.initial_profiles; ++i) ++owned[options_.owner_of(i)];
  for (int w = 0; w < options_.writers; ++w) {
    writers_.push_back(std::make_unique<CrashWriter>(WriterOptions{
        .number = w,
        .target_present = std::max(1, owned[static_cast<size_t>(w)]),
        .max_import_items = options_.max_import_items,
        .generator = &generator_,
        .next_index = &next_index_,
        .chambers = &chambers_,
    }));
  }
}

grpc::Status WriterGroup::ImportInitialProfiles(socio::v1::ProfileService::Stub& stub,
                                                int64_t* created) {
  std::vector<Write> owned(writers_.size());
  socio::v1::ImportProfilesSummary summary;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + kInitialImportDeadline);
  auto stream = stub.ImportProfiles(&context, &summary);
  socio::v1::ImportProfilesRequest message;
  for (int i = 0; i < options_.initial_profiles; ++i) {
    Profile profile = NewProfile();
    ProfileState state = StateOf(profile);
    state.version = 1;
    Write& write = owned[options_.owner_of(i)];
    write.kind = Write::kImport;
    write.outcomes.emplace_back(profile.id(), std::move(state));
    *message.add_profiles() = std::move(profile);
    if (message.profiles_size() == kImportChunk || i + 1 == options_.initial_profiles) {
      if (!stream->Write(message)) break;
      message.Clear();
    }
  }
  stream->WritesDone();
  grpc::Status status = stream->Finish();
  *created = summary.created();
  if (!status.ok() || summary.created() != options_.initial_profiles) return status;
  for (size_t w = 0; w < writers_.size(); ++w) {
    writers_[w]->ledger().Begin(std::move(owned[w]));
    writers_[w]->ledger().Acknowledge();
  }
  return status;
}

Profile WriterGroup::NewProfile() { return generator_.Generate(next_index_.fetch_add(1)); }

std::vector<WriterLedger*> WriterGroup::Ledgers() {
  std::vector<WriterLedger*> ledgers;
  for (auto& writer : writers_) ledgers.push_back(&writer->ledger());
  return ledgers;
}

absl::btree_set<std::string> WriterGroup::ChambersWritten() const {
  absl::btree_set<std::string> all;
  for (const auto& writer : writers_) {
    all.insert(writer->chambers_written().begin(), writer->chambers_written().end());
  }
  return all;
}

}  // namespace socio::fault
