// ChamberWriter and CheckChambers: the cluster harness's check of records
// other than profiles, and of the notifications written with them. While the
// faults come, a writer proposes partner links to one chamber (kAskedChamber),
// each from a new chamber id, through the nodes in turn; afterwards every
// node must hold
//   - a link from every proposal acknowledged, none from a chamber never
//     proposed, the same links as the other nodes;
//   - one CHAMBER_PARTNER_PROPOSED notification per link, no more, no
//     fewer, with the same sequence and id as on the other nodes.
// A proposal whose call failed is in flight: its link may be there or not,
// but with its notification if it is.
//
//   ChamberWriter writer;
//   writer.Run(channels, cycle, stop);  // on a thread of its own, until stop
//   std::vector<std::string> found;
//   int64_t links = CheckChambers(channels, writer, &found);
#ifndef SOCIO_TESTS_FAULT_CHAMBER_LEDGER_H_
#define SOCIO_TESTS_FAULT_CHAMBER_LEDGER_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "grpcpp/channel.h"

namespace socio::fault {

inline constexpr char kAskedChamber[] = "harness-asked";

class ChamberWriter {
 public:
  // Proposes links through channels[i % size] until `stop`, the proposers
  // named after `cycle`; at most a few hundred per call.
  void Run(const std::vector<std::shared_ptr<grpc::Channel>>& channels, int cycle,
           const std::atomic<bool>& stop);

  std::set<std::string> acknowledged() const;
  std::set<std::string> in_flight() const;

 private:
  mutable absl::Mutex mu_;
  std::set<std::string> acknowledged_ ABSL_GUARDED_BY(mu_);
  std::set<std::string> in_flight_ ABSL_GUARDED_BY(mu_);
};

// Checks every node (one channel each) as the header says; appends what is
// wrong to `found`. Returns the number of links the first node holds.
int64_t CheckChambers(const std::vector<std::shared_ptr<grpc::Channel>>& channels,
                      const ChamberWriter& writer, std::vector<std::string>* found);

}  // namespace socio::fault

#endif  // SOCIO_TESTS_FAULT_CHAMBER_LEDGER_H_
