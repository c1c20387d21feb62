#include "clients/match_commands.h"

#include <cmath>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "clients/cli_output.h"
#include "clients/grpc_status.h"
#include "clients/met_before.h"
#include "clients/policy_suggestion.h"
#include "clients/reason_summary.h"
#include "clients/table.h"
#include "google/protobuf/descriptor.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "socio/v1/match.pb.h"
#include "socio/v1/profile.pb.h"

namespace socio::clients {
namespace {

using socio::v1::FactorScore;
using socio::v1::FactorWeights;
using socio::v1::Match;
using socio::v1::MatchPolicy;
using socio::v1::Objective;

// --- input ------------------------------------------------------------------

// "distribution, agency, ...": the partnership types --type accepts.
std::string TypeNames() {
  std::vector<std::string> names;
  const google::protobuf::EnumDescriptor* type = Objective::Type_descriptor();
  for (int i = 0; i < type->value_count(); ++i) {
    if (type->value(i)->number() == Objective::TYPE_UNSPECIFIED) continue;
    names.push_back(absl::AsciiStrToLower(type->value(i)->name()));
  }
  return absl::StrJoin(names, ", ");
}

// Enum names in any case, with '-' for '_' ("joint-venture").
absl::StatusOr<std::vector<Objective::Type>> ParseTypes(const std::vector<std::string>& names) {
  std::vector<Objective::Type> types;
  for (const std::string& name : names) {
    Objective::Type type = Objective::TYPE_UNSPECIFIED;
    const std::string upper = absl::AsciiStrToUpper(absl::StrReplaceAll(name, {{"-", "_"}}));
    if (!Objective::Type_Parse(upper, &type) || type == Objective::TYPE_UNSPECIFIED) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--type: '", name, "' is not a partnership type; give one of ", TypeNames()));
    }
    types.push_back(type);
  }
  return types;
}

// "objective, market, ...": the fields of FactorWeights, in proto order.
std::string FactorNames() {
  std::vector<std::string> names;
  const google::protobuf::Descriptor* descriptor = FactorWeights::descriptor();
  for (int i = 0; i < descriptor->field_count(); ++i) names.push_back(descriptor->field(i)->name());
  return absl::StrJoin(names, ", ");
}

// "objective=0.5", "market=0.2", ... into FactorWeights; factors not named
// weigh 0. Only the syntax is checked here: the server decides which weights
// are acceptable (negative ones are not).
absl::StatusOr<FactorWeights> ParseWeights(const std::vector<std::string>& pairs) {
  FactorWeights weights;
  const google::protobuf::Descriptor* descriptor = FactorWeights::descriptor();
  const google::protobuf::Reflection* reflection = FactorWeights::GetReflection();
  std::vector<bool> seen(descriptor->field_count(), false);
  for (const std::string& pair : pairs) {
    std::vector<absl::string_view> parts = absl::StrSplit(pair, absl::MaxSplits('=', 1));
    if (parts.size() != 2) {
      return absl::InvalidArgumentError(
          absl::StrCat("--weights: '", pair, "' is not name=value (like objective=0.5)"));
    }
    const std::string name = absl::AsciiStrToLower(absl::StripAsciiWhitespace(parts[0]));
    const google::protobuf::FieldDescriptor* field = descriptor->FindFieldByName(name);
    if (field == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("--weights: '", parts[0], "' is not a factor; give one of ", FactorNames()));
    }
    if (seen[field->index()]) {
      return absl::InvalidArgumentError(absl::StrCat("--weights: ", name, " is given twice"));
    }
    seen[field->index()] = true;
    double value = 0;
    if (!absl::SimpleAtod(parts[1], &value) || !std::isfinite(value)) {
      return absl::InvalidArgumentError(
          absl::StrCat("--weights: ", name, "='", parts[1], "' is not a finite number"));
    }
    reflection->SetDouble(&weights, field, value);
  }
  return weights;
}

// --- output -----------------------------------------------------------------

std::string Score(double score) { return absl::StrFormat("%.3f", score); }

// Every factor of `match` and every reason, for a person asking "why?".
// `a_id` is the member the match was made for.
void PrintExplanation(absl::string_view a_id, const Match& match, std::ostream& out) {
  out << a_id << " and " << match.partner_id();
  if (!match.partner_name().empty()) {
    out << " (" << match.partner_name();
    if (!match.partner_country().empty()) out << ", " << match.partner_country();
    out << ")";
  }
  out << "\n";
  out << absl::StrFormat("score %s: harmonic mean of forward %s (%s→%s) and backward %s (%s→%s)\n",
                         Score(match.score()), Score(match.forward_score()), a_id,
                         match.partner_id(), Score(match.backward_score()), match.partner_id(),
                         a_id);
  Table factors({"FACTOR", "WEIGHT", "FORWARD", "BACKWARD", "CONTRIBUTION"});
  for (const FactorScore& f : match.factors()) {
    factors.AddRow({absl::AsciiStrToLower(FactorScore::Factor_Name(f.factor())), Score(f.weight()),
                    Score(f.forward()), Score(f.backward()), Score(f.contribution())});
  }
  factors.Print(out);
  if (match.has_met_before()) out << "met before: " << MetBeforeText(match.met_before()) << "\n";
  if (!match.reasons().empty()) out << "reasons:\n";
  for (const std::string& reason : match.reasons()) out << "  - " << reason << "\n";
}

void PrintMatches(const socio::v1::FindPartnersResponse& response, absl::string_view member_id,
                  bool explain, std::ostream& out) {
  Table table({"RANK", "PARTNER", "NAME", "COUNTRY", "SECTORS", "SCORE", "YOU→THEM", "THEM→YOU",
               "MET", "TOP REASON"},
              60);
  for (const Match& m : response.matches()) {
    table.AddRow({absl::StrCat(m.rank()), m.partner_id(), m.partner_name(), m.partner_country(),
                  absl::StrJoin(m.partner_sectors(), ","), Score(m.score()),
                  Score(m.forward_score()), Score(m.backward_score()),
                  MetBeforeText(m.met_before()),
                  m.reasons().empty() ? "" : SummarizeReason(m.reasons(0))});
  }
  table.Print(out);
  if (!explain) return;
  for (const Match& m : response.matches()) {
    out << "\n#" << m.rank() << "  ";
    PrintExplanation(member_id, m, out);
  }
}

}  // namespace

MatchCommands::MatchCommands(const GlobalOptions& global) : global_(global) {}
MatchCommands::~MatchCommands() = default;

const MatchClient& MatchCommands::Client() {
  if (client_ == nullptr) client_ = std::make_unique<MatchClient>(OpenChannel(global_));
  return *client_;
}

void MatchCommands::Register(CLI::App& app, int* exit_code) {
  const auto run = [exit_code](CLI::App* command, std::function<int()> body) {
    OnRun(command, exit_code, std::move(body));
  };
  // Each occurrence takes one value (so a list option cannot swallow the
  // positional arguments after it), which may be a comma-separated list.
  const auto list = [](CLI::App* command, const std::string& name, std::vector<std::string>& values,
                       const std::string& help) {
    return command->add_option(name, values, help)->delimiter(',')->allow_extra_args(false);
  };
  const auto repeatable = [&list](CLI::App* command, const std::string& name,
                                  std::vector<std::string>& values, const std::string& help) {
    list(command, name, values, absl::StrCat(help, "; repeatable or comma-separated"));
  };
  const std::string weights_help = absl::StrCat(
      "Factor weights, name=value,... (objective=0.5,market=0.2) with names from: ", FactorNames(),
      "; a factor not named weighs 0");

  CLI::App* match = app.add_subcommand(
      "match", "A member's best partners, scored both ways (for them and for the member)");
  // Options of `socio` (--json, --server) may also follow the subcommand.
  match->fallthrough();
  match->add_option("member_id", member_id_, "Profile id of the member")->required();
  match->add_option("--k", k_, "How many partners to list (1 to 1000)")->capture_default_str();
  repeatable(match, "--country", countries_,
             "Only partners based in these countries (ISO alpha-2)");
  repeatable(match, "--region", regions_,
             "Only partners in these UN M49 regions or subregions (150 Europe, 021 Northern "
             "America)");
  repeatable(match, "--sector", sectors_, "Only partners with a NACE code at or under these");
  repeatable(match, "--type", types_,
             absl::StrCat("Only partners with an objective of these types, offered or sought: ",
                          TypeNames()));
  repeatable(match, "--language", languages_,
             "Only partners doing business in these languages (ISO 639-1)");
  match->add_option("--min-employees", min_employees_,
                    "Only partners with at least this many employees (0: no bound)");
  match->add_option("--max-employees", max_employees_,
                    "Only partners with at most this many employees (0: no bound)");
  repeatable(match, "--exclude", exclude_ids_, "Never propose these profile ids");
  match->add_flag("--exclude-own-chamber", exclude_own_chamber_,
                  "Leave out members of the member's own chamber");
  list(match, "--weights", weights_,
       absl::StrCat(weights_help, ". Default: the member's chamber's policy"));
  match->add_flag("--include-declined", include_declined_,
                  "Also propose partners either side declined a meeting request with or marked "
                  "not interested (left out by default)");
  match->add_flag("--explain", explain_, "After the table, every factor and reason of each match");
  run(match, [this] { return FindPartners(); });

  CLI::App* explain = app.add_subcommand(
      "explain", "Why two companies score as they do, factor by factor, whatever their rank");
  explain->fallthrough();
  explain->add_option("a_id", member_id_, "Profile id of the member")->required();
  explain->add_option("b_id", other_id_, "Profile id of the partner")->required();
  list(explain, "--weights", weights_,
       absl::StrCat(weights_help, ". Default: the member's chamber's policy"));
  run(explain, [this] { return ExplainMatch(); });

  CLI::App* policy =
      app.add_subcommand("policy", "The factor weights a chamber ranks its members' matches with");
  policy->require_subcommand(1);
  policy->fallthrough();

  CLI::App* get = policy->add_subcommand("get", "Show a chamber's weights (or the defaults)");
  get->add_option("chamber_id", chamber_id_, "Chamber id")->required();
  run(get, [this] { return GetPolicy(); });

  CLI::App* set = policy->add_subcommand("set", "Replace a chamber's weights");
  set->add_option("chamber_id", chamber_id_, "Chamber id")->required();
  list(set, "--weights", weights_, weights_help)->required();
  set->add_option("--expected-version", expected_version_,
                  "Refuse (ABORTED) unless the stored version is this one");
  run(set, [this] { return SetPolicy(); });

  CLI::App* suggest = policy->add_subcommand(
      "suggest",
      "Weights fitted to the chamber's recorded meeting outcomes, beside the current ones, with "
      "an out-of-time evaluation of both; changes nothing");
  suggest->add_option("chamber_id", chamber_id_, "Chamber id")->required();
  run(suggest, [this] { return SuggestPolicy(); });
}

int MatchCommands::FindPartners() {
  // k = 0 would mean the server's default; --k has its own default instead.
  if (k_ < 1) {
    return Fail(absl::InvalidArgumentError(absl::StrCat("--k: must be at least 1, not ", k_)));
  }
  socio::v1::FindPartnersRequest request;
  request.set_member_id(member_id_);
  request.set_k(k_);
  socio::v1::MatchFilters& filters = *request.mutable_filters();
  for (std::string& v : Values(countries_)) filters.add_countries(std::move(v));
  for (std::string& v : Values(regions_)) filters.add_regions(std::move(v));
  for (std::string& v : Values(sectors_)) filters.add_sectors(std::move(v));
  absl::StatusOr<std::vector<Objective::Type>> types = ParseTypes(Values(types_));
  if (!types.ok()) return Fail(types.status());
  for (Objective::Type type : *types) filters.add_types(type);
  for (std::string& v : Values(languages_)) filters.add_languages(std::move(v));
  filters.set_min_employees(min_employees_);
  filters.set_max_employees(max_employees_);
  for (std::string& v : Values(exclude_ids_)) filters.add_exclude_ids(std::move(v));
  filters.set_exclude_own_chamber(exclude_own_chamber_);
  request.set_include_declined(include_declined_);
  // The table shows each partner's strongest reason only; --explain and
  // --json show everything.
  request.set_view(explain_ || global_.json ? socio::v1::FindPartnersRequest::FULL
                                            : socio::v1::FindPartnersRequest::BASIC);
  if (!weights_.empty()) {
    absl::StatusOr<FactorWeights> weights = ParseWeights(Values(weights_));
    if (!weights.ok()) return Fail(weights.status());
    *request.mutable_weights() = *std::move(weights);
  }

  absl::StatusOr<socio::v1::FindPartnersResponse> response = Client().FindPartners(request);
  if (!response.ok()) return Fail(response.status());
  if (global_.json) {
    std::cout << ToJson(*response) << "\n";
  } else if (response->matches().empty()) {
    std::cout << "No partners found.\n";
  } else {
    PrintMatches(*response, member_id_, explain_, std::cout);
  }
  return 0;
}

int MatchCommands::ExplainMatch() {
  socio::v1::ExplainMatchRequest request;
  request.set_a_id(member_id_);
  request.set_b_id(other_id_);
  if (!weights_.empty()) {
    absl::StatusOr<FactorWeights> weights = ParseWeights(Values(weights_));
    if (!weights.ok()) return Fail(weights.status());
    *request.mutable_weights() = *std::move(weights);
  }
  absl::StatusOr<Match> match = Client().ExplainMatch(request);
  if (!match.ok()) return Fail(match.status());
  if (global_.json) {
    std::cout << ToJson(*match) << "\n";
  } else {
    PrintExplanation(member_id_, *match, std::cout);
  }
  return 0;
}

int MatchCommands::GetPolicy() {
  socio::v1::GetMatchPolicyRequest request;
  request.set_chamber_id(chamber_id_);
  absl::StatusOr<MatchPolicy> policy = Client().GetMatchPolicy(request);
  if (!policy.ok()) return Fail(policy.status());
  return PrintPolicy(*policy);
}

int MatchCommands::SetPolicy() {
  absl::StatusOr<FactorWeights> weights = ParseWeights(Values(weights_));
  if (!weights.ok()) return Fail(weights.status());
  socio::v1::SetMatchPolicyRequest request;
  request.mutable_policy()->set_chamber_id(chamber_id_);
  *request.mutable_policy()->mutable_weights() = *std::move(weights);
  request.set_expected_version(expected_version_);
  absl::StatusOr<MatchPolicy> stored = Client().SetMatchPolicy(request);
  if (!stored.ok()) return Fail(stored.status());
  return PrintPolicy(*stored);
}

int MatchCommands::SuggestPolicy() {
  socio::v1::SuggestMatchPolicyRequest request;
  request.set_chamber_id(chamber_id_);
  absl::StatusOr<socio::v1::MatchPolicySuggestion> suggestion =
      Client().SuggestMatchPolicy(request);
  if (!suggestion.ok()) return Fail(suggestion.status());
  if (global_.json) {
    std::cout << ToJson(*suggestion) << "\n";
  } else {
    PrintSuggestion(*suggestion, std::cout);
  }
  return 0;
}

int MatchCommands::PrintPolicy(const MatchPolicy& policy) {
  if (global_.json) {
    std::cout << ToJson(policy) << "\n";
    return 0;
  }
  // Weights are relative: the share is what a factor counts for in a score.
  const FactorWeights& weights = policy.weights();
  const google::protobuf::Descriptor* descriptor = FactorWeights::descriptor();
  const google::protobuf::Reflection* reflection = FactorWeights::GetReflection();
  double sum = 0;
  for (int i = 0; i < descriptor->field_count(); ++i) {
    sum += reflection->GetDouble(weights, descriptor->field(i));
  }
  Table table({"FIELD", "VALUE"}, 100);
  table.AddRow({"chamber", policy.chamber_id()});
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const double weight = reflection->GetDouble(weights, descriptor->field(i));
    table.AddRow({descriptor->field(i)->name(),
                  sum > 0 ? absl::StrFormat("%g (%.1f%%)", weight, 100 * weight / sum)
                          : absl::StrFormat("%g", weight)});
  }
  const bool defaults = policy.version() == 0;
  table.AddRow({"version", defaults ? "0 (defaults)" : absl::StrCat(policy.version())});
  table.AddRow(
      {"updated", defaults ? "never: these are the defaults" : FormatTime(policy.update_time())});
  table.Print(std::cout);
  return 0;
}

}  // namespace socio::clients
