#include "services/request_parse_guard.h"

#include "absl/strings/match.h"
#include "grpcpp/support/status.h"

namespace socio::services {
namespace {

using grpc::experimental::InterceptionHookPoints;
using grpc::experimental::ServerRpcInfo;

// Lives as long as its call.
class RequestParseGuard final : public grpc::experimental::Interceptor {
 public:
  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    // The synchronous server hands the parsed request to the interceptors
    // before the handler; nullptr when it did not parse.
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE) &&
        methods->GetRecvMessage() == nullptr) {
      unparsed_ = true;
    }
    if (unparsed_ && methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS) &&
        methods->GetSendStatus().error_code() == grpc::StatusCode::INTERNAL) {
      methods->ModifySendStatus(
          grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, kUnparsableRequestMessage));
    }
    methods->Proceed();
  }

 private:
  bool unparsed_ = false;  // hooks of one call run one at a time
};

}  // namespace

grpc::experimental::Interceptor* RequestParseGuardFactory::CreateServerInterceptor(
    ServerRpcInfo* info) {
  // A client stream's handler reads its messages itself (nullptr there is
  // also the stream's end); bidirectional streams likewise.
  const bool request_parsed_by_grpc = info->type() == ServerRpcInfo::Type::UNARY ||
                                      info->type() == ServerRpcInfo::Type::SERVER_STREAMING;
  if (!request_parsed_by_grpc || info->method() == nullptr ||
      !absl::StartsWith(info->method(), "/socio.v1.")) {
    return nullptr;
  }
  return new RequestParseGuard();
}

}  // namespace socio::services
