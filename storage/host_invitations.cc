#include "storage/host_invitations.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "storage/internal/field_checks.h"
#include "storage/notification_store.h"

namespace socio::storage {
namespace {

using google::protobuf::util::TimeUtil;
using socio::v1::Delegation;
using socio::v1::HostInvitation;
using socio::v1::Notification;

google::protobuf::Timestamp ToProto(absl::Time t) {
  return TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(t));
}

absl::Time FromProto(const google::protobuf::Timestamp& t) {
  return absl::FromUnixNanos(TimeUtil::TimestampToNanoseconds(t));
}

// "2027-03-01 17:00 UTC" for people.
std::string InWords(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d %H:%M UTC", t, absl::UTCTimeZone());
}

// "Mission to Mexico 2027 (2027-03-29 to 2027-03-31, Ciudad de México)".
std::string DelegationInWords(const Delegation& d) {
  std::string first, last, cities;
  for (const socio::v1::ItineraryDay& day : d.days()) {
    if (first.empty() || day.date() < first) first = day.date();
    if (last.empty() || day.date() > last) last = day.date();
  }
  absl::flat_hash_set<std::string> seen;
  for (const socio::v1::ItineraryDay& day : d.days()) {
    if (!seen.insert(day.city()).second) continue;
    absl::StrAppend(&cities, cities.empty() ? "" : ", ", day.city());
  }
  const std::string dates = first == last ? first : absl::StrCat(first, " to ", last);
  return absl::StrCat(d.name(), " (", dates, cities.empty() ? "" : ", ", cities, ")");
}

Notification Notice(const Delegation& d, std::string recipient, Notification::Kind kind,
                    std::string summary) {
  Notification n;
  n.set_recipient(std::move(recipient));
  n.set_kind(kind);
  n.set_delegation_id(d.id());
  n.set_summary(std::move(summary));
  return n;
}

std::string StaffOf(const HostInvitation& invitation, const Delegation& d) {
  return StaffRecipient(invitation.invited_by_chamber_id().empty()
                            ? d.chamber_id()
                            : invitation.invited_by_chamber_id());
}

bool Named(const Delegation& d, absl::string_view host_id) {
  return std::any_of(d.hosts().begin(), d.hosts().end(),
                     [&](const socio::v1::Participant& p) { return p.member_id() == host_id; });
}

HostInvitation* FindMutable(Delegation* d, absl::string_view host_id) {
  for (HostInvitation& invitation : *d->mutable_host_invitations()) {
    if (invitation.host_id() == host_id) return &invitation;
  }
  return nullptr;
}

}  // namespace

socio::v1::HostInvitationSummary CountInvitations(const Delegation& d) {
  socio::v1::HostInvitationSummary summary;
  for (const HostInvitation& invitation : d.host_invitations()) {
    switch (invitation.status()) {
      case HostInvitation::PENDING:
        summary.set_pending(summary.pending() + 1);
        break;
      case HostInvitation::ACCEPTED:
        summary.set_accepted(summary.accepted() + 1);
        break;
      case HostInvitation::DECLINED:
        summary.set_declined(summary.declined() + 1);
        break;
      case HostInvitation::EXPIRED:
        summary.set_expired(summary.expired() + 1);
        break;
      default:
        continue;  // WITHDRAWN: not counted as invited
    }
    summary.set_invited(summary.invited() + 1);
  }
  if (summary.invited() > 0) {
    summary.set_response_rate(static_cast<double>(summary.accepted() + summary.declined()) /
                              summary.invited());
  }
  return summary;
}

const HostInvitation* FindInvitation(const Delegation& d, absl::string_view host_id) {
  for (const HostInvitation& invitation : d.host_invitations()) {
    if (invitation.host_id() == host_id) return &invitation;
  }
  return nullptr;
}

absl::StatusOr<std::vector<Notification>> InviteHosts(Delegation* d,
                                                      const std::vector<std::string>& host_ids,
                                                      absl::Time deadline, absl::Time now,
                                                      absl::string_view chamber_id,
                                                      std::vector<HostInvitation>* sent) {
  if (deadline <= now) {
    return internal::FieldError(
        "deadline",
        absl::StrCat(InWords(deadline), " is not in the future (now ", InWords(now), ")"));
  }
  std::vector<std::string> to_invite;
  if (host_ids.empty()) {
    for (const socio::v1::Participant& p : d->hosts()) {
      if (FindInvitation(*d, p.member_id()) == nullptr) to_invite.push_back(p.member_id());
    }
  } else {
    absl::flat_hash_set<std::string> seen;
    for (size_t i = 0; i < host_ids.size(); ++i) {
      const std::string field = internal::Indexed("host_ids", static_cast<int>(i));
      if (!seen.insert(host_ids[i]).second) {
        return internal::FieldError(field, absl::StrCat("'", host_ids[i], "' is named twice"));
      }
      if (!Named(*d, host_ids[i])) {
        return internal::FieldError(
            field, absl::StrCat("'", host_ids[i], "' is not a host of delegation '", d->id(),
                                "'; name it in hosts first, then invite it"));
      }
      const HostInvitation* existing = FindInvitation(*d, host_ids[i]);
      if (existing != nullptr && (existing->status() == HostInvitation::PENDING ||
                                  existing->status() == HostInvitation::ACCEPTED)) {
        continue;
      }
      to_invite.push_back(host_ids[i]);
    }
  }
  std::vector<Notification> notices;
  for (const std::string& host_id : to_invite) {
    HostInvitation* invitation = FindMutable(d, host_id);
    if (invitation == nullptr) invitation = d->add_host_invitations();
    *invitation = HostInvitation();
    invitation->set_host_id(host_id);
    invitation->set_status(HostInvitation::PENDING);
    *invitation->mutable_invite_time() = ToProto(now);
    *invitation->mutable_deadline() = ToProto(deadline);
    invitation->set_invited_by_chamber_id(std::string(chamber_id));
    sent->push_back(*invitation);
    notices.push_back(
        Notice(*d, host_id, Notification::HOST_INVITED,
               absl::StrCat("You are invited to meet the delegation ", DelegationInWords(*d),
                            "; please answer by ", InWords(deadline))));
  }
  return notices;
}

absl::StatusOr<Notification> AnswerInvitation(Delegation* d, absl::string_view host_id, bool accept,
                                              absl::string_view note,
                                              HostInvitation::AnsweredBy answered_by,
                                              absl::Time now) {
  if (absl::Status s = internal::CheckDisplayLine("note", note, kMaxInvitationNoteLength);
      !s.ok()) {
    return s;
  }
  HostInvitation* invitation = FindMutable(d, host_id);
  if (invitation == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("host_id: '", host_id, "' has no invitation to delegation '", d->id(), "'"));
  }
  const bool past = now > FromProto(invitation->deadline());
  if (invitation->status() == HostInvitation::WITHDRAWN ||
      invitation->status() == HostInvitation::EXPIRED || past) {
    const char* why = invitation->status() == HostInvitation::WITHDRAWN
                          ? "was withdrawn (the host was removed from the delegation)"
                          : "is past its deadline";
    return absl::FailedPreconditionError(absl::StrCat(
        "host_id: the invitation of '", host_id, "' to delegation '", d->id(), "' ", why, " (",
        InWords(FromProto(invitation->deadline())), "); it can no longer be answered"));
  }
  invitation->set_status(accept ? HostInvitation::ACCEPTED : HostInvitation::DECLINED);
  *invitation->mutable_answer_time() = ToProto(now);
  invitation->set_answered_by(answered_by);
  invitation->set_note(std::string(note));
  std::string summary =
      absl::StrCat(host_id, accept ? " accepted" : " declined", " the invitation to ",
                   DelegationInWords(*d), note.empty() ? "" : absl::StrCat(": ", note));
  return Notice(
      *d, StaffOf(*invitation, *d),
      accept ? Notification::HOST_INVITATION_ACCEPTED : Notification::HOST_INVITATION_DECLINED,
      std::move(summary));
}

std::vector<Notification> SweepInvitations(Delegation* d, absl::Time now) {
  std::vector<Notification> notices;
  for (HostInvitation& invitation : *d->mutable_host_invitations()) {
    if (invitation.status() != HostInvitation::PENDING) continue;
    const absl::Time deadline = FromProto(invitation.deadline());
    if (now > deadline) {
      invitation.set_status(HostInvitation::EXPIRED);
      notices.push_back(
          Notice(*d, StaffOf(invitation, *d), Notification::HOST_INVITATION_EXPIRED,
                 absl::StrCat(invitation.host_id(), " did not answer the invitation to ",
                              DelegationInWords(*d), " by ", InWords(deadline))));
      continue;
    }
    const absl::Time invited = FromProto(invitation.invite_time());
    const absl::Time remind_at =
        std::max(deadline - kInvitationReminderBefore, invited + (deadline - invited) / 2);
    if (!invitation.reminded() && now >= remind_at) {
      invitation.set_reminded(true);
      notices.push_back(Notice(*d, invitation.host_id(), Notification::HOST_INVITATION_REMINDER,
                               absl::StrCat("Reminder: please answer the invitation to ",
                                            DelegationInWords(*d), " by ", InWords(deadline))));
    }
  }
  return notices;
}

bool WithdrawUnnamed(Delegation* d, absl::Time now) {
  bool any = false;
  for (HostInvitation& invitation : *d->mutable_host_invitations()) {
    if (invitation.status() != HostInvitation::PENDING || Named(*d, invitation.host_id())) {
      continue;
    }
    invitation.set_status(HostInvitation::WITHDRAWN);
    *invitation.mutable_answer_time() = ToProto(now);
    any = true;
  }
  return any;
}

Delegation ScheduledPart(const Delegation& d,
                         std::vector<socio::v1::HostInvitationOmission>* left_out,
                         int* filter_held_back) {
  *filter_held_back = 0;
  if (!d.require_host_acceptance()) return d;
  Delegation part = d;
  absl::flat_hash_set<std::string> out;
  auto leave_out = [&](const std::string& host_id) {
    if (!out.insert(host_id).second) return;
    socio::v1::HostInvitationOmission* omission = &left_out->emplace_back();
    omission->set_host_id(host_id);
    const HostInvitation* invitation = FindInvitation(d, host_id);
    if (invitation == nullptr) {
      omission->set_reason(Named(d, host_id) ? "not invited"
                                             : "not a named host (name and invite it first)");
      return;
    }
    omission->set_status(invitation->status());
    switch (invitation->status()) {
      case HostInvitation::PENDING:
        omission->set_reason("invitation pending");
        break;
      case HostInvitation::DECLINED:
        omission->set_reason("declined");
        break;
      case HostInvitation::EXPIRED:
        omission->set_reason("did not answer by the deadline");
        break;
      default:
        omission->set_reason("invitation withdrawn");
    }
  };
  auto accepted = [&](const std::string& host_id) {
    const HostInvitation* invitation = FindInvitation(d, host_id);
    return invitation != nullptr && invitation->status() == HostInvitation::ACCEPTED;
  };
  part.clear_hosts();
  for (const socio::v1::Participant& p : d.hosts()) {
    if (accepted(p.member_id())) {
      *part.add_hosts() = p;
    } else {
      leave_out(p.member_id());
    }
  }
  part.clear_pairs();
  for (const socio::v1::MeetingPair& pair : d.pairs()) {
    if (pair.status() != socio::v1::MeetingPair::DECLINED && !accepted(pair.host_id())) {
      leave_out(pair.host_id());
      continue;
    }
    *part.add_pairs() = pair;
  }
  if (d.host_filter().max_hosts() > 0) {
    *filter_held_back = d.host_filter().max_hosts();
    part.mutable_host_filter()->set_max_hosts(0);
  }
  return part;
}

}  // namespace socio::storage
