// OutcomeClient: OutcomeService of a sociod (meeting outcomes), one method
// per rpc, each answering the response or the call's error (code and message
// as the server gave them). Over a Channel (clients/channel.h); see
// ProfileClient (clients/profile_client.h) for an example.
//
// Thread-safe.
#ifndef SOCIO_CLIENTS_OUTCOME_CLIENT_H_
#define SOCIO_CLIENTS_OUTCOME_CLIENT_H_

#include <memory>

#include "absl/status/statusor.h"
#include "clients/channel.h"
#include "socio/v1/outcome_service.grpc.pb.h"

namespace socio::clients {

class OutcomeClient {
 public:
  explicit OutcomeClient(std::shared_ptr<const Channel> channel);

  absl::StatusOr<socio::v1::MeetingOutcome> RecordOutcome(
      const socio::v1::RecordOutcomeRequest& request, const CallOptions& call = {}) const;
  absl::StatusOr<socio::v1::MeetingOutcome> GetMeetingOutcome(
      const socio::v1::GetMeetingOutcomeRequest& request, const CallOptions& call = {}) const;
  absl::StatusOr<socio::v1::ListOutcomesResponse> ListOutcomes(
      const socio::v1::ListOutcomesRequest& request, const CallOptions& call = {}) const;

 private:
  const std::shared_ptr<const Channel> channel_;
  const std::unique_ptr<socio::v1::OutcomeService::Stub> stub_;
};

}  // namespace socio::clients

#endif  // SOCIO_CLIENTS_OUTCOME_CLIENT_H_
