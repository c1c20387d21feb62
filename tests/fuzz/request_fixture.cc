#include "tests/fuzz/request_fixture.h"

#include <cstdio>
#include <cstdlib>

#include "google/protobuf/util/json_util.h"

namespace socio::fuzz {
namespace {

constexpr const char*
    kProfiles[] =
        {
            R"({"id": "de-1", "chamberId": "ihk-muenchen", "name": "Huber Maschinenbau", "country": "DE", "city": "München", "sectors": ["28.41"], "employees": 300, "foundedYear": 1961, "languages": ["de", "en", "es"], "description": "Machine tools for metal working.", "keywords": ["lathes", "milling"], "objectives": [{"type": "DISTRIBUTION", "direction": "SEEK", "sectors": ["46.6"], "markets": ["MX"], "note": "Distributor of machine tools in Mexico"}], "targetMarkets": ["MX"], "activeMarkets": ["AT"], "certifications": ["ISO 9001"], "visibility": "FEDERATION"})",
            R"({"id": "de-2", "chamberId": "ihk-muenchen", "name": "Bauer Autoteile", "country": "DE", "city": "Augsburg", "sectors": ["29.32"], "employees": 120, "languages": ["de", "en"], "description": "Car parts supplier.", "objectives": [{"type": "AGENCY", "direction": "SEEK", "sectors": ["46.1"], "markets": ["MX"], "note": "Sales agent for the automotive industry"}], "targetMarkets": ["MX"], "visibility": "CHAMBER"})",
            R"({"id": "de-3", "chamberId": "ihk-muenchen", "name": "Koch Lebensmitteltechnik", "country": "DE", "city": "Ingolstadt", "sectors": ["28.93"], "employees": 60, "languages": ["de"], "objectives": [{"type": "JOINT_VENTURE", "sectors": ["28"]}], "targetMarkets": ["MX", "US"], "visibility": "PRIVATE"})",
            R"({"id": "mx-1", "chamberId": "canaco-cdmx", "name": "Distribuidora Industrial del Valle", "country": "MX", "city": "Ciudad de México", "location": {"latitude": 19.43, "longitude": -99.13}, "sectors": ["46.62"], "employees": 80, "languages": ["es", "en"], "description": "Distributor of machine tools.", "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "sectors": ["28.4"], "markets": ["MX"], "note": "We distribute German machinery"}], "targetMarkets": ["DE"], "visibility": "FEDERATION"})",
            R"({"id": "mx-2", "chamberId": "canaco-cdmx", "name": "Agentes Automotrices", "country": "MX", "city": "Ciudad de México", "sectors": ["46.18"], "employees": 12, "languages": ["es", "en"], "description": "Sales agents for car parts.", "objectives": [{"type": "AGENCY", "direction": "OFFER", "sectors": ["29.3"], "markets": ["MX"]}], "targetMarkets": ["DE"], "visibility": "FEDERATION"})",
            R"({"id": "mx-3", "chamberId": "caintra-nl", "name": "Regio Distribución", "country": "MX", "city": "Monterrey", "sectors": ["46.62"], "employees": 150, "languages": ["es", "en"], "description": "Distributor of machine tools in the north.", "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "sectors": ["28.4"], "markets": ["MX", "US"]}], "targetMarkets": ["DE"], "validUntil": "2099-12-31T23:59:59Z", "visibility": "FEDERATION"})",
            R"({"id": "mx-4", "chamberId": "caintra-nl", "name": "Privada SA", "country": "MX", "city": "Monterrey", "sectors": ["46.62"], "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER"}], "visibility": "PRIVATE"})",
            R"({"id": "us-1", "chamberId": "txcc", "name": "Lone Star Foods", "country": "US", "city": "Houston", "sectors": ["46.3"], "employees": 40, "languages": ["en", "es"], "description": "Food distributor for Texas.", "keywords": ["salsa", "food"], "objectives": [{"type": "DISTRIBUTION", "direction": "OFFER", "sectors": ["10.8"], "markets": ["US"]}], "targetMarkets": ["MX"], "visibility": "FEDERATION"})",
};

// Two days, the later one listed first; four 30-minute slots a day.
constexpr char kMission[] = R"({
  "id": "mx27", "chamberId": "ihk-muenchen", "name": "Mission to Mexico 2027",
  "originCountry": "DE", "hostCountry": "MX",
  "days": [
    {"date": "2027-03-30", "city": "Monterrey", "venue": "Cintermex", "startTime": "09:00", "endTime": "12:00"},
    {"date": "2027-03-29", "city": "Ciudad de México", "venue": "CANACO", "timeZone": "America/Mexico_City", "startTime": "09:00", "endTime": "12:00", "tables": 2}
  ],
  "meetingMinutes": 30, "breakMinutes": 10,
  "delegates": [
    {"memberId": "de-1", "maxMeetings": 4},
    {"memberId": "de-2", "minMeetings": 2},
    {"memberId": "de-3", "unavailable": [{"date": "2027-03-30"}]}
  ],
  "hosts": [{"memberId": "mx-1"}, {"memberId": "mx-3"}],
  "hostFilter": {"maxHosts": 10},
  "pairs": [
    {"delegateId": "de-1", "hostId": "mx-2", "status": "REQUESTED"},
    {"delegateId": "de-2", "hostId": "mx-1", "status": "DECLINED"}
  ]
})";

template <typename Message>
Message FromJson(const std::string& json) {
  Message message;
  const auto status = google::protobuf::util::JsonStringToMessage(json, &message);
  if (!status.ok()) {
    std::fprintf(stderr, "request fixture does not parse: %s\n%s\n", status.ToString().c_str(),
                 json.c_str());
    std::abort();
  }
  return message;
}

}  // namespace

socio::v1::Profile ProfileFromJson(const std::string& json) {
  return FromJson<socio::v1::Profile>(json);
}

socio::v1::Delegation DelegationFromJson(const std::string& json) {
  return FromJson<socio::v1::Delegation>(json);
}

std::vector<socio::v1::Profile> FixtureProfiles() {
  std::vector<socio::v1::Profile> profiles;
  for (const char* json : kProfiles) profiles.push_back(ProfileFromJson(json));
  return profiles;
}

std::vector<socio::v1::Delegation> FixtureDelegations() {
  socio::v1::Delegation unplanned = DelegationFromJson(kMission);
  socio::v1::Delegation planned = unplanned;
  planned.set_id(kPlannedDelegation);
  return {unplanned, planned};
}

}  // namespace socio::fuzz
