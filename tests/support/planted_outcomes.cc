#include "tests/support/planted_outcomes.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bench/profile_generator.h"
#include "google/protobuf/util/time_util.h"
#include "tests/support/token_calls.h"

namespace socio::testing {
namespace {

using google::protobuf::util::TimeUtil;
using socio::v1::FollowUpReport;
using socio::v1::MeetingFeedback;

constexpr int kFactors = 7;

// Uniform in [0, 1) from `i`: the same on every run.
double Noise(uint64_t i) {
  uint64_t z = i * 0x9E3779B97F4A7C15ull + 0x2545F4914F6CDD1Dull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return static_cast<double>((z ^ (z >> 31)) >> 11) / 9007199254740992.0;
}

absl::Status Failed(absl::string_view rpc, const grpc::Status& status) {
  return absl::UnknownError(
      absl::StrCat(rpc, ": ", status.error_code(), ": ", status.error_message()));
}

}  // namespace

MeetingCalls::MeetingCalls(const TestServer& server, const std::string& token)
    : server_(server),
      token_(token),
      engagement_(socio::v1::EngagementService::NewStub(server.channel())),
      outcomes_(socio::v1::OutcomeService::NewStub(server.channel())) {}

absl::Status MeetingCalls::CreateProfile(socio::v1::Profile profile) {
  socio::v1::CreateProfileRequest request;
  *request.mutable_profile() = std::move(profile);
  socio::v1::Profile created;
  grpc::Status s = server_.profiles().CreateProfile(WithToken(token_).get(), request, &created);
  return s.ok() ? absl::OkStatus() : Failed("CreateProfile", s);
}

absl::StatusOr<double> MeetingCalls::Score(const std::string& member, const std::string& partner,
                                           const std::array<double, 7>& w) {
  socio::v1::ExplainMatchRequest r;
  r.set_a_id(member);
  r.set_b_id(partner);
  socio::v1::Match match;
  grpc::Status s = server_.matches().ExplainMatch(WithToken(token_).get(), r, &match);
  if (!s.ok()) return Failed("ExplainMatch", s);
  if (match.factors_size() != kFactors) return absl::InternalError("ExplainMatch: not 7 factors");
  double x = 0, y = 0;
  for (int f = 0; f < kFactors; ++f) {
    x += w[f] * match.factors(f).forward();
    y += w[f] * match.factors(f).backward();
  }
  return x + y > 0 ? 2 * x * y / (x + y) : 0;
}

absl::StatusOr<std::string> MeetingCalls::Meeting(const std::string& from, const std::string& to,
                                                  absl::Time start, bool accept) {
  socio::v1::CreateMeetingRequestRequest r;
  r.mutable_request()->set_from_member_id(from);
  r.mutable_request()->set_to_ref(to);
  socio::v1::TimeWindow* w = r.mutable_request()->add_proposed();
  *w->mutable_start_time() = TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(start));
  *w->mutable_end_time() =
      TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(start + absl::Minutes(30)));
  socio::v1::MeetingRequest sent, answered;
  grpc::Status s = engagement_->CreateMeetingRequest(WithToken(token_).get(), r, &sent);
  if (!s.ok()) return Failed("CreateMeetingRequest", s);
  socio::v1::AnswerMeetingRequestRequest answer;
  answer.set_id(sent.id());
  answer.set_accept(accept);
  s = engagement_->AnswerMeetingRequest(WithToken(token_).get(), answer, &answered);
  if (!s.ok()) return Failed("AnswerMeetingRequest", s);
  return answered.id();
}

absl::Status MeetingCalls::Feedback(const std::string& request_id, const std::string& side,
                                    MeetingFeedback::Attendance attendance,
                                    MeetingFeedback::FollowUp follow_up) {
  socio::v1::RecordOutcomeRequest r;
  r.mutable_meeting()->set_request_id(request_id);
  r.set_member_id(side);
  r.mutable_feedback()->set_attendance(attendance);
  if (attendance == MeetingFeedback::HELD) {
    r.mutable_feedback()->set_rating(3);
    r.mutable_feedback()->set_follow_up(follow_up);
  }
  if (attendance == MeetingFeedback::NO_SHOW) {
    r.mutable_feedback()->set_absent(MeetingFeedback::OTHER_SIDE);
  }
  return Record(r);
}

absl::Status MeetingCalls::Report(const std::string& request_id, const std::string& side,
                                  FollowUpReport::Status status) {
  socio::v1::RecordOutcomeRequest r;
  r.mutable_meeting()->set_request_id(request_id);
  r.set_member_id(side);
  r.mutable_follow_up()->set_status(status);
  if (status == FollowUpReport::AGREEMENT_SIGNED) {
    r.mutable_follow_up()->set_agreement_type(FollowUpReport::DISTRIBUTION);
  }
  return Record(r);
}

absl::Status MeetingCalls::Record(const socio::v1::RecordOutcomeRequest& r) {
  socio::v1::MeetingOutcome out;
  grpc::Status s = outcomes_->RecordOutcome(WithToken(token_).get(), r, &out);
  return s.ok() ? absl::OkStatus() : Failed("RecordOutcome", s);
}

double L1(const std::array<double, 7>& a, const std::array<double, 7>& b) {
  double d = 0;
  for (int f = 0; f < kFactors; ++f) d += std::abs(a[f] - b[f]);
  return d;
}

absl::StatusOr<PlantedOutcomes> PlantOutcomes(const TestServer& server, const std::string& token,
                                              const PlantOptions& options) {
  if (options.partners_each > options.people) {
    return absl::InvalidArgumentError("partners_each: more than people");
  }
  MeetingCalls calls(server, token);
  PlantedOutcomes planted;
  bench::ProfileGenerator generator({.seed = 11});
  for (int i = 0; i < 2 * options.people; ++i) {
    socio::v1::Profile p = generator.Generate(i);
    p.set_visibility(socio::v1::Profile::FEDERATION);
    p.clear_valid_until();
    if (i < options.people) {
      p.set_chamber_id(options.chamber_id);
      planted.members.push_back(p.id());
    } else {
      if (p.chamber_id() == options.chamber_id) {
        return absl::InvalidArgumentError("chamber_id: a generated partner's chamber");
      }
      planted.partners.push_back(p.id());
    }
    if (absl::Status s = calls.CreateProfile(p); !s.ok()) return s;
  }

  struct Met {
    std::string id, member, partner;
    double planted = 0;
  };
  std::vector<Met> met;
  planted.first_start = absl::Now() + absl::Hours(1);
  for (int m = 0; m < options.people; ++m) {
    for (int k = 0; k < options.partners_each; ++k) {
      const int i = static_cast<int>(met.size());
      const std::string& member = planted.members[m];
      const std::string& partner = planted.partners[(m * 7 + k) % options.people];
      absl::StatusOr<double> score = calls.Score(member, partner, options.truth);
      if (!score.ok()) return score.status();
      absl::StatusOr<std::string> id =
          calls.Meeting(member, partner, planted.first_start + absl::Minutes(10 * i));
      if (!id.ok()) return id.status();
      met.push_back({*id, member, partner, *score + 0.03 * (Noise(i) - 0.5)});
    }
  }
  std::vector<double> sorted;
  for (const Met& x : met) sorted.push_back(x.planted);
  std::sort(sorted.begin(), sorted.end());
  const double threshold = sorted.empty()
                               ? 0
                               : sorted[static_cast<size_t>((1 - options.positive_share) *
                                                            static_cast<double>(sorted.size()))];

  if (options.before_answers) options.before_answers();
  for (size_t j = 0; j < met.size(); ++j) {
    const Met& x = met[j];
    const bool positive = x.planted >= threshold;
    planted.positives += positive;
    absl::Status s;
    switch (j % 4) {
      case 0:  // the member's stage 1 alone
        s = calls.Feedback(x.id, x.member, MeetingFeedback::HELD,
                           positive ? MeetingFeedback::YES : MeetingFeedback::NO);
        break;
      case 1:  // the partner's stage 1
        s = calls.Feedback(x.id, x.partner, MeetingFeedback::HELD,
                           positive ? MeetingFeedback::YES : MeetingFeedback::NO);
        break;
      case 2:  // stage 2 overrides stage 1
        s = calls.Feedback(x.id, x.member, MeetingFeedback::HELD,
                           positive ? MeetingFeedback::NO : MeetingFeedback::YES);
        if (s.ok()) {
          s = calls.Report(
              x.id, x.member,
              positive ? FollowUpReport::AGREEMENT_SIGNED : FollowUpReport::NO_FURTHER_CONTACT);
        }
        break;
      default:  // a no-show is negative; stage 2 alone tells it was held
        s = positive ? calls.Report(x.id, x.partner, FollowUpReport::NEGOTIATING)
                     : calls.Feedback(x.id, x.partner, MeetingFeedback::NO_SHOW,
                                      MeetingFeedback::FOLLOW_UP_UNSPECIFIED);
        break;
    }
    if (!s.ok()) return s;
  }
  planted.meetings = static_cast<int>(met.size());
  return planted;
}

}  // namespace socio::testing
