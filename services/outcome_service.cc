#include "services/outcome_service.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/time_util.h"
#include "services/access.h"
#include "services/call_scope.h"
#include "storage/profile_validation.h"

namespace socio::services {
namespace {

using google::protobuf::util::TimeUtil;
using socio::v1::ListOutcomesRequest;
using socio::v1::MeetingOutcome;
using socio::v1::MeetingRef;
using socio::v1::Notification;
using socio::v1::Profile;
using socio::v1::SideOutcome;

absl::Time TimeOf(const google::protobuf::Timestamp& t) {
  return absl::FromUnixNanos(TimeUtil::TimestampToNanoseconds(t));
}

std::string By(const Caller& caller) {
  if (caller.role == socio::v1::MEMBER) return "member";
  if (caller.role == socio::v1::STAFF) return absl::StrCat("staff:", caller.chamber_id);
  return "operator";
}

// Whether `outcome` is in the state `filter` asks for, judged on the sides
// `counted` marks.
bool Matches(ListOutcomesRequest::Filter filter, const MeetingOutcome& outcome,
             const bool counted[2], absl::Time now) {
  bool any_open = false, all_answered = true, any = false;
  for (int i = 0; i < outcome.sides_size() && i < 2; ++i) {
    if (!counted[i]) continue;
    any = true;
    const SideOutcome& side = outcome.sides(i);
    const bool follow_up = filter == ListOutcomesRequest::FOLLOW_UP_OPEN ||
                           filter == ListOutcomesRequest::FOLLOW_UP_ANSWERED;
    const bool answered = follow_up ? side.has_follow_up() : side.has_feedback();
    const absl::Time opens =
        follow_up ? TimeOf(side.follow_up_due_time()) : TimeOf(outcome.end_time());
    if (!answered && now >= opens) any_open = true;
    if (!answered) all_answered = false;
  }
  switch (filter) {
    case ListOutcomesRequest::ALL:
      return true;
    case ListOutcomesRequest::FEEDBACK_OPEN:
    case ListOutcomesRequest::FOLLOW_UP_OPEN:
      return any_open;
    default:
      return any && all_answered;
  }
}

}  // namespace

OutcomeServiceImpl::OutcomeServiceImpl(OutcomeServiceParts parts) : parts_(std::move(parts)) {}

absl::Time OutcomeServiceImpl::Now() const { return parts_.clock ? parts_.clock() : absl::Now(); }

OutcomeServiceImpl::View OutcomeServiceImpl::ViewOf(const Caller& caller,
                                                    const MeetingOutcome& outcome) {
  View view;
  bool both = caller.is_admin();
  for (int i = 0; i < outcome.sides_size() && i < 2; ++i) {
    if (caller.is_staff_of(outcome.sides(i).chamber_id())) both = true;
    if (caller.is_member(outcome.sides(i).member_id())) view.sides[i] = true;
  }
  if (both) view.sides[0] = view.sides[1] = true;
  return view;
}

void OutcomeServiceImpl::Show(const View& view, MeetingOutcome* outcome) {
  for (int i = 0; i < outcome->sides_size(); ++i) {
    if (i < 2 && view.sides[i]) continue;
    SideOutcome* side = outcome->mutable_sides(i);
    SideOutcome hidden;
    hidden.set_member_id(side->member_id());
    hidden.set_chamber_id(side->chamber_id());
    hidden.set_hidden(true);
    *side = std::move(hidden);
  }
}

bool OutcomeServiceImpl::ActsFor(const Caller& caller, const std::string& member_id) const {
  if (caller.is_admin() || caller.is_member(member_id)) return true;
  if (caller.role != socio::v1::STAFF) return false;
  absl::StatusOr<Profile> profile = parts_.profiles->GetProfile(member_id);
  return profile.ok() && caller.is_staff_of(profile->chamber_id());
}

bool OutcomeServiceImpl::SeesSource(const Caller& caller, const MeetingRef& ref) const {
  if (caller.is_admin()) return true;
  if (!ref.request_id().empty()) {
    if (parts_.engagement == nullptr) return false;
    absl::StatusOr<socio::v1::MeetingRequest> r = parts_.engagement->GetRequest(ref.request_id());
    return r.ok() && (ActsFor(caller, r->from_member_id()) || ActsFor(caller, r->to_ref()));
  }
  if (parts_.delegations == nullptr) return false;
  absl::StatusOr<socio::v1::Delegation> d = parts_.delegations->Get(ref.delegation_id());
  return d.ok() && caller.is_staff_of(d->chamber_id());
}

MeetingRef OutcomeServiceImpl::Unshown(MeetingRef ref) const {
  // Disclosure shows a hidden side's id inside the uid as its handle, and
  // takes a handle back for an id only where it is a whole field.
  std::string* uid = ref.mutable_meeting_uid();
  const std::string prefix(storage::kHandlePrefix);
  for (size_t at = uid->find(prefix); at != std::string::npos; at = uid->find(prefix, at + 1)) {
    const std::string handle = uid->substr(at, storage::kHandleLength);
    if (!storage::IsHandle(handle)) continue;
    absl::StatusOr<std::string> id = parts_.profiles->IdOfHandle(handle);
    if (id.ok()) uid->replace(at, handle.size(), *id);
  }
  return ref;
}

absl::StatusOr<MeetingOutcome> OutcomeServiceImpl::Seen(const Caller& caller,
                                                        const MeetingRef& ref) const {
  absl::StatusOr<MeetingOutcome> outcome = parts_.outcomes->Get(ref);
  if (absl::IsFailedPrecondition(outcome.status()) && !SeesSource(caller, ref)) {
    return storage::NoMeeting(ref);
  }
  if (!outcome.ok()) return outcome.status();
  const View view = ViewOf(caller, *outcome);
  if (!view.any()) return storage::NoMeeting(ref);
  Show(view, &*outcome);
  return outcome;
}

std::string OutcomeServiceImpl::Summarize(const Notification& n) const {
  const MeetingOutcome& o = n.outcome();
  std::string other;
  for (const SideOutcome& side : o.sides()) {
    if (side.member_id() == n.recipient()) continue;
    absl::StatusOr<Profile> p = parts_.profiles->GetProfile(side.member_id());
    other = p.ok() && !p->name().empty() ? p->name() : side.member_id();
  }
  const std::string day = absl::FormatTime("%Y-%m-%d", TimeOf(o.start_time()), absl::UTCTimeZone());
  switch (n.kind()) {
    case Notification::OUTCOME_FEEDBACK_DUE:
      return absl::StrCat("Your meeting with ", other, " on ", day, " has ended: how did it go?");
    case Notification::OUTCOME_FOLLOW_UP_DUE:
      return absl::StrCat("What came of your meeting with ", other, " on ", day, "?");
    default:
      return "";
  }
}

grpc::Status OutcomeServiceImpl::RecordOutcome(grpc::ServerContext* context,
                                               const socio::v1::RecordOutcomeRequest* request,
                                               MeetingOutcome* response) {
  return Serve(
      *parts_.auth, parts_.disclosure, context, *request, response,
      [&](const Caller& caller) -> absl::Status {
        std::string member_id = request->member_id();
        if (member_id.empty() && caller.role == socio::v1::MEMBER) member_id = caller.profile_id;
        if (member_id.empty()) {
          return absl::InvalidArgumentError(
              "member_id: is required: the side whose answer this is");
        }
        if (request->answer_case() == socio::v1::RecordOutcomeRequest::ANSWER_NOT_SET) {
          return absl::InvalidArgumentError(
              "answer: feedback (stage 1) or follow_up (stage 2) is required");
        }
        const MeetingRef ref = Unshown(request->meeting());
        absl::StatusOr<MeetingOutcome> seen = Seen(caller, ref);
        if (!seen.ok()) return seen.status();
        const SideOutcome* side = nullptr;
        for (const SideOutcome& s : seen->sides()) {
          if (s.member_id() == member_id) side = &s;
        }
        if (side == nullptr) {
          return absl::InvalidArgumentError(
              absl::StrCat("member_id: '", member_id, "' is not a side of the meeting"));
        }
        if (caller.role == socio::v1::MEMBER && !caller.is_member(member_id)) {
          return absl::PermissionDeniedError(absl::StrCat("member_id: member ", caller.profile_id,
                                                          " may not record the answers of '",
                                                          member_id, "', the other side"));
        }
        if (caller.role == socio::v1::STAFF && !caller.is_staff_of(side->chamber_id())) {
          return absl::PermissionDeniedError(absl::StrCat(
              "member_id: staff of chamber ", caller.chamber_id, " may not record the answers of '",
              member_id, "', a member of another chamber; its own chamber's staff do"));
        }
        storage::OutcomeStore::Answer answer{.member_id = member_id,
                                             .by = By(caller),
                                             .expected_version = request->expected_version()};
        if (request->has_feedback()) {
          answer.feedback = request->feedback();
        } else {
          answer.follow_up = request->follow_up();
        }
        absl::StatusOr<MeetingOutcome> recorded = parts_.outcomes->Record(ref, answer);
        if (!recorded.ok()) return recorded.status();
        Show(ViewOf(caller, *recorded), &*recorded);
        *response = *std::move(recorded);
        return absl::OkStatus();
      });
}

grpc::Status OutcomeServiceImpl::GetMeetingOutcome(
    grpc::ServerContext* context, const socio::v1::GetMeetingOutcomeRequest* request,
    MeetingOutcome* response) {
  return Serve(*parts_.auth, parts_.disclosure, context, *request, response,
               [&](const Caller& caller) -> absl::Status {
                 return Respond(Seen(caller, Unshown(request->meeting())), response);
               });
}

grpc::Status OutcomeServiceImpl::ListOutcomes(grpc::ServerContext* context,
                                              const ListOutcomesRequest* request,
                                              socio::v1::ListOutcomesResponse* response) {
  return Serve(
      *parts_.auth, parts_.disclosure, context, *request, response,
      [&](const Caller& caller) -> absl::Status {
        const int scopes = !request->delegation_id().empty() + !request->member_id().empty() +
                           !request->chamber_id().empty();
        if (scopes > 1) {
          return absl::InvalidArgumentError(
              "delegation_id, member_id, chamber_id: name at most one of them");
        }
        if (!ListOutcomesRequest::Filter_IsValid(request->filter())) {
          return absl::InvalidArgumentError(
              absl::StrCat("filter: unknown value ", static_cast<int>(request->filter())));
        }
        storage::OutcomeStore::Scope scope = storage::OutcomeStore::Scope::kMember;
        std::string id = request->member_id();
        if (!request->delegation_id().empty()) {
          scope = storage::OutcomeStore::Scope::kDelegation;
          id = request->delegation_id();
        } else if (!request->chamber_id().empty()) {
          scope = storage::OutcomeStore::Scope::kChamber;
          id = request->chamber_id();
          if (absl::Status s = RequireChamber(caller, id, "chamber_id"); !s.ok()) return s;
        } else if (!id.empty()) {
          absl::StatusOr<Profile> member =
              ReadProfile(*parts_.profiles, caller, id, "member_id", parts_.disclosure);
          if (!member.ok()) return member.status();
          if (absl::Status s = CheckActsFor(caller, *member, "member_id"); !s.ok()) return s;
        } else if (caller.role == socio::v1::MEMBER) {
          id = caller.profile_id;
        } else if (caller.role == socio::v1::STAFF) {
          scope = storage::OutcomeStore::Scope::kChamber;
          id = caller.chamber_id;
        } else {
          return absl::InvalidArgumentError(
              "delegation_id, member_id, chamber_id: operators name one of them");
        }
        const absl::Time now = Now();
        const std::string member_scope =
            scope == storage::OutcomeStore::Scope::kMember ? id : std::string();
        absl::StatusOr<std::pair<std::vector<MeetingOutcome>, std::string>> page =
            parts_.outcomes->List(
                scope, id,
                [&](const MeetingOutcome& outcome) {
                  const View view = ViewOf(caller, outcome);
                  if (!view.any()) return false;
                  bool counted[2] = {view.sides[0], view.sides[1]};
                  for (int i = 0; i < outcome.sides_size() && i < 2; ++i) {
                    if (!member_scope.empty() && outcome.sides(i).member_id() != member_scope) {
                      counted[i] = false;
                    }
                  }
                  return Matches(request->filter(), outcome, counted, now);
                },
                request->page_size(), request->page_token());
        if (!page.ok()) return page.status();
        for (MeetingOutcome& outcome : page->first) {
          Show(ViewOf(caller, outcome), &outcome);
          *response->add_outcomes() = std::move(outcome);
        }
        response->set_next_page_token(std::move(page->second));
        return absl::OkStatus();
      });
}

}  // namespace socio::services
