#include "clients/outcome_commands.h"

#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "clients/cli_output.h"
#include "clients/table.h"
#include "google/protobuf/descriptor.h"

namespace socio::clients {
namespace {

using google::protobuf::EnumDescriptor;
using socio::v1::FollowUpReport;
using socio::v1::ListOutcomesRequest;
using socio::v1::MeetingFeedback;
using socio::v1::MeetingOutcome;
using socio::v1::MeetingRef;
using socio::v1::SideOutcome;

// An enum value as the command line writes it: "no-show" for NO_SHOW.
std::string Word(const EnumDescriptor* type, int value) {
  const google::protobuf::EnumValueDescriptor* v = type->FindValueByNumber(value);
  if (v == nullptr) return absl::StrCat(value);
  return absl::StrReplaceAll(absl::AsciiStrToLower(v->name()), {{"_", "-"}});
}

// The words an option takes: every value of `type` but the unspecified one
// (unless `with_zero`).
std::vector<std::string> Words(const EnumDescriptor* type, bool with_zero = false) {
  std::vector<std::string> out;
  for (int i = 0; i < type->value_count(); ++i) {
    if (type->value(i)->number() == 0 && !with_zero) continue;
    out.push_back(Word(type, type->value(i)->number()));
  }
  return out;
}

// The value `word` names; 0 for an empty word. CLI11 checked the word.
int Parse(const EnumDescriptor* type, const std::string& word) {
  if (word.empty()) return 0;
  const google::protobuf::EnumValueDescriptor* v =
      type->FindValueByName(absl::AsciiStrToUpper(absl::StrReplaceAll(word, {{"-", "_"}})));
  return v == nullptr ? 0 : v->number();
}

std::string MeetingText(const MeetingRef& ref) {
  if (!ref.request_id().empty()) return ref.request_id();
  return absl::StrCat(ref.delegation_id(), "/", ref.meeting_uid());
}

// Stage 1 of a side in a few words: "held, 4/5, follow up: yes".
std::string FeedbackText(const SideOutcome& side) {
  if (side.hidden()) return "(not shown)";
  if (!side.has_feedback()) return "-";
  const MeetingFeedback& f = side.feedback();
  std::vector<std::string> parts = {Word(MeetingFeedback::Attendance_descriptor(), f.attendance())};
  if (f.absent() != MeetingFeedback::ABSENT_UNSPECIFIED) {
    parts.back() += absl::StrCat(" (", Word(MeetingFeedback::Absent_descriptor(), f.absent()), ")");
  }
  if (f.rating() > 0) parts.push_back(absl::StrCat(f.rating(), "/5"));
  if (f.follow_up() != MeetingFeedback::FOLLOW_UP_UNSPECIFIED) {
    parts.push_back(
        absl::StrCat("follow up: ", Word(MeetingFeedback::FollowUp_descriptor(), f.follow_up())));
  }
  return absl::StrJoin(parts, ", ");
}

// Stage 2 of a side in a few words: "agreement-signed (supply, under-50k-eur)".
std::string FollowUpText(const SideOutcome& side) {
  if (side.hidden()) return "(not shown)";
  if (!side.has_follow_up()) return "-";
  const FollowUpReport& r = side.follow_up();
  std::string text = Word(FollowUpReport::Status_descriptor(), r.status());
  std::vector<std::string> details;
  if (r.agreement_type() != FollowUpReport::AGREEMENT_TYPE_UNSPECIFIED) {
    details.push_back(Word(FollowUpReport::AgreementType_descriptor(), r.agreement_type()));
  }
  if (r.value_band() != FollowUpReport::VALUE_BAND_UNSPECIFIED) {
    details.push_back(Word(FollowUpReport::ValueBand_descriptor(), r.value_band()));
  }
  if (!details.empty()) absl::StrAppend(&text, " (", absl::StrJoin(details, ", "), ")");
  return text;
}

void PrintOutcome(const MeetingOutcome& o, std::ostream& out) {
  Table meeting({"FIELD", "VALUE"}, 100);
  meeting.AddRow({"meeting", MeetingText(o.meeting())});
  meeting.AddRow({"starts", FormatTime(o.start_time())});
  meeting.AddRow({"ends", FormatTime(o.end_time())});
  meeting.Print(out);
  out << "\n";
  Table sides({"SIDE", "CHAMBER", "FEEDBACK", "FOLLOW-UP", "FOLLOW-UP DUE", "NOTE", "VERSION",
               "UPDATED BY"},
              60);
  for (const SideOutcome& s : o.sides()) {
    std::vector<std::string> notes;
    if (!s.feedback().note().empty()) notes.push_back(s.feedback().note());
    if (!s.follow_up().note().empty()) notes.push_back(s.follow_up().note());
    sides.AddRow({s.member_id(), s.chamber_id(), FeedbackText(s), FollowUpText(s),
                  FormatTime(s.follow_up_due_time()),
                  absl::StrReplaceAll(absl::StrJoin(notes, " / "), {{"\n", " "}}),
                  s.hidden() ? "" : absl::StrCat(s.version()), s.updated_by()});
  }
  sides.Print(out);
}

}  // namespace

OutcomeCommands::OutcomeCommands(const GlobalOptions& global) : global_(global) {}
OutcomeCommands::~OutcomeCommands() = default;

const OutcomeClient& OutcomeCommands::Client() {
  if (client_ == nullptr) client_ = std::make_unique<OutcomeClient>(OpenChannel(global_));
  return *client_;
}

absl::StatusOr<MeetingRef> OutcomeCommands::ParseMeeting(const std::string& text) {
  MeetingRef ref;
  const size_t slash = text.find('/');
  if (slash == std::string::npos) {
    ref.set_request_id(text);
  } else {
    ref.set_delegation_id(text.substr(0, slash));
    ref.set_meeting_uid(text.substr(slash + 1));
  }
  if (text.empty() ||
      (slash != std::string::npos && (ref.delegation_id().empty() || ref.meeting_uid().empty()))) {
    return absl::InvalidArgumentError(absl::StrCat(
        "MEETING: '", text,
        "' is neither a meeting request id nor DELEGATION/UID (a published plan's meeting)"));
  }
  return ref;
}

int OutcomeCommands::PrintResult(const MeetingOutcome& outcome) {
  if (global_.json) {
    std::cout << ToJson(outcome) << "\n";
  } else {
    PrintOutcome(outcome, std::cout);
  }
  return 0;
}

void OutcomeCommands::Register(CLI::App& app, int* exit_code) {
  const auto run = [exit_code](CLI::App* command, std::function<int()> body) {
    OnRun(command, exit_code, std::move(body));
  };
  CLI::App* outcomes = app.add_subcommand(
      "outcomes", "What came of meetings: each side's feedback, then its follow-up report");
  outcomes->require_subcommand(1);
  outcomes->fallthrough();
  const char* kMeetingHelp =
      "A meeting request's id, or DELEGATION/UID for a meeting of a published plan";

  CLI::App* record = outcomes->add_subcommand(
      "record",
      "Record one side's feedback (--attendance, from the meeting's end) or follow-up report "
      "(--status); again to correct it");
  record->add_option("meeting", meeting_, kMeetingHelp)->required();
  record->add_option("--member", member_id_,
                     "Profile id of the side answering; a member's own token needs none");
  CLI::Option* attendance =
      record->add_option("--attendance", attendance_, "Stage 1: whether the meeting took place")
          ->check(CLI::IsMember(Words(MeetingFeedback::Attendance_descriptor())));
  record->add_option("--absent", absent_, "With no-show: which side did not come")
      ->check(CLI::IsMember(Words(MeetingFeedback::Absent_descriptor())));
  record->add_option("--rating", rating_, "With held: 1 (poor) to 5 (excellent)");
  record->add_option("--follow-up", follow_up_, "With held: whether to follow up")
      ->check(CLI::IsMember(Words(MeetingFeedback::FollowUp_descriptor())));
  record->add_option("--status", status_, "Stage 2: what the meeting led to")
      ->check(CLI::IsMember(Words(FollowUpReport::Status_descriptor())))
      ->excludes(attendance);
  record->add_option("--agreement", agreement_, "With agreement-signed: the kind of agreement")
      ->check(CLI::IsMember(Words(FollowUpReport::AgreementType_descriptor())));
  record->add_option("--value", value_, "With agreement-signed, optional: its value in euros")
      ->check(CLI::IsMember(Words(FollowUpReport::ValueBand_descriptor())));
  record->add_option("--note", note_, "A short note (up to 1000 characters)");
  record->add_option("--expected-version,--expect-version", expected_version_,
                     "Refuse (ABORTED) unless the side's answers are at this version");
  run(record, [this] { return Record(); });

  CLI::App* show =
      outcomes->add_subcommand("show", "A meeting and the answers of the sides the caller may see");
  show->add_option("meeting", meeting_, kMeetingHelp)->required();
  run(show, [this] { return Show(); });

  CLI::App* list = outcomes->add_subcommand(
      "list",
      "Meetings, latest first: a member's own for a member, its chamber's for staff, or those "
      "named");
  CLI::Option* delegation =
      list->add_option("--delegation", delegation_id_, "The meetings of a delegation's plan");
  CLI::Option* member =
      list->add_option("--member", member_id_, "The meetings of a member")->excludes(delegation);
  list->add_option("--chamber", chamber_id_, "The meetings of a chamber's members")
      ->excludes(delegation)
      ->excludes(member);
  list->add_option("--filter", filter_, "Only meetings in this state (default all)")
      ->check(CLI::IsMember(Words(ListOutcomesRequest::Filter_descriptor(), true)));
  list->add_option("--page-size", page_size_, "Meetings asked for per call (1-500; all are read)");
  run(list, [this] { return List(); });
}

int OutcomeCommands::Record() {
  absl::StatusOr<MeetingRef> ref = ParseMeeting(meeting_);
  if (!ref.ok()) return Fail(ref.status());
  socio::v1::RecordOutcomeRequest request;
  *request.mutable_meeting() = *ref;
  request.set_member_id(member_id_);
  request.set_expected_version(expected_version_);
  if (!attendance_.empty()) {
    MeetingFeedback* f = request.mutable_feedback();
    f->set_attendance(static_cast<MeetingFeedback::Attendance>(
        Parse(MeetingFeedback::Attendance_descriptor(), attendance_)));
    f->set_absent(
        static_cast<MeetingFeedback::Absent>(Parse(MeetingFeedback::Absent_descriptor(), absent_)));
    f->set_rating(rating_);
    f->set_follow_up(static_cast<MeetingFeedback::FollowUp>(
        Parse(MeetingFeedback::FollowUp_descriptor(), follow_up_)));
    f->set_note(note_);
  } else if (!status_.empty()) {
    FollowUpReport* r = request.mutable_follow_up();
    r->set_status(
        static_cast<FollowUpReport::Status>(Parse(FollowUpReport::Status_descriptor(), status_)));
    r->set_agreement_type(static_cast<FollowUpReport::AgreementType>(
        Parse(FollowUpReport::AgreementType_descriptor(), agreement_)));
    r->set_value_band(static_cast<FollowUpReport::ValueBand>(
        Parse(FollowUpReport::ValueBand_descriptor(), value_)));
    r->set_note(note_);
  } else {
    return Fail(absl::InvalidArgumentError(
        "--attendance or --status: one is required: --attendance records the feedback right "
        "after the meeting, --status the follow-up report months later"));
  }
  absl::StatusOr<MeetingOutcome> recorded = Client().RecordOutcome(request);
  if (!recorded.ok()) return Fail(recorded.status());
  return PrintResult(*recorded);
}

int OutcomeCommands::Show() {
  absl::StatusOr<MeetingRef> ref = ParseMeeting(meeting_);
  if (!ref.ok()) return Fail(ref.status());
  socio::v1::GetMeetingOutcomeRequest request;
  *request.mutable_meeting() = *ref;
  absl::StatusOr<MeetingOutcome> shown = Client().GetMeetingOutcome(request);
  if (!shown.ok()) return Fail(shown.status());
  return PrintResult(*shown);
}

int OutcomeCommands::List() {
  ListOutcomesRequest request;
  request.set_delegation_id(delegation_id_);
  request.set_member_id(member_id_);
  request.set_chamber_id(chamber_id_);
  request.set_filter(static_cast<ListOutcomesRequest::Filter>(
      Parse(ListOutcomesRequest::Filter_descriptor(), filter_)));
  request.set_page_size(page_size_);
  socio::v1::ListOutcomesResponse all;
  do {
    absl::StatusOr<socio::v1::ListOutcomesResponse> page = Client().ListOutcomes(request);
    if (!page.ok()) return Fail(page.status());
    for (MeetingOutcome& o : *page->mutable_outcomes()) *all.add_outcomes() = std::move(o);
    request.set_page_token(page->next_page_token());
  } while (!request.page_token().empty());
  if (global_.json) {
    std::cout << ToJson(all) << "\n";
    return 0;
  }
  Table table({"MEETING", "ENDS", "SIDE", "FEEDBACK", "FOLLOW-UP", "SIDE", "FEEDBACK", "FOLLOW-UP"},
              60);
  for (const MeetingOutcome& o : all.outcomes()) {
    std::vector<std::string> row = {MeetingText(o.meeting()), FormatTime(o.end_time())};
    for (const SideOutcome& s : o.sides()) {
      row.push_back(s.member_id());
      row.push_back(FeedbackText(s));
      row.push_back(FollowUpText(s));
    }
    row.resize(8);
    table.AddRow(row);
  }
  table.Print(std::cout);
  std::cout << all.outcomes_size() << (all.outcomes_size() == 1 ? " meeting" : " meetings") << "\n";
  return 0;
}

}  // namespace socio::clients
