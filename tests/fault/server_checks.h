// What the crash harness asks a restarted sociod, through its public API, to
// see that the store and the match index came back whole and agree with
// each other.
//
//   absl::StatusOr<StoredProfiles> stored = ListAllProfiles(*stub);
//   CheckChamberIndex(*stub, *stored, chambers, &violations);
//   CheckMatcher(channel, *stored, tables, {...}, &violations);
#ifndef SOCIO_TESTS_FAULT_SERVER_CHECKS_H_
#define SOCIO_TESTS_FAULT_SERVER_CHECKS_H_

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/btree_set.h"
#include "absl/status/statusor.h"
#include "grpcpp/channel.h"
#include "matcher/features.h"
#include "socio/v1/profile_service.grpc.pb.h"

namespace socio::fault {

using StoredProfiles = absl::btree_map<std::string, socio::v1::Profile>;

// Every profile the server holds (ListProfiles without filters, every page).
absl::StatusOr<StoredProfiles> ListAllProfiles(socio::v1::ProfileService::Stub& stub);

// The chamber index equals the profiles: ListProfiles by chamber, for each of
// `chambers` (every chamber ever written), lists exactly the stored profiles
// of that chamber. Returns how many profiles it listed.
int64_t CheckChamberIndex(socio::v1::ProfileService::Stub& stub, const StoredProfiles& stored,
                          const absl::btree_set<std::string>& chambers,
                          std::vector<std::string>* violations);

struct MatcherCheckOptions {
  int sample = 16;                 // members whose partners are compared
  int k = 20;                      // partners per member
  uint64_t last_sequence = 0;      // the change log's end: the index must reflect it
  std::mt19937_64* rng = nullptr;  // picks the members; not owned
};

// The server's match index equals one built here from `stored`: FindPartners
// (explicit default weights) for a sample of members ranks the same partners
// with the same scores as a MatchIndex filled with the stored profiles, and
// GetStats counts the same profiles at the log's end. Returns the members
// compared.
int CheckMatcher(const std::shared_ptr<grpc::Channel>& channel, const StoredProfiles& stored,
                 const std::shared_ptr<const matcher::ScoringTables>& tables,
                 const MatcherCheckOptions& options, std::vector<std::string>* violations);

}  // namespace socio::fault

#endif  // SOCIO_TESTS_FAULT_SERVER_CHECKS_H_
