// Calls to a server with tokens on, for tests: a context that carries a
// bearer token, and a token issued with an operator's.
//
//   auto context = socio::testing::WithToken(staff_token);
//   std::string member = socio::testing::IssueToken(*admin_stub, admin_token,
//                                                   socio::v1::MEMBER, "", "de-1");
#ifndef SOCIO_TESTS_SUPPORT_TOKEN_CALLS_H_
#define SOCIO_TESTS_SUPPORT_TOKEN_CALLS_H_

#include <memory>
#include <string>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "socio/v1/admin_service.grpc.pb.h"

namespace socio::testing {

// A call context with `deadline` that sends `token` ("" sends none).
inline std::unique_ptr<grpc::ClientContext> WithToken(const std::string& token,
                                                      absl::Duration deadline = absl::Seconds(20)) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + deadline));
  if (!token.empty()) context->AddMetadata("authorization", "Bearer " + token);
  return context;
}

// A new token of `role` for `chamber` (STAFF) or `profile` (MEMBER), issued
// with `admin_token`; "" (and a test failure) if the server refuses.
inline std::string IssueToken(socio::v1::AdminService::Stub& admin, const std::string& admin_token,
                              socio::v1::Role role, const std::string& chamber,
                              const std::string& profile) {
  socio::v1::IssueTokenRequest request;
  request.set_role(role);
  request.set_chamber_id(chamber);
  request.set_profile_id(profile);
  socio::v1::IssueTokenResponse response;
  grpc::Status status = admin.IssueToken(WithToken(admin_token).get(), request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return response.token();
}

}  // namespace socio::testing

#endif  // SOCIO_TESTS_SUPPORT_TOKEN_CALLS_H_
