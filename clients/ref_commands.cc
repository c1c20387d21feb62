#include "clients/ref_commands.h"

#include <cmath>
#include <iostream>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "clients/cli_output.h"
#include "clients/table.h"
#include "google/protobuf/struct.pb.h"

namespace socio::clients {
namespace {

void PrintJson(const google::protobuf::Message& message) { std::cout << ToJson(message) << "\n"; }

std::string Languages(const reference::Country& c, size_t most) {
  std::vector<std::string> parts;
  for (size_t i = 0; i < c.languages.size() && i < most; ++i) {
    const reference::LanguageShare& l = c.languages[i];
    parts.push_back(
        absl::StrFormat("%s %.0f%%%s", l.code, 100 * l.population_share, l.official ? "*" : ""));
  }
  return absl::StrJoin(parts, ", ");
}

}  // namespace

void RefCommands::Register(CLI::App& app, int* exit_code) {
  CLI::App* ref = app.add_subcommand(
      "ref", "Reference data: countries (CLDR, tzdata), NACE sectors, cultural dimensions");
  ref->require_subcommand(1);
  // Options of `ref` (and of `socio`) may also follow the subcommand.
  ref->fallthrough();
  ref->add_option("--nace_catalog", options_.nace_catalog_csv,
                  "NACE Rev. 2 catalog CSV: adds groups and classes with their titles");
  ref->add_option("--hofstede_csv", options_.hofstede_csv,
                  "Hofstede's dimensions per country; without it culture closeness uses "
                  "languages, regions and working hours only");
  const auto run = [exit_code](CLI::App* command, std::function<int()> body) {
    OnRun(command, exit_code, std::move(body));
  };

  CLI::App* countries = ref->add_subcommand("countries", "List countries");
  countries->add_option("--region", region_, "Only this UN M49 region or subregion (150, 013)");
  run(countries, [this] { return Countries(); });

  CLI::App* sectors = ref->add_subcommand("sectors", "List NACE Rev. 2 sectors");
  sectors->add_option("prefix", prefix_, "A code: list what lies under it (default: sections)");
  sectors->add_flag("--all", all_levels_, "Every level below the prefix, not only the next");
  run(sectors, [this] { return Sectors(); });

  CLI::App* culture = ref->add_subcommand("culture", "Why two countries score as they do");
  culture->add_option("a", country_a_, "ISO 3166-1 alpha-2 code")->required();
  culture->add_option("b", country_b_, "ISO 3166-1 alpha-2 code")->required();
  run(culture, [this] { return Culture(); });
}

absl::StatusOr<std::shared_ptr<const reference::ReferenceData>> RefCommands::Load() const {
  return reference::ReferenceData::Load(options_);
}

int RefCommands::Countries() {
  absl::StatusOr<std::shared_ptr<const reference::ReferenceData>> ref = Load();
  if (!ref.ok()) return Fail(ref.status());
  Table table(
      {"CODE", "ALPHA-3", "NAME", "REGION", "SUBREGION", "LANGUAGES (* official)", "TIME ZONE"},
      40);
  google::protobuf::Struct json;
  google::protobuf::ListValue* list = (*json.mutable_fields())["countries"].mutable_list_value();
  for (const reference::Country& c : (*ref)->countries().countries()) {
    if (!region_.empty() && c.region_code != region_ && c.subregion_code != region_) continue;
    const std::string zone = c.principal_zone ? c.principal_zone->name : "";
    if (global_.json) {
      auto& f = *list->add_values()->mutable_struct_value()->mutable_fields();
      f["alpha2"].set_string_value(c.alpha2);
      f["alpha3"].set_string_value(c.alpha3);
      f["name"].set_string_value(c.name);
      f["regionCode"].set_string_value(c.region_code);
      f["region"].set_string_value(c.region);
      f["subregionCode"].set_string_value(c.subregion_code);
      f["subregion"].set_string_value(c.subregion);
      f["timeZone"].set_string_value(zone);
      auto* languages = f["languages"].mutable_list_value();
      for (const reference::LanguageShare& l : c.languages) {
        auto& lf = *languages->add_values()->mutable_struct_value()->mutable_fields();
        lf["code"].set_string_value(l.code);
        lf["share"].set_number_value(l.population_share);
        lf["official"].set_bool_value(l.official);
      }
    } else {
      table.AddRow({c.alpha2, c.alpha3, c.name, c.region, c.subregion, Languages(c, 3), zone});
    }
  }
  if (global_.json) {
    PrintJson(json);
  } else {
    table.Print(std::cout);
    std::cout << table.rows() << " countries\n";
  }
  return 0;
}

int RefCommands::Sectors() {
  absl::StatusOr<std::shared_ptr<const reference::ReferenceData>> ref = Load();
  if (!ref.ok()) return Fail(ref.status());
  const reference::NaceCatalog& nace = (*ref)->sectors();
  std::string prefix;
  if (!prefix_.empty()) {
    absl::StatusOr<std::string> canonical = nace.Canonical(prefix_);
    if (!canonical.ok()) {
      return Fail(
          absl::InvalidArgumentError(absl::StrCat("prefix: ", canonical.status().message())));
    }
    prefix = *canonical;
  }
  Table table({"CODE", "LEVEL", "TITLE"}, 90);
  google::protobuf::Struct json;
  google::protobuf::ListValue* list = (*json.mutable_fields())["sectors"].mutable_list_value();
  static constexpr const char* kLevels[] = {"", "section", "division", "group", "class"};
  for (const reference::Sector* s : nace.List(prefix, all_levels_)) {
    if (global_.json) {
      auto& f = *list->add_values()->mutable_struct_value()->mutable_fields();
      f["code"].set_string_value(s->code);
      f["level"].set_string_value(kLevels[s->level]);
      f["parent"].set_string_value(s->parent);
      f["title"].set_string_value(s->title);
    } else {
      table.AddRow({s->code, kLevels[s->level], s->title});
    }
  }
  if (global_.json) {
    PrintJson(json);
    return 0;
  }
  if (!prefix.empty()) std::cout << prefix << "  " << nace.Title(prefix) << "\n\n";
  table.Print(std::cout);
  if (!nace.exact() && table.rows() == 0) {
    std::cout << "(groups and classes are listed when a catalog is given with --nace_catalog)\n";
  }
  return 0;
}

int RefCommands::Culture() {
  absl::StatusOr<std::shared_ptr<const reference::ReferenceData>> ref = Load();
  if (!ref.ok()) return Fail(ref.status());
  const reference::CountryCatalog& catalog = (*ref)->countries();
  const int a = catalog.Index(country_a_);
  const int b = catalog.Index(country_b_);
  for (const auto& [field, code, index] :
       {std::tuple{"a", country_a_, a}, std::tuple{"b", country_b_, b}}) {
    if (index < 0) {
      const std::string hint = catalog.SuggestCountry(code);
      return Fail(absl::InvalidArgumentError(
          absl::StrCat(field, ": '", code, "' is not an ISO 3166-1 alpha-2 country code",
                       hint.empty() ? "" : absl::StrCat(" (did you mean '", hint, "'?)"))));
    }
  }
  const reference::CountryPairs& pairs = (*ref)->pairs();
  const reference::Country& ca = catalog.countries()[a];
  const reference::Country& cb = catalog.countries()[b];
  const std::optional<float> ks = pairs.KogutSingh(a, b);
  const float distance = pairs.DistanceKm(a, b);
  if (global_.json) {
    google::protobuf::Struct json;
    auto& f = *json.mutable_fields();
    f["a"].set_string_value(ca.alpha2);
    f["b"].set_string_value(cb.alpha2);
    f["closeness"].set_number_value(pairs.Closeness(a, b));
    f["sharedLanguage"].set_number_value(pairs.SharedLanguage(a, b));
    f["workingHourOverlapHours"].set_number_value(pairs.WorkingHourOverlap(a, b));
    if (std::isfinite(distance)) f["distanceKm"].set_number_value(distance);
    f["sameRegion"].set_bool_value(ca.region_code == cb.region_code);
    f["sameSubregion"].set_bool_value(ca.subregion_code == cb.subregion_code);
    if (ks) f["kogutSingh"].set_number_value(*ks);
    PrintJson(json);
    return 0;
  }
  Table table({"FACTOR", "VALUE"}, 100);
  table.AddRow(
      {"countries", absl::StrCat(ca.name, " (", ca.alpha2, ") - ", cb.name, " (", cb.alpha2, ")")});
  table.AddRow({"culture closeness", absl::StrFormat("%.3f of 1", pairs.Closeness(a, b))});
  table.AddRow(
      {"shared language", absl::StrFormat("%.3f of 1 (%s | %s)", pairs.SharedLanguage(a, b),
                                          Languages(ca, 4), Languages(cb, 4))});
  table.AddRow(
      {"working-hour overlap", absl::StrFormat("%.1f of 8 hours", pairs.WorkingHourOverlap(a, b))});
  table.AddRow({"region", ca.subregion_code == cb.subregion_code ? "same subregion: " + ca.subregion
                          : ca.region_code == cb.region_code     ? "same region: " + ca.region
                                                                 : ca.region + " / " + cb.region});
  if (std::isfinite(distance)) table.AddRow({"distance", absl::StrFormat("%.0f km", distance)});
  table.AddRow({"Kogut-Singh distance",
                ks ? absl::StrFormat("%.3f", *ks)
                   : ((*ref)->hofstede() == nullptr ? "no Hofstede file (--hofstede_csv)"
                                                    : "no scores for one of them")});
  table.Print(std::cout);
  return 0;
}

}  // namespace socio::clients
