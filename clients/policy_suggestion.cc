#include "clients/policy_suggestion.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "clients/cli_output.h"
#include "clients/table.h"
#include "google/protobuf/descriptor.h"

namespace socio::clients {
namespace {

using socio::v1::FactorWeights;
using socio::v1::MatchPolicySuggestion;
using socio::v1::RankingQuality;

// The factors in the order of FactorWeights, with their weights in `w`.
std::vector<std::pair<std::string, double>> Factors(const FactorWeights& w) {
  std::vector<std::pair<std::string, double>> out;
  const google::protobuf::Descriptor* descriptor = FactorWeights::descriptor();
  const google::protobuf::Reflection* reflection = FactorWeights::GetReflection();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    out.emplace_back(descriptor->field(i)->name(), reflection->GetDouble(w, descriptor->field(i)));
  }
  return out;
}

std::vector<std::string> QualityRow(const std::string& name, const RankingQuality& q) {
  return {name,
          absl::StrFormat("%.3f", q.auc()),
          absl::StrFormat("%.3f", q.ndcg_at_10()),
          absl::StrCat(q.outcomes()),
          absl::StrCat(q.positives()),
          absl::StrCat(q.members_ranked())};
}

}  // namespace

std::string ApplyCommand(const MatchPolicySuggestion& s) {
  std::vector<std::string> weights;
  for (const auto& [name, weight] : Factors(s.suggested())) {
    weights.push_back(absl::StrFormat("%s=%.4f", name, weight));
  }
  std::string command =
      absl::StrCat("socio policy set ", s.chamber_id(), " --weights ", absl::StrJoin(weights, ","));
  if (s.current_version() > 0) {
    absl::StrAppend(&command, " --expected-version ", s.current_version());
  }
  return command;
}

void PrintSuggestion(const MatchPolicySuggestion& s, std::ostream& out) {
  if (!s.enough_outcomes()) {
    if (s.outcomes() < s.min_outcomes()) {
      out << "No suggestion for " << s.chamber_id() << ": it has " << s.outcomes()
          << " labelled meeting outcomes (" << s.positives()
          << " positive); a suggestion needs at least " << s.min_outcomes() << ".\n";
    } else {
      out << "No suggestion for " << s.chamber_id() << ": " << s.message() << " (" << s.outcomes()
          << " labelled meeting outcomes).\n";
    }
    return;
  }
  out << "Weights for " << s.chamber_id() << " fitted to " << s.outcomes()
      << " labelled meeting outcomes (" << s.positives() << " positive), beside the current ones ("
      << (s.current_version() == 0 ? std::string("the defaults")
                                   : absl::StrCat("policy version ", s.current_version()))
      << "):\n\n";
  Table weights({"FACTOR", "CURRENT", "SUGGESTED", "CHANGE"});
  const auto current = Factors(s.current());
  const auto suggested = Factors(s.suggested());
  for (size_t i = 0; i < current.size(); ++i) {
    weights.AddRow({current[i].first, absl::StrFormat("%.4f", current[i].second),
                    absl::StrFormat("%.4f", suggested[i].second),
                    absl::StrFormat("%+.4f", suggested[i].second - current[i].second)});
  }
  weights.Print(out);
  out << "\nOut-of-time evaluation: weights fitted to the " << s.fitted_outcomes()
      << " older outcomes and the current weights, each ranking the " << s.held_out_outcomes()
      << " newer ones (since " << FormatTime(s.held_out_since()) << "):\n\n";
  Table quality({"WEIGHTS", "AUC", "NDCG@10", "OUTCOMES", "POSITIVES", "MEMBERS"});
  quality.AddRow(QualityRow("suggested", s.held_out_suggested()));
  quality.AddRow(QualityRow("current", s.held_out_current()));
  quality.Print(out);
  out << "\nNothing was changed. To apply the suggestion:\n  " << ApplyCommand(s) << "\n";
}

}  // namespace socio::clients
