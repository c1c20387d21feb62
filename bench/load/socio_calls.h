// The calls socio-bench-load makes to sociod: FindPartners (top k, default
// weights, no filters) and GetProfile, each for a member drawn at random from
// the imported ones, mixed in a given share, every call with the operator's
// bearer token and a 30 s deadline.
#ifndef SOCIO_BENCH_LOAD_SOCIO_CALLS_H_
#define SOCIO_BENCH_LOAD_SOCIO_CALLS_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "bench/load/closed_loop.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "socio/v1/match_service.grpc.pb.h"
#include "socio/v1/profile_service.grpc.pb.h"

namespace socio::bench {

struct SocioCallOptions {
  // Calls in flight.
  int slots = 16;
  // Share of the calls that are FindPartners, in percent; the rest are
  // GetProfile.
  int find_partners_percent = 50;
  // FindPartnersRequest.k.
  int k = 20;
  // FindPartners' view (a sociod before views ignores it and answers FULL).
  socio::v1::FindPartnersRequest::View view = socio::v1::FindPartnersRequest::FULL;
  // Seeds the choice of member and call, slot by slot.
  uint64_t seed = 1;
};

class SocioCalls final : public CallSource {
 public:
  // Kinds, as KindNames() lists them.
  static constexpr int kFindPartners = 0;
  static constexpr int kGetProfile = 1;

  // REQUIRES: member_ids is not empty.
  SocioCalls(const std::shared_ptr<grpc::Channel>& channel, std::string token,
             std::vector<std::string> member_ids, const SocioCallOptions& options);

  int slots() const override { return static_cast<int>(slots_.size()); }
  std::vector<std::string> KindNames() const override { return {"FindPartners", "GetProfile"}; }
  void Start(int slot, std::function<void(const CallOutcome&)> done) override;

 private:
  // A call's messages and context live in its slot until it completes.
  struct Slot {
    std::mt19937_64 random;
    std::unique_ptr<grpc::ClientContext> context;
    socio::v1::FindPartnersRequest find_request;
    socio::v1::FindPartnersResponse find_response;
    socio::v1::GetProfileRequest get_request;
    socio::v1::Profile get_response;
  };

  std::unique_ptr<grpc::ClientContext> NewContext() const;

  std::unique_ptr<socio::v1::MatchService::Stub> match_;
  std::unique_ptr<socio::v1::ProfileService::Stub> profiles_;
  const std::string authorization_;
  const std::vector<std::string> member_ids_;
  const SocioCallOptions options_;
  std::vector<Slot> slots_;
};

}  // namespace socio::bench

#endif  // SOCIO_BENCH_LOAD_SOCIO_CALLS_H_
