#include "clients/engagement_commands.h"

#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clients/cli_output.h"
#include "clients/table.h"
#include "google/protobuf/util/time_util.h"

namespace socio::clients {
namespace {

using google::protobuf::util::TimeUtil;
using socio::v1::Interest;
using socio::v1::MeetingRequest;
using socio::v1::TimeWindow;

constexpr char kWindowExample[] = "2027-03-02T10:00Z/2027-03-02T10:30Z";

// --- marks and states in words ----------------------------------------------

// The words of the command line for each mark, "clear" for none.
const std::vector<std::pair<std::string, Interest::Mark>>& MarkWords() {
  static const auto* const kWords = new std::vector<std::pair<std::string, Interest::Mark>>{
      {"interested", Interest::INTERESTED},
      {"must-meet", Interest::MUST_MEET},
      {"not-interested", Interest::NOT_INTERESTED},
      {"clear", Interest::MARK_UNSPECIFIED}};
  return *kWords;
}

std::string MarkWord(Interest::Mark mark) {
  if (mark == Interest::MARK_UNSPECIFIED) return "cleared";
  for (const auto& [word, value] : MarkWords()) {
    if (value == mark) return word;
  }
  return absl::StrCat(static_cast<int>(mark));
}

// "pending", "accepted", ...
std::string StateWord(MeetingRequest::State state) {
  return absl::AsciiStrToLower(MeetingRequest::State_Name(state));
}

absl::StatusOr<MeetingRequest::State> ParseState(absl::string_view word) {
  MeetingRequest::State state = MeetingRequest::STATE_UNSPECIFIED;
  if (!MeetingRequest::State_Parse(absl::AsciiStrToUpper(word), &state) ||
      state == MeetingRequest::STATE_UNSPECIFIED) {
    return absl::InvalidArgumentError(
        absl::StrCat("--state: '", word,
                     "' is not a state; use pending, accepted, declined, expired, withdrawn or "
                     "cancelled"));
  }
  return state;
}

// Why a profile was revealed, in words.
std::string RevealReasonText(socio::v1::Reveal::Reason reason) {
  switch (reason) {
    case socio::v1::Reveal::MUTUAL_INTEREST:
      return "mutual interest";
    case socio::v1::Reveal::ACCEPTED_REQUEST:
      return "accepted meeting request";
    default:
      return absl::AsciiStrToLower(socio::v1::Reveal::Reason_Name(reason));
  }
}

// --- windows ----------------------------------------------------------------

absl::Time TimeOf(const google::protobuf::Timestamp& t) {
  return absl::FromUnixNanos(TimeUtil::TimestampToNanoseconds(t));
}

google::protobuf::Timestamp ToTimestamp(absl::Time t) {
  return TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(t));
}

// One end of a window: ISO 8601 date and time with seconds or without, and
// a UTC offset (+01:00, +0100) or Z.
absl::StatusOr<absl::Time> ParseInstant(absl::string_view text, absl::string_view window) {
  std::string normalized(text);
  if (absl::EndsWith(normalized, "Z") || absl::EndsWith(normalized, "z")) {
    normalized.back() = '+';
    normalized += "00:00";
  }
  for (const char* format : {"%Y-%m-%d%ET%H:%M%Ez", "%Y-%m-%d%ET%H:%M:%E*S%Ez",
                             "%Y-%m-%d%ET%H:%M%z", "%Y-%m-%d%ET%H:%M:%E*S%z"}) {
    absl::Time time;
    if (absl::ParseTime(format, normalized, &time, nullptr)) return time;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("--window: '", text, "' in '", window,
                   "' is not an ISO 8601 time with a UTC offset or Z (e.g. 2027-03-02T10:00Z or "
                   "2027-03-02T11:00+01:00)"));
}

// "START/END" as a TimeWindow. Whether the window lies in the future and
// ends after it starts is the server's to say.
absl::StatusOr<TimeWindow> ParseWindow(absl::string_view text) {
  std::vector<absl::string_view> ends = absl::StrSplit(text, '/');
  if (ends.size() != 2 || ends[0].empty() || ends[1].empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--window: '", text, "' is not START/END (e.g. ", kWindowExample, ")"));
  }
  TimeWindow window;
  for (int i = 0; i < 2; ++i) {
    absl::StatusOr<absl::Time> time = ParseInstant(absl::StripAsciiWhitespace(ends[i]), text);
    if (!time.ok()) return time.status();
    *(i == 0 ? window.mutable_start_time() : window.mutable_end_time()) = ToTimestamp(*time);
  }
  return window;
}

// "2027-03-02 10:00–10:30 UTC", the end with its date when it is another day.
std::string WindowText(const TimeWindow& w) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  const absl::Time start = TimeOf(w.start_time()), end = TimeOf(w.end_time());
  const bool same_day =
      absl::FormatTime("%Y-%m-%d", start, utc) == absl::FormatTime("%Y-%m-%d", end, utc);
  return absl::StrCat(absl::FormatTime("%Y-%m-%d %H:%M", start, utc), "–",
                      absl::FormatTime(same_day ? "%H:%M" : "%Y-%m-%d %H:%M", end, utc), " UTC");
}

// What and when the meeting is, in a few words for a list.
std::string MeetingText(const MeetingRequest& r) {
  if (r.has_accepted_window()) return WindowText(r.accepted_window());
  if (!r.delegation_id().empty()) return absl::StrCat("in delegation ", r.delegation_id());
  if (r.proposed_size() == 1) return absl::StrCat("proposed ", WindowText(r.proposed(0)));
  return absl::StrCat(r.proposed_size(), " windows proposed");
}

// --- output -----------------------------------------------------------------

void PrintRequest(const MeetingRequest& r, std::ostream& out) {
  Table table({"FIELD", "VALUE"}, 100);
  const auto row = [&](std::string field, std::string value) {
    if (!value.empty()) table.AddRow({std::move(field), std::move(value)});
  };
  row("id", r.id());
  row("from", r.from_member_id());
  row("to", r.to_ref());
  row("state", StateWord(r.state()));
  row("message", r.message());
  row("delegation", r.delegation_id());
  for (int i = 0; i < r.proposed_size(); ++i) {
    row(absl::StrCat("window ", i + 1), WindowText(r.proposed(i)));
  }
  if (r.has_accepted_window()) row("accepted window", WindowText(r.accepted_window()));
  row("reason", r.reason());
  row("calendar uid", r.calendar_uid());
  row("created", FormatTime(r.create_time()));
  row("updated", FormatTime(r.update_time()));
  if (r.state() == MeetingRequest::PENDING) row("expires", FormatTime(r.expire_time()));
  row("changed by", r.changed_by());
  row("version", absl::StrCat(r.version()));
  table.Print(out);
}

}  // namespace

EngagementCommands::EngagementCommands(const GlobalOptions& global) : global_(global) {}
EngagementCommands::~EngagementCommands() = default;

const EngagementClient& EngagementCommands::Client() {
  if (client_ == nullptr) client_ = std::make_unique<EngagementClient>(OpenChannel(global_));
  return *client_;
}

int EngagementCommands::PrintResult(const MeetingRequest& request) {
  if (global_.json) {
    std::cout << ToJson(request) << "\n";
  } else {
    PrintRequest(request, std::cout);
  }
  return 0;
}

void EngagementCommands::Register(CLI::App& app, int* exit_code) {
  const auto run = [exit_code](CLI::App* command, std::function<int()> body) {
    OnRun(command, exit_code, std::move(body));
  };

  CLI::App* interest = app.add_subcommand(
      "interest", "Marks on proposed partners: interested, must meet, not interested");
  interest->require_subcommand(1);
  // Options of `socio` (--json, --server) may also follow the subcommand.
  interest->fallthrough();

  std::vector<std::string> marks;
  for (const auto& [word, value] : MarkWords()) marks.push_back(word);
  CLI::App* set = interest->add_subcommand(
      "set", "Set, change or clear a member's mark on a partner; two positive marks are mutual");
  set->add_option("member", member_id_, "Profile id of the marking company")->required();
  set->add_option("partner", partner_ref_, "Profile id (or handle) of the partner")->required();
  set->add_option("mark", mark_,
                  "interested, must-meet (planned first), not-interested (leaves the member's "
                  "matches) or clear")
      ->required()
      ->check(CLI::IsMember(marks));
  run(set, [this] { return SetInterest(); });

  CLI::App* interests = interest->add_subcommand(
      "list", "A member's marks, or every mark of the chamber's members for staff");
  interests->add_option("--member", member_id_, "Only this member's marks");
  interests->add_flag("--mutual", mutual_, "Only mutual interests");
  run(interests, [this] { return ListInterests(); });

  CLI::App* requests = app.add_subcommand(
      "requests", "Meeting requests between members: send, list, answer, withdraw, cancel");
  requests->require_subcommand(1);
  requests->fallthrough();
  const auto expected_version = [this](CLI::App* command) {
    command->add_option("--expected-version,--expect-version", expected_version_,
                        "Refuse (ABORTED) unless the stored version is this one");
  };
  const auto reason = [this](CLI::App* command, const std::string& help) {
    command->add_option("--reason", reason_, help);
  };

  CLI::App* send = requests->add_subcommand(
      "send", "Ask a partner for a meeting: with time windows, or inside a delegation");
  send->add_option("--from", from_, "Profile id of the requesting member")->required();
  send->add_option("--to", to_, "Profile id (or handle) of the partner asked")->required();
  send->add_option("--message", message_, "Up to 500 characters shown to the partner");
  send->add_option("--window", windows_,
                   absl::StrCat("A proposed time START/END (ISO 8601 with offset or Z, e.g. ",
                                kWindowExample,
                                "); one to three, each --window once; not with --delegation"))
      ->allow_extra_args(false);
  send->add_option("--delegation", delegation_id_,
                   "A delegation with the two companies on its two sides: its plan sets the time, "
                   "and once accepted the pair is kept in it");
  send->add_option("--request-id", request_id_, kRequestIdHelp);
  run(send, [this] { return Send(); });

  CLI::App* list = requests->add_subcommand(
      "list", "Requests sent and received, newest first: a member's, or the chamber's for staff");
  list->add_option("--member", member_id_, "Only this member's requests");
  CLI::Option* sent = list->add_flag("--sent", sent_, "Only those the member sent");
  list->add_flag("--received", received_, "Only those the member received")->excludes(sent);
  list->add_option("--state", states_,
                   "Only these states: pending, accepted, declined, expired, withdrawn, "
                   "cancelled (comma-separated or repeated)")
      ->delimiter(',')
      ->allow_extra_args(false);
  run(list, [this] { return ListRequests(); });

  CLI::App* show = requests->add_subcommand("show", "One request, its windows and its state");
  show->add_option("id", id_, "Request id")->required();
  run(show, [this] { return Show(); });

  CLI::App* accept = requests->add_subcommand(
      "accept", "Accept a PENDING request received (the receiver or its chamber's staff)");
  accept->add_option("id", id_, "Request id")->required();
  accept->add_option("--window", window_,
                     "The proposed window to meet in, numbered from 1 as `requests show` "
                     "prints them; default 1");
  expected_version(accept);
  run(accept, [this] { return Answer(true); });

  CLI::App* decline = requests->add_subcommand(
      "decline", "Decline a PENDING request received (the receiver or its chamber's staff)");
  decline->add_option("id", id_, "Request id")->required();
  reason(decline, "Why, shown to the requester (up to 500 characters)");
  expected_version(decline);
  run(decline, [this] { return Answer(false); });

  CLI::App* withdraw = requests->add_subcommand(
      "withdraw",
      "Take back a PENDING request the member sent (the requester or its chamber's staff); "
      "an accepted meeting is called off with cancel");
  withdraw->add_option("id", id_, "Request id")->required();
  reason(withdraw, "Why, shown to the partner (up to 500 characters)");
  expected_version(withdraw);
  run(withdraw, [this] { return Cancel(true); });

  CLI::App* cancel = requests->add_subcommand(
      "cancel",
      "Call off an ACCEPTED meeting, from either side; a PENDING request is taken back with "
      "withdraw (requester) or declined (receiver)");
  cancel->add_option("id", id_, "Request id")->required();
  reason(cancel, "Why, shown to the other side (up to 500 characters)");
  expected_version(cancel);
  run(cancel, [this] { return Cancel(false); });

  CLI::App* reveals =
      app.add_subcommand("reveals", "To whom an anonymous profile was shown in full, why and when");
  reveals->require_subcommand(1);
  reveals->fallthrough();
  CLI::App* reveal_list = reveals->add_subcommand(
      "list",
      "The companies a profile was revealed to, by id (the profile itself, its "
      "chamber's staff or an operator)");
  reveal_list->add_option("profile_id", profile_id_, "Profile id")->required();
  reveal_list->add_option("--page-size", page_size_,
                          "Reveals asked for per call (1-1000; every page is read)");
  run(reveal_list, [this] { return ListReveals(); });
}

int EngagementCommands::SetInterest() {
  socio::v1::SetInterestRequest request;
  request.set_member_id(member_id_);
  request.set_partner_ref(partner_ref_);
  for (const auto& [word, value] : MarkWords()) {
    if (word == mark_) request.set_mark(value);
  }
  absl::StatusOr<Interest> interest = Client().SetInterest(request);
  if (!interest.ok()) return Fail(interest.status());
  if (global_.json) {
    std::cout << ToJson(*interest) << "\n";
    return 0;
  }
  std::cout << interest->member_id() << " → " << interest->partner_ref() << ": "
            << MarkWord(interest->mark());
  if (interest->mutual()) std::cout << " (mutual: both sides are interested)";
  std::cout << "\n";
  return 0;
}

int EngagementCommands::ListInterests() {
  socio::v1::ListInterestsRequest request;
  request.set_member_id(member_id_);
  request.set_mutual_only(mutual_);
  socio::v1::ListInterestsResponse all;
  do {
    absl::StatusOr<socio::v1::ListInterestsResponse> page = Client().ListInterests(request);
    if (!page.ok()) return Fail(page.status());
    for (Interest& i : *page->mutable_interests()) *all.add_interests() = std::move(i);
    request.set_page_token(page->next_page_token());
  } while (!request.page_token().empty());
  if (global_.json) {
    std::cout << ToJson(all) << "\n";
    return 0;
  }
  Table table({"MEMBER", "PARTNER", "MARK", "MUTUAL", "SET BY", "WHEN"});
  for (const Interest& i : all.interests()) {
    table.AddRow({i.member_id(), i.partner_ref(), MarkWord(i.mark()), i.mutual() ? "mutual" : "",
                  i.set_by(), FormatTime(i.update_time())});
  }
  table.Print(std::cout);
  std::cout << all.interests_size() << (all.interests_size() == 1 ? " mark" : " marks") << "\n";
  return 0;
}

int EngagementCommands::Send() {
  socio::v1::CreateMeetingRequestRequest request;
  MeetingRequest& r = *request.mutable_request();
  r.set_from_member_id(from_);
  r.set_to_ref(to_);
  r.set_message(message_);
  r.set_delegation_id(delegation_id_);
  for (const std::string& text : Values(windows_)) {
    absl::StatusOr<TimeWindow> window = ParseWindow(text);
    if (!window.ok()) return Fail(window.status());
    *r.add_proposed() = *std::move(window);
  }
  if (delegation_id_.empty() && r.proposed().empty()) {
    return Fail(absl::InvalidArgumentError(absl::StrCat(
        "--window: a request outside a delegation proposes one to three times (e.g. --window ",
        kWindowExample, "); or name the delegation with --delegation")));
  }
  request.set_request_id(RequestId(request_id_));
  absl::StatusOr<MeetingRequest> created = Client().CreateMeetingRequest(request);
  if (!created.ok()) return Fail(created.status());
  return PrintResult(*created);
}

int EngagementCommands::ListRequests() {
  socio::v1::ListMeetingRequestsRequest request;
  request.set_member_id(member_id_);
  if (sent_) request.set_box(socio::v1::ListMeetingRequestsRequest::SENT);
  if (received_) request.set_box(socio::v1::ListMeetingRequestsRequest::RECEIVED);
  for (const std::string& word : Values(states_)) {
    absl::StatusOr<MeetingRequest::State> state = ParseState(word);
    if (!state.ok()) return Fail(state.status());
    request.add_states(*state);
  }
  socio::v1::ListMeetingRequestsResponse all;
  do {
    absl::StatusOr<socio::v1::ListMeetingRequestsResponse> page =
        Client().ListMeetingRequests(request);
    if (!page.ok()) return Fail(page.status());
    for (MeetingRequest& r : *page->mutable_requests()) *all.add_requests() = std::move(r);
    request.set_page_token(page->next_page_token());
  } while (!request.page_token().empty());
  if (global_.json) {
    std::cout << ToJson(all) << "\n";
    return 0;
  }
  Table table({"ID", "FROM", "TO", "STATE", "MEETING", "MESSAGE", "CHANGED BY", "UPDATED"}, 40);
  for (const MeetingRequest& r : all.requests()) {
    table.AddRow({r.id(), r.from_member_id(), r.to_ref(), StateWord(r.state()), MeetingText(r),
                  absl::StrReplaceAll(r.message(), {{"\n", " "}}), r.changed_by(),
                  FormatTime(r.update_time())});
  }
  table.Print(std::cout);
  std::cout << all.requests_size() << (all.requests_size() == 1 ? " request" : " requests") << "\n";
  return 0;
}

int EngagementCommands::Show() {
  socio::v1::GetMeetingRequestRequest request;
  request.set_id(id_);
  absl::StatusOr<MeetingRequest> shown = Client().GetMeetingRequest(request);
  if (!shown.ok()) return Fail(shown.status());
  return PrintResult(*shown);
}

int EngagementCommands::Answer(bool accept) {
  socio::v1::AnswerMeetingRequestRequest request;
  request.set_id(id_);
  request.set_accept(accept);
  request.set_reason(reason_);
  request.set_expected_version(expected_version_);
  if (accept && window_ != 0) {
    // Windows are numbered from 1 here and from 0 in the API: check the
    // number against the request so that an error speaks of --window.
    socio::v1::GetMeetingRequestRequest get;
    get.set_id(id_);
    absl::StatusOr<MeetingRequest> current = Client().GetMeetingRequest(get);
    if (!current.ok()) return Fail(current.status());
    if (current->proposed().empty()) {
      return Fail(absl::InvalidArgumentError(
          absl::StrCat("--window: request ", id_,
                       " proposes no windows (its delegation's plan sets the time)")));
    }
    if (window_ < 1 || window_ > current->proposed_size()) {
      return Fail(absl::InvalidArgumentError(absl::StrCat(
          "--window: must be 1 to ", current->proposed_size(), ": request ", id_, " proposes ",
          current->proposed_size(), current->proposed_size() == 1 ? " window" : " windows",
          " (socio requests show ", id_, ")")));
    }
    request.set_window(window_ - 1);
  }
  absl::StatusOr<MeetingRequest> answered = Client().AnswerMeetingRequest(request);
  if (!answered.ok()) return Fail(answered.status());
  return PrintResult(*answered);
}

int EngagementCommands::Cancel(bool pending) {
  socio::v1::GetMeetingRequestRequest get;
  get.set_id(id_);
  absl::StatusOr<MeetingRequest> current = Client().GetMeetingRequest(get);
  if (!current.ok()) return Fail(current.status());
  const MeetingRequest::State wanted = pending ? MeetingRequest::PENDING : MeetingRequest::ACCEPTED;
  if (current->state() != wanted) {
    return Fail(absl::FailedPreconditionError(absl::StrCat(
        "request ", id_, " is ", MeetingRequest::State_Name(current->state()), "; ",
        pending ? "withdraw takes back a PENDING request (an ACCEPTED meeting is called off with "
                  "socio requests cancel)"
                : "cancel calls off an ACCEPTED meeting (a PENDING request is taken back with "
                  "socio requests withdraw, or declined by its receiver)")));
  }
  socio::v1::CancelMeetingRequestRequest request;
  request.set_id(id_);
  request.set_reason(reason_);
  request.set_expected_version(expected_version_ > 0 ? expected_version_ : current->version());
  absl::StatusOr<MeetingRequest> cancelled = Client().CancelMeetingRequest(request);
  if (!cancelled.ok()) return Fail(cancelled.status());
  return PrintResult(*cancelled);
}

int EngagementCommands::ListReveals() {
  socio::v1::ListRevealsRequest request;
  request.set_profile_id(profile_id_);
  request.set_page_size(page_size_);
  socio::v1::ListRevealsResponse all;
  do {
    absl::StatusOr<socio::v1::ListRevealsResponse> page = Client().ListReveals(request);
    if (!page.ok()) return Fail(page.status());
    for (socio::v1::Reveal& r : *page->mutable_reveals()) *all.add_reveals() = std::move(r);
    request.set_page_token(page->next_page_token());
  } while (!request.page_token().empty());
  if (global_.json) {
    std::cout << ToJson(all) << "\n";
    return 0;
  }
  Table table({"COMPANY", "WHY", "WHEN"});
  for (const socio::v1::Reveal& r : all.reveals()) {
    table.AddRow({r.revealed_to(), RevealReasonText(r.reason()), FormatTime(r.reveal_time())});
  }
  table.Print(std::cout);
  std::cout << profile_id_ << " was revealed to " << all.reveals_size()
            << (all.reveals_size() == 1 ? " company" : " companies") << "\n";
  return 0;
}

}  // namespace socio::clients
