#include "planner/destinations.h"

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "planner/internal/companies.h"
#include "reference/travel_times.h"

namespace socio::planner {
namespace {

using socio::v1::Profile;

// What k = 0 asks for.
constexpr int kDefaultDestinations = 10;
// Partners per delegate RankDestinations looks at, and per country the best
// of them that count.
constexpr int kDestinationPartners = 500;
constexpr int kBestPerCountry = 10;
constexpr double kStrongPartner = 0.5;

struct Country {
  double score_sum = 0;                  // of each delegate's mean best scores
  std::map<std::string, double> strong;  // partner id -> best score
};

// Adds the delegate `id`'s partners, as `viewer` may count them, to the
// countries they are in. NOT_FOUND naming `field` for an unknown delegate.
absl::Status AddDelegate(const std::string& field, const std::string& id,
                         const absl::flat_hash_set<std::string>& excluded,
                         const ProfileAccess& viewer, const PlanningInputs& inputs,
                         std::map<std::string, Country>* countries) {
  absl::StatusOr<Profile> profile = internal::ProfileOf(*inputs.source, field, id);
  if (!profile.ok()) return profile.status();
  absl::StatusOr<std::vector<socio::v1::Match>> found = inputs.source->FindPartners(
      id, socio::v1::MatchFilters(), kDestinationPartners, inputs.weights);
  if (!found.ok()) return found.status();
  // The source ranks in the staff view, which is the viewer's own if it sees
  // the member's PRIVATE partners; else each partner is judged.
  const bool staff_view = viewer.SeesPrivatePartners(*profile);
  // Best first, so each country's first kBestPerCountry are its best.
  std::map<std::string, std::vector<double>> best;
  for (const socio::v1::Match& m : *found) {
    if (excluded.contains(m.partner_country())) continue;
    if (!staff_view) {
      absl::StatusOr<Profile> partner = inputs.source->GetProfile(m.partner_id());
      if (!partner.ok() || !viewer.PartnerVisible(*profile, *partner, inputs.now)) continue;
    }
    std::vector<double>& scores = best[m.partner_country()];
    if (static_cast<int>(scores.size()) < kBestPerCountry) scores.push_back(m.score());
    if (m.score() >= kStrongPartner) {
      double& strong = (*countries)[m.partner_country()].strong[m.partner_id()];
      strong = std::max(strong, m.score());
    }
  }
  for (const auto& [country, scores] : best) {
    double sum = 0;
    for (double s : scores) sum += s;
    (*countries)[country].score_sum += sum / static_cast<double>(scores.size());
  }
  return absl::OkStatus();
}

// The cities of the country's strong partners, most partners first; an
// anonymous partner's city is not told (see ProfileAccess::Pseudonym).
void AddCities(const Country& country, const ProfileAccess& viewer, const PlanningInputs& inputs,
               socio::v1::Destination* destination) {
  std::map<std::string, std::pair<std::string, int>> cities;  // folded -> (as written, count)
  for (const auto& [partner, score] : country.strong) {
    absl::StatusOr<Profile> profile = inputs.source->GetProfile(partner);
    if (!profile.ok() || profile->city().empty() || !viewer.Pseudonym(*profile).empty()) continue;
    auto& city = cities[reference::FoldPlace(profile->city())];
    if (city.first.empty()) city.first = profile->city();
    ++city.second;
  }
  std::vector<std::pair<int, std::string>> by_count;
  for (const auto& [folded, city] : cities) by_count.emplace_back(-city.second, city.first);
  std::sort(by_count.begin(), by_count.end());
  for (const auto& [negative_count, name] : by_count) {
    socio::v1::DestinationCity* city = destination->add_cities();
    city->set_city(name);
    city->set_strong_partners(-negative_count);
  }
}

}  // namespace

absl::StatusOr<socio::v1::RecommendDestinationsResponse> RankDestinations(
    const socio::v1::RecommendDestinationsRequest& request, const ProfileAccess& viewer,
    const PlanningInputs& inputs) {
  const absl::flat_hash_set<std::string> excluded(request.exclude_countries().begin(),
                                                  request.exclude_countries().end());
  std::map<std::string, Country> countries;
  for (int i = 0; i < request.delegate_ids_size(); ++i) {
    if (absl::Status s = AddDelegate(absl::StrCat("delegate_ids[", i, "]"), request.delegate_ids(i),
                                     excluded, viewer, inputs, &countries);
        !s.ok()) {
      return s;
    }
  }
  std::vector<std::pair<double, std::string>> ranked;
  for (const auto& [code, country] : countries) {
    ranked.emplace_back(-country.score_sum / request.delegate_ids_size(), code);
  }
  std::sort(ranked.begin(), ranked.end());
  const int k = request.k() == 0 ? kDefaultDestinations : request.k();
  if (static_cast<int>(ranked.size()) > k) ranked.resize(k);

  socio::v1::RecommendDestinationsResponse response;
  for (const auto& [negative_score, code] : ranked) {
    const Country& country = countries[code];
    socio::v1::Destination* out = response.add_destinations();
    out->set_country(code);
    out->set_score(-negative_score);
    out->set_strong_partners(static_cast<int>(country.strong.size()));
    AddCities(country, viewer, inputs, out);
  }
  return response;
}

}  // namespace socio::planner
