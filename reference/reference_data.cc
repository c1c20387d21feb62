#include "reference/reference_data.h"

#include <utility>

namespace socio::reference {

absl::StatusOr<std::shared_ptr<const ReferenceData>> ReferenceData::Load(
    const ReferenceOptions& options) {
  std::shared_ptr<ReferenceData> data(new ReferenceData());
  absl::StatusOr<CountryCatalog> countries = CountryCatalog::Load(options.sources);
  if (!countries.ok()) return countries.status();
  data->countries_ = *std::move(countries);
  absl::StatusOr<PlaceNames> places = PlaceNames::Load(options.sources, data->countries_);
  if (!places.ok()) return places.status();
  data->places_ = *std::move(places);
  if (options.nace_catalog_csv.empty()) {
    data->sectors_ = NaceCatalog::BuiltIn();
  } else {
    absl::StatusOr<NaceCatalog> sectors = NaceCatalog::LoadCsv(options.nace_catalog_csv);
    if (!sectors.ok()) return sectors.status();
    data->sectors_ = *std::move(sectors);
  }
  data->products_ = ProductSectors(data->sectors_);
  if (!options.hofstede_csv.empty()) {
    absl::StatusOr<HofstedeScores> scores = HofstedeScores::LoadCsv(options.hofstede_csv);
    if (!scores.ok()) return scores.status();
    data->hofstede_ = *std::move(scores);
  }
  if (!options.travel_times_csv.empty()) {
    absl::StatusOr<TravelTimeTable> table = TravelTimeTable::LoadCsv(options.travel_times_csv);
    if (!table.ok()) return table.status();
    data->travel_times_ = *std::move(table);
  }
  if (!options.dictionary_dir.empty()) {
    absl::StatusOr<Lexicon> lexicon = Lexicon::Load(options.dictionary_dir);
    if (!lexicon.ok()) return lexicon.status();
    data->lexicon_ = *std::move(lexicon);
  }
  data->pairs_ = CountryPairs::Build(data->countries_, data->hofstede());
  return data;
}

}  // namespace socio::reference
