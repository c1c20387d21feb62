#include "services/match_service.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "matcher/explanation.h"
#include "matcher/scoring.h"
#include "services/access.h"
#include "services/call_scope.h"
#include "services/match_policy.h"
#include "services/match_request.h"

namespace socio::services {
namespace {

// How long a search waits for the index to catch up with writes committed
// before it started (read-your-writes for the caller who just wrote). The
// index is normally milliseconds behind; on a loaded machine applying an
// import can take longer than 100 ms, and a member just imported then
// answered NOT_FOUND.
constexpr absl::Duration kCatchUp = absl::Seconds(1);

// Whom the reasons about `member`'s partners are for: a chamber's staff read
// them about the member, by its name ("Huber seeks ..."); the member itself,
// and operators (the planner role calls as one, for agendas the member
// reads), are spoken to ("You seek ...").
std::string ReasonSubject(const Caller& caller, const socio::v1::Profile& member) {
  return caller.role == socio::v1::STAFF ? matcher::ShortCompanyName(member.name()) : "";
}

}  // namespace

MatchServiceImpl::MatchServiceImpl(const ProfileLookup* profiles,
                                   storage::MatchPolicyStore* policies,
                                   const matcher::MatchIndex* index, const IndexFeed* feed,
                                   std::shared_ptr<const matcher::ScoringTables> tables,
                                   const Authenticator* auth, const Disclosure* disclosure,
                                   const PairHistory* history)
    : profiles_(profiles),
      policies_(policies),
      index_(index),
      follower_(feed),
      tables_(std::move(tables)),
      validator_(std::shared_ptr<const reference::ReferenceData>(tables_, &tables_->reference())),
      auth_(auth),
      disclosure_(disclosure),
      history_(history) {}

absl::StatusOr<socio::v1::FactorWeights> MatchServiceImpl::WeightsFor(
    bool has_override, const socio::v1::FactorWeights& override,
    const std::string& chamber_id) const {
  if (has_override) return override;
  absl::StatusOr<socio::v1::MatchPolicy> policy = PolicyOrDefaults(*policies_, chamber_id);
  if (!policy.ok()) return policy.status();
  return policy->weights();
}

grpc::Status MatchServiceImpl::FindPartners(grpc::ServerContext* context,
                                            const socio::v1::FindPartnersRequest* request,
                                            socio::v1::FindPartnersResponse* response) {
  return Serve(
      *auth_, disclosure_, context, *request, response, [&](const Caller& caller) -> absl::Status {
        if (!socio::v1::FindPartnersRequest::View_IsValid(request->view())) {
          return absl::InvalidArgumentError(
              absl::StrCat("view: ", request->view(), " is not BASIC or FULL"));
        }
        absl::StatusOr<int> k = CheckK(request->k());
        if (!k.ok()) return k.status();
        absl::StatusOr<matcher::PartnerFilters> filters =
            ToPartnerFilters(request->filters(), *tables_, validator_);
        if (!filters.ok()) return filters.status();

        matcher::PartnerQuery query;
        query.k = *k;
        query.filters = *std::move(filters);
        query.detail = request->view() == socio::v1::FindPartnersRequest::BASIC
                           ? matcher::MatchDetail::kBasic
                           : matcher::MatchDetail::kFull;
        std::string chamber_id;
        socio::v1::Profile probe;
        switch (request->subject_case()) {
          case socio::v1::FindPartnersRequest::kMemberId: {
            if (request->member_id().empty()) {
              return absl::InvalidArgumentError("member_id: must not be empty");
            }
            absl::StatusOr<socio::v1::Profile> member =
                ReadProfile(*profiles_, caller, request->member_id(), "member_id", disclosure_);
            if (!member.ok()) return member.status();
            if (absl::Status s = CheckActsFor(caller, *member, "member_id"); !s.ok()) return s;
            chamber_id = member->chamber_id();
            query.member_id = request->member_id();
            query.staff_view = SeesPrivatePartners(caller, *member);
            query.subject = ReasonSubject(caller, *member);
            break;
          }
          case socio::v1::FindPartnersRequest::kProbe: {
            probe = request->probe();
            const bool anonymous = probe.id().empty();
            if (anonymous) probe.set_id("probe");  // ids are checked like a create's; any will do
            if (absl::Status s = validator_.Normalize(&probe); !s.ok()) {
              std::string message(s.message());
              if (message.rfind("profile.", 0) == 0) message = "probe." + message.substr(8);
              return absl::InvalidArgumentError(message);
            }
            if (anonymous) probe.clear_id();
            // A probe speaks for a chamber's prospect: staff and operators only.
            if (absl::Status s = RequireChamber(caller, probe.chamber_id(), "probe.chamber_id");
                !s.ok()) {
              return s;
            }
            chamber_id = probe.chamber_id();
            query.probe = &probe;
            query.staff_view = SeesPrivatePartners(caller, probe);
            query.subject = ReasonSubject(caller, probe);
            break;
          }
          default:
            return absl::InvalidArgumentError("member_id or probe: one is required");
        }

        absl::StatusOr<socio::v1::FactorWeights> weights =
            WeightsFor(request->has_weights(), request->weights(), chamber_id);
        if (!weights.ok()) return weights.status();
        absl::StatusOr<matcher::Weights> normalized =
            matcher::NormalizeWeights(*weights, "weights");
        if (!normalized.ok()) return normalized.status();
        query.weights = *normalized;
        query.now_seconds = absl::ToUnixSeconds(absl::Now());

        // Writes committed before this call are in the index when it answers.
        follower_->WaitUntilCurrent(kCatchUp);
        const uint64_t sequence = follower_->applied_sequence();
        absl::StatusOr<matcher::PartnerResult> result =
            history_ != nullptr && history_->enabled() && !query.member_id.empty()
                ? history_->FindPartners(
                      *index_, std::move(query),
                      {.own_not_interested =
                           !request->include_not_interested() && !request->include_declined(),
                       .declined = !request->include_declined()},
                      {caller, *profiles_, disclosure_})
                : index_->FindPartners(query);
        if (!result.ok()) return result.status();
        for (socio::v1::Match& match : result->matches) *response->add_matches() = std::move(match);
        *response->mutable_weights() = *weights;
        response->set_index_sequence(sequence);
        response->set_candidates_scored(result->candidates_scored);
        return absl::OkStatus();
      });
}

grpc::Status MatchServiceImpl::ExplainMatch(grpc::ServerContext* context,
                                            const socio::v1::ExplainMatchRequest* request,
                                            socio::v1::Match* response) {
  return Serve(
      *auth_, disclosure_, context, *request, response, [&](const Caller& caller) -> absl::Status {
        if (request->staff_view() && caller.role == socio::v1::MEMBER) {
          return absl::PermissionDeniedError(
              absl::StrCat(caller.Describe(), " may not ask for staff_view"));
        }
        if (request->a_id().empty()) return absl::InvalidArgumentError("a_id: must not be empty");
        if (request->b_id().empty()) return absl::InvalidArgumentError("b_id: must not be empty");
        if (request->a_id() == request->b_id()) {
          return absl::InvalidArgumentError(
              "b_id: must differ from a_id (a profile is not its own partner)");
        }
        absl::StatusOr<socio::v1::Profile> a =
            ReadProfile(*profiles_, caller, request->a_id(), "a_id", disclosure_);
        if (!a.ok()) return a.status();
        if (absl::Status s = CheckActsFor(caller, *a, "a_id"); !s.ok()) return s;
        absl::StatusOr<socio::v1::FactorWeights> weights =
            WeightsFor(request->has_weights(), request->weights(), a->chamber_id());
        if (!weights.ok()) return weights.status();
        absl::StatusOr<matcher::Weights> normalized =
            matcher::NormalizeWeights(*weights, "weights");
        if (!normalized.ok()) return normalized.status();
        follower_->WaitUntilCurrent(kCatchUp);
        // The view follows the caller, as FindPartners' does; staff_view asks for
        // nothing more.
        absl::StatusOr<socio::v1::Match> match = index_->Explain(
            request->a_id(), request->b_id(), *normalized, absl::ToUnixSeconds(absl::Now()),
            SeesPrivatePartners(caller, *a), ReasonSubject(caller, *a));
        if (!match.ok()) return match.status();
        if (history_ != nullptr) {
          if (absl::Status s =
                  history_->Annotate(request->a_id(), {caller, *profiles_, disclosure_}, &*match);
              !s.ok()) {
            return s;
          }
        }
        *response = *std::move(match);
        return absl::OkStatus();
      });
}

grpc::Status MatchServiceImpl::GetMatchPolicy(grpc::ServerContext* context,
                                              const socio::v1::GetMatchPolicyRequest* request,
                                              socio::v1::MatchPolicy* response) {
  return Serve(
      *auth_, disclosure_, context, *request, response, [&](const Caller& caller) -> absl::Status {
        if (absl::Status s = storage::ValidateId("chamber_id", request->chamber_id()); !s.ok()) {
          return s;
        }
        if (absl::Status s = RequireChamber(caller, request->chamber_id(), "chamber_id"); !s.ok()) {
          return s;
        }
        absl::StatusOr<socio::v1::MatchPolicy> policy =
            PolicyOrDefaults(*policies_, request->chamber_id());
        if (!policy.ok()) return policy.status();
        *response = *std::move(policy);
        return absl::OkStatus();
      });
}

grpc::Status MatchServiceImpl::SetMatchPolicy(grpc::ServerContext* context,
                                              const socio::v1::SetMatchPolicyRequest* request,
                                              socio::v1::MatchPolicy* response) {
  return Serve(
      *auth_, disclosure_, context, *request, response, [&](const Caller& caller) -> absl::Status {
        if (absl::Status s =
                RequireChamber(caller, request->policy().chamber_id(), "policy.chamber_id");
            !s.ok()) {
          return s;
        }
        absl::StatusOr<socio::v1::MatchPolicy> stored =
            SetPolicy(*policies_, request->policy(), request->expected_version());
        if (!stored.ok()) return stored.status();
        *response = *std::move(stored);
        return absl::OkStatus();
      });
}

grpc::Status MatchServiceImpl::ScorePairs(grpc::ServerContext* context,
                                          const socio::v1::ScorePairsRequest* request,
                                          socio::v1::ScorePairsResponse* response) {
  return Serve(*auth_, disclosure_, context, *request, response,
               [&](const Caller& caller) -> absl::Status {
                 // Scores of any two profiles, visible or not: for the planner's use.
                 if (absl::Status s = RequireAdmin(caller, "ScorePairs"); !s.ok()) return s;
                 if (absl::Status s = CheckPairCount(request->a_ids_size(), request->b_ids_size());
                     !s.ok()) {
                   return s;
                 }
                 if (!request->has_weights())
                   return absl::InvalidArgumentError("weights: is required");
                 absl::StatusOr<matcher::Weights> normalized =
                     matcher::NormalizeWeights(request->weights(), "weights");
                 if (!normalized.ok()) return normalized.status();
                 follower_->WaitUntilCurrent(kCatchUp);
                 const uint64_t sequence = follower_->applied_sequence();
                 absl::StatusOr<std::vector<double>> scores =
                     index_->PairScores({request->a_ids().begin(), request->a_ids().end()},
                                        {request->b_ids().begin(), request->b_ids().end()},
                                        *normalized, absl::ToUnixSeconds(absl::Now()));
                 if (!scores.ok()) return scores.status();
                 response->mutable_scores()->Add(scores->begin(), scores->end());
                 response->set_index_sequence(sequence);
                 return absl::OkStatus();
               });
}

grpc::Status MatchServiceImpl::SuggestMatchPolicy(
    grpc::ServerContext* context, const socio::v1::SuggestMatchPolicyRequest* request,
    socio::v1::MatchPolicySuggestion* response) {
  return Serve(
      *auth_, disclosure_, context, *request, response, [&](const Caller& caller) -> absl::Status {
        if (absl::Status s = storage::ValidateId("chamber_id", request->chamber_id()); !s.ok()) {
          return s;
        }
        if (absl::Status s = RequireChamber(caller, request->chamber_id(), "chamber_id"); !s.ok()) {
          return s;
        }
        if (training_ == nullptr) {
          return absl::UnimplementedError(
              "SuggestMatchPolicy: this process does not keep the meeting outcomes; ask the "
              "server that holds the profiles");
        }
        absl::StatusOr<socio::v1::MatchPolicy> policy =
            PolicyOrDefaults(*policies_, request->chamber_id());
        if (!policy.ok()) return policy.status();
        follower_->WaitUntilCurrent(kCatchUp);
        absl::StatusOr<socio::v1::MatchPolicySuggestion> suggestion =
            training_->Suggest(*policy, absl::Now());
        if (!suggestion.ok()) return suggestion.status();
        *response = *std::move(suggestion);
        return absl::OkStatus();
      });
}

}  // namespace socio::services
