#include "clients/outcome_client.h"

#include <utility>

namespace socio::clients {

using socio::v1::OutcomeService;

OutcomeClient::OutcomeClient(std::shared_ptr<const Channel> channel)
    : channel_(std::move(channel)), stub_(OutcomeService::NewStub(channel_->grpc_channel())) {}

absl::StatusOr<socio::v1::MeetingOutcome> OutcomeClient::RecordOutcome(
    const socio::v1::RecordOutcomeRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &OutcomeService::Stub::RecordOutcome, request, call);
}

absl::StatusOr<socio::v1::MeetingOutcome> OutcomeClient::GetMeetingOutcome(
    const socio::v1::GetMeetingOutcomeRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &OutcomeService::Stub::GetMeetingOutcome, request, call);
}

absl::StatusOr<socio::v1::ListOutcomesResponse> OutcomeClient::ListOutcomes(
    const socio::v1::ListOutcomesRequest& request, const CallOptions& call) const {
  return channel_->Call(stub_.get(), &OutcomeService::Stub::ListOutcomes, request, call);
}

}  // namespace socio::clients
