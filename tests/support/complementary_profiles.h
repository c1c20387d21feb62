// Two member profiles that match each other: a Mexican food maker seeking
// distribution in the US, and a US food distributor offering it. For tests
// of partner search that need one sure match.
#ifndef SOCIO_TESTS_SUPPORT_COMPLEMENTARY_PROFILES_H_
#define SOCIO_TESTS_SUPPORT_COMPLEMENTARY_PROFILES_H_

#include <string>

#include "socio/v1/profile.pb.h"

namespace socio::testing {

// "Salsas del Bajío": MX, sector 10.84, seeks distribution (46.3) in the US.
inline socio::v1::Profile SeekingMaker(const std::string& id, const std::string& chamber_id) {
  socio::v1::Profile p;
  p.set_id(id);
  p.set_chamber_id(chamber_id);
  p.set_name("Salsas del Bajío");
  p.set_country("MX");
  p.add_sectors("10.84");
  p.add_target_markets("US");
  socio::v1::Objective* o = p.add_objectives();
  o->set_type(socio::v1::Objective::DISTRIBUTION);
  o->set_direction(socio::v1::Objective::SEEK);
  o->add_sectors("46.3");
  o->add_markets("US");
  p.set_visibility(socio::v1::Profile::FEDERATION);
  return p;
}

// "Lone Star Foods": US, sector 46.38, offers distribution in the US.
inline socio::v1::Profile OfferingDistributor(const std::string& id,
                                              const std::string& chamber_id) {
  socio::v1::Profile p;
  p.set_id(id);
  p.set_chamber_id(chamber_id);
  p.set_name("Lone Star Foods");
  p.set_country("US");
  p.add_sectors("46.38");
  p.add_target_markets("MX");
  socio::v1::Objective* o = p.add_objectives();
  o->set_type(socio::v1::Objective::DISTRIBUTION);
  o->set_direction(socio::v1::Objective::OFFER);
  o->add_markets("US");
  p.set_visibility(socio::v1::Profile::FEDERATION);
  return p;
}

}  // namespace socio::testing

#endif  // SOCIO_TESTS_SUPPORT_COMPLEMENTARY_PROFILES_H_
