#include "clients/profile_commands.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "clients/cli_output.h"
#include "clients/import_reader.h"
#include "clients/profile_import.h"
#include "clients/table.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"

namespace socio::clients {
namespace {

using socio::v1::ImportProfilesSummary;
using socio::v1::Objective;
using socio::v1::Profile;
using socio::v1::ProfileChange;

// --- output -----------------------------------------------------------------

std::string FormatObjective(const Objective& o) {
  std::string text = o.direction() == Objective::DIRECTION_UNSPECIFIED
                         ? Objective::Type_Name(o.type())
                         : absl::StrCat(Objective::Direction_Name(o.direction()), " ",
                                        Objective::Type_Name(o.type()));
  if (!o.sectors().empty()) absl::StrAppend(&text, " sectors ", absl::StrJoin(o.sectors(), ","));
  if (!o.markets().empty()) absl::StrAppend(&text, " in ", absl::StrJoin(o.markets(), ","));
  if (!o.note().empty()) absl::StrAppend(&text, ": ", o.note());
  return text;
}

void PrintProfile(const Profile& p, std::ostream& out) {
  Table table({"FIELD", "VALUE"}, 100);
  const auto row = [&](const char* field, std::string value) {
    if (!value.empty() && value != "0") table.AddRow({field, std::move(value)});
  };
  row("id", p.id());
  row("chamber", p.chamber_id());
  row("name", p.name());
  row("country", p.country());
  row("city", p.city());
  if (p.has_location()) {
    row("location",
        absl::StrFormat("%.4f, %.4f", p.location().latitude(), p.location().longitude()));
  }
  row("sectors", absl::StrJoin(p.sectors(), ", "));
  row("employees", absl::StrCat(p.employees()));
  row("founded", absl::StrCat(p.founded_year()));
  row("languages", absl::StrJoin(p.languages(), ", "));
  row("description", p.description());
  row("keywords", absl::StrJoin(p.keywords(), ", "));
  for (const Objective& o : p.objectives()) row("objective", FormatObjective(o));
  row("target markets", absl::StrJoin(p.target_markets(), ", "));
  row("active markets", absl::StrJoin(p.active_markets(), ", "));
  row("certifications", absl::StrJoin(p.certifications(), ", "));
  for (const socio::v1::Contact& c : p.contacts()) row("contact", FormatContact(c));
  row("visibility", Profile::Visibility_Name(p.visibility()));
  if (p.anonymous()) {
    // A profile the caller may not see in full comes with its handle for its id.
    row("anonymous", p.id() == p.handle()
                         ? "yes (its name and details are hidden from you until a mutual "
                           "interest or an accepted meeting request)"
                         : absl::StrCat("yes (shown to others as ", p.handle(), ")"));
  }
  row("handle", p.handle());
  row("valid until", FormatTime(p.valid_until()));
  row("version", absl::StrCat(p.version()));
  row("created", FormatTime(p.create_time()));
  row("updated", FormatTime(p.update_time()));
  table.Print(out);
}

Table ProfileTable() {
  return Table({"ID", "CHAMBER", "NAME", "COUNTRY", "SECTORS", "VISIBILITY", "VERSION"}, 40);
}

void AddProfileRow(const Profile& p, Table& table) {
  table.AddRow({p.id(), p.chamber_id(), p.name(), p.country(), absl::StrJoin(p.sectors(), ","),
                Profile::Visibility_Name(p.visibility()), absl::StrCat(p.version())});
}

// --- input ------------------------------------------------------------------

absl::Status ParseProfileJson(const std::string& json, const std::string& source, Profile* p) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  auto status = google::protobuf::util::JsonStringToMessage(json, p, options);
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(source, ": not a profile in proto JSON: ", status.message().as_string()));
  }
  return absl::OkStatus();
}

// The proto field name ("chamber_id") for a JSON or proto name of a Profile field.
absl::StatusOr<std::string> ProfileFieldName(const std::string& name) {
  const google::protobuf::Descriptor* descriptor = Profile::descriptor();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* field = descriptor->field(i);
    if (field->name() == name || field->json_name() == name) return field->name();
  }
  return absl::InvalidArgumentError(absl::StrCat("'", name, "' is not a field of Profile"));
}

}  // namespace

ProfileCommands::ProfileCommands(const GlobalOptions& global) : global_(global) {}
ProfileCommands::~ProfileCommands() = default;

const ProfileClient& ProfileCommands::Client() {
  if (client_ == nullptr) client_ = std::make_unique<ProfileClient>(OpenChannel(global_));
  return *client_;
}

int ProfileCommands::PrintResult(const Profile& p) {
  if (global_.json) {
    std::cout << ToJson(p) << "\n";
  } else {
    PrintProfile(p, std::cout);
  }
  return 0;
}

void ProfileCommands::Register(CLI::App& app, int* exit_code) {
  CLI::App* profiles = app.add_subcommand("profiles", "Member companies' business profiles");
  profiles->require_subcommand(1);
  // Options of `socio` (--json, --server) may also follow the subcommand.
  profiles->fallthrough();
  const auto run = [exit_code](CLI::App* command, std::function<int()> body) {
    OnRun(command, exit_code, std::move(body));
  };

  CLI::App* create = profiles->add_subcommand("create", "Store a new profile from proto JSON");
  create->add_option("file", file_, "JSON file with one profile, or - for stdin")->required();
  create->add_option("--request-id", request_id_, kRequestIdHelp);
  run(create, [this] { return Create(); });

  CLI::App* get = profiles->add_subcommand("get", "Show one profile");
  get->add_option("id", id_, "Profile id")->required();
  run(get, [this] { return Get(); });

  CLI::App* list = profiles->add_subcommand("list", "List profiles, ordered by id or --sort");
  list->add_option("--chamber", chamber_, "Only this chamber's members");
  list->add_option("--country", country_, "Only companies based in this country (ISO alpha-2)");
  list->add_option("--sector", sector_, "Only companies with a NACE code under this prefix");
  list->add_option("--name", name_query_,
                   "Only companies whose name, id or keywords hold every word of this text "
                   "(case and accents ignored)");
  list->add_option("--sort", sort_,
                   "Order: id (default), name, country, update_time; add ' desc' to reverse "
                   "(\"name desc\"); also prints the total");
  list->add_flag("--count", count_, "Also print how many profiles match on all pages");
  list->add_option("--page-size", page_size_, "Profiles per page (1-1000, default 100)");
  list->add_option("--page-token", page_token_, "Continue from a previous page");
  list->add_flag("--all", all_, "Fetch every page (with --json: one profile per line, JSONL)");
  run(list, [this] { return List(); });

  CLI::App* update = profiles->add_subcommand(
      "update", "Change some fields of a profile (only the fields given are written)");
  update->add_option("id", id_, "Profile id")->required();
  update->add_option("--file", file_, "JSON object with the fields to write, or - for stdin");
  update->add_option("--set", sets_,
                     "field=value; value is JSON (5, [\"es\",\"en\"], \"text\") or plain text. "
                     "Repeatable");
  update->add_option("--expected-version", expected_version_,
                     "Refuse (ABORTED) unless the stored version is this one");
  run(update, [this] { return Update(); });

  CLI::App* del = profiles->add_subcommand("delete", "Remove a profile");
  del->add_option("id", id_, "Profile id")->required();
  del->add_option("--expected-version", expected_version_,
                  "Refuse (ABORTED) unless the stored version is this one");
  run(del, [this] { return Delete(); });

  CLI::App* import = profiles->add_subcommand(
      "import",
      "Store the profiles of a JSONL or CSV file; bad lines are reported, good ones kept");
  import->add_option("file", file_, "A .jsonl or .csv file, or - for stdin (needs --format)")
      ->required();
  import->add_option("--format", format_, "jsonl or csv (default: from the file name)")
      ->check(CLI::IsMember({"jsonl", "csv"}));
  import->add_flag("--upsert", upsert_, "Replace profiles that exist instead of rejecting them");
  import->add_option("--request-id", request_id_, kRequestIdHelp);
  run(import, [this] { return Import(); });

  CLI::App* watch = profiles->add_subcommand(
      "watch", "Print profile changes as they happen (after the history from --after)");
  watch->add_option("--after", after_, "Start after this change sequence number (0: all history)");
  watch->add_option("--limit", limit_, "Stop after this many changes (0: run until Ctrl-C)");
  run(watch, [this] { return Watch(); });
}

int ProfileCommands::Create() {
  absl::StatusOr<std::string> json = ReadInput(file_);
  if (!json.ok()) return Fail(json.status());
  socio::v1::CreateProfileRequest request;
  if (absl::Status s = ParseProfileJson(*json, file_, request.mutable_profile()); !s.ok()) {
    return Fail(s);
  }
  request.set_request_id(RequestId(request_id_));
  absl::StatusOr<Profile> created = Client().CreateProfile(request);
  if (!created.ok()) return Fail(created.status());
  return PrintResult(*created);
}

int ProfileCommands::Get() {
  socio::v1::GetProfileRequest request;
  request.set_id(id_);
  absl::StatusOr<Profile> profile = Client().GetProfile(request);
  if (!profile.ok()) return Fail(profile.status());
  return PrintResult(*profile);
}

int ProfileCommands::List() {
  socio::v1::ListProfilesRequest request;
  request.set_chamber_id(chamber_);
  request.set_country(country_);
  request.set_sector_prefix(sector_);
  request.set_query(name_query_);
  request.set_order_by(sort_);
  // A sorted list reads every matching profile anyway: its total costs nothing more.
  request.set_include_total_size(count_ || !sort_.empty());
  request.set_page_size(page_size_);
  request.set_page_token(page_token_);
  Table table = ProfileTable();
  std::string next_token;
  int64_t total = 0;
  do {
    absl::StatusOr<socio::v1::ListProfilesResponse> response = Client().ListProfiles(request);
    if (!response.ok()) return Fail(response.status());
    next_token = response->next_page_token();
    total = response->total_size();
    if (global_.json && !all_) {
      std::cout << ToJson(*response) << "\n";
      return 0;
    }
    for (const Profile& p : response->profiles()) {
      if (global_.json) {
        std::cout << ToJson(p) << "\n";
      } else {
        AddProfileRow(p, table);
      }
    }
    request.set_page_token(next_token);
  } while (all_ && !next_token.empty());
  if (global_.json) return 0;
  table.Print(std::cout);
  std::cout << table.rows() << (table.rows() == 1 ? " profile" : " profiles");
  if (request.include_total_size()) std::cout << " of " << total << " matching";
  if (!next_token.empty()) {
    std::cout << "; more with --page-token " << next_token << " (or --all)";
  }
  std::cout << "\n";
  return 0;
}

int ProfileCommands::Update() {
  // The fields to write, as a JSON object: the file's, then each --set.
  google::protobuf::Struct fields;
  if (!file_.empty()) {
    absl::StatusOr<std::string> json = ReadInput(file_);
    if (!json.ok()) return Fail(json.status());
    if (!google::protobuf::util::JsonStringToMessage(*json, &fields).ok()) {
      return Fail(absl::InvalidArgumentError(absl::StrCat(file_, ": not a JSON object")));
    }
  }
  for (const std::string& set : sets_) {
    std::vector<std::string> parts = absl::StrSplit(set, absl::MaxSplits('=', 1));
    if (parts.size() != 2 || parts[0].empty()) {
      return Fail(absl::InvalidArgumentError(
          absl::StrCat("--set: '", set, "' is not field=value (like city=Monterrey)")));
    }
    google::protobuf::Value value;
    if (!google::protobuf::util::JsonStringToMessage(parts[1], &value).ok()) {
      value.set_string_value(parts[1]);  // plain text
    }
    (*fields.mutable_fields())[parts[0]] = value;
  }
  if (fields.fields().empty()) {
    return Fail(absl::InvalidArgumentError("nothing to change: give --set field=value or --file"));
  }
  socio::v1::UpdateProfileRequest request;
  for (const auto& [name, value] : fields.fields()) {
    absl::StatusOr<std::string> field = ProfileFieldName(name);
    if (!field.ok()) return Fail(field.status());
    request.mutable_update_mask()->add_paths(*field);
  }
  std::string json = ToJson(fields);
  if (absl::Status s = ParseProfileJson(json, "fields to update", request.mutable_profile());
      !s.ok()) {
    return Fail(s);
  }
  request.mutable_profile()->set_id(id_);
  request.set_expected_version(expected_version_);
  absl::StatusOr<Profile> updated = Client().UpdateProfile(request);
  if (!updated.ok()) return Fail(updated.status());
  return PrintResult(*updated);
}

int ProfileCommands::Delete() {
  socio::v1::DeleteProfileRequest request;
  request.set_id(id_);
  request.set_expected_version(expected_version_);
  absl::StatusOr<socio::v1::DeleteProfileResponse> response = Client().DeleteProfile(request);
  if (!response.ok()) return Fail(response.status());
  if (global_.json) {
    std::cout << ToJson(*response) << "\n";
  } else {
    std::cout << "deleted " << id_ << " (change " << response->sequence() << ")\n";
  }
  return 0;
}

namespace {

// Progress of a long import on stderr: a line rewritten in place on a
// terminal, a line every few seconds otherwise. Quiet for the first second.
class ImportProgress {
 public:
  explicit ImportProgress(int64_t total_bytes)
      : total_bytes_(total_bytes), tty_(isatty(fileno(stderr))), start_(absl::Now()) {}

  void Update(int64_t records, int64_t bytes) {
    const absl::Time now = absl::Now();
    const absl::Duration every = tty_ ? absl::Milliseconds(200) : absl::Seconds(5);
    if (now - start_ < absl::Seconds(1) || now - last_ < every) return;
    last_ = now;
    Print(records, bytes, now);
  }

  void Finish(int64_t records, int64_t bytes) {
    if (last_ == absl::InfinitePast()) return;  // never shown: nothing to close
    Print(records, bytes, absl::Now());
    if (tty_) std::cerr << "\n";
  }

 private:
  void Print(int64_t records, int64_t bytes, absl::Time now) {
    const double seconds = absl::ToDoubleSeconds(now - start_);
    std::string line = absl::StrFormat("import: %d records, %.0f/s", records, records / seconds);
    if (total_bytes_ > 0) {
      absl::StrAppendFormat(&line, ", %.0f%%", 100.0 * static_cast<double>(bytes) / total_bytes_);
    }
    std::cerr << (tty_ ? "\r" : "") << line << (tty_ ? "" : "\n") << std::flush;
  }

  const int64_t total_bytes_;
  const bool tty_;
  const absl::Time start_;
  absl::Time last_ = absl::InfinitePast();
};

}  // namespace

int ProfileCommands::Import() {
  ImportFormat format;
  if (!format_.empty()) {
    format = format_ == "csv" ? ImportFormat::kCsv : ImportFormat::kJsonl;
  } else {
    absl::StatusOr<ImportFormat> from_path = FormatFromPath(file_);
    if (!from_path.ok()) {
      return Fail(absl::InvalidArgumentError(
          absl::StrCat(from_path.status().message(), "; name the format with --format")));
    }
    format = *from_path;
  }
  std::ifstream file;
  std::istream* in = &std::cin;
  int64_t total_bytes = 0;
  if (file_ != "-") {
    file.open(file_, std::ios::binary | std::ios::ate);
    if (!file) return Fail(absl::NotFoundError(absl::StrCat("cannot open ", file_)));
    total_bytes = file.tellg();
    file.seekg(0);
    in = &file;
  }

  ProfileReader reader(in, format);
  ImportProgress progress(total_bytes);
  int64_t records = 0;
  ImportOptions options;
  options.upsert = upsert_;
  options.request_id = RequestId(request_id_);
  options.progress = [&](int64_t read, int64_t bytes) {
    records = read;
    progress.Update(read, bytes);
  };
  absl::StatusOr<ImportResult> result =
      ImportProfiles(Client(), &reader, options, WithoutDeadline());
  progress.Finish(records, reader.bytes_read());
  if (!result.ok()) return Fail(result.status());
  const ImportProfilesSummary& summary = result->summary;
  const int64_t total_rejected = result->rejected;

  if (global_.json) {
    google::protobuf::Struct out;
    auto& f = *out.mutable_fields();
    f["records"].set_number_value(static_cast<double>(result->records));
    f["created"].set_number_value(static_cast<double>(summary.created()));
    f["updated"].set_number_value(static_cast<double>(summary.updated()));
    f["rejected"].set_number_value(static_cast<double>(total_rejected));
    f["lastSequence"].set_number_value(static_cast<double>(summary.last_sequence()));
    google::protobuf::ListValue* errors = f["errors"].mutable_list_value();
    for (const Rejected& r : result->errors) {
      auto& e = *errors->add_values()->mutable_struct_value()->mutable_fields();
      e["line"].set_number_value(static_cast<double>(r.line));
      e["id"].set_string_value(r.id);
      e["code"].set_string_value(r.code);
      e["message"].set_string_value(r.message);
    }
    std::cout << ToJson(out) << "\n";
  } else {
    for (const Rejected& r : result->errors) {
      std::cout << "line " << r.line << ": " << (r.id.empty() ? "" : r.id + ": ") << r.message
                << "\n";
    }
    if (summary.errors_omitted() > 0) {
      std::cout << "... and " << summary.errors_omitted() << " more rejected lines not listed\n";
    }
    std::cout << absl::StrFormat("imported %s: %d records, %d created, %d updated, %d rejected\n",
                                 file_, result->records, summary.created(), summary.updated(),
                                 total_rejected);
  }
  return total_rejected == 0 ? 0 : 2;
}

int ProfileCommands::Watch() {
  socio::v1::WatchProfilesRequest request;
  request.set_after_sequence(after_);
  absl::StatusOr<std::unique_ptr<WatchStream>> stream = Client().WatchProfiles(request);
  if (!stream.ok()) return Fail(stream.status());
  ProfileChange change;
  int64_t seen = 0;
  while ((limit_ == 0 || seen < limit_) && (*stream)->Read(&change)) {
    ++seen;
    if (global_.json) {
      std::cout << ToJson(change) << std::endl;
    } else {
      std::cout << absl::StrFormat("%d  %-7s  %s  %s  (v%d, %s)", change.sequence(),
                                   ProfileChange::Kind_Name(change.kind()), change.profile().id(),
                                   change.profile().name(), change.profile().version(),
                                   FormatTime(change.commit_time()))
                << std::endl;
    }
  }
  if (limit_ != 0 && seen == limit_) {
    (*stream)->Cancel();
    (void)(*stream)->Finish();  // CANCELLED, as asked
    return 0;
  }
  absl::Status status = (*stream)->Finish();
  return status.ok() ? 0 : Fail(status);
}

}  // namespace socio::clients
