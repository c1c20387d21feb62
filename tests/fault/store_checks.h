// The crash harness's last look: with sociod stopped cleanly, the data
// directory opened in this process and its stores read directly.
//
// Checks that ForEachProfile gives the profiles the server listed, that
// ProfileStore::List by chamber (the chamber index) agrees with them, that
// ReadChanges gives 1..LastSequence with every change as WatchProfiles sent
// it, and that the match index sociod saved at shutdown answers as one built
// from a scan of the store (LoadIndex) does.
#ifndef SOCIO_TESTS_FAULT_STORE_CHECKS_H_
#define SOCIO_TESTS_FAULT_STORE_CHECKS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/container/btree_set.h"
#include "matcher/features.h"
#include "reference/reference_data.h"
#include "tests/fault/change_log_check.h"
#include "tests/fault/server_checks.h"

namespace socio::fault {

struct StoreCheckInputs {
  std::string data_dir;
  std::shared_ptr<const reference::ReferenceData> reference;
  std::shared_ptr<const matcher::ScoringTables> tables;
  const StoredProfiles* expected = nullptr;                // what the server listed last
  const absl::btree_set<std::string>* chambers = nullptr;  // every chamber ever written
  const ChangeLogCheck* log = nullptr;                     // the log as WatchProfiles sent it
};

// Appends what is wrong to `violations`; returns a line saying what was checked.
std::string CheckStoreDirectory(const StoreCheckInputs& inputs,
                                std::vector<std::string>* violations);

}  // namespace socio::fault

#endif  // SOCIO_TESTS_FAULT_STORE_CHECKS_H_
