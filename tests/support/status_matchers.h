// GoogleTest matchers for absl::Status and absl::StatusOr, which our Abseil
// does not ship:
//
//   EXPECT_THAT(store->Get("x"), StatusIs(absl::StatusCode::kNotFound));
//   EXPECT_THAT(store->Create(p), StatusIs(absl::StatusCode::kInvalidArgument,
//                                          HasSubstr("profile.country")));
//   ASSERT_THAT(result, IsOk());
//   ASSIGN_OR_FAIL(Profile p, store->Get("x"));
//
// and, for a grpc::Status, ASSERT_RPC_OK(stub->GetProfile(&context, request, &profile)).
#ifndef SOCIO_TESTS_SUPPORT_STATUS_MATCHERS_H_
#define SOCIO_TESTS_SUPPORT_STATUS_MATCHERS_H_

#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"

namespace socio::testing {

inline const absl::Status& GetStatus(const absl::Status& status) { return status; }
template <typename T>
const absl::Status& GetStatus(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}

MATCHER_P2(StatusIs, code, message_matcher,
           absl::StrCat("has code ", absl::StatusCodeToString(code))) {
  const absl::Status& status = GetStatus(arg);
  *result_listener << "whose status is " << status;
  return status.code() == code &&
         ::testing::ExplainMatchResult(message_matcher, std::string(status.message()),
                                       result_listener);
}

MATCHER_P(StatusIs, code, absl::StrCat("has code ", absl::StatusCodeToString(code))) {
  const absl::Status& status = GetStatus(arg);
  *result_listener << "whose status is " << status;
  return status.code() == code;
}

MATCHER(IsOk, "is OK") {
  const absl::Status& status = GetStatus(arg);
  *result_listener << "whose status is " << status;
  return status.ok();
}

}  // namespace socio::testing

#define SOCIO_CONCAT_INNER_(a, b) a##b
#define SOCIO_CONCAT_(a, b) SOCIO_CONCAT_INNER_(a, b)

// Declares `lhs` from a StatusOr expression, or fails the test and returns.
#define ASSIGN_OR_FAIL(lhs, expr) \
  ASSIGN_OR_FAIL_IMPL_(SOCIO_CONCAT_(status_or_, __LINE__), lhs, expr)
#define ASSIGN_OR_FAIL_IMPL_(tmp, lhs, expr)              \
  auto tmp = (expr);                                      \
  ASSERT_TRUE(tmp.ok()) << #expr << ": " << tmp.status(); \
  lhs = *std::move(tmp)

// Fails the test, printing the code and message, unless the grpc::Status
// `status` is OK.
#define ASSERT_RPC_OK(status) \
  ASSERT_TRUE((status).ok()) << (status).error_code() << ": " << (status).error_message()

#endif  // SOCIO_TESTS_SUPPORT_STATUS_MATCHERS_H_
