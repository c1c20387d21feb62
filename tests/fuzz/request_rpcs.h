// The input format of the request_validation fuzzer, shared by the fuzzer and
// the program that writes its seeds:
//
//   byte 0     the RPC: its Rpc value, modulo kRpcCount
//   byte 1     who calls: its Identity value, modulo kIdentityCount
//   the rest   that RPC's request message, serialized (unparsable: skipped)
//
// ImportProfiles sends the one request as its whole stream; WatchProfiles
// reads what comes within a short deadline.
#ifndef SOCIO_TESTS_FUZZ_REQUEST_RPCS_H_
#define SOCIO_TESTS_FUZZ_REQUEST_RPCS_H_

#include <cstdint>

namespace socio::fuzz {

enum class Rpc : uint8_t {
  kCreateProfile,
  kGetProfile,
  kUpdateProfile,
  kDeleteProfile,
  kListProfiles,
  kImportProfiles,
  kWatchProfiles,
  kFindPartners,
  kExplainMatch,
  kGetMatchPolicy,
  kSetMatchPolicy,
  kScorePairs,
  kCreateDelegation,
  kGetDelegation,
  kUpdateDelegation,
  kDeleteDelegation,
  kListDelegations,
  kPlanDelegation,
  kRecommendDestinations,
  kGetAgenda,
  kWhoAmI,
  kIssueToken,
  kRevokeToken,
  kListTokens,
  kBackup,
  kGetStats,
  // Added later, at the end, so that older seeds still name the same RPCs.
  kSetInterest,
  kListInterests,
  kCreateMeetingRequest,
  kGetMeetingRequest,
  kListMeetingRequests,
  kAnswerMeetingRequest,
  kCancelMeetingRequest,
  kGetNotificationSettings,
  kSetNotificationSettings,
  kListParkedDeliveries,
  kPublishPlan,
  kListReveals,
  kCreatePartnership,
  kGetPartnership,
  kListPartnerships,
  kUpdatePartnership,
  kRecordReview,
  kListReviews,
  kRecordOutcome,
  kGetMeetingOutcome,
  kListOutcomes,
  kGetAnalytics,
  kSuggestMatchPolicy,
  kCreateExchange,
  kGetExchange,
  kUpdateExchange,
  kListExchanges,
  kDeleteExchange,
  kGetExchangeBalance,
  kInviteHosts,
  kAnswerHostInvitation,
  kListHostInvitations,
  kCreateChamber,
  kGetChamber,
  kListChambers,
  kUpdateChamber,
  kDeleteChamber,
  kProposePartnerChamber,
  kAcceptPartnerChamber,
  kEndPartnerChamber,
  kListPartnerChambers,
  kGetDelegationBriefing,
};
inline constexpr int kRpcCount = static_cast<int>(Rpc::kGetDelegationBriefing) + 1;

// The bearer token a call carries.
enum class Identity : uint8_t {
  kOperator,  // the operator token sociod wrote at its first start
  kStaff,     // staff of kStaffChamber
  kMember,    // member kMemberProfile
  kNoToken,   // no authorization metadata
  kBadToken,  // a well-formed token sociod never issued
};
inline constexpr int kIdentityCount = static_cast<int>(Identity::kBadToken) + 1;

}  // namespace socio::fuzz

#endif  // SOCIO_TESTS_FUZZ_REQUEST_RPCS_H_
