#include "clients/host_invitation_commands.h"

#include <iostream>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "clients/cli_output.h"
#include "clients/client_options.h"
#include "clients/table.h"
#include "google/protobuf/util/time_util.h"

namespace socio::clients {
namespace {

using google::protobuf::util::TimeUtil;
using socio::v1::HostInvitation;

// "2027-03-01T17:00:00Z", or "2027-03-01" for the end of that day (UTC).
absl::Status ParseDeadline(const std::string& text, google::protobuf::Timestamp* out) {
  absl::Time t;
  std::string error;
  if (absl::ParseTime(absl::RFC3339_full, text, &t, &error)) {
    *out = TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(t));
    return absl::OkStatus();
  }
  if (absl::ParseTime("%Y-%m-%d", text, &t, &error)) {
    *out =
        TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(t + absl::Hours(24) - absl::Seconds(1)));
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "--deadline: '", text, "' is not a time (2027-03-01T17:00:00Z) or a date (2027-03-01)"));
}

std::string When(const google::protobuf::Timestamp& t) {
  if (t.seconds() == 0 && t.nanos() == 0) return "-";
  return absl::FormatTime("%Y-%m-%d %H:%M", absl::FromUnixSeconds(t.seconds()),
                          absl::UTCTimeZone());
}

std::string StatusName(HostInvitation::Status status) {
  return HostInvitation::Status_Name(status);
}

void PrintSummary(const socio::v1::HostInvitationSummary& s, std::ostream& out) {
  out << s.invited() << " invited: " << s.accepted() << " accepted, " << s.declined()
      << " declined, " << s.pending() << " pending, " << s.expired() << " expired; response rate "
      << absl::StrFormat("%.0f%%", s.response_rate() * 100) << "\n";
}

}  // namespace

HostInvitationCommands::HostInvitationCommands(const GlobalOptions& global) : global_(global) {}
HostInvitationCommands::~HostInvitationCommands() = default;

const DelegationClient& HostInvitationCommands::Client() {
  if (client_ == nullptr) client_ = std::make_unique<DelegationClient>(OpenChannel(global_));
  return *client_;
}

void HostInvitationCommands::Register(CLI::App& delegation, int* exit_code) {
  const auto run = [exit_code](CLI::App* command, std::function<int()> body) {
    OnRun(command, exit_code, std::move(body));
  };

  CLI::App* invite = delegation.add_subcommand(
      "invite", "Invite hosts to meet the delegation (none named: every host not invited yet)");
  invite->add_option("id", id_, "Delegation id")->required();
  invite->add_option("host_ids", host_ids_, "Named hosts to invite");
  invite->add_option("--deadline", deadline_,
                     "Answer by: 2027-03-01T17:00:00Z, or a date (its end, UTC); default: the "
                     "delegation's invitation deadline, else 14 days");
  invite->add_option("--request-id", request_id_, kRequestIdHelp);
  run(invite, [this] { return Invite(); });

  CLI::App* invitations = delegation.add_subcommand(
      "invitations", "A delegation's host invitations, or (--member) a company's");
  invitations->add_option("id", id_, "Delegation id");
  invitations->add_option("--member", member_id_, "A company's invitations, every delegation");
  run(invitations, [this] { return List(); });

  CLI::App* answer = delegation.add_subcommand(
      "answer", "Answer a host's invitation: the host itself or its chamber's staff");
  answer->add_option("id", id_, "Delegation id")->required();
  answer->add_option("host_id", host_id_, "The invited host's profile id")->required();
  CLI::Option* yes = answer->add_flag("--accept", accept_, "The host will meet the delegation");
  CLI::Option* no = answer->add_flag("--decline", decline_, "The host declines");
  yes->excludes(no);
  answer->add_option("--note", note_, "What the answer says (at most 1,000 characters)");
  run(answer, [this] { return Answer(); });
}

int HostInvitationCommands::Invite() {
  socio::v1::InviteHostsRequest request;
  request.set_delegation_id(id_);
  for (const std::string& id : host_ids_) request.add_host_ids(id);
  if (!deadline_.empty()) {
    if (absl::Status s = ParseDeadline(deadline_, request.mutable_deadline()); !s.ok()) {
      return Fail(s);
    }
  }
  request.set_request_id(RequestId(request_id_));
  absl::StatusOr<socio::v1::InviteHostsResponse> sent = Client().InviteHosts(request);
  if (!sent.ok()) return Fail(sent.status());
  if (global_.json) {
    std::cout << ToJson(*sent) << "\n";
    return 0;
  }
  std::cout << "invited " << sent->invitations_size()
            << (sent->invitations_size() == 1 ? " host" : " hosts") << " to " << id_ << "\n";
  if (sent->invitations_size() > 0) {
    Table table({"HOST", "DEADLINE (UTC)"});
    for (const HostInvitation& i : sent->invitations()) {
      table.AddRow({i.host_id(), When(i.deadline())});
    }
    table.Print(std::cout);
  }
  PrintSummary(sent->summary(), std::cout);
  return 0;
}

int HostInvitationCommands::List() {
  if (id_.empty() == member_id_.empty()) {
    return Fail(absl::InvalidArgumentError("give a delegation id or --member, one of the two"));
  }
  socio::v1::ListHostInvitationsRequest request;
  request.set_delegation_id(id_);
  request.set_member_id(member_id_);
  absl::StatusOr<socio::v1::ListHostInvitationsResponse> listed =
      Client().ListHostInvitations(request);
  if (!listed.ok()) return Fail(listed.status());
  if (global_.json) {
    std::cout << ToJson(*listed) << "\n";
    return 0;
  }
  if (!id_.empty()) {
    Table table({"HOST", "STATUS", "DEADLINE (UTC)", "ANSWERED", "BY", "NOTE"});
    for (const socio::v1::HostInvitationListing& l : listed->listings()) {
      const HostInvitation& i = l.invitation();
      table.AddRow({i.host_id(), StatusName(i.status()), When(i.deadline()), When(i.answer_time()),
                    i.answered_by() == HostInvitation::ANSWERED_BY_UNSPECIFIED
                        ? "-"
                        : HostInvitation::AnsweredBy_Name(i.answered_by()),
                    i.note()});
    }
    table.Print(std::cout);
    PrintSummary(listed->summary(), std::cout);
    return 0;
  }
  Table table({"DELEGATION", "NAME", "DATES", "CITIES", "ORGANISER", "STATUS", "DEADLINE (UTC)"});
  for (const socio::v1::HostInvitationListing& l : listed->listings()) {
    table.AddRow({l.delegation_id(), l.delegation_name(),
                  l.first_date() == l.last_date()
                      ? l.first_date()
                      : absl::StrCat(l.first_date(), " to ", l.last_date()),
                  absl::StrJoin(l.cities(), ", "), l.chamber_id(),
                  StatusName(l.invitation().status()), When(l.invitation().deadline())});
  }
  table.Print(std::cout);
  return 0;
}

int HostInvitationCommands::Answer() {
  if (!accept_ && !decline_) {
    return Fail(absl::InvalidArgumentError("give --accept or --decline"));
  }
  socio::v1::AnswerHostInvitationRequest request;
  request.set_delegation_id(id_);
  request.set_host_id(host_id_);
  request.set_accept(accept_);
  request.set_note(note_);
  absl::StatusOr<HostInvitation> answered = Client().AnswerHostInvitation(request);
  if (!answered.ok()) return Fail(answered.status());
  if (global_.json) {
    std::cout << ToJson(*answered) << "\n";
    return 0;
  }
  std::cout << answered->host_id() << " " << absl::AsciiStrToLower(StatusName(answered->status()))
            << " the invitation to " << id_ << "\n";
  return 0;
}

}  // namespace socio::clients
