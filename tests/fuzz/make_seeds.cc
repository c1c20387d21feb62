// Writes the seeds of request_validation: requests written here as proto
// JSON, serialized behind their RPC and caller bytes (see request_rpcs.h),
// one for each path worth starting from (allowed, refused, invalid):
//
//   fuzz_make_seeds tests/fuzz/corpus/request_validation
//
// Files are named seed-<rpc>-<n>; rerun after the fixture or a request
// message changes. Exits 1 if a request does not parse.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "socio/v1/admin_service.pb.h"
#include "socio/v1/analytics_service.pb.h"
#include "socio/v1/chamber_service.pb.h"
#include "socio/v1/delegation_service.pb.h"
#include "socio/v1/engagement_service.pb.h"
#include "socio/v1/exchange_service.pb.h"
#include "socio/v1/match_service.pb.h"
#include "socio/v1/notification.pb.h"
#include "socio/v1/outcome_service.pb.h"
#include "socio/v1/partnership_service.pb.h"
#include "socio/v1/profile_service.pb.h"
#include "tests/fuzz/request_rpcs.h"

namespace socio::fuzz {
namespace {

struct Seed {
  Rpc rpc;
  Identity who;
  const char* json;
};

const Seed kSeeds[] = {
    {Rpc::kCreateProfile, Identity::kOperator,
     R"({"profile": {"id": "de-9", "chamberId": "ihk-muenchen", "name": "Neu GmbH", "country": "DE", "city": "Passau", "sectors": ["C10.84"], "employees": 9, "languages": ["de"], "objectives": [{"type": "SUPPLY", "direction": "OFFER", "markets": ["AT", "CZ"], "note": "Spices"}], "validUntil": "2030-01-01T00:00:00Z", "visibility": "FEDERATION"}})"},
    {Rpc::kCreateProfile, Identity::kStaff,
     R"({"profile": {"id": "de-8", "chamberId": "ihk-muenchen", "name": "X", "country": "USA", "sectors": ["1084"]}})"},
    {Rpc::kCreateProfile, Identity::kStaff,
     R"({"profile": {"id": "mx-9", "chamberId": "canaco-cdmx", "name": "Y", "country": "MX"}})"},
    {Rpc::kCreateProfile, Identity::kMember,
     R"({"profile": {"id": "de-7", "chamberId": "ihk-muenchen", "name": "Z", "country": "DE"}})"},
    {Rpc::kCreateProfile, Identity::kOperator,
     R"({"profile": {"id": "de-1", "chamberId": "ihk-muenchen", "name": "Dup", "country": "DE"}})"},
    {Rpc::kCreateProfile, Identity::kOperator,
     R"({"profile": {"id": "fr-1", "chamberId": "cci-paris", "name": "Paris SA", "country": "FR", "location": {"latitude": 48.85, "longitude": 2.35}, "sectors": ["62.01", "J"], "employees": 2000000, "foundedYear": 3000, "languages": ["fr", "xx"], "objectives": [{"type": "RESEARCH_COOPERATION", "direction": "SEEK"}]}})"},
    {Rpc::kGetProfile, Identity::kMember, R"({"id": "de-1"})"},
    {Rpc::kGetProfile, Identity::kStaff, R"({"id": "de-3"})"},
    {Rpc::kGetProfile, Identity::kMember, R"({"id": "mx-4"})"},
    {Rpc::kGetProfile, Identity::kNoToken, R"({"id": "de-1"})"},
    {Rpc::kGetProfile, Identity::kOperator, R"({"id": "bad id!"})"},
    {Rpc::kUpdateProfile, Identity::kMember,
     R"({"profile": {"id": "de-1", "city": "Freising"}, "updateMask": "city"})"},
    {Rpc::kUpdateProfile, Identity::kMember,
     R"({"profile": {"id": "de-1", "chamberId": "canaco-cdmx"}, "updateMask": "chamberId"})"},
    {Rpc::kUpdateProfile, Identity::kStaff,
     R"({"profile": {"id": "de-2", "sectors": ["99.99"]}, "updateMask": "sectors,noSuchField"})"},
    {Rpc::kUpdateProfile, Identity::kOperator,
     R"({"profile": {"id": "mx-1", "name": "Nuevo"}, "updateMask": "name", "expectedVersion": 7})"},
    {Rpc::kUpdateProfile, Identity::kStaff,
     R"({"profile": {"id": "de-3", "chamberId": "ihk-muenchen", "name": "Koch", "country": "DE", "objectives": [{"type": "DISTRIBUTION"}]}})"},
    {Rpc::kDeleteProfile, Identity::kStaff, R"({"id": "de-2"})"},
    {Rpc::kDeleteProfile, Identity::kStaff, R"({"id": "mx-1"})"},
    {Rpc::kDeleteProfile, Identity::kOperator, R"({"id": "us-1", "expectedVersion": 5})"},
    {Rpc::kListProfiles, Identity::kStaff, R"({"chamberId": "ihk-muenchen"})"},
    {Rpc::kListProfiles, Identity::kOperator,
     R"({"country": "MX", "sectorPrefix": "46", "pageSize": 2})"},
    {Rpc::kListProfiles, Identity::kOperator, R"({"pageToken": "bm90IGEgdG9rZW4"})"},
    {Rpc::kListProfiles, Identity::kStaff, R"({"country": "XX", "pageSize": 5000})"},
    {Rpc::kListProfiles, Identity::kMember, R"({})"},
    {Rpc::kImportProfiles, Identity::kStaff,
     R"({"profiles": [{"id": "de-5", "chamberId": "ihk-muenchen", "name": "A", "country": "DE"}, {"id": "de-6", "chamberId": "ihk-muenchen", "name": "B", "country": "Germany"}]})"},
    {Rpc::kImportProfiles, Identity::kOperator,
     R"({"upsert": true, "profiles": [{"id": "de-1", "chamberId": "ihk-muenchen", "name": "Huber", "country": "DE"}, {"id": "de-1", "chamberId": "ihk-muenchen", "name": "Twice", "country": "DE"}]})"},
    {Rpc::kWatchProfiles, Identity::kOperator, R"({"afterSequence": "0"})"},
    {Rpc::kWatchProfiles, Identity::kStaff, R"({"afterSequence": "99999"})"},
    {Rpc::kFindPartners, Identity::kMember, R"({"memberId": "de-1", "k": 5})"},
    {Rpc::kFindPartners, Identity::kStaff,
     R"({"memberId": "de-3", "filters": {"countries": ["MX", "US"], "regions": ["019"], "sectors": ["46"], "types": ["DISTRIBUTION"], "minEmployees": 10, "maxEmployees": 500, "languages": ["es"], "excludeIds": ["mx-2"], "excludeOwnChamber": true}})"},
    {Rpc::kFindPartners, Identity::kOperator,
     R"({"probe": {"id": "probe", "chamberId": "ihk-muenchen", "name": "P", "country": "DE", "sectors": ["28"], "objectives": [{"type": "AGENCY", "direction": "SEEK", "markets": ["MX"]}]}, "weights": {"objective": 1, "market": 0.5}})"},
    {Rpc::kFindPartners, Identity::kOperator,
     R"({"memberId": "de-1", "k": 2000, "filters": {"countries": ["USA"]}})"},
    {Rpc::kExplainMatch, Identity::kStaff, R"({"aId": "de-1", "bId": "mx-1", "staffView": true})"},
    {Rpc::kExplainMatch, Identity::kMember,
     R"({"aId": "de-1", "bId": "mx-3", "weights": {"culture": 1}})"},
    {Rpc::kExplainMatch, Identity::kMember, R"({"aId": "de-2", "bId": "mx-1"})"},
    {Rpc::kGetMatchPolicy, Identity::kStaff, R"({"chamberId": "ihk-muenchen"})"},
    {Rpc::kGetMatchPolicy, Identity::kStaff, R"({"chamberId": "canaco-cdmx"})"},
    {Rpc::kSetMatchPolicy, Identity::kStaff,
     R"({"policy": {"chamberId": "ihk-muenchen", "weights": {"objective": 0.5, "market": 0.2, "sector": 0.1, "culture": 0.1, "text": 0.05, "size": 0.03, "freshness": 0.02}}})"},
    {Rpc::kSetMatchPolicy, Identity::kOperator,
     R"({"policy": {"chamberId": "canaco-cdmx", "weights": {"objective": -1}}, "expectedVersion": 3})"},
    {Rpc::kScorePairs, Identity::kOperator,
     R"({"aIds": ["de-1", "de-2"], "bIds": ["mx-1", "mx-3", "de-1"]})"},
    {Rpc::kScorePairs, Identity::kStaff, R"({"aIds": ["de-1"], "bIds": []})"},
    {Rpc::kCreateDelegation, Identity::kStaff, R"({"delegation": {"id": "mx28", "chamberId": "ihk-muenchen", "name": "Short", "originCountry": "DE", "hostCountry": "MX", "days": [{"date": "2027-05-03", "city": "Monterrey", "startTime": "10:00", "endTime": "11:00"}], "delegates": [{"memberId": "de-1"}], "hosts": [{"memberId": "mx-3"}], "pairs": [{"delegateId": "de-1", "hostId": "mx-3", "status": "ACCEPTED", "date": "2027-05-03", "startTime": "10:00"}]}})"},
    {Rpc::kCreateDelegation, Identity::kStaff,
     R"({"delegation": {"id": "mx29", "chamberId": "ihk-muenchen", "name": "Bad", "originCountry": "DE", "hostCountry": "MX", "days": [{"date": "2027-02-29", "city": "Monterrey", "startTime": "09:00", "endTime": "25:00", "timeZone": "Mars/Olympus"}], "meetingMinutes": 600, "delegates": [{"memberId": "nobody", "maxMeetings": -3}]}})"},
    {Rpc::kCreateDelegation, Identity::kMember,
     R"({"delegation": {"id": "mx30", "chamberId": "ihk-muenchen", "name": "M", "originCountry": "DE", "hostCountry": "MX"}})"},
    {Rpc::kGetDelegation, Identity::kStaff, R"({"id": "mx27-planned"})"},
    {Rpc::kGetDelegation, Identity::kMember, R"({"id": "mx27"})"},
    {Rpc::kUpdateDelegation, Identity::kStaff,
     R"({"delegation": {"id": "mx27", "name": "Renamed"}, "updateMask": "name", "expectedVersion": 1})"},
    {Rpc::kUpdateDelegation, Identity::kStaff,
     R"({"delegation": {"id": "mx27-planned", "days": [{"date": "2027-13-01", "city": "Puebla", "startTime": "09:00", "endTime": "10:00"}]}, "updateMask": "days"})"},
    {Rpc::kUpdateDelegation, Identity::kOperator,
     R"({"delegation": {"id": "mx27", "delegates": [{"memberId": "de-1", "unavailable": [{"date": "2027-03-29", "startTime": "09:00", "endTime": "10:00"}]}], "hosts": [{"memberId": "us-1"}]}, "updateMask": "delegates,hosts"})"},
    {Rpc::kDeleteDelegation, Identity::kStaff, R"({"id": "mx27", "expectedVersion": "1"})"},
    {Rpc::kDeleteDelegation, Identity::kMember, R"({"id": "mx27-planned"})"},
    {Rpc::kListDelegations, Identity::kStaff, R"({"pageSize": 1})"},
    {Rpc::kListDelegations, Identity::kStaff, R"({"chamberId": "canaco-cdmx"})"},
    {Rpc::kPlanDelegation, Identity::kStaff, R"({"id": "mx27"})"},
    {Rpc::kPlanDelegation, Identity::kOperator, R"({"id": "mx27-planned", "fresh": true})"},
    {Rpc::kPlanDelegation, Identity::kOperator,
     R"({"id": "mx27-planned", "expectedVersion": "9"})"},
    {Rpc::kRecommendDestinations, Identity::kStaff,
     R"({"delegateIds": ["de-1", "de-2"], "k": 3, "excludeCountries": ["US"]})"},
    {Rpc::kRecommendDestinations, Identity::kMember, R"({"delegateIds": ["de-1"], "k": -1})"},
    {Rpc::kGetAgenda, Identity::kMember,
     R"({"delegationId": "mx27-planned", "memberId": "de-1", "format": "ICALENDAR"})"},
    {Rpc::kGetAgenda, Identity::kStaff, R"({"delegationId": "mx27-planned", "format": "CSV"})"},
    {Rpc::kGetAgenda, Identity::kStaff, R"({"delegationId": "mx27", "memberId": "mx-1"})"},
    {Rpc::kWhoAmI, Identity::kStaff, R"({})"},
    {Rpc::kWhoAmI, Identity::kBadToken, R"({})"},
    {Rpc::kIssueToken, Identity::kOperator,
     R"({"role": "STAFF", "chamberId": "canaco-cdmx", "label": "fuzz"})"},
    {Rpc::kIssueToken, Identity::kOperator, R"({"role": "MEMBER", "profileId": "mx-1"})"},
    {Rpc::kIssueToken, Identity::kOperator, R"({"role": "ADMIN", "chamberId": "x"})"},
    {Rpc::kIssueToken, Identity::kStaff, R"({"role": "STAFF", "chamberId": "ihk-muenchen"})"},
    {Rpc::kRevokeToken, Identity::kOperator, R"({"id": "0123456789abcdef"})"},
    {Rpc::kRevokeToken, Identity::kOperator, R"({"id": ""})"},
    {Rpc::kListTokens, Identity::kOperator, R"({})"},
    {Rpc::kListTokens, Identity::kMember, R"({})"},
    {Rpc::kBackup, Identity::kOperator, R"({"dir": "/backup"})"},
    {Rpc::kBackup, Identity::kOperator, R"({"dir": "relative/dir"})"},
    {Rpc::kGetStats, Identity::kOperator, R"({})"},
    {Rpc::kGetStats, Identity::kMember, R"({})"},
    {Rpc::kSetInterest, Identity::kMember,
     R"({"memberId": "de-1", "partnerRef": "mx-1", "mark": "INTERESTED"})"},
    {Rpc::kSetInterest, Identity::kStaff,
     R"({"memberId": "de-1", "partnerRef": "de-1", "mark": "NOT_INTERESTED"})"},
    {Rpc::kListInterests, Identity::kStaff, R"({"mutualOnly": true, "pageSize": 3})"},
    {Rpc::kCreateMeetingRequest, Identity::kMember,
     R"({"request": {"fromMemberId": "de-1", "toRef": "mx-1", "message": "Shall we meet?",
         "proposed": [{"startTime": "2031-03-29T15:00:00Z", "endTime": "2031-03-29T15:30:00Z"}]},
         "requestId": "fuzz-seed-0001"})"},
    {Rpc::kCreateMeetingRequest, Identity::kStaff,
     R"({"request": {"fromMemberId": "de-1", "toRef": "mx-1", "delegationId": "mx27-planned"}})"},
    {Rpc::kGetMeetingRequest, Identity::kMember, R"({"id": "mr-0000000000000000"})"},
    {Rpc::kListMeetingRequests, Identity::kMember,
     R"({"box": "RECEIVED", "states": ["PENDING", "ACCEPTED"], "pageSize": 2})"},
    {Rpc::kAnswerMeetingRequest, Identity::kMember,
     R"({"id": "mr-0000000000000000", "accept": true, "window": 2})"},
    {Rpc::kCancelMeetingRequest, Identity::kStaff,
     R"({"id": "mr-0000000000000000", "reason": "fuzz", "expectedVersion": 3})"},
    {Rpc::kGetNotificationSettings, Identity::kStaff, R"({"recipient": "staff:ihk-muenchen"})"},
    {Rpc::kSetNotificationSettings, Identity::kMember,
     R"({"settings": {"recipient": "de-1", "emailTo": ["a@b.example"],
         "webhookUrl": "https://hooks.example/x", "webhookSecret": "0123456789abcdef"}})"},
    {Rpc::kListParkedDeliveries, Identity::kOperator, R"({"pageSize": 1})"},
    {Rpc::kPublishPlan, Identity::kStaff, R"({"id": "mx27-planned", "expectedVersion": 1})"},
    {Rpc::kListReveals, Identity::kMember, R"({"profileId": "de-1"})"},
    {Rpc::kListReveals, Identity::kStaff, R"({"profileId": "mx-1", "pageSize": 2})"},
    {Rpc::kListReveals, Identity::kOperator,
     R"({"profileId": "anon-aaaaaaaaaaaaaaaa", "pageSize": 1001, "pageToken": "x"})"},
    {Rpc::kCreatePartnership, Identity::kMember,
     R"({"partnership": {"firstMemberId": "de-1", "secondMemberId": "mx-1", "title": "Fuzz",
         "goals": [{"title": "Sales", "indicator": {"name": "Units", "unit": "u", "target": 5,
                    "dueDate": "2031-12-31"}}],
         "milestones": [{"title": "First order", "dueDate": "2031-06-30"}],
         "reviewEveryWeeks": 4}, "requestId": "fuzz-seed-0002"})"},
    {Rpc::kCreatePartnership, Identity::kStaff,
     R"({"partnership": {"firstChamberId": "ihk-muenchen", "secondChamberId": "canaco-cdmx",
         "origin": {"kind": "DELEGATION", "sourceDelegationId": "mx27-planned"}}})"},
    {Rpc::kGetPartnership, Identity::kMember, R"({"id": "pt-0000000000000000"})"},
    {Rpc::kListPartnerships, Identity::kStaff,
     R"({"chamberId": "ihk-muenchen", "statuses": ["EXPLORING"], "pageSize": 2})"},
    {Rpc::kUpdatePartnership, Identity::kMember,
     R"({"partnership": {"id": "pt-0000000000000000", "status": "ENDED", "endReason": "x"},
         "updateMask": "status,endReason", "expectedVersion": 1})"},
    {Rpc::kRecordReview, Identity::kMember,
     R"({"partnershipId": "pt-0000000000000000", "review": {"judgement": "AT_RISK",
         "readings": [{"indicator": "Units", "value": 2}], "note": "fuzz"}})"},
    {Rpc::kListReviews, Identity::kOperator,
     R"({"partnershipId": "pt-0000000000000000", "pageSize": 1001})"},
    {Rpc::kRecordOutcome, Identity::kMember,
     R"({"meeting": {"delegationId": "mx27-planned", "meetingUid": "m-0"},
         "feedback": {"attendance": "HELD", "rating": 6, "followUp": "YES", "note": "fuzz"}})"},
    {Rpc::kGetMeetingOutcome, Identity::kStaff, R"({"meeting": {"requestId": "mr-0"}})"},
    {Rpc::kListOutcomes, Identity::kStaff,
     R"({"chamberId": "ihk-muenchen", "filter": "FEEDBACK_OPEN", "pageSize": 501})"},
    {Rpc::kGetAnalytics, Identity::kStaff,
     R"({"groupBy": "COUNTRY_PAIR", "fromDate": "2027-01-01", "toDate": "2027-12-31"})"},
    {Rpc::kGetAnalytics, Identity::kOperator,
     R"({"chamberId": "ihk-muenchen", "delegationId": "mx27-planned", "groupBy": "SECTOR"})"},
    {Rpc::kGetAnalytics, Identity::kMember, R"({"fromDate": "2027-02-30"})"},
    {Rpc::kSuggestMatchPolicy, Identity::kStaff, R"({"chamberId": "ihk-muenchen"})"},
    {Rpc::kSuggestMatchPolicy, Identity::kMember, R"({"chamberId": "canaco-cdmx"})"},
    {Rpc::kCreateExchange, Identity::kStaff,
     R"({"exchange": {"id": "muc-mex", "chamberId": "ihk-muenchen", "partnerChamberId": "canaco-cdmx",
         "visitDelegationId": "mx27-planned", "returnDelegationId": "mx27-planned"}})"},
    {Rpc::kCreateExchange, Identity::kOperator,
     R"({"exchange": {"id": "muc-mex", "chamberId": "ihk-muenchen", "partnerChamberId": "canaco-cdmx",
         "visitDelegationId": "mx27-planned", "notes": "fuzz"}, "requestId": "fuzz-0001"})"},
    {Rpc::kGetExchange, Identity::kMember, R"({"id": "muc-mex"})"},
    {Rpc::kUpdateExchange, Identity::kStaff,
     R"({"exchange": {"id": "muc-mex", "returnDelegationId": "nope"},
         "updateMask": "returnDelegationId,chamberId", "expectedVersion": "3"})"},
    {Rpc::kListExchanges, Identity::kStaff, R"({"chamberId": "canaco-cdmx", "pageSize": 501})"},
    {Rpc::kDeleteExchange, Identity::kOperator, R"({"id": "muc-mex", "expectedVersion": "-1"})"},
    {Rpc::kGetExchangeBalance, Identity::kStaff, R"({"id": "muc-mex"})"},
    {Rpc::kInviteHosts, Identity::kStaff,
     R"({"delegationId": "mx27", "hostIds": ["mx-1"], "deadline": "2099-03-01T17:00:00Z"})"},
    {Rpc::kInviteHosts, Identity::kMember, R"({"delegationId": "mx27"})"},
    {Rpc::kAnswerHostInvitation, Identity::kMember,
     R"({"delegationId": "mx27", "hostId": "mx-1", "accept": true, "note": "Tuesday"})"},
    {Rpc::kAnswerHostInvitation, Identity::kStaff,
     R"({"delegationId": "mx27", "hostId": "mx-1", "accept": false})"},
    {Rpc::kListHostInvitations, Identity::kStaff, R"({"delegationId": "mx27"})"},
    {Rpc::kListHostInvitations, Identity::kMember, R"({"memberId": "mx-1"})"},
    {Rpc::kCreateChamber, Identity::kOperator,
     R"({"chamber": {"id": "ihk-muenchen", "name": "IHK München", "country": "DE",
         "city": "München", "languages": ["de", "en"], "website": "https://ihk.example",
         "contacts": [{"name": "Anna Huber", "email": "anna@ihk.example"}]}})"},
    {Rpc::kCreateChamber, Identity::kOperator,
     R"({"chamber": {"id": "canaco-cdmx", "name": "CANACO", "country": "MEX",
         "languages": ["spa"], "website": "ftp://x"}, "requestId": "r-1"})"},
    {Rpc::kCreateChamber, Identity::kStaff,
     R"({"chamber": {"id": "cci-lyon", "name": "CCI Lyon", "country": "FR"}})"},
    {Rpc::kGetChamber, Identity::kMember, R"({"id": "ihk-muenchen"})"},
    {Rpc::kGetChamber, Identity::kStaff, R"({"id": "no such chamber"})"},
    {Rpc::kListChambers, Identity::kMember, R"({"country": "DE", "pageSize": 1})"},
    {Rpc::kListChambers, Identity::kOperator, R"({"country": "XX", "pageSize": 501})"},
    {Rpc::kUpdateChamber, Identity::kStaff,
     R"({"chamber": {"id": "ihk-muenchen", "city": "Munich"}, "updateMask": "city",
         "expectedVersion": "1"})"},
    {Rpc::kUpdateChamber, Identity::kStaff,
     R"({"chamber": {"id": "ihk-muenchen", "contacts": [{"role": "no name"}]},
         "updateMask": "contacts,version"})"},
    {Rpc::kDeleteChamber, Identity::kOperator, R"({"id": "ihk-muenchen", "expectedVersion": "9"})"},
    {Rpc::kProposePartnerChamber, Identity::kStaff,
     R"({"partnerChamberId": "canaco-cdmx", "note": "Exchange visits", "requestId": "p-1"})"},
    {Rpc::kProposePartnerChamber, Identity::kOperator,
     R"({"chamberId": "canaco-cdmx", "partnerChamberId": "canaco-cdmx"})"},
    {Rpc::kAcceptPartnerChamber, Identity::kOperator,
     R"({"chamberId": "canaco-cdmx", "partnerChamberId": "ihk-muenchen"})"},
    {Rpc::kAcceptPartnerChamber, Identity::kStaff, R"({"partnerChamberId": "canaco-cdmx"})"},
    {Rpc::kEndPartnerChamber, Identity::kStaff,
     R"({"partnerChamberId": "canaco-cdmx", "reason": "Programme over", "expectedVersion": "2"})"},
    {Rpc::kListPartnerChambers, Identity::kStaff, R"({"states": ["ACTIVE"], "pageSize": 2})"},
    {Rpc::kListPartnerChambers, Identity::kMember, R"({"chamberId": "ihk-muenchen"})"},
    {Rpc::kGetDelegationBriefing, Identity::kStaff, R"({"delegationId": "mx27-planned"})"},
    {Rpc::kGetDelegationBriefing, Identity::kMember,
     R"({"delegationId": "mx27-planned", "memberId": "de-1"})"},
    {Rpc::kGetDelegationBriefing, Identity::kOperator,
     R"({"delegationId": "mx27", "memberId": "mx-1"})"},
};

std::unique_ptr<google::protobuf::Message> NewRequest(Rpc rpc) {
  using namespace socio::v1;  // NOLINT(build/namespaces): one type per case
  switch (rpc) {
    case Rpc::kCreateProfile:
      return std::make_unique<CreateProfileRequest>();
    case Rpc::kGetProfile:
      return std::make_unique<GetProfileRequest>();
    case Rpc::kUpdateProfile:
      return std::make_unique<UpdateProfileRequest>();
    case Rpc::kDeleteProfile:
      return std::make_unique<DeleteProfileRequest>();
    case Rpc::kListProfiles:
      return std::make_unique<ListProfilesRequest>();
    case Rpc::kImportProfiles:
      return std::make_unique<ImportProfilesRequest>();
    case Rpc::kWatchProfiles:
      return std::make_unique<WatchProfilesRequest>();
    case Rpc::kFindPartners:
      return std::make_unique<FindPartnersRequest>();
    case Rpc::kExplainMatch:
      return std::make_unique<ExplainMatchRequest>();
    case Rpc::kGetMatchPolicy:
      return std::make_unique<GetMatchPolicyRequest>();
    case Rpc::kSetMatchPolicy:
      return std::make_unique<SetMatchPolicyRequest>();
    case Rpc::kScorePairs:
      return std::make_unique<ScorePairsRequest>();
    case Rpc::kCreateDelegation:
      return std::make_unique<CreateDelegationRequest>();
    case Rpc::kGetDelegation:
      return std::make_unique<GetDelegationRequest>();
    case Rpc::kUpdateDelegation:
      return std::make_unique<UpdateDelegationRequest>();
    case Rpc::kDeleteDelegation:
      return std::make_unique<DeleteDelegationRequest>();
    case Rpc::kListDelegations:
      return std::make_unique<ListDelegationsRequest>();
    case Rpc::kPlanDelegation:
      return std::make_unique<PlanDelegationRequest>();
    case Rpc::kRecommendDestinations:
      return std::make_unique<RecommendDestinationsRequest>();
    case Rpc::kGetAgenda:
      return std::make_unique<GetAgendaRequest>();
    case Rpc::kWhoAmI:
      return std::make_unique<WhoAmIRequest>();
    case Rpc::kIssueToken:
      return std::make_unique<IssueTokenRequest>();
    case Rpc::kRevokeToken:
      return std::make_unique<RevokeTokenRequest>();
    case Rpc::kListTokens:
      return std::make_unique<ListTokensRequest>();
    case Rpc::kBackup:
      return std::make_unique<BackupRequest>();
    case Rpc::kGetStats:
      return std::make_unique<GetStatsRequest>();
    case Rpc::kSetInterest:
      return std::make_unique<SetInterestRequest>();
    case Rpc::kListInterests:
      return std::make_unique<ListInterestsRequest>();
    case Rpc::kCreateMeetingRequest:
      return std::make_unique<CreateMeetingRequestRequest>();
    case Rpc::kGetMeetingRequest:
      return std::make_unique<GetMeetingRequestRequest>();
    case Rpc::kListMeetingRequests:
      return std::make_unique<ListMeetingRequestsRequest>();
    case Rpc::kAnswerMeetingRequest:
      return std::make_unique<AnswerMeetingRequestRequest>();
    case Rpc::kCancelMeetingRequest:
      return std::make_unique<CancelMeetingRequestRequest>();
    case Rpc::kGetNotificationSettings:
      return std::make_unique<GetNotificationSettingsRequest>();
    case Rpc::kSetNotificationSettings:
      return std::make_unique<SetNotificationSettingsRequest>();
    case Rpc::kListParkedDeliveries:
      return std::make_unique<ListParkedDeliveriesRequest>();
    case Rpc::kPublishPlan:
      return std::make_unique<PublishPlanRequest>();
    case Rpc::kListReveals:
      return std::make_unique<ListRevealsRequest>();
    case Rpc::kCreatePartnership:
      return std::make_unique<CreatePartnershipRequest>();
    case Rpc::kGetPartnership:
      return std::make_unique<GetPartnershipRequest>();
    case Rpc::kListPartnerships:
      return std::make_unique<ListPartnershipsRequest>();
    case Rpc::kUpdatePartnership:
      return std::make_unique<UpdatePartnershipRequest>();
    case Rpc::kRecordReview:
      return std::make_unique<RecordReviewRequest>();
    case Rpc::kListReviews:
      return std::make_unique<ListReviewsRequest>();
    case Rpc::kRecordOutcome:
      return std::make_unique<RecordOutcomeRequest>();
    case Rpc::kGetMeetingOutcome:
      return std::make_unique<GetMeetingOutcomeRequest>();
    case Rpc::kListOutcomes:
      return std::make_unique<ListOutcomesRequest>();
    case Rpc::kGetAnalytics:
      return std::make_unique<GetAnalyticsRequest>();
    case Rpc::kSuggestMatchPolicy:
      return std::make_unique<SuggestMatchPolicyRequest>();
    case Rpc::kCreateExchange:
      return std::make_unique<CreateExchangeRequest>();
    case Rpc::kGetExchange:
      return std::make_unique<GetExchangeRequest>();
    case Rpc::kUpdateExchange:
      return std::make_unique<UpdateExchangeRequest>();
    case Rpc::kListExchanges:
      return std::make_unique<ListExchangesRequest>();
    case Rpc::kDeleteExchange:
      return std::make_unique<DeleteExchangeRequest>();
    case Rpc::kGetExchangeBalance:
      return std::make_unique<GetExchangeBalanceRequest>();
    case Rpc::kInviteHosts:
      return std::make_unique<InviteHostsRequest>();
    case Rpc::kAnswerHostInvitation:
      return std::make_unique<AnswerHostInvitationRequest>();
    case Rpc::kListHostInvitations:
      return std::make_unique<ListHostInvitationsRequest>();
    case Rpc::kCreateChamber:
      return std::make_unique<CreateChamberRequest>();
    case Rpc::kGetChamber:
      return std::make_unique<GetChamberRequest>();
    case Rpc::kListChambers:
      return std::make_unique<ListChambersRequest>();
    case Rpc::kUpdateChamber:
      return std::make_unique<UpdateChamberRequest>();
    case Rpc::kDeleteChamber:
      return std::make_unique<DeleteChamberRequest>();
    case Rpc::kProposePartnerChamber:
      return std::make_unique<ProposePartnerChamberRequest>();
    case Rpc::kAcceptPartnerChamber:
      return std::make_unique<AcceptPartnerChamberRequest>();
    case Rpc::kEndPartnerChamber:
      return std::make_unique<EndPartnerChamberRequest>();
    case Rpc::kListPartnerChambers:
      return std::make_unique<ListPartnerChambersRequest>();
    case Rpc::kGetDelegationBriefing:
      return std::make_unique<GetDelegationBriefingRequest>();
  }
  return nullptr;
}

bool Write(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
  return out.good();
}

bool WriteRequestSeeds(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  int n = 0;
  for (const Seed& seed : kSeeds) {
    const std::string json = seed.json;
    std::unique_ptr<google::protobuf::Message> request = NewRequest(seed.rpc);
    const auto parsed = google::protobuf::util::JsonStringToMessage(json, request.get());
    if (!parsed.ok()) {
      std::fprintf(stderr, "seed %d does not parse: %s\n%s\n", n, parsed.ToString().c_str(),
                   json.c_str());
      return false;
    }
    std::string bytes;
    bytes.push_back(static_cast<char>(seed.rpc));
    bytes.push_back(static_cast<char>(seed.who));
    bytes += request->SerializeAsString();
    const std::string name = absl::StrCat("seed-", static_cast<int>(seed.rpc), "-", n++);
    if (!Write(dir / name, bytes)) return false;
  }
  return true;
}

}  // namespace
}  // namespace socio::fuzz

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUT_DIR\n", argv[0]);
    return 2;
  }
  return socio::fuzz::WriteRequestSeeds(argv[1]) ? 0 : 1;
}
