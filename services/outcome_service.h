// OutcomeService over gRPC: each side of a meeting records what came of it,
// in two stages (outcome.proto); staff of both sides' chambers follow it up.
// Thin handlers over storage::OutcomeStore, which keeps the answers, follows
// the meetings' sources and writes the reminders.
//
// Who sees what (outcome_service.proto says it to clients), by the sides'
// companies and their chambers as the meeting's record has them:
// - operators: both sides' answers;
// - the staff of either side's chamber: both sides' answers;
// - a member token of a side's company: that side's answers, the other
//   side's company without its answers (SideOutcome.hidden);
// - anyone else: nothing, NOT_FOUND worded as for a meeting that does not
//   exist. A meeting that cannot carry an outcome (a plan not published, a
//   request not ACCEPTED) is FAILED_PRECONDITION only to a caller who may
//   see its source (the delegation's chamber's staff, the request's sides);
//   NOT_FOUND to everyone else.
// A side's answers are recorded by operators, the member itself, or the staff
// of its own chamber; the staff of the other side's chamber see them but may
// not record them (PERMISSION_DENIED).
#ifndef SOCIO_SERVICES_OUTCOME_SERVICE_H_
#define SOCIO_SERVICES_OUTCOME_SERVICE_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/auth.h"
#include "services/disclosure.h"
#include "services/profile_lookup.h"
#include "socio/v1/outcome_service.grpc.pb.h"
#include "storage/delegation_store.h"
#include "storage/engagement_store.h"
#include "storage/outcome_store.h"

namespace socio::services {

// What the service works with; none is owned, all must outlive it.
struct OutcomeServiceParts {
  storage::OutcomeStore* outcomes = nullptr;
  const ProfileLookup* profiles = nullptr;
  // The meetings' sources, to judge who may be told why a meeting cannot
  // carry an outcome; either may be null.
  const storage::DelegationStore* delegations = nullptr;
  const storage::EngagementStore* engagement = nullptr;
  const Authenticator* auth = nullptr;
  // Shows every answer to its caller (disclosure.h); may be null.
  const Disclosure* disclosure = nullptr;
  // Default: absl::Now. For the lists' due filters.
  std::function<absl::Time()> clock;
};

class OutcomeServiceImpl final : public socio::v1::OutcomeService::Service {
 public:
  explicit OutcomeServiceImpl(OutcomeServiceParts parts);

  grpc::Status RecordOutcome(grpc::ServerContext* context,
                             const socio::v1::RecordOutcomeRequest* request,
                             socio::v1::MeetingOutcome* response) override;
  grpc::Status GetMeetingOutcome(grpc::ServerContext* context,
                                 const socio::v1::GetMeetingOutcomeRequest* request,
                                 socio::v1::MeetingOutcome* response) override;
  grpc::Status ListOutcomes(grpc::ServerContext* context,
                            const socio::v1::ListOutcomesRequest* request,
                            socio::v1::ListOutcomesResponse* response) override;

  // The summary line of an outcome reminder, in words the recipient reads
  // ("Your meeting with Huber GmbH has ended: how did it go?").
  std::string Summarize(const socio::v1::Notification& notification) const;

  // Which sides' answers a caller sees.
  struct View {
    bool sides[2] = {false, false};
    bool any() const { return sides[0] || sides[1]; }
  };
  static View ViewOf(const Caller& caller, const socio::v1::MeetingOutcome& outcome);
  // `outcome` with the answers `view` does not show cleared and marked hidden.
  static void Show(const View& view, socio::v1::MeetingOutcome* outcome);

 private:
  absl::Time Now() const;
  // `ref` with each handle in its meeting_uid (a uid as a caller who may not
  // see an anonymous side was shown it) replaced by the id it stands for.
  socio::v1::MeetingRef Unshown(socio::v1::MeetingRef ref) const;
  // The meeting `ref` names as the caller sees it, or the error it gets.
  absl::StatusOr<socio::v1::MeetingOutcome> Seen(const Caller& caller,
                                                 const socio::v1::MeetingRef& ref) const;
  // Whether the caller may see the delegation or the request `ref` names.
  bool SeesSource(const Caller& caller, const socio::v1::MeetingRef& ref) const;
  bool ActsFor(const Caller& caller, const std::string& member_id) const;

  const OutcomeServiceParts parts_;
};

}  // namespace socio::services

#endif  // SOCIO_SERVICES_OUTCOME_SERVICE_H_
