// Meeting outcomes planted on a running server through its RPCs, labelled by
// weights the test chooses, for the tests of MatchService.SuggestMatchPolicy
// (tests/services) and `socio policy suggest` (tests/clients):
//
//   ASSIGN_OR_FAIL(PlantedOutcomes planted,
//                  PlantOutcomes(*server, admin_token, {.chamber_id = "ihk-suggest"}));
//
// Generated profiles (bench/profile_generator.h), every one FEDERATION-visible:
// `people` members of chamber_id and `people` partners of other chambers.
// Each member meets `partners_each` partners: a request the member sends, the
// partner accepts, starting an hour from now and ten minutes after the one
// before, half an hour long. A meeting is positive when the pair's
// reciprocal score under `truth`, on the matcher's own factor scores of the
// pair (ExplainMatch), plus a little noise (uniform, width 0.03) is among the
// highest `positive_share`. Each meeting is answered in one of the ways the
// suggester's rule labels it (match_suggestion.proto), by turns: the
// member's stage 1, the partner's stage 1, a stage 2 that overrides stage 1,
// and a no-show (negative) or a partner's NEGOTIATING (positive).
//
// REQUIRES: `token` acts for everyone (an operator's, or "" in development
// mode), and the server's outcome clock (SociodOptions::clock) runs past the
// last meeting's end (people * partners_each * 10 minutes plus an hour from
// now) before `answer` is true. Deterministic but for the times.
#ifndef SOCIO_TESTS_SUPPORT_PLANTED_OUTCOMES_H_
#define SOCIO_TESTS_SUPPORT_PLANTED_OUTCOMES_H_

#include <array>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "socio/v1/engagement_service.grpc.pb.h"
#include "socio/v1/outcome_service.grpc.pb.h"
#include "tests/support/test_server.h"

namespace socio::testing {

struct PlantOptions {
  std::string chamber_id;
  int people = 30;
  int partners_each = 20;  // REQUIRES: <= people
  // objective, market, sector, culture, text, size, freshness: far from the
  // defaults, as tests/learning plants.
  std::array<double, 7> truth = {0.2, 0.3, 0.1, 0.05, 0.25, 0.05, 0.05};
  double positive_share = 0.3;
  // Called once the meetings are made and before they are answered: where
  // the test moves the server's outcome clock past their ends.
  std::function<void()> before_answers;
};

struct PlantedOutcomes {
  std::vector<std::string> members, partners;
  int meetings = 0;
  int positives = 0;
  absl::Time first_start;  // the first meeting's; the others follow
};

// Meetings made and answered through a server's RPCs as one token. Errors
// are UNKNOWN, naming the RPC that failed, its code and message.
class MeetingCalls {
 public:
  // `server` is not owned and must outlive this object.
  MeetingCalls(const TestServer& server, const std::string& token);

  absl::Status CreateProfile(socio::v1::Profile profile);
  // The reciprocal score of member and partner under weights `w` (in the
  // order of PlantOptions::truth), from the matcher's factor scores.
  absl::StatusOr<double> Score(const std::string& member, const std::string& partner,
                               const std::array<double, 7>& w);
  // A request of `from` to `to` for half an hour at `start`, accepted
  // (`accept`) or declined; its id.
  absl::StatusOr<std::string> Meeting(const std::string& from, const std::string& to,
                                      absl::Time start, bool accept = true);
  // Stage 1 of `side`: HELD with a rating and `follow_up`, NO_SHOW of the
  // other side, or CANCELLED.
  absl::Status Feedback(const std::string& request_id, const std::string& side,
                        socio::v1::MeetingFeedback::Attendance attendance,
                        socio::v1::MeetingFeedback::FollowUp follow_up =
                            socio::v1::MeetingFeedback::FOLLOW_UP_UNSPECIFIED);
  // Stage 2 of `side` (a DISTRIBUTION agreement when AGREEMENT_SIGNED).
  absl::Status Report(const std::string& request_id, const std::string& side,
                      socio::v1::FollowUpReport::Status status);

 private:
  absl::Status Record(const socio::v1::RecordOutcomeRequest& r);

  const TestServer& server_;
  const std::string token_;
  std::unique_ptr<socio::v1::EngagementService::Stub> engagement_;
  std::unique_ptr<socio::v1::OutcomeService::Stub> outcomes_;
};

// Errors of MeetingCalls.
absl::StatusOr<PlantedOutcomes> PlantOutcomes(const TestServer& server, const std::string& token,
                                              const PlantOptions& options);

// The L1 distance between two weight vectors.
double L1(const std::array<double, 7>& a, const std::array<double, 7>& b);

}  // namespace socio::testing

#endif  // SOCIO_TESTS_SUPPORT_PLANTED_OUTCOMES_H_
