#include "bench/load/socio_calls.h"

#include <chrono>
#include <utility>

namespace socio::bench {
namespace {

constexpr auto kCallDeadline = std::chrono::seconds(30);

}  // namespace

SocioCalls::SocioCalls(const std::shared_ptr<grpc::Channel>& channel, std::string token,
                       std::vector<std::string> member_ids, const SocioCallOptions& options)
    : match_(socio::v1::MatchService::NewStub(channel)),
      profiles_(socio::v1::ProfileService::NewStub(channel)),
      authorization_("Bearer " + std::move(token)),
      member_ids_(std::move(member_ids)),
      options_(options),
      slots_(options.slots) {
  // Each slot draws its own sequence, the same for the same seed.
  for (size_t i = 0; i < slots_.size(); ++i) slots_[i].random.seed(options.seed * 1000003 + i);
}

std::unique_ptr<grpc::ClientContext> SocioCalls::NewContext() const {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + kCallDeadline);
  context->AddMetadata("authorization", authorization_);
  return context;
}

void SocioCalls::Start(int index, std::function<void(const CallOutcome&)> done) {
  Slot& slot = slots_[index];
  // The previous call's context goes here, inside that call's completion
  // callback: gRPC allows it (its own callback benchmark client does so).
  slot.context = NewContext();
  const std::string& member =
      member_ids_[std::uniform_int_distribution<size_t>(0, member_ids_.size() - 1)(slot.random)];
  const bool find_partners =
      std::uniform_int_distribution<int>(0, 99)(slot.random) < options_.find_partners_percent;
  if (find_partners) {
    slot.find_request.set_member_id(member);
    slot.find_request.set_k(options_.k);
    slot.find_request.set_view(options_.view);
    slot.find_response.Clear();
    match_->async()->FindPartners(
        slot.context.get(), &slot.find_request, &slot.find_response,
        [&slot, done = std::move(done)](grpc::Status status) {
          done({.kind = kFindPartners,
                .code = status.error_code(),
                .request_bytes = static_cast<int64_t>(slot.find_request.ByteSizeLong()),
                .response_bytes =
                    status.ok() ? static_cast<int64_t>(slot.find_response.ByteSizeLong()) : 0});
        });
    return;
  }
  slot.get_request.set_id(member);
  slot.get_response.Clear();
  profiles_->async()->GetProfile(
      slot.context.get(), &slot.get_request, &slot.get_response,
      [&slot, done = std::move(done)](grpc::Status status) {
        done({.kind = kGetProfile,
              .code = status.error_code(),
              .request_bytes = static_cast<int64_t>(slot.get_request.ByteSizeLong()),
              .response_bytes =
                  status.ok() ? static_cast<int64_t>(slot.get_response.ByteSizeLong()) : 0});
      });
}

}  // namespace socio::bench
