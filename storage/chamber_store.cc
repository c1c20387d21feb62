#include "storage/chamber_store.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/field_mask_util.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "storage/internal/encoding.h"
#include "storage/internal/field_checks.h"
#include "storage/internal/key_page.h"
#include "storage/update_mask.h"

namespace socio::storage {
namespace {

using google::protobuf::FieldMask;
using google::protobuf::util::FieldMaskUtil;
using internal::CheckDisplayLine;
using internal::CheckLength;
using internal::FieldError;
using internal::Indexed;
using internal::IsBlank;
using internal::ToTimestamp;
using socio::v1::Chamber;
using socio::v1::ChamberPartner;
using socio::v1::Notification;

constexpr absl::string_view kNul("\0", 1);

// chamber_partners keys: chamber \0 partner -> the link as chamber sees it.
std::string LinkPrefix(absl::string_view chamber_id) { return absl::StrCat(chamber_id, kNul); }
std::string LinkKey(absl::string_view chamber_id, absl::string_view partner_id) {
  return absl::StrCat(chamber_id, kNul, partner_id);
}

absl::StatusOr<int> PageSize(int page_size) {
  if (page_size < 0 || page_size > ChamberStore::kMaxPageSize) {
    return FieldError("page_size", absl::StrCat("must be 0 to ", ChamberStore::kMaxPageSize,
                                                ", not ", page_size));
  }
  return page_size == 0 ? ChamberStore::kDefaultPageSize : page_size;
}

absl::Status CheckPair(absl::string_view chamber_id, absl::string_view partner_id) {
  if (absl::Status s = ValidateId("chamber_id", chamber_id); !s.ok()) return s;
  if (absl::Status s = ValidateId("partner_chamber_id", partner_id); !s.ok()) return s;
  if (chamber_id == partner_id) {
    return FieldError("partner_chamber_id", "a chamber cannot be its own partner");
  }
  return absl::OkStatus();
}

constexpr absl::string_view kWritable[] = {"name",      "country",  "city",
                                           "languages", "contacts", "website"};

bool IsWritable(absl::string_view path) {
  return std::find(std::begin(kWritable), std::end(kWritable), path) != std::end(kWritable);
}

template <typename Message>
absl::StatusOr<Message> Parse(absl::string_view value, absl::string_view what) {
  Message message;
  if (!message.ParseFromString(std::string(value))) {
    return absl::DataLossError(absl::StrCat(what, " does not parse"));
  }
  return message;
}

}  // namespace

ChamberPartner MirrorLink(const ChamberPartner& link) {
  ChamberPartner mirror = link;
  mirror.set_chamber_id(link.partner_chamber_id());
  mirror.set_partner_chamber_id(link.chamber_id());
  mirror.clear_partner_name();
  return mirror;
}

absl::StatusOr<std::unique_ptr<ChamberStore>> ChamberStore::Open(
    std::shared_ptr<Database> database, NotificationStore* notifications,
    const ChamberStoreOptions& options) {
  if (database == nullptr) return absl::InvalidArgumentError("database: is required");
  if (notifications == nullptr) return absl::InvalidArgumentError("notifications: is required");
  if (options.reference == nullptr) return absl::InvalidArgumentError("reference: is required");
  if ((options.view == nullptr) != (options.cluster == nullptr) ||
      (options.cluster != nullptr) != notifications->clustered()) {
    return absl::InvalidArgumentError(
        "ChamberStoreOptions.view and .cluster go together (cluster mode, with the notifications "
        "in cluster mode too) or not at all");
  }
  if (database->has_chamber_store_.exchange(true)) {
    return absl::FailedPreconditionError(
        absl::StrCat("a ChamberStore is already open over the database in ", database->dir()));
  }
  return std::unique_ptr<ChamberStore>(
      new ChamberStore(std::move(database), notifications, options));
}

ChamberStore::ChamberStore(std::shared_ptr<Database> database, NotificationStore* notifications,
                           const ChamberStoreOptions& options)
    : database_(std::move(database)),
      notifications_(notifications),
      options_(options),
      validator_(options.reference),
      records_{.database = database_.get(),
               .notifications = notifications,
               .view = options.view,
               .cluster = options.cluster,
               .sync_writes = options.sync_writes},
      chambers_{database_->chambers(), "socio/chambers/", RecordTable::Keys::kVerbatim},
      // "<chamber>/<partner>" (ids have no '/') is the family's "<chamber>\0<partner>".
      links_{database_->chamber_partners(), "socio/chamber-partners/",
             RecordTable::Keys::kNulAsSlash} {
  if (!options_.sync_writes) database_->sync_wal_on_close_ = true;
  mirrors_.Follow(options_.view, chambers_, [](absl::string_view id, const std::string& value) {
    Chamber chamber;
    if (!chamber.ParseFromString(value) || chamber.id() != id) {
      return absl::DataLossError(
          absl::StrCat("cluster: the record 'socio/chambers/", id, "' is not that chamber's"));
    }
    return absl::OkStatus();
  });
  mirrors_.Follow(options_.view, links_, [](absl::string_view key, const std::string& value) {
    ChamberPartner link;
    if (!link.ParseFromString(value) ||
        key != LinkKey(link.chamber_id(), link.partner_chamber_id())) {
      return absl::DataLossError(
          "cluster: a record under 'socio/chamber-partners/' is not that partner link");
    }
    return absl::OkStatus();
  });
}

ChamberStore::~ChamberStore() { database_->has_chamber_store_ = false; }

absl::Time ChamberStore::Now() const { return options_.clock ? options_.clock() : absl::Now(); }

absl::Status ChamberStore::Check(Chamber* c) const {
  c->DiscardUnknownFields();
  if (absl::Status s = ValidateId("chamber.id", c->id()); !s.ok()) return s;
  if (IsBlank(c->name())) return FieldError("chamber.name", "is required");
  if (absl::Status s = CheckDisplayLine("chamber.name", c->name(), kMaxName); !s.ok()) return s;
  if (c->country().empty()) return FieldError("chamber.country", "is required");
  if (absl::Status s = validator_.CheckCountry("chamber.country", c->country()); !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckDisplayLine("chamber.city", c->city(), kMaxCity); !s.ok()) return s;
  if (absl::Status s =
          validator_.CheckLanguageList("chamber.languages", c->languages(), kMaxLanguages);
      !s.ok()) {
    return s;
  }
  if (c->contacts_size() > kMaxContacts) {
    return FieldError("chamber.contacts",
                      absl::StrCat("has ", c->contacts_size(), " entries; at most ", kMaxContacts,
                                   " are allowed"));
  }
  for (int i = 0; i < c->contacts_size(); ++i) {
    if (absl::Status s = validator_.CheckContact(Indexed("chamber.contacts", i), c->contacts(i));
        !s.ok()) {
      return s;
    }
  }
  if (!c->website().empty() && !internal::IsHttpUrl(c->website())) {
    return FieldError("chamber.website", absl::StrCat("'", c->website(),
                                                      "' is not an http:// or https:// URL "
                                                      "with a host and no spaces"));
  }
  return absl::OkStatus();
}

absl::StatusOr<Chamber> ChamberStore::Read(absl::string_view id, absl::string_view field,
                                           RecordBatch* batch) const {
  absl::StatusOr<std::optional<std::string>> stored =
      RecordBatch::Read(*database_, chambers_, id, batch);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) {
    return absl::NotFoundError(absl::StrCat(field, ": no chamber record '", id, "'"));
  }
  return Parse<Chamber>(**stored, absl::StrCat("chamber ", id));
}

absl::StatusOr<Chamber> ChamberStore::Get(absl::string_view id, absl::string_view field) const {
  if (absl::Status s = ValidateId(field, id); !s.ok()) return s;
  return Read(id, field);
}

absl::StatusOr<Chamber> ChamberStore::Create(Chamber chamber, const RequestTicket* ticket) {
  if (absl::Status s = Check(&chamber); !s.ok()) return s;
  const absl::Time now = Now();
  chamber.set_version(1);
  *chamber.mutable_create_time() = ToTimestamp(now);
  *chamber.mutable_update_time() = ToTimestamp(now);

  return RetryingRaces<Chamber>(&write_mu_, [&](bool* raced) -> absl::StatusOr<Chamber> {
    absl::StatusOr<std::optional<Chamber>> answered =
        RequestIdStore::FindAnswer<Chamber>(*database_, ticket);
    if (!answered.ok()) return answered.status();
    if (answered->has_value()) return **answered;
    RecordBatch batch(records_);
    absl::StatusOr<Chamber> stored = Read(chamber.id(), "chamber.id", &batch);
    if (stored.ok()) {
      return absl::AlreadyExistsError(
          absl::StrCat("chamber.id: chamber '", chamber.id(), "' has a record already"));
    }
    if (!absl::IsNotFound(stored.status())) return stored.status();
    const std::string bytes = chamber.SerializeAsString();
    if (absl::Status s = batch.Put(chambers_, chamber.id(), bytes); !s.ok()) return s;
    if (absl::Status s = batch.Commit({}, ticket, bytes, raced); !s.ok()) return s;
    return chamber;
  });
}

absl::StatusOr<std::pair<std::vector<Chamber>, std::string>> ChamberStore::List(
    absl::string_view country, int page_size, absl::string_view page_token) const {
  if (!country.empty()) {
    if (absl::Status s = validator_.CheckCountry("country", country); !s.ok()) return s;
  }
  absl::StatusOr<int> size = PageSize(page_size);
  if (!size.ok()) return size.status();
  return internal::KeyPage<Chamber>(
      *database_->db(), database_->chambers(), "",
      {.kind = "chambers", .filters = {std::string(country)}, .mismatch = "country"}, *size,
      page_token, "list chambers",
      [&](absl::string_view key,
          absl::string_view value) -> absl::StatusOr<std::optional<Chamber>> {
        absl::StatusOr<Chamber> c = Parse<Chamber>(value, absl::StrCat("chamber ", key));
        if (!c.ok()) return c.status();
        if (!country.empty() && c->country() != country) return std::nullopt;
        return *std::move(c);
      });
}

absl::StatusOr<Chamber> ChamberStore::Update(const Chamber& patch, const FieldMask& mask,
                                             int64_t expected_version) {
  for (int i = 0; i < mask.paths_size(); ++i) {
    const std::string& path = mask.paths(i);
    if (path == kReplaceAll || IsWritable(path)) continue;
    return FieldError(Indexed("update_mask.paths", i),
                      absl::StrCat("'", path,
                                   "' cannot be written (name, country, city, languages, "
                                   "contacts and website can)"));
  }
  if (expected_version < 0) return FieldError("expected_version", "must not be negative");
  if (absl::Status s = ValidateId("chamber.id", patch.id()); !s.ok()) return s;
  absl::StatusOr<FieldMask> resolved = ResolveUpdateMask(patch, mask, "chamber", IsWritable);
  if (!resolved.ok()) return resolved.status();

  return RetryingRaces<Chamber>(&write_mu_, [&](bool* raced) -> absl::StatusOr<Chamber> {
    RecordBatch batch(records_);
    absl::StatusOr<Chamber> stored = Read(patch.id(), "chamber.id", &batch);
    if (!stored.ok()) return stored.status();
    Chamber& chamber = *stored;
    if (expected_version > 0 && expected_version != chamber.version()) {
      return absl::AbortedError(absl::StrCat("chamber ", patch.id(), " is at version ",
                                             chamber.version(), ", not ", expected_version,
                                             "; read it again and retry"));
    }
    FieldMaskUtil::MergeOptions merge;
    merge.set_replace_message_fields(true);
    merge.set_replace_repeated_fields(true);
    FieldMaskUtil::MergeMessageTo(patch, *resolved, merge, &chamber);
    if (absl::Status s = Check(&chamber); !s.ok()) return s;
    chamber.set_version(chamber.version() + 1);
    *chamber.mutable_update_time() = ToTimestamp(Now());
    if (absl::Status s = batch.Put(chambers_, chamber.id(), chamber.SerializeAsString()); !s.ok()) {
      return s;
    }
    if (absl::Status s = batch.Commit({}, nullptr, "", raced); !s.ok()) return s;
    return chamber;
  });
}

absl::StatusOr<Chamber> ChamberStore::Delete(absl::string_view id, int64_t expected_version) {
  if (absl::Status s = ValidateId("id", id); !s.ok()) return s;
  if (expected_version < 0) return FieldError("expected_version", "must not be negative");
  return RetryingRaces<Chamber>(&write_mu_, [&](bool* raced) -> absl::StatusOr<Chamber> {
    RecordBatch batch(records_);
    absl::StatusOr<Chamber> stored = Read(id, "id", &batch);
    if (!stored.ok()) return stored.status();
    if (expected_version > 0 && expected_version != stored->version()) {
      return absl::AbortedError(absl::StrCat("chamber ", id, " is at version ", stored->version(),
                                             ", not ", expected_version,
                                             "; read it again and retry"));
    }
    if (absl::Status s = batch.Delete(chambers_, id); !s.ok()) return s;
    if (absl::Status s = batch.Commit({}, nullptr, "", raced); !s.ok()) return s;
    return stored;
  });
}

absl::StatusOr<ChamberPartner> ChamberStore::ReadLink(absl::string_view chamber_id,
                                                      absl::string_view partner_id,
                                                      RecordBatch* batch) const {
  absl::StatusOr<std::optional<std::string>> stored =
      RecordBatch::Read(*database_, links_, LinkKey(chamber_id, partner_id), batch);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) {
    return absl::NotFoundError(absl::StrCat("partner_chamber_id: chamber '", chamber_id,
                                            "' has no partner link with '", partner_id, "'"));
  }
  return Parse<ChamberPartner>(**stored,
                               absl::StrCat("the link of ", chamber_id, " and ", partner_id));
}

ChamberPartner ChamberStore::Named(ChamberPartner link) const {
  absl::StatusOr<Chamber> partner = Read(link.partner_chamber_id(), "partner_chamber_id");
  // A partner without a record (or one that cannot be read now) goes by its
  // id alone: the name is a convenience of the answer.
  if (partner.ok()) link.set_partner_name(partner->name());
  return link;
}

absl::StatusOr<ChamberPartner> ChamberStore::GetPartner(absl::string_view chamber_id,
                                                        absl::string_view partner_id) const {
  if (absl::Status s = CheckPair(chamber_id, partner_id); !s.ok()) return s;
  absl::StatusOr<ChamberPartner> link = ReadLink(chamber_id, partner_id);
  if (!link.ok()) return link.status();
  return Named(*std::move(link));
}

absl::Status ChamberStore::AddLink(const ChamberPartner& link, RecordBatch* batch) const {
  ChamberPartner mine = link;
  mine.clear_partner_name();
  const ChamberPartner theirs = MirrorLink(mine);
  for (const ChamberPartner* side : {static_cast<const ChamberPartner*>(&mine), &theirs}) {
    if (absl::Status s = batch->Put(links_, LinkKey(side->chamber_id(), side->partner_chamber_id()),
                                    side->SerializeAsString());
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<ChamberPartner> ChamberStore::Propose(absl::string_view chamber_id,
                                                     absl::string_view partner_id,
                                                     absl::string_view note, absl::string_view by,
                                                     const RequestTicket* ticket,
                                                     const Summarize& summarize) {
  if (absl::Status s = CheckPair(chamber_id, partner_id); !s.ok()) return s;
  if (absl::Status s = CheckLength("note", note, kMaxNote); !s.ok()) return s;
  return RetryingRaces<ChamberPartner>(
      &write_mu_, [&](bool* raced) -> absl::StatusOr<ChamberPartner> {
        return ProposeOnce(chamber_id, partner_id, note, by, ticket, summarize, raced);
      });
}

absl::StatusOr<ChamberPartner> ChamberStore::ProposeOnce(
    absl::string_view chamber_id, absl::string_view partner_id, absl::string_view note,
    absl::string_view by, const RequestTicket* ticket, const Summarize& summarize, bool* raced) {
  absl::StatusOr<std::optional<ChamberPartner>> answered =
      RequestIdStore::FindAnswer<ChamberPartner>(*database_, ticket);
  if (!answered.ok()) return answered.status();
  if (answered->has_value()) return **answered;
  int64_t version = 1;
  RecordBatch batch(records_);
  absl::StatusOr<ChamberPartner> read = ReadLink(chamber_id, partner_id, &batch);
  if (read.ok()) {
    const ChamberPartner* stored = &*read;
    if (stored->state() != ChamberPartner::ENDED) {
      const bool theirs = stored->proposer_chamber_id() == partner_id;
      return absl::AlreadyExistsError(absl::StrCat(
          "partner_chamber_id: chamber '", partner_id, "' ",
          stored->state() == ChamberPartner::ACTIVE
              ? "is a partner already"
              : (theirs ? "proposed the partnership already; accept it instead"
                        : "was proposed as a partner already and has not answered yet")));
    }
    version = stored->version() + 1;
  } else if (!absl::IsNotFound(read.status())) {
    return read.status();
  }
  const absl::Time now = Now();
  ChamberPartner link;
  link.set_chamber_id(std::string(chamber_id));
  link.set_partner_chamber_id(std::string(partner_id));
  link.set_state(ChamberPartner::PROPOSED);
  link.set_proposer_chamber_id(std::string(chamber_id));
  link.set_note(std::string(note));
  link.set_proposed_by(std::string(by));
  *link.mutable_propose_time() = ToTimestamp(now);
  link.set_version(version);
  link = Named(std::move(link));

  Notification told;
  told.set_recipient(StaffRecipient(partner_id));
  told.set_kind(Notification::CHAMBER_PARTNER_PROPOSED);
  *told.mutable_chamber_partner() = Named(MirrorLink(link));
  if (summarize) told.set_summary(summarize(told));
  std::vector<Notification> notifications;
  notifications.push_back(std::move(told));
  if (absl::Status s = AddLink(link, &batch); !s.ok()) return s;
  if (absl::Status s =
          batch.Commit(std::move(notifications), ticket, link.SerializeAsString(), raced);
      !s.ok()) {
    return s;
  }
  return link;
}

absl::StatusOr<ChamberPartner> ChamberStore::ChangeLink(
    absl::string_view chamber_id, absl::string_view partner_id, int64_t expected_version,
    const std::function<absl::Status(ChamberPartner*, std::vector<Notification>*)>& change) {
  if (absl::Status s = CheckPair(chamber_id, partner_id); !s.ok()) return s;
  if (expected_version < 0) return FieldError("expected_version", "must not be negative");
  return RetryingRaces<ChamberPartner>(
      &write_mu_, [&](bool* raced) -> absl::StatusOr<ChamberPartner> {
        RecordBatch batch(records_);
        absl::StatusOr<ChamberPartner> read = ReadLink(chamber_id, partner_id, &batch);
        if (!read.ok()) return read.status();
        ChamberPartner& link = *read;
        if (expected_version > 0 && expected_version != link.version()) {
          return absl::AbortedError(absl::StrCat("the link of ", chamber_id, " and ", partner_id,
                                                 " is at version ", link.version(), ", not ",
                                                 expected_version, "; read it again and retry"));
        }
        std::vector<Notification> notifications;
        if (absl::Status s = change(&link, &notifications); !s.ok()) return s;
        link.set_version(link.version() + 1);
        if (absl::Status s = AddLink(link, &batch); !s.ok()) return s;
        if (absl::Status s = batch.Commit(std::move(notifications), nullptr, "", raced); !s.ok()) {
          return s;
        }
        return Named(std::move(link));
      });
}

absl::StatusOr<ChamberPartner> ChamberStore::Accept(absl::string_view chamber_id,
                                                    absl::string_view partner_id,
                                                    int64_t expected_version, absl::string_view by,
                                                    const Summarize& summarize) {
  return ChangeLink(
      chamber_id, partner_id, expected_version,
      [&](ChamberPartner* link, std::vector<Notification>* notifications) -> absl::Status {
        if (link->state() != ChamberPartner::PROPOSED) {
          return absl::FailedPreconditionError(absl::StrCat(
              "partner_chamber_id: the link with '", partner_id, "' is ",
              ChamberPartner::State_Name(link->state()), "; only a PROPOSED one can be accepted"));
        }
        if (link->proposer_chamber_id() == chamber_id) {
          return absl::FailedPreconditionError(absl::StrCat(
              "chamber_id: chamber '", chamber_id, "' proposed this partnership itself; only '",
              partner_id, "' can accept it"));
        }
        link->set_state(ChamberPartner::ACTIVE);
        link->set_accepted_by(std::string(by));
        *link->mutable_accept_time() = ToTimestamp(Now());
        Notification told;
        told.set_recipient(StaffRecipient(partner_id));
        told.set_kind(Notification::CHAMBER_PARTNER_ACCEPTED);
        ChamberPartner theirs = MirrorLink(*link);
        theirs.set_version(link->version() + 1);
        *told.mutable_chamber_partner() = Named(std::move(theirs));
        if (summarize) told.set_summary(summarize(told));
        notifications->push_back(std::move(told));
        return absl::OkStatus();
      });
}

absl::StatusOr<ChamberPartner> ChamberStore::End(absl::string_view chamber_id,
                                                 absl::string_view partner_id,
                                                 absl::string_view reason, int64_t expected_version,
                                                 absl::string_view by) {
  if (absl::Status s = CheckLength("reason", reason, kMaxNote); !s.ok()) return s;
  return ChangeLink(
      chamber_id, partner_id, expected_version,
      [&](ChamberPartner* link, std::vector<Notification>*) -> absl::Status {
        if (link->state() == ChamberPartner::ENDED) {
          return absl::FailedPreconditionError(absl::StrCat("partner_chamber_id: the link with '",
                                                            partner_id, "' has ended already"));
        }
        link->set_state(ChamberPartner::ENDED);
        link->set_end_reason(std::string(reason));
        link->set_ended_by(std::string(by));
        *link->mutable_end_time() = ToTimestamp(Now());
        return absl::OkStatus();
      });
}

absl::StatusOr<std::pair<std::vector<ChamberPartner>, std::string>> ChamberStore::ListPartners(
    absl::string_view chamber_id, const std::vector<ChamberPartner::State>& states, int page_size,
    absl::string_view page_token) const {
  if (absl::Status s = ValidateId("chamber_id", chamber_id); !s.ok()) return s;
  absl::StatusOr<int> size = PageSize(page_size);
  if (!size.ok()) return size.status();
  std::vector<std::string> filters = {std::string(chamber_id)};
  for (auto state : states) filters.push_back(absl::StrCat(static_cast<int>(state)));
  return internal::KeyPage<ChamberPartner>(
      *database_->db(), database_->chamber_partners(), LinkPrefix(chamber_id),
      {.kind = "partner chambers", .filters = std::move(filters), .mismatch = "chamber and states"},
      *size, page_token, "list partner chambers",
      [&](absl::string_view key,
          absl::string_view value) -> absl::StatusOr<std::optional<ChamberPartner>> {
        absl::StatusOr<ChamberPartner> link = Parse<ChamberPartner>(
            value, absl::StrCat("a partner link of ", chamber_id, " (", key.size(), "-byte key)"));
        if (!link.ok()) return link.status();
        if (!states.empty() &&
            std::find(states.begin(), states.end(), link->state()) == states.end()) {
          return std::nullopt;
        }
        return Named(*std::move(link));
      });
}

}  // namespace socio::storage
