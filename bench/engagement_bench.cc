// socio-bench-engagement: what a meeting request costs beside a plain
// profile create, and how fast the outbox is delivered to a webhook.
//
//   socio-bench-engagement [--pairs 300] [--deliveries 1000] [--rounds 3] [--json]
//
// Each round starts a sociod in this process (tokens checked, synced WAL, as
// operators run it) on a fresh directory and measures:
// - create: CreateProfile and CreateMeetingRequest calls alternating, one
//   after the other, --pairs of each: latency p50 of both and their ratio.
//   A request writes the request, its indexes and its notification in one
//   synced write; a profile its record and change-log entry.
// - delivery: --deliveries requests to one member whose webhook is a local
//   HTTP receiver (cpp-httplib, answering 200). The receiver holds its
//   first answer until every request is written, so the outbox is full when
//   the clock starts; then notifications delivered per second (signed,
//   sent, answered, cursor written) until the last arrives.
// - shown: FindPartners (top 20 with explanations) for one member among 200
//   FEDERATION partners of another chamber, half of them anonymous,
//   alternating the member's own token (every answer passes the Disclosure
//   pass: each partner read, the anonymous ones checked for a reveal and
//   shown by handle) and an operator's (the pass is skipped), --pairs of
//   each: latency p50 of both and their ratio.
// Prints the median of the rounds.
#include <atomic>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bench/bench_support.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "httplib.h"
#include "services/server.h"
#include "socio/v1/admin_service.grpc.pb.h"
#include "socio/v1/engagement_service.grpc.pb.h"
#include "socio/v1/match_service.grpc.pb.h"
#include "socio/v1/notification.grpc.pb.h"
#include "socio/v1/profile_service.grpc.pb.h"

namespace socio::bench {
namespace {

using google::protobuf::util::TimeUtil;

void Check(bool ok, const std::string& what) {
  if (ok) return;
  std::fprintf(stderr, "socio-bench-engagement: %s\n", what.c_str());
  std::exit(1);
}

struct Figures {
  double profile_create_p50_ms = 0;
  double request_create_p50_ms = 0;
  double deliveries_per_second = 0;
  double find_as_member_p50_ms = 0;
  double find_as_operator_p50_ms = 0;
};

class Client {
 public:
  Client(const std::string& address, std::string token) : token_(std::move(token)) {
    auto channel = grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
    profiles_ = socio::v1::ProfileService::NewStub(channel);
    engagement_ = socio::v1::EngagementService::NewStub(channel);
    notifications_ = socio::v1::NotificationService::NewStub(channel);
    matches_ = socio::v1::MatchService::NewStub(channel);
    admin_ = socio::v1::AdminService::NewStub(channel);
  }

  // A partner for the shown phase: offers distribution in Germany.
  void CreatePartner(const std::string& id, bool anonymous) {
    socio::v1::CreateProfileRequest r;
    socio::v1::Profile* p = r.mutable_profile();
    p->set_id(id);
    p->set_chamber_id("camara-santiago");
    p->set_name(absl::StrCat("Distribuidora ", id));
    p->set_country("CL");
    p->set_city("Santiago");
    p->add_sectors("46.69");
    p->add_languages("es");
    socio::v1::Objective* o = p->add_objectives();
    o->set_type(socio::v1::Objective::DISTRIBUTION);
    o->set_direction(socio::v1::Objective::OFFER);
    o->add_sectors("28.1");
    p->add_target_markets("DE");
    p->set_visibility(socio::v1::Profile::FEDERATION);
    p->set_anonymous(anonymous);
    socio::v1::Profile out;
    grpc::Status status = profiles_->CreateProfile(Context().get(), r, &out);
    Check(status.ok(), "create partner: " + status.error_message());
  }

  // The member of the shown phase: seeks distribution in Chile.
  void CreateSeeker(const std::string& id) {
    socio::v1::CreateProfileRequest r;
    socio::v1::Profile* p = r.mutable_profile();
    p->set_id(id);
    p->set_chamber_id("ihk");
    p->set_name("Huber Ventiltechnik");
    p->set_country("DE");
    p->add_sectors("28.14");
    p->add_languages("es");
    socio::v1::Objective* o = p->add_objectives();
    o->set_type(socio::v1::Objective::DISTRIBUTION);
    o->set_direction(socio::v1::Objective::SEEK);
    o->add_markets("CL");
    p->add_target_markets("CL");
    p->set_visibility(socio::v1::Profile::FEDERATION);
    socio::v1::Profile out;
    grpc::Status status = profiles_->CreateProfile(Context().get(), r, &out);
    Check(status.ok(), "create member: " + status.error_message());
  }

  std::string MemberToken(const std::string& id) {
    socio::v1::IssueTokenRequest r;
    r.set_role(socio::v1::MEMBER);
    r.set_profile_id(id);
    socio::v1::IssueTokenResponse out;
    grpc::Status status = admin_->IssueToken(Context().get(), r, &out);
    Check(status.ok(), "issue a member token: " + status.error_message());
    return out.token();
  }

  // The call's time in milliseconds; `matches` is set to how many came back.
  double FindPartners(const std::string& member, int* matches) {
    socio::v1::FindPartnersRequest r;
    r.set_member_id(member);
    r.set_k(20);
    socio::v1::FindPartnersResponse out;
    const absl::Time start = absl::Now();
    grpc::Status status = matches_->FindPartners(Context().get(), r, &out);
    const double ms = absl::ToDoubleMilliseconds(absl::Now() - start);
    Check(status.ok(), "find partners: " + status.error_message());
    *matches = out.matches_size();
    return ms;
  }

  std::unique_ptr<grpc::ClientContext> Context() const {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
    context->AddMetadata("authorization", "Bearer " + token_);
    return context;
  }

  // The call's time in milliseconds.
  double CreateProfile(const std::string& id, const std::string& chamber,
                       const std::string& country) {
    socio::v1::CreateProfileRequest r;
    r.mutable_profile()->set_id(id);
    r.mutable_profile()->set_chamber_id(chamber);
    r.mutable_profile()->set_name(absl::StrCat("Company ", id));
    r.mutable_profile()->set_country(country);
    r.mutable_profile()->add_sectors("28.14");
    r.mutable_profile()->set_visibility(socio::v1::Profile::FEDERATION);
    socio::v1::Profile out;
    const absl::Time start = absl::Now();
    grpc::Status status = profiles_->CreateProfile(Context().get(), r, &out);
    const double ms = absl::ToDoubleMilliseconds(absl::Now() - start);
    Check(status.ok(), "create profile: " + status.error_message());
    return ms;
  }

  double CreateRequest(const std::string& from, const std::string& to) {
    socio::v1::CreateMeetingRequestRequest r;
    r.mutable_request()->set_from_member_id(from);
    r.mutable_request()->set_to_ref(to);
    r.mutable_request()->set_message("We would like to meet at the fair.");
    socio::v1::TimeWindow* w = r.mutable_request()->add_proposed();
    const absl::Time start_time = absl::Now() + absl::Hours(48);
    *w->mutable_start_time() = TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(start_time));
    *w->mutable_end_time() =
        TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(start_time + absl::Minutes(30)));
    socio::v1::MeetingRequest out;
    const absl::Time start = absl::Now();
    grpc::Status status = engagement_->CreateMeetingRequest(Context().get(), r, &out);
    const double ms = absl::ToDoubleMilliseconds(absl::Now() - start);
    Check(status.ok(), "create request: " + status.error_message());
    return ms;
  }

  void SetWebhook(const std::string& recipient, const std::string& url) {
    socio::v1::SetNotificationSettingsRequest r;
    r.mutable_settings()->set_recipient(recipient);
    r.mutable_settings()->set_webhook_url(url);
    r.mutable_settings()->set_webhook_secret("benchmark-webhook-secret");
    socio::v1::NotificationSettings out;
    grpc::Status status = notifications_->SetNotificationSettings(Context().get(), r, &out);
    Check(status.ok(), "set webhook: " + status.error_message());
  }

 private:
  const std::string token_;
  std::unique_ptr<socio::v1::ProfileService::Stub> profiles_;
  std::unique_ptr<socio::v1::EngagementService::Stub> engagement_;
  std::unique_ptr<socio::v1::NotificationService::Stub> notifications_;
  std::unique_ptr<socio::v1::MatchService::Stub> matches_;
  std::unique_ptr<socio::v1::AdminService::Stub> admin_;
};

Figures Round(int pairs, int deliveries, int round) {
  ScratchDir dir;
  services::SociodOptions options{.data_dir = dir.Join("sociod"), .listen = "127.0.0.1:0"};
  options.log_level = services::LogLevel::kWarning;  // the request log would time the terminal
  options.delivery.initial_backoff = absl::Milliseconds(10);
  options.delivery.max_backoff = absl::Milliseconds(100);
  options.delivery.max_attempts = 100;
  absl::StatusOr<std::unique_ptr<services::Sociod>> server = services::Sociod::Start(options);
  Check(server.ok(), absl::StrCat("start sociod: ", server.status().ToString()));
  std::string token;
  std::getline(std::ifstream((*server)->admin_token_file()), token);
  Check(!token.empty(), "read the operator token");
  Client client((*server)->address(), token);

  // The webhook receiver: holds its first answer until the outbox is full.
  httplib::Server receiver;
  std::atomic<int> received = 0;
  absl::Notification written;
  absl::Time last_received;
  absl::Mutex mu;
  receiver.Post("/hook", [&](const httplib::Request&, httplib::Response& res) {
    written.WaitForNotification();
    {
      absl::MutexLock lock(&mu);
      last_received = absl::Now();
    }
    ++received;
    res.status = 200;
  });
  const int port = receiver.bind_to_any_port("127.0.0.1");
  Check(port > 0, "bind the webhook receiver");
  std::thread serving([&] { receiver.listen_after_bind(); });

  // Companies: requesters for both phases, one receiver each.
  client.CreateProfile("cl-latency", "camara-santiago", "CL");
  client.CreateProfile("cl-delivery", "camara-santiago", "CL");
  for (int i = 0; i < pairs; ++i) client.CreateProfile(absl::StrCat("r-", i), "ihk", "DE");
  for (int i = 0; i < deliveries; ++i) client.CreateProfile(absl::StrCat("d-", i), "ihk", "DE");
  client.SetWebhook("cl-delivery", absl::StrCat("http://127.0.0.1:", port, "/hook"));

  std::vector<double> profile_ms, request_ms;
  for (int i = 0; i < pairs; ++i) {
    profile_ms.push_back(client.CreateProfile(absl::StrCat("p-", i), "ihk", "DE"));
    request_ms.push_back(client.CreateRequest(absl::StrCat("r-", i), "cl-latency"));
  }
  for (int i = 0; i < deliveries; ++i) {
    client.CreateRequest(absl::StrCat("d-", i), "cl-delivery");
    if (i % 100 == 99) std::fprintf(stderr, "\rround %d: %d requests written", round, i + 1);
  }
  const absl::Time start = absl::Now();
  written.Notify();
  while (received < deliveries && absl::Now() - start < absl::Minutes(5)) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  Check(received >= deliveries, "not every notification reached the webhook in 5 minutes");
  std::fprintf(stderr, "\r%60s\r", "");
  Figures f;
  f.profile_create_p50_ms = Median(profile_ms);
  f.request_create_p50_ms = Median(request_ms);
  {
    absl::MutexLock lock(&mu);
    f.deliveries_per_second = deliveries / absl::ToDoubleSeconds(last_received - start);
  }
  receiver.stop();
  serving.join();

  // Shown: the same search as the member and as an operator, alternating.
  client.CreateSeeker("de-shown");
  for (int i = 0; i < 200; ++i) client.CreatePartner(absl::StrCat("cl-p", i), i % 2 == 0);
  Client as_member((*server)->address(), client.MemberToken("de-shown"));
  std::vector<double> member_ms, operator_ms;
  for (int i = 0; i < pairs; ++i) {
    int shown = 0, all = 0;
    member_ms.push_back(as_member.FindPartners("de-shown", &shown));
    operator_ms.push_back(client.FindPartners("de-shown", &all));
    Check(shown == 20 && all == 20, absl::StrCat("expected 20 matches, got ", shown, " and ", all));
  }
  f.find_as_member_p50_ms = Median(member_ms);
  f.find_as_operator_p50_ms = Median(operator_ms);
  (*server)->Shutdown(absl::Seconds(1));
  return f;
}

}  // namespace
}  // namespace socio::bench

int main(int argc, char** argv) {
  CLI::App app{"Meeting request creates beside profile creates; outbox delivery to a webhook"};
  int pairs = 300, deliveries = 1000, rounds = 3;
  bool json = false;
  app.add_option("--pairs", pairs, "profile and request creates timed, alternating")
      ->check(CLI::Range(10, 100000));
  app.add_option("--deliveries", deliveries, "notifications delivered to the webhook")
      ->check(CLI::Range(10, 100000));
  app.add_option("--rounds", rounds, "fresh servers; the median is printed")
      ->check(CLI::Range(1, 20));
  app.add_flag("--json", json, "one JSON object on stdout");
  CLI11_PARSE(app, argc, argv);

  std::vector<double> profile, request, ratio, rate, member, op, shown_ratio;
  for (int round = 1; round <= rounds; ++round) {
    const socio::bench::Figures f = socio::bench::Round(pairs, deliveries, round);
    profile.push_back(f.profile_create_p50_ms);
    request.push_back(f.request_create_p50_ms);
    ratio.push_back(f.request_create_p50_ms / f.profile_create_p50_ms);
    rate.push_back(f.deliveries_per_second);
    member.push_back(f.find_as_member_p50_ms);
    op.push_back(f.find_as_operator_p50_ms);
    shown_ratio.push_back(f.find_as_member_p50_ms / f.find_as_operator_p50_ms);
  }
  using socio::bench::Median;
  if (json) {
    std::printf(
        "{\"rounds\": %d, \"pairs\": %d, \"deliveries\": %d, \"profile_create_p50_ms\": %.3f, "
        "\"request_create_p50_ms\": %.3f, \"request_over_profile\": %.2f, "
        "\"webhook_deliveries_per_second\": %.0f, \"find_as_member_p50_ms\": %.3f, "
        "\"find_as_operator_p50_ms\": %.3f, \"member_over_operator\": %.2f}\n",
        rounds, pairs, deliveries, Median(profile), Median(request), Median(ratio), Median(rate),
        Median(member), Median(op), Median(shown_ratio));
  } else {
    std::printf(
        "create (median of %d rounds, %d of each, alternating)\n"
        "  CreateProfile p50          %.3f ms\n"
        "  CreateMeetingRequest p50   %.3f ms (%.2fx)\n"
        "outbox to webhook            %.0f notifications/s (%d, one receiver on loopback)\n"
        "FindPartners top 20 among 200 partners, half anonymous (alternating)\n"
        "  as an operator p50         %.3f ms (the Disclosure pass skipped)\n"
        "  as the member p50          %.3f ms (%.2fx: every answer shown through it)\n",
        rounds, pairs, Median(profile), Median(request), Median(ratio), Median(rate), deliveries,
        Median(op), Median(member), Median(shown_ratio));
  }
  return 0;
}
