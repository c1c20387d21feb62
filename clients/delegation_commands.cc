#include "clients/delegation_commands.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "clients/cli_output.h"
#include "clients/grpc_status.h"
#include "clients/met_before.h"
#include "clients/reason_summary.h"
#include "clients/table.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "socio/v1/delegation.pb.h"

namespace socio::clients {
namespace {

using socio::v1::Delegation;
using socio::v1::DelegationPlan;
using socio::v1::Destination;
using socio::v1::DestinationCity;
using socio::v1::GetAgendaRequest;
using socio::v1::ItineraryDay;
using socio::v1::MeetingLoad;
using socio::v1::MeetingPair;
using socio::v1::PlannedMeeting;
using socio::v1::UnplacedPair;

// Fields of Delegation the server fills in; an update derives no mask path
// from them (id names the delegation instead).
const std::set<std::string>& OutputOnlyFields() {
  static const auto* const kFields = new std::set<std::string>{
      "id",          "version",          "create_time",        "update_time",     "plan",
      "publication", "host_invitations", "invitation_summary", "host_publication"};
  return *kFields;
}

// --- input ------------------------------------------------------------------

absl::Status ParseDelegationJson(const std::string& json, const std::string& source,
                                 Delegation* delegation) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  auto status = google::protobuf::util::JsonStringToMessage(json, delegation, options);
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(source, ": not a delegation in proto JSON: ", status.message().as_string()));
  }
  return absl::OkStatus();
}

// The field of `descriptor` with this proto ("host_filter") or JSON
// ("hostFilter") name, or null.
const google::protobuf::FieldDescriptor* FindField(const google::protobuf::Descriptor& descriptor,
                                                   absl::string_view name) {
  for (int i = 0; i < descriptor.field_count(); ++i) {
    const google::protobuf::FieldDescriptor* field = descriptor.field(i);
    if (field->name() == name || field->json_name() == name) return field;
  }
  return nullptr;
}

// A field mask path in proto names ("host_filter.max_hosts") for a path of
// Delegation in proto or JSON names ("hostFilter.maxHosts").
absl::StatusOr<std::string> MaskPath(absl::string_view path) {
  const google::protobuf::Descriptor* message = Delegation::descriptor();
  const google::protobuf::FieldDescriptor* parent = nullptr;
  std::vector<std::string> names;
  for (absl::string_view part : absl::StrSplit(path, '.')) {
    if (parent != nullptr && (parent->is_repeated() || message == nullptr)) {
      return absl::InvalidArgumentError(
          absl::StrCat("--mask: '", path, "': ", parent->name(),
                       parent->is_repeated() ? " is a list: name it whole" : " has no fields"));
    }
    parent = FindField(*message, part);
    if (parent == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("--mask: '", part, "' is not a field of ", message->name()));
    }
    names.push_back(parent->name());
    message = parent->message_type();
  }
  return absl::StrJoin(names, ".");
}

// The top-level writable fields present in a JSON object, in proto order.
absl::StatusOr<std::vector<std::string>> FieldsInJson(const std::string& json,
                                                      const std::string& source) {
  google::protobuf::Struct object;
  if (!google::protobuf::util::JsonStringToMessage(json, &object).ok()) {
    return absl::InvalidArgumentError(absl::StrCat(source, ": not a JSON object"));
  }
  std::vector<std::string> fields;
  const google::protobuf::Descriptor* descriptor = Delegation::descriptor();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* field = descriptor->field(i);
    if (OutputOnlyFields().count(field->name()) > 0) continue;
    if (object.fields().contains(field->name()) || object.fields().contains(field->json_name())) {
      fields.push_back(field->name());
    }
  }
  return fields;
}

// --- output -----------------------------------------------------------------

std::string Score(double score) { return absl::StrFormat("%.3f", score); }

// "Mon 2027-03-29"; the date as it is when it is not one.
std::string DayName(const std::string& date) {
  absl::CivilDay day;
  if (!absl::ParseCivilTime(date, &day)) return date;
  return absl::FormatTime("%a %Y-%m-%d", absl::FromCivil(day, absl::UTCTimeZone()),
                          absl::UTCTimeZone());
}

std::string Load(const MeetingLoad& load) {
  return absl::StrFormat("min %d, mean %.1f, max %d", load.min(), load.mean(), load.max());
}

std::string Plural(int64_t n, absl::string_view one, absl::string_view many) {
  return absl::StrCat(n, " ", n == 1 ? one : many);
}

// "Mon 2027-03-29  09:00–13:00  León, Hotel Real (America/Mexico_City, 8 tables)".
std::string FormatDay(const ItineraryDay& day) {
  std::string text = absl::StrCat(DayName(day.date()), "  ", day.start_time(), "–", day.end_time(),
                                  "  ", day.city());
  if (!day.venue().empty()) absl::StrAppend(&text, ", ", day.venue());
  std::vector<std::string> details;
  if (!day.time_zone().empty()) details.push_back(day.time_zone());
  if (day.tables() > 0) details.push_back(Plural(day.tables(), "table", "tables"));
  if (!details.empty()) absl::StrAppend(&text, " (", absl::StrJoin(details, ", "), ")");
  return text;
}

std::vector<const ItineraryDay*> DaysInOrder(const Delegation& d) {
  std::vector<const ItineraryDay*> days;
  for (const ItineraryDay& day : d.days()) days.push_back(&day);
  std::stable_sort(days.begin(), days.end(), [](const ItineraryDay* a, const ItineraryDay* b) {
    return a->date() < b->date();
  });
  return days;
}

void PrintDelegation(const Delegation& d, std::ostream& out) {
  Table table({"FIELD", "VALUE"}, 100);
  const auto row = [&](const char* field, std::string value) {
    if (!value.empty()) table.AddRow({field, std::move(value)});
  };
  row("id", d.id());
  row("name", d.name());
  row("chamber", d.chamber_id());
  row("route", absl::StrCat(d.origin_country(), " → ", d.host_country()));
  for (const ItineraryDay* day : DaysInOrder(d)) row("day", FormatDay(*day));
  // 0 means the documented default; show what the planner uses.
  row("meetings", absl::StrFormat("%d min, then a %d min break; %s per venue",
                                  d.meeting_minutes() > 0 ? d.meeting_minutes() : 30,
                                  d.break_minutes() > 0 ? d.break_minutes() : 10,
                                  Plural(d.tables_per_venue() > 0 ? d.tables_per_venue() : 10,
                                         "table", "tables")));
  std::vector<std::string> ids;
  for (const auto& p : d.delegates()) ids.push_back(p.member_id());
  row("delegates", absl::StrCat(ids.size(), ": ", absl::StrJoin(ids, ", ")));
  ids.clear();
  for (const auto& p : d.hosts()) ids.push_back(p.member_id());
  std::string hosts = absl::StrCat(ids.size(), " named");
  if (!ids.empty()) absl::StrAppend(&hosts, ": ", absl::StrJoin(ids, ", "));
  row("hosts", hosts);
  if (d.host_filter().max_hosts() > 0) {
    std::string filter = absl::StrCat("up to ", d.host_filter().max_hosts(), " more");
    if (!d.host_filter().sectors().empty()) {
      absl::StrAppend(&filter, " in sectors ", absl::StrJoin(d.host_filter().sectors(), ", "));
    }
    row("host filter", filter);
  }
  std::map<MeetingPair::Status, int> pairs;
  for (const MeetingPair& p : d.pairs()) ++pairs[p.status()];
  row("pairs",
      absl::StrFormat("%d requested, %d accepted, %d declined", pairs[MeetingPair::REQUESTED],
                      pairs[MeetingPair::ACCEPTED], pairs[MeetingPair::DECLINED]));
  if (!d.programme().empty()) {
    row("programme", absl::StrCat(Plural(d.programme_size(), "item", "items"),
                                  " (by day below, with the plan)"));
  }
  ids.clear();
  for (const auto& i : d.interpreters()) ids.push_back(i.name());
  if (!ids.empty()) row("interpreters", absl::StrJoin(ids, ", "));
  row("version", absl::StrCat(d.version()));
  row("created", FormatTime(d.create_time()));
  row("updated", FormatTime(d.update_time()));
  row("plan", d.has_plan()
                  ? absl::StrFormat("%s, made %s from version %d",
                                    Plural(d.plan().meetings_size(), "meeting", "meetings"),
                                    FormatTime(d.plan().plan_time()), d.plan().delegation_version())
                  : absl::StrCat("none yet (socio delegation plan ", d.id(), ")"));
  table.Print(out);
}

// What a plan achieves, and what it could not do.
void PrintPlanSummary(const DelegationPlan& p, std::ostream& out) {
  Table table({"PLAN", "VALUE"}, 100);
  table.AddRow({"planned", absl::StrFormat("%s from version %d", FormatTime(p.plan_time()),
                                           p.delegation_version())});
  table.AddRow({"meetings", absl::StrCat(p.meetings_size())});
  table.AddRow({"total score", Score(p.total_score())});
  table.AddRow({"bound", Score(p.bound())});
  table.AddRow({"gap", absl::StrFormat("%.1f%%", 100 * p.gap())});
  table.AddRow({"per delegate", Load(p.delegate_load())});
  table.AddRow({"per host", Load(p.host_load())});
  table.AddRow({"hosts considered", absl::StrCat(p.host_ids_size())});
  table.AddRow({"moved", absl::StrCat(p.moved())});
  table.AddRow({"shortfall", Plural(p.min_shortfall(), "meeting", "meetings")});
  table.AddRow({"unplaced", absl::StrCat(p.unplaced_size())});
  for (const UnplacedPair& u : p.unplaced()) {
    table.AddRow({"", absl::StrCat(u.delegate_id(), " × ", u.host_id(), ": ", u.reason())});
  }
  const int flagged = static_cast<int>(
      std::count_if(p.meetings().begin(), p.meetings().end(),
                    [](const PlannedMeeting& m) { return m.needs_interpreter(); }));
  if (flagged > 0) {
    table.AddRow(
        {"interpreters", absl::StrFormat("%s, %d without one; %d moved to find one",
                                         Plural(flagged, "meeting needs one", "meetings need one"),
                                         p.interpreter_gaps_size(), p.interpreter_moves())});
    for (const socio::v1::InterpreterGap& g : p.interpreter_gaps()) {
      table.AddRow({"", absl::StrCat(g.date(), " ", g.local_start(), " ", g.delegate_id(), " × ",
                                     g.host_id(), ": ", g.reason())});
    }
  }
  table.Print(out);
}

// What people call a programme item's kind.
std::string ItemKind(socio::v1::ProgrammeItem::Kind kind) {
  switch (kind) {
    case socio::v1::ProgrammeItem::BRIEFING:
      return "briefing";
    case socio::v1::ProgrammeItem::COMPANY_VISIT:
      return "company visit";
    case socio::v1::ProgrammeItem::SEMINAR:
      return "seminar";
    case socio::v1::ProgrammeItem::RECEPTION:
      return "reception";
    default:
      return "other";
  }
}

// Programme items as a table: time, kind, title, place and who attends
// (`with_who`: the items' member ids are known).
void PrintItems(const std::vector<const socio::v1::ProgrammeItem*>& items, bool with_day,
                bool with_who, std::ostream& out) {
  if (items.empty()) return;
  std::vector<std::string> header = {"TIME", "ITEM", "TITLE", "PLACE"};
  if (with_day) header.insert(header.begin(), "DAY");
  if (with_who) header.push_back("WHO");
  Table table(header, 60);
  for (const socio::v1::ProgrammeItem* item : items) {
    std::vector<std::string> row = {
        absl::StrCat(item->start_time(), "-", item->end_time()), ItemKind(item->kind()),
        item->title(), item->place().name().empty() ? "the venue" : item->place().name()};
    if (with_day) row.insert(row.begin(), DayName(item->date()));
    if (with_who) {
      std::string who = item->all_delegates() ? "all delegates" : "";
      if (!item->member_ids().empty()) {
        absl::StrAppend(&who, who.empty() ? "" : ", ", absl::StrJoin(item->member_ids(), ", "));
      }
      row.push_back(who);
    }
    table.AddRow(row);
  }
  table.Print(out);
}

// A meeting's INTERPRETER cell: the name, or the two sides' languages when
// none is assigned.
std::string InterpreterCell(const PlannedMeeting& m) {
  if (!m.needs_interpreter()) return "";
  if (!m.interpreter().empty()) return m.interpreter();
  return absl::StrCat("NONE (", absl::StrJoin(m.delegate_languages(), "/"), " - ",
                      absl::StrJoin(m.host_languages(), "/"), ")");
}

// The plan day by day, one row per meeting in time and table order.
void PrintSchedule(const Delegation& d, std::ostream& out) {
  std::map<std::string, std::vector<const PlannedMeeting*>> by_date;
  for (const ItineraryDay& day : d.days()) by_date[day.date()];
  for (const PlannedMeeting& m : d.plan().meetings()) by_date[m.date()].push_back(&m);
  std::map<std::string, const ItineraryDay*> days;
  for (const ItineraryDay& day : d.days()) days[day.date()] = &day;
  for (auto& [date, meetings] : by_date) {
    out << "\n" << DayName(date);
    if (auto day = days.find(date); day != days.end()) {
      out << "  " << day->second->city();
      if (!day->second->venue().empty()) out << ", " << day->second->venue();
    }
    out << ": " << Plural(static_cast<int64_t>(meetings.size()), "meeting", "meetings") << "\n";
    std::vector<const socio::v1::ProgrammeItem*> items;
    for (const socio::v1::ProgrammeItem& item : d.programme()) {
      if (item.date() == date) items.push_back(&item);
    }
    std::stable_sort(items.begin(), items.end(), [](const auto* a, const auto* b) {
      return a->start_time() < b->start_time();
    });
    PrintItems(items, false, true, out);
    if (meetings.empty()) continue;
    std::stable_sort(
        meetings.begin(), meetings.end(), [](const PlannedMeeting* a, const PlannedMeeting* b) {
          return std::make_pair(a->slot(), a->table()) < std::make_pair(b->slot(), b->table());
        });
    // A MET BEFORE column when a pair of the day met before.
    const bool met = std::any_of(meetings.begin(), meetings.end(),
                                 [](const PlannedMeeting* m) { return m->has_met_before(); });
    const bool interpreters = std::any_of(meetings.begin(), meetings.end(),
                                          [](const auto* m) { return m->needs_interpreter(); });
    std::vector<std::string> header = {"TIME", "TABLE", "DELEGATE", "HOST", "SCORE", "LOCKED"};
    if (met) header.push_back("MET BEFORE");
    if (interpreters) header.push_back("INTERPRETER");
    Table table(header);
    for (const PlannedMeeting* m : meetings) {
      std::vector<std::string> row = {m->local_start(),  absl::StrCat(m->table()),
                                      m->delegate_id(),  m->host_id(),
                                      Score(m->score()), m->locked() ? "locked" : ""};
      if (met) row.push_back(MetBeforeText(m->met_before()));
      if (interpreters) row.push_back(InterpreterCell(*m));
      table.AddRow(row);
    }
    table.Print(out);
  }
}

void PrintAgenda(const socio::v1::Agenda& agenda, std::ostream& out) {
  out << agenda.member_id() << " in " << agenda.delegation_id() << ": "
      << Plural(agenda.meetings_size(), "meeting", "meetings");
  if (!agenda.programme().empty()) {
    out << " and " << Plural(agenda.programme_size(), "programme item", "programme items");
  }
  out << "\n";
  std::vector<const socio::v1::ProgrammeItem*> items;
  for (const socio::v1::ProgrammeItem& item : agenda.programme()) items.push_back(&item);
  PrintItems(items, true, false, out);
  if (agenda.meetings().empty()) return;
  // A MET BEFORE column when the member met one of its partners before.
  const bool met = std::any_of(agenda.meetings().begin(), agenda.meetings().end(),
                               [](const PlannedMeeting& m) { return m.has_met_before(); });
  const bool interpreters =
      std::any_of(agenda.meetings().begin(), agenda.meetings().end(),
                  [](const PlannedMeeting& m) { return m.needs_interpreter(); });
  std::vector<std::string> header = {"DAY", "TIME", "TABLE", "PARTNER", "SCORE"};
  if (met) header.push_back("MET BEFORE");
  if (interpreters) header.push_back("INTERPRETER");
  header.push_back("TOP REASON");
  Table table(header, 60);
  for (const PlannedMeeting& m : agenda.meetings()) {
    const bool delegate = m.delegate_id() == agenda.member_id();
    const std::string& partner = delegate ? m.host_id() : m.delegate_id();
    const auto& reasons = delegate ? m.reasons() : m.host_reasons();
    std::vector<std::string> row = {DayName(m.date()), m.local_start(), absl::StrCat(m.table()),
                                    partner, Score(m.score())};
    if (met) row.push_back(MetBeforeText(m.met_before()));
    if (interpreters) row.push_back(InterpreterCell(m));
    row.push_back(reasons.empty() ? "" : SummarizeReason(reasons[0]));
    table.AddRow(row);
  }
  table.Print(out);
}

// --- export -----------------------------------------------------------------

// "agendas: 12 / 140" on stderr: rewritten in place on a terminal; otherwise
// a line every few seconds and one at the end.
class ExportProgress {
 public:
  explicit ExportProgress(int total)
      : total_(total),
        tty_(isatty(fileno(stderr))),
        last_(tty_ ? absl::InfinitePast() : absl::Now()) {}

  void Update(int done) {
    const absl::Time now = absl::Now();
    if (done < total_ && now - last_ < (tty_ ? absl::Milliseconds(100) : absl::Seconds(5))) {
      return;
    }
    last_ = now;
    std::cerr << (tty_ ? "\r" : "") << "agendas: " << done << " / " << total_
              << (tty_ && done < total_ ? "" : "\n") << std::flush;
  }

 private:
  const int total_;
  const bool tty_;
  absl::Time last_;
};

// Refuses names that would land outside the export directory.
absl::Status CheckFileName(const std::string& name, const std::string& member_id) {
  if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos ||
      name.find('\0') != std::string::npos) {
    return absl::InternalError(absl::StrCat("the server named the agenda of '", member_id, "' '",
                                            name, "', which is not a plain file name"));
  }
  return absl::OkStatus();
}

absl::Status WriteFile(const std::filesystem::path& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (out) out << content;
  if (out) out.close();
  if (!out) return absl::ErrnoToStatus(errno, absl::StrCat("cannot write ", path.string()));
  return absl::OkStatus();
}

// Every delegate of the delegation, then every host that meets one in its
// plan, each once.
std::vector<std::string> CompaniesOfPlan(const Delegation& d) {
  std::vector<std::string> companies;
  std::set<std::string> seen;
  const auto add = [&](const std::string& id) {
    if (seen.insert(id).second) companies.push_back(id);
  };
  for (const auto& p : d.delegates()) add(p.member_id());
  std::set<std::string> meeting_hosts;
  for (const PlannedMeeting& m : d.plan().meetings()) meeting_hosts.insert(m.host_id());
  for (const std::string& id : d.plan().host_ids()) {
    if (meeting_hosts.count(id) > 0) add(id);
  }
  for (const PlannedMeeting& m : d.plan().meetings()) add(m.host_id());
  return companies;
}

}  // namespace

DelegationCommands::DelegationCommands(const GlobalOptions& global) : global_(global) {}
DelegationCommands::~DelegationCommands() = default;

const DelegationClient& DelegationCommands::Client() {
  if (client_ == nullptr) client_ = std::make_unique<DelegationClient>(OpenChannel(global_));
  return *client_;
}

int DelegationCommands::PrintResult(const Delegation& delegation) {
  if (global_.json) {
    std::cout << ToJson(delegation) << "\n";
  } else {
    PrintDelegation(delegation, std::cout);
  }
  return 0;
}

void DelegationCommands::Register(CLI::App& app, int* exit_code) {
  CLI::App* delegation = app.add_subcommand(
      "delegation", "Delegation visits: who meets whom, on which day, at which table");
  delegation->require_subcommand(1);
  // Options of `socio` (--json, --server) may also follow the subcommand.
  delegation->fallthrough();
  const auto run = [exit_code](CLI::App* command, std::function<int()> body) {
    OnRun(command, exit_code, std::move(body));
  };
  // Each occurrence takes one value (so a list option cannot swallow the
  // positional arguments after it), which may be a comma-separated list.
  const auto list = [](CLI::App* command, const std::string& name, std::vector<std::string>& values,
                       const std::string& help) {
    return command->add_option(name, values, help)->delimiter(',')->allow_extra_args(false);
  };
  const auto expected_version = [this](CLI::App* command) {
    command->add_option("--expected-version", expected_version_,
                        "Refuse (ABORTED) unless the stored version is this one");
  };

  CLI::App* create = delegation->add_subcommand("create", "Store a new delegation from proto JSON");
  create->add_option("file", file_, "JSON file with one delegation, or - for stdin")->required();
  create->add_option("--request-id", request_id_, kRequestIdHelp);
  run(create, [this] { return Create(); });

  CLI::App* update = delegation->add_subcommand(
      "update", "Change a delegation's fields from proto JSON (its last plan is kept)");
  update->add_option("id", id_, "Delegation id")->required();
  update->add_option("file", file_, "JSON file with the fields to write, or - for stdin")
      ->required();
  list(update, "--mask", mask_,
       "Fields to write (days,pairs,...); default: the fields the file has");
  expected_version(update);
  run(update, [this] { return Update(); });

  CLI::App* del = delegation->add_subcommand("delete", "Remove a delegation and its plan");
  del->add_option("id", id_, "Delegation id")->required();
  expected_version(del);
  run(del, [this] { return Delete(); });

  CLI::App* ls = delegation->add_subcommand("list", "List delegations, ordered by id");
  ls->add_option("--chamber", chamber_, "Only this chamber's delegations");
  ls->add_option("--member", member_id_,
                 "Only the delegations this company takes part in (delegate, host or pair)");
  run(ls, [this] { return List(); });

  CLI::App* show = delegation->add_subcommand(
      "show", "Show a delegation, its last plan and the plan's schedule day by day");
  show->add_option("id", id_, "Delegation id")->required();
  run(show, [this] { return Show(); });

  CLI::App* plan = delegation->add_subcommand(
      "plan", "Plan the meetings (locked pairs stay where they are) and store the plan");
  plan->add_option("id", id_, "Delegation id")->required();
  plan->add_flag("--fresh", fresh_, "Start from scratch instead of from the last plan");
  expected_version(plan);
  plan->add_option("--request-id", request_id_, kRequestIdHelp);
  run(plan, [this] { return Plan(); });

  CLI::App* publish = delegation->add_subcommand(
      "publish",
      "Tell each company its meetings in the current plan; after a re-plan, only what changed "
      "for it");
  publish->add_option("id", id_, "Delegation id")->required();
  publish
      ->add_option("--side", side_,
                   "both, delegates or hosts (a co-planned delegation: each chamber its own "
                   "side); default: the caller's")
      ->check(CLI::IsMember({"both", "delegates", "hosts"}));
  expected_version(publish);
  publish->add_option("--request-id", request_id_, kRequestIdHelp);
  run(publish, [this] { return Publish(); });

  CLI::App* agenda = delegation->add_subcommand(
      "agenda", "One company's meetings in the last plan, as a table or a calendar file");
  agenda->add_option("id", id_, "Delegation id")->required();
  agenda->add_option("member_id", member_id_, "Profile id of a delegate or host")->required();
  agenda->add_option("--format", format_, "Print the file as received: ics or csv")
      ->check(CLI::IsMember({"ics", "csv"}));
  run(agenda, [this] { return Agenda(); });

  CLI::App* exp = delegation->add_subcommand(
      "export",
      "Write an iCalendar file per delegate and per host with a meeting, and the plan as CSV");
  exp->add_option("id", id_, "Delegation id")->required();
  exp->add_option("--dir", dir_, "Directory to write into; created if missing")->required();
  run(exp, [this] { return Export(); });

  CLI::App* destinations = delegation->add_subcommand(
      "destinations", "Rank host countries by the delegates' best partners there");
  destinations->add_option("member_ids", member_ids_, "Profile ids of the delegates")->required();
  destinations->add_option("--k", k_, "How many countries to rank (1 to 50)")
      ->capture_default_str();
  list(destinations, "--exclude", exclude_,
       "Leave out these countries (ISO alpha-2); repeatable or comma-separated");
  run(destinations, [this] { return Destinations(); });
}

int DelegationCommands::Create() {
  absl::StatusOr<std::string> json = ReadInput(file_);
  if (!json.ok()) return Fail(json.status());
  socio::v1::CreateDelegationRequest request;
  if (absl::Status s = ParseDelegationJson(*json, file_, request.mutable_delegation()); !s.ok()) {
    return Fail(s);
  }
  request.set_request_id(RequestId(request_id_));
  absl::StatusOr<Delegation> created = Client().CreateDelegation(request);
  if (!created.ok()) return Fail(created.status());
  return PrintResult(*created);
}

int DelegationCommands::Update() {
  absl::StatusOr<std::string> json = ReadInput(file_);
  if (!json.ok()) return Fail(json.status());
  socio::v1::UpdateDelegationRequest request;
  Delegation& delegation = *request.mutable_delegation();
  if (absl::Status s = ParseDelegationJson(*json, file_, &delegation); !s.ok()) return Fail(s);
  if (!delegation.id().empty() && delegation.id() != id_) {
    return Fail(absl::InvalidArgumentError(absl::StrCat(
        file_, ": id '", delegation.id(), "' is not the delegation named, '", id_, "'")));
  }
  delegation.set_id(id_);
  std::vector<std::string> paths;
  if (!mask_.empty()) {
    for (const std::string& name : Values(mask_)) {
      absl::StatusOr<std::string> path = MaskPath(name);
      if (!path.ok()) return Fail(path.status());
      paths.push_back(*std::move(path));
    }
  } else {
    absl::StatusOr<std::vector<std::string>> fields = FieldsInJson(*json, file_);
    if (!fields.ok()) return Fail(fields.status());
    paths = *std::move(fields);
  }
  // An empty mask writes only the fields set, so a field the file clears
  // ("" or []) would be kept: always name the fields.
  if (paths.empty()) {
    return Fail(absl::InvalidArgumentError(
        absl::StrCat("nothing to change: ", file_, " has no writable field and no --mask")));
  }
  for (std::string& path : paths) request.mutable_update_mask()->add_paths(std::move(path));
  request.set_expected_version(expected_version_);
  absl::StatusOr<Delegation> updated = Client().UpdateDelegation(request);
  if (!updated.ok()) return Fail(updated.status());
  return PrintResult(*updated);
}

int DelegationCommands::Delete() {
  socio::v1::DeleteDelegationRequest request;
  request.set_id(id_);
  request.set_expected_version(expected_version_);
  absl::StatusOr<socio::v1::DeleteDelegationResponse> response = Client().DeleteDelegation(request);
  if (!response.ok()) return Fail(response.status());
  if (global_.json) {
    std::cout << ToJson(*response) << "\n";
  } else {
    std::cout << "deleted " << id_ << "\n";
  }
  return 0;
}

int DelegationCommands::List() {
  socio::v1::ListDelegationsRequest request;
  request.set_chamber_id(chamber_);
  request.set_member_id(member_id_);
  socio::v1::ListDelegationsResponse all;
  do {
    absl::StatusOr<socio::v1::ListDelegationsResponse> page = Client().ListDelegations(request);
    if (!page.ok()) return Fail(page.status());
    for (Delegation& d : *page->mutable_delegations()) *all.add_delegations() = std::move(d);
    request.set_page_token(page->next_page_token());
  } while (!request.page_token().empty());
  if (global_.json) {
    std::cout << ToJson(all) << "\n";
    return 0;
  }
  Table table({"ID", "CHAMBER", "NAME", "ROUTE", "DAYS", "DELEGATES", "HOSTS", "PLAN", "VERSION"},
              40);
  for (const Delegation& d : all.delegations()) {
    std::vector<const ItineraryDay*> days = DaysInOrder(d);
    std::string dates;
    if (!days.empty()) {
      dates = days.front()->date();
      if (days.size() > 1) absl::StrAppend(&dates, " to ", days.back()->date());
    }
    table.AddRow({d.id(), d.chamber_id(), d.name(),
                  absl::StrCat(d.origin_country(), " → ", d.host_country()), dates,
                  absl::StrCat(d.delegates_size()), absl::StrCat(d.hosts_size()),
                  d.has_plan() ? Plural(d.plan().meetings_size(), "meeting", "meetings") : "-",
                  absl::StrCat(d.version())});
  }
  table.Print(std::cout);
  std::cout << Plural(all.delegations_size(), "delegation", "delegations") << "\n";
  return 0;
}

int DelegationCommands::Show() {
  socio::v1::GetDelegationRequest request;
  request.set_id(id_);
  absl::StatusOr<Delegation> delegation = Client().GetDelegation(request);
  if (!delegation.ok()) return Fail(delegation.status());
  if (global_.json) {
    std::cout << ToJson(*delegation) << "\n";
    return 0;
  }
  PrintDelegation(*delegation, std::cout);
  if (!delegation->has_plan()) return 0;
  std::cout << "\n";
  PrintPlanSummary(delegation->plan(), std::cout);
  PrintSchedule(*delegation, std::cout);
  return 0;
}

int DelegationCommands::Plan() {
  socio::v1::PlanDelegationRequest request;
  request.set_id(id_);
  request.set_expected_version(expected_version_);
  request.set_fresh(fresh_);
  request.set_request_id(RequestId(request_id_));
  std::cerr << "planning " << id_ << " ..." << std::endl;
  absl::StatusOr<Delegation> planned = Client().PlanDelegation(request);
  if (!planned.ok()) return Fail(planned.status());
  if (global_.json) {
    std::cout << ToJson(*planned) << "\n";
    return 0;
  }
  std::cout << "planned " << planned->id();
  if (!planned->name().empty()) std::cout << " (" << planned->name() << ")";
  std::cout << ", now version " << planned->version() << "\n";
  PrintPlanSummary(planned->plan(), std::cout);
  return 0;
}

int DelegationCommands::Publish() {
  socio::v1::PublishPlanRequest request;
  request.set_id(id_);
  request.set_expected_version(expected_version_);
  request.set_request_id(RequestId(request_id_));
  if (side_ == "both") request.set_side(socio::v1::PublishPlanRequest::BOTH);
  if (side_ == "delegates") request.set_side(socio::v1::PublishPlanRequest::DELEGATES);
  if (side_ == "hosts") request.set_side(socio::v1::PublishPlanRequest::HOSTS);
  absl::StatusOr<Delegation> published = Client().PublishPlan(request);
  if (!published.ok()) return Fail(published.status());
  if (global_.json) {
    std::cout << ToJson(*published) << "\n";
    return 0;
  }
  // "(version 2, publication 1): 6 companies told"
  const auto told = [](const socio::v1::PlanPublication& p) {
    return absl::StrCat("(version ", p.delegation_version(), ", publication ", p.publish_count(),
                        "): ", p.notified(), p.notified() == 1 ? " company" : " companies",
                        " told");
  };
  if (published->host_chamber_id().empty()) {
    std::cout << "published the plan of " << published->id() << " "
              << told(published->publication()) << "\n";
    return 0;
  }
  // Co-planned: each side's last publication.
  std::cout << "published the plan of " << published->id() << "\n";
  if (published->has_publication()) {
    std::cout << "  delegates: " << told(published->publication()) << "\n";
  }
  if (published->has_host_publication()) {
    std::cout << "  hosts:     " << told(published->host_publication()) << "\n";
  }
  return 0;
}

int DelegationCommands::Agenda() {
  GetAgendaRequest request;
  request.set_delegation_id(id_);
  request.set_member_id(member_id_);
  if (format_ == "ics") request.set_format(GetAgendaRequest::ICALENDAR);
  if (format_ == "csv") request.set_format(GetAgendaRequest::CSV);
  absl::StatusOr<socio::v1::Agenda> agenda = Client().GetAgenda(request);
  if (!agenda.ok()) return Fail(agenda.status());
  if (global_.json) {
    std::cout << ToJson(*agenda) << "\n";
  } else if (!format_.empty()) {
    std::cout << agenda->content() << std::flush;
  } else {
    PrintAgenda(*agenda, std::cout);
  }
  return 0;
}

int DelegationCommands::Export() {
  socio::v1::GetDelegationRequest get;
  get.set_id(id_);
  absl::StatusOr<Delegation> delegation = Client().GetDelegation(get);
  if (!delegation.ok()) return Fail(delegation.status());
  if (!delegation->has_plan()) {
    return Fail(absl::FailedPreconditionError(absl::StrCat(
        "delegation ", id_, " has no plan to export; make one with socio delegation plan ", id_)));
  }
  const std::filesystem::path dir(dir_);
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    return Fail(absl::ErrnoToStatus(error.value(), absl::StrCat("cannot create ", dir_)));
  }

  struct Written {
    std::string path;
    std::string member_id;  // empty for the whole plan
    int meetings;
  };
  std::vector<Written> written;
  std::set<std::string> names;
  // Asks for one agenda and writes it under the file name the server chose.
  const auto save = [&](const std::string& member_id,
                        GetAgendaRequest::Format format) -> absl::Status {
    GetAgendaRequest request;
    request.set_delegation_id(id_);
    request.set_member_id(member_id);
    request.set_format(format);
    absl::StatusOr<socio::v1::Agenda> agenda = Client().GetAgenda(request);
    if (!agenda.ok()) {
      return absl::Status(agenda.status().code(),
                          absl::StrCat("agenda of ", member_id.empty() ? "the plan" : member_id,
                                       ": ", agenda.status().message()));
    }
    const std::string& who = member_id.empty() ? id_ : member_id;
    if (absl::Status s = CheckFileName(agenda->file_name(), who); !s.ok()) return s;
    if (!names.insert(agenda->file_name()).second) {
      return absl::InternalError(absl::StrCat("the server named two agendas '", agenda->file_name(),
                                              "' (the second is ", who, ")"));
    }
    const std::filesystem::path path = dir / agenda->file_name();
    if (absl::Status s = WriteFile(path, agenda->content()); !s.ok()) return s;
    written.push_back({path.string(), member_id, agenda->meetings_size()});
    return absl::OkStatus();
  };

  const std::vector<std::string> companies = CompaniesOfPlan(*delegation);
  ExportProgress progress(static_cast<int>(companies.size()));
  for (size_t i = 0; i < companies.size(); ++i) {
    if (absl::Status s = save(companies[i], GetAgendaRequest::ICALENDAR); !s.ok()) return Fail(s);
    progress.Update(static_cast<int>(i + 1));
  }
  if (absl::Status s = save("", GetAgendaRequest::CSV); !s.ok()) return Fail(s);

  const int meetings = written.back().meetings;
  if (global_.json) {
    google::protobuf::Struct out;
    auto& fields = *out.mutable_fields();
    fields["directory"].set_string_value(dir_);
    fields["meetings"].set_number_value(meetings);
    google::protobuf::ListValue* files = fields["files"].mutable_list_value();
    for (const Written& w : written) {
      auto& file = *files->add_values()->mutable_struct_value()->mutable_fields();
      file["path"].set_string_value(w.path);
      file["memberId"].set_string_value(w.member_id);
      file["meetings"].set_number_value(w.meetings);
    }
    std::cout << ToJson(out) << "\n";
  } else {
    std::cout << absl::StrFormat(
        "wrote %s to %s: %s and the plan as %s; %s\n",
        Plural(static_cast<int64_t>(written.size()), "file", "files"), dir_,
        Plural(static_cast<int64_t>(companies.size()), "agenda", "agendas"),
        std::filesystem::path(written.back().path).filename().string(),
        Plural(meetings, "meeting", "meetings"));
  }
  return 0;
}

int DelegationCommands::Destinations() {
  // k = 0 would mean the server's default; --k has its own default instead.
  if (k_ < 1) {
    return Fail(absl::InvalidArgumentError(absl::StrCat("--k: must be at least 1, not ", k_)));
  }
  socio::v1::RecommendDestinationsRequest request;
  for (std::string& id : Values(member_ids_)) request.add_delegate_ids(std::move(id));
  request.set_k(k_);
  for (std::string& country : Values(exclude_)) request.add_exclude_countries(std::move(country));
  absl::StatusOr<socio::v1::RecommendDestinationsResponse> response =
      Client().RecommendDestinations(request);
  if (!response.ok()) return Fail(response.status());
  if (global_.json) {
    std::cout << ToJson(*response) << "\n";
    return 0;
  }
  if (response->destinations().empty()) {
    std::cout << "No destinations found.\n";
    return 0;
  }
  Table table({"RANK", "COUNTRY", "SCORE", "STRONG PARTNERS", "TOP CITIES"}, 80);
  int rank = 0;
  for (const Destination& d : response->destinations()) {
    std::vector<std::string> cities;
    for (const DestinationCity& c : d.cities()) {
      if (cities.size() == 3) break;
      cities.push_back(absl::StrCat(c.city(), " (", c.strong_partners(), ")"));
    }
    table.AddRow({absl::StrCat(++rank), d.country(), Score(d.score()),
                  absl::StrCat(d.strong_partners()), absl::StrJoin(cities, ", ")});
  }
  table.Print(std::cout);
  return 0;
}

}  // namespace socio::clients
