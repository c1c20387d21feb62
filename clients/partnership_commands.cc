#include "clients/partnership_commands.h"

#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "clients/cli_output.h"
#include "clients/table.h"
#include "google/protobuf/util/time_util.h"

namespace socio::clients {
namespace {

using socio::v1::Partnership;
using socio::v1::PartnershipReview;

constexpr char kGoalExample[] = "Sell in Chile|Units sold|units|0|500|2027-12-31";
constexpr char kMilestoneExample[] = "First order|2027-04-30";

// "exploring", "on-track": an enum value's name as the command line writes it.
std::string Word(const std::string& name) {
  return absl::StrReplaceAll(absl::AsciiStrToLower(name), {{"_", "-"}});
}

absl::StatusOr<Partnership::Status> ParseStatus(absl::string_view option, absl::string_view word) {
  Partnership::Status status = Partnership::STATUS_UNSPECIFIED;
  if (!Partnership::Status_Parse(absl::AsciiStrToUpper(word), &status) ||
      status == Partnership::STATUS_UNSPECIFIED) {
    return absl::InvalidArgumentError(absl::StrCat(
        option, ": '", word, "' is not a status; use exploring, active, paused or ended"));
  }
  return status;
}

absl::StatusOr<PartnershipReview::Judgement> ParseJudgement(absl::string_view option,
                                                            absl::string_view word) {
  PartnershipReview::Judgement judgement = PartnershipReview::JUDGEMENT_UNSPECIFIED;
  if (!PartnershipReview::Judgement_Parse(
          absl::StrReplaceAll(absl::AsciiStrToUpper(word), {{"-", "_"}}), &judgement) ||
      judgement == PartnershipReview::JUDGEMENT_UNSPECIFIED) {
    return absl::InvalidArgumentError(absl::StrCat(
        option, ": '", word, "' is not a judgement; use on-track, at-risk or off-track"));
  }
  return judgement;
}

absl::StatusOr<double> ParseNumber(absl::string_view option, absl::string_view what,
                                   absl::string_view text) {
  double value = 0;
  if (!absl::SimpleAtod(absl::StripAsciiWhitespace(text), &value)) {
    return absl::InvalidArgumentError(
        absl::StrCat(option, ": the ", what, " '", text, "' is not a number"));
  }
  return value;
}

// "TITLE|INDICATOR|UNIT|BASELINE|TARGET|DUE". Whether the date is one is the
// server's to say.
absl::StatusOr<socio::v1::SharedGoal> ParseGoal(absl::string_view spec) {
  std::vector<std::string> parts = absl::StrSplit(spec, '|');
  if (parts.size() != 6) {
    return absl::InvalidArgumentError(
        absl::StrCat("--goal: '", spec, "' is not TITLE|INDICATOR|UNIT|BASELINE|TARGET|DUE (e.g. ",
                     kGoalExample, ")"));
  }
  for (std::string& part : parts) part = std::string(absl::StripAsciiWhitespace(part));
  socio::v1::SharedGoal goal;
  goal.set_title(parts[0]);
  socio::v1::Indicator* indicator = goal.mutable_indicator();
  indicator->set_name(parts[1]);
  indicator->set_unit(parts[2]);
  absl::StatusOr<double> baseline = ParseNumber("--goal", "baseline", parts[3]);
  if (!baseline.ok()) return baseline.status();
  absl::StatusOr<double> target = ParseNumber("--goal", "target", parts[4]);
  if (!target.ok()) return target.status();
  indicator->set_baseline(*baseline);
  indicator->set_target(*target);
  indicator->set_due_date(parts[5]);
  return goal;
}

absl::StatusOr<socio::v1::Milestone> ParseMilestone(absl::string_view spec) {
  std::vector<std::string> parts = absl::StrSplit(spec, '|');
  if (parts.size() != 2) {
    return absl::InvalidArgumentError(
        absl::StrCat("--milestone: '", spec, "' is not TITLE|DUE (e.g. ", kMilestoneExample, ")"));
  }
  socio::v1::Milestone milestone;
  milestone.set_title(std::string(absl::StripAsciiWhitespace(parts[0])));
  milestone.set_due_date(std::string(absl::StripAsciiWhitespace(parts[1])));
  return milestone;
}

// The goals and milestones of the command line into `p`.
absl::Status AddPlans(const std::vector<std::string>& goals,
                      const std::vector<std::string>& milestones, Partnership* p) {
  for (const std::string& spec : goals) {
    absl::StatusOr<socio::v1::SharedGoal> goal = ParseGoal(spec);
    if (!goal.ok()) return goal.status();
    *p->add_goals() = *std::move(goal);
  }
  for (const std::string& spec : milestones) {
    absl::StatusOr<socio::v1::Milestone> milestone = ParseMilestone(spec);
    if (!milestone.ok()) return milestone.status();
    *p->add_milestones() = *std::move(milestone);
  }
  return absl::OkStatus();
}

std::string Number(double value) { return absl::StrCat(value); }

// The two parties in a few words.
std::string PartiesText(const Partnership& p) {
  if (p.first_member_id().empty()) {
    return absl::StrCat("chambers ", p.first_chamber_id(), " and ", p.second_chamber_id());
  }
  return absl::StrCat(p.first_member_id(), " and ", p.second_member_id());
}

std::string OriginText(const socio::v1::PartnershipOrigin& o) {
  std::vector<std::string> parts;
  if (o.kind() != socio::v1::PartnershipOrigin::KIND_UNSPECIFIED) {
    parts.push_back(Word(socio::v1::PartnershipOrigin::Kind_Name(o.kind())));
  }
  if (!o.source_request_id().empty()) parts.push_back("request " + o.source_request_id());
  if (!o.source_delegation_id().empty()) parts.push_back("delegation " + o.source_delegation_id());
  if (!o.meeting_uid().empty()) parts.push_back("meeting " + o.meeting_uid());
  return absl::StrJoin(parts, ", ");
}

void PrintPartnership(const Partnership& p, std::ostream& out) {
  Table table({"FIELD", "VALUE"}, 100);
  const auto row = [&](std::string field, std::string value) {
    if (!value.empty()) table.AddRow({std::move(field), std::move(value)});
  };
  row("id", p.id());
  row("title", p.title());
  row("parties", PartiesText(p));
  if (!p.first_member_id().empty()) {
    row("chambers", absl::StrCat(p.first_chamber_id(), " and ", p.second_chamber_id()));
  }
  row("origin", OriginText(p.origin()));
  row("status", Word(Partnership::Status_Name(p.status())));
  row("end reason", p.end_reason());
  row("reviews", absl::StrCat(p.review_count(), " (every ", p.review_every_weeks(),
                              p.review_every_weeks() == 1 ? " week)" : " weeks)"));
  row("last review", FormatTime(p.last_review_time()));
  row("next review", FormatTime(p.next_review_time()));
  row("created", absl::StrCat(FormatTime(p.create_time()), " by ", p.created_by()));
  row("updated", absl::StrCat(FormatTime(p.update_time()), " by ", p.changed_by()));
  row("version", absl::StrCat(p.version()));
  table.Print(out);
  if (p.goals_size() > 0) {
    out << "\n";
    Table goals({"GOAL", "INDICATOR", "UNIT", "BASELINE", "TARGET", "DUE"}, 40);
    for (const socio::v1::SharedGoal& g : p.goals()) {
      const socio::v1::Indicator& i = g.indicator();
      goals.AddRow(
          {g.title(), i.name(), i.unit(), Number(i.baseline()), Number(i.target()), i.due_date()});
    }
    goals.Print(out);
  }
  if (p.milestones_size() > 0) {
    out << "\n";
    Table milestones({"#", "MILESTONE", "DUE", "DONE"}, 60);
    for (int i = 0; i < p.milestones_size(); ++i) {
      const socio::v1::Milestone& m = p.milestones(i);
      milestones.AddRow({absl::StrCat(i + 1), m.title(), m.due_date(), FormatTime(m.done_time())});
    }
    milestones.Print(out);
  }
}

void PrintReviews(const std::vector<PartnershipReview>& reviews, std::ostream& out) {
  Table table({"#", "WHEN", "BY", "JUDGEMENT", "VALUES", "NOTE"}, 60);
  for (const PartnershipReview& r : reviews) {
    std::vector<std::string> values;
    for (const socio::v1::IndicatorReading& reading : r.readings()) {
      std::string value = absl::StrCat(reading.indicator(), "=", Number(reading.value()));
      if (reading.judgement() != PartnershipReview::JUDGEMENT_UNSPECIFIED) {
        absl::StrAppend(&value, " (", Word(PartnershipReview::Judgement_Name(reading.judgement())),
                        ")");
      }
      values.push_back(std::move(value));
    }
    table.AddRow({absl::StrCat(r.number()), FormatTime(r.create_time()), r.recorded_by(),
                  Word(PartnershipReview::Judgement_Name(r.judgement())),
                  absl::StrJoin(values, ", "), absl::StrReplaceAll(r.note(), {{"\n", " "}})});
  }
  table.Print(out);
}

}  // namespace

PartnershipCommands::PartnershipCommands(const GlobalOptions& global) : global_(global) {}
PartnershipCommands::~PartnershipCommands() = default;

const PartnershipClient& PartnershipCommands::Client() {
  if (client_ == nullptr) client_ = std::make_unique<PartnershipClient>(OpenChannel(global_));
  return *client_;
}

void PartnershipCommands::Register(CLI::App& app, int* exit_code) {
  const auto run = [exit_code](CLI::App* command, std::function<int()> body) {
    OnRun(command, exit_code, std::move(body));
  };
  CLI::App* partnerships = app.add_subcommand(
      "partnerships", "Partnerships with shared goals: create, list, show, update, review");
  partnerships->require_subcommand(1);
  // Options of `socio` (--json, --server) may also follow the subcommand.
  partnerships->fallthrough();
  const auto plans = [this](CLI::App* command, const std::string& how) {
    command
        ->add_option("--goal", goals_,
                     absl::StrCat("A shared goal TITLE|INDICATOR|UNIT|BASELINE|TARGET|DUE (e.g. '",
                                  kGoalExample, "')", how))
        ->allow_extra_args(false);
    command
        ->add_option("--milestone", milestones_,
                     absl::StrCat("A milestone TITLE|DUE (e.g. '", kMilestoneExample, "')", how))
        ->allow_extra_args(false);
    command->add_option("--title", title_, "What the partnership is about (up to 200 characters)");
    command->add_option("--every-weeks", every_weeks_,
                        "A review is due this many weeks after the last one (1-52; default 4)");
  };
  const auto expected_version = [this](CLI::App* command) {
    command->add_option("--expected-version,--expect-version", expected_version_,
                        "Refuse (ABORTED) unless the stored version is this one");
  };

  CLI::App* create = partnerships->add_subcommand(
      "create", "Start a partnership between two companies or two chambers (EXPLORING)");
  CLI::Option* member =
      create->add_option("--member", member_id_, "Profile id of a company the caller acts for");
  create->add_option("--with", with_, "Profile id (or handle) of its partner")->needs(member);
  CLI::Option* chamber = create->add_option(
      "--chamber", chamber_id_, "A chamber (for a cooperation agreement between chambers)");
  chamber->excludes(member);
  create->add_option("--with-chamber", with_chamber_, "The other chamber")->needs(chamber);
  plans(create, "; repeat for more");
  create->add_option("--from-request", from_request_,
                     "It came from this meeting request between the two companies");
  create->add_option("--from-delegation", from_delegation_,
                     "It came from this delegation (with --meeting: from one of its meetings)");
  create->add_option("--meeting", meeting_uid_, "The uid of the delegation plan's meeting");
  create->add_flag("--from-match", from_match_, "It came from a match Socio proposed");
  create->add_option("--request-id", request_id_, kRequestIdHelp);
  run(create, [this] { return Create(); });

  CLI::App* list = partnerships->add_subcommand(
      "list", "Partnerships newest first: a company's, a chamber's, or the caller's own");
  CLI::Option* list_member = list->add_option("--member", member_id_, "Only this company's");
  list->add_option("--chamber", chamber_id_, "Those this chamber's staff see")
      ->excludes(list_member);
  list->add_option("--status", statuses_,
                   "Only these: exploring, active, paused, ended (comma-separated or repeated)")
      ->delimiter(',')
      ->allow_extra_args(false);
  run(list, [this] { return List(); });

  CLI::App* show = partnerships->add_subcommand(
      "show", "One partnership: parties, goals, milestones and its reviews");
  show->add_option("id", id_, "Partnership id")->required();
  run(show, [this] { return Show(); });

  CLI::App* update = partnerships->add_subcommand(
      "update", "Move a partnership on, or change its goals, milestones or review rhythm");
  update->add_option("id", id_, "Partnership id")->required();
  update->add_option("--status", status_, "exploring, active, paused or ended");
  update->add_option("--reason", reason_, "Why it ended (required with --status ended)");
  plans(update, "; replaces all of them");
  update->add_option("--done", done_, "Mark milestone N (from 1, as `show` numbers them) reached")
      ->allow_extra_args(false);
  expected_version(update);
  run(update, [this] { return Update(); });

  CLI::App* review = partnerships->add_subcommand(
      "review", "Record a review: each indicator's value, a judgement and a note");
  review->add_option("id", id_, "Partnership id")->required();
  review->add_option("--value", values_, "INDICATOR=VALUE, once for each indicator")
      ->allow_extra_args(false);
  review->add_option("--judgement", judgement_, "on-track, at-risk or off-track")->required();
  review->add_option("--goal", goal_judgements_,
                     "INDICATOR=JUDGEMENT: how the goal this indicator measures goes, if not as "
                     "the review's --judgement says");
  review->add_option("--note", note_,
                     "What happened since the last review (up to 2000 characters)");
  expected_version(review);
  run(review, [this] { return Review(); });
}

int PartnershipCommands::Create() {
  socio::v1::CreatePartnershipRequest request;
  Partnership* p = request.mutable_partnership();
  if (!member_id_.empty()) {
    if (with_.empty()) return Fail(absl::InvalidArgumentError("--with: name the partner company"));
    p->set_first_member_id(member_id_);
    p->set_second_member_id(with_);
  } else if (!chamber_id_.empty()) {
    if (with_chamber_.empty()) {
      return Fail(absl::InvalidArgumentError("--with-chamber: name the other chamber"));
    }
    p->set_first_chamber_id(chamber_id_);
    p->set_second_chamber_id(with_chamber_);
  } else {
    return Fail(absl::InvalidArgumentError(
        "--member: name two companies (--member, --with) or two chambers (--chamber, "
        "--with-chamber)"));
  }
  p->set_title(title_);
  p->set_review_every_weeks(every_weeks_);
  if (absl::Status s = AddPlans(goals_, milestones_, p); !s.ok()) return Fail(s);
  socio::v1::PartnershipOrigin* origin = p->mutable_origin();
  origin->set_source_request_id(from_request_);
  origin->set_source_delegation_id(from_delegation_);
  origin->set_meeting_uid(meeting_uid_);
  if (!from_request_.empty() || !meeting_uid_.empty()) {
    origin->set_kind(socio::v1::PartnershipOrigin::MEETING);
  } else if (!from_delegation_.empty()) {
    origin->set_kind(socio::v1::PartnershipOrigin::DELEGATION);
  } else if (from_match_) {
    origin->set_kind(socio::v1::PartnershipOrigin::MATCH);
  }
  request.set_request_id(request_id_);
  absl::StatusOr<Partnership> created = Client().CreatePartnership(request);
  if (!created.ok()) return Fail(created.status());
  if (global_.json) {
    std::cout << ToJson(*created) << "\n";
  } else {
    PrintPartnership(*created, std::cout);
  }
  return 0;
}

int PartnershipCommands::List() {
  socio::v1::ListPartnershipsRequest request;
  request.set_member_id(member_id_);
  request.set_chamber_id(chamber_id_);
  for (const std::string& word : Values(statuses_)) {
    absl::StatusOr<Partnership::Status> status = ParseStatus("--status", word);
    if (!status.ok()) return Fail(status.status());
    request.add_statuses(*status);
  }
  socio::v1::ListPartnershipsResponse all;
  do {
    absl::StatusOr<socio::v1::ListPartnershipsResponse> page = Client().ListPartnerships(request);
    if (!page.ok()) return Fail(page.status());
    for (Partnership& p : *page->mutable_partnerships()) *all.add_partnerships() = std::move(p);
    request.set_page_token(page->next_page_token());
  } while (!request.page_token().empty());
  if (global_.json) {
    std::cout << ToJson(all) << "\n";
    return 0;
  }
  Table table({"ID", "PARTIES", "TITLE", "STATUS", "GOALS", "REVIEWS", "NEXT REVIEW"}, 40);
  for (const Partnership& p : all.partnerships()) {
    table.AddRow({p.id(), PartiesText(p), p.title(), Word(Partnership::Status_Name(p.status())),
                  absl::StrCat(p.goals_size()), absl::StrCat(p.review_count()),
                  FormatTime(p.next_review_time())});
  }
  table.Print(std::cout);
  std::cout << all.partnerships_size()
            << (all.partnerships_size() == 1 ? " partnership" : " partnerships") << "\n";
  return 0;
}

int PartnershipCommands::Show() {
  socio::v1::GetPartnershipRequest get;
  get.set_id(id_);
  absl::StatusOr<Partnership> p = Client().GetPartnership(get);
  if (!p.ok()) return Fail(p.status());
  socio::v1::ListReviewsRequest list;
  list.set_partnership_id(id_);
  std::vector<PartnershipReview> reviews;
  do {
    absl::StatusOr<socio::v1::ListReviewsResponse> page = Client().ListReviews(list);
    if (!page.ok()) return Fail(page.status());
    for (PartnershipReview& r : *page->mutable_reviews()) reviews.push_back(std::move(r));
    list.set_page_token(page->next_page_token());
  } while (!list.page_token().empty());
  if (global_.json) {
    // The partnership, then its reviews, each on a line of its own.
    std::cout << ToJson(*p) << "\n";
    socio::v1::ListReviewsResponse all;
    for (PartnershipReview& r : reviews) *all.add_reviews() = std::move(r);
    std::cout << ToJson(all) << "\n";
    return 0;
  }
  PrintPartnership(*p, std::cout);
  if (!reviews.empty()) {
    std::cout << "\n";
    PrintReviews(reviews, std::cout);
  }
  return 0;
}

int PartnershipCommands::Update() {
  socio::v1::UpdatePartnershipRequest request;
  Partnership* p = request.mutable_partnership();
  p->set_id(id_);
  request.set_expected_version(expected_version_);
  google::protobuf::FieldMask* mask = request.mutable_update_mask();
  if (!status_.empty()) {
    absl::StatusOr<Partnership::Status> status = ParseStatus("--status", status_);
    if (!status.ok()) return Fail(status.status());
    p->set_status(*status);
    mask->add_paths("status");
    mask->add_paths("end_reason");
    p->set_end_reason(reason_);
  } else if (!reason_.empty()) {
    return Fail(absl::InvalidArgumentError("--reason: goes with --status ended"));
  }
  if (!title_.empty()) {
    p->set_title(title_);
    mask->add_paths("title");
  }
  if (every_weeks_ != 0) {
    p->set_review_every_weeks(every_weeks_);
    mask->add_paths("review_every_weeks");
  }
  if (absl::Status s = AddPlans(goals_, milestones_, p); !s.ok()) return Fail(s);
  if (!goals_.empty()) mask->add_paths("goals");
  if (!milestones_.empty() || !done_.empty()) mask->add_paths("milestones");
  if (!done_.empty()) {
    // Milestones are marked in the list as read (or as given), numbered
    // from 1; the version read guards against a change in between.
    if (milestones_.empty()) {
      socio::v1::GetPartnershipRequest get;
      get.set_id(id_);
      absl::StatusOr<Partnership> current = Client().GetPartnership(get);
      if (!current.ok()) return Fail(current.status());
      *p->mutable_milestones() = current->milestones();
      if (expected_version_ == 0) request.set_expected_version(current->version());
    }
    const google::protobuf::Timestamp now =
        google::protobuf::util::TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(absl::Now()));
    for (int n : done_) {
      if (n < 1 || n > p->milestones_size()) {
        return Fail(absl::InvalidArgumentError(absl::StrCat(
            "--done: ", n, " is no milestone; partnership ", id_, " has ", p->milestones_size())));
      }
      *p->mutable_milestones(n - 1)->mutable_done_time() = now;
    }
  }
  if (mask->paths().empty()) {
    return Fail(absl::InvalidArgumentError(
        "--status: say what to change (--status, --title, --goal, --milestone, --done, "
        "--every-weeks)"));
  }
  absl::StatusOr<Partnership> updated = Client().UpdatePartnership(request);
  if (!updated.ok()) return Fail(updated.status());
  if (global_.json) {
    std::cout << ToJson(*updated) << "\n";
  } else {
    PrintPartnership(*updated, std::cout);
  }
  return 0;
}

int PartnershipCommands::Review() {
  socio::v1::RecordReviewRequest request;
  request.set_partnership_id(id_);
  request.set_expected_version(expected_version_);
  PartnershipReview* review = request.mutable_review();
  absl::StatusOr<PartnershipReview::Judgement> judgement =
      ParseJudgement("--judgement", judgement_);
  if (!judgement.ok()) return Fail(judgement.status());
  review->set_judgement(*judgement);
  review->set_note(note_);
  for (const std::string& value : values_) {
    const size_t eq = value.rfind('=');
    if (eq == std::string::npos || eq == 0) {
      return Fail(absl::InvalidArgumentError(
          absl::StrCat("--value: '", value, "' is not INDICATOR=VALUE (e.g. 'Units sold=120')")));
    }
    absl::StatusOr<double> number =
        ParseNumber("--value", "value", absl::string_view(value).substr(eq + 1));
    if (!number.ok()) return Fail(number.status());
    socio::v1::IndicatorReading* reading = review->add_readings();
    reading->set_indicator(std::string(absl::StripAsciiWhitespace(value.substr(0, eq))));
    reading->set_value(*number);
  }
  // A goal's own judgement goes with the reading of its indicator.
  for (const std::string& goal : goal_judgements_) {
    const size_t eq = goal.rfind('=');
    if (eq == std::string::npos || eq == 0) {
      return Fail(absl::InvalidArgumentError(absl::StrCat(
          "--goal: '", goal, "' is not INDICATOR=JUDGEMENT (e.g. 'Units sold=on-track')")));
    }
    absl::StatusOr<PartnershipReview::Judgement> own =
        ParseJudgement("--goal", absl::string_view(goal).substr(eq + 1));
    if (!own.ok()) return Fail(own.status());
    const std::string indicator(absl::StripAsciiWhitespace(goal.substr(0, eq)));
    socio::v1::IndicatorReading* reading = nullptr;
    for (socio::v1::IndicatorReading& r : *review->mutable_readings()) {
      if (r.indicator() == indicator) reading = &r;
    }
    if (reading == nullptr) {
      return Fail(absl::InvalidArgumentError(absl::StrCat(
          "--goal: '", indicator, "' has no --value; give the indicator's value too")));
    }
    reading->set_judgement(*own);
  }
  absl::StatusOr<PartnershipReview> recorded = Client().RecordReview(request);
  if (!recorded.ok()) return Fail(recorded.status());
  if (global_.json) {
    std::cout << ToJson(*recorded) << "\n";
    return 0;
  }
  PrintReviews({*recorded}, std::cout);
  return 0;
}

}  // namespace socio::clients
