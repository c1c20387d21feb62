// RequestParseGuardFactory: the caller's INVALID_ARGUMENT, instead of gRPC's
// INTERNAL, for a Socio request that does not parse.
//
// gRPC's synchronous server parses a unary or server-streaming request before
// any handler runs; when protobuf refuses the bytes (a string field that is
// not valid UTF-8, a truncated or otherwise malformed message), gRPC 1.51
// answers INTERNAL with an empty message. The mistake is the caller's, so
// this interceptor rewrites that status to
//
//   INVALID_ARGUMENT "the request could not be parsed: a string field is not
//   valid UTF-8, or the message is malformed"
//
// Only methods of socio.v1 services are touched, and only calls whose request
// gRPC could not parse (it then never reached a handler, so no INTERNAL of
// ours is hidden). Client streams are left alone: a message that does not
// parse there ends the handler's reads like the end of the stream.
//
// Register it before any interceptor that reads the sent status (such as
// RequestInterceptorFactory), since interceptors see the status in the order
// they were registered:
//
//   creators.push_back(std::make_unique<RequestParseGuardFactory>());
//   creators.push_back(std::make_unique<RequestInterceptorFactory>(...));
//   builder.experimental().SetInterceptorCreators(std::move(creators));
#ifndef SOCIO_SERVICES_REQUEST_PARSE_GUARD_H_
#define SOCIO_SERVICES_REQUEST_PARSE_GUARD_H_

#include "grpcpp/support/server_interceptor.h"

namespace socio::services {

// The message of the INVALID_ARGUMENT status a request that does not parse gets.
inline constexpr char kUnparsableRequestMessage[] =
    "the request could not be parsed: a string field is not valid UTF-8, or the message is "
    "malformed";

// Stateless; one factory may serve any number of servers and threads.
class RequestParseGuardFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  // nullptr (no interceptor) for methods the guard does not watch.
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;
};

}  // namespace socio::services

#endif  // SOCIO_SERVICES_REQUEST_PARSE_GUARD_H_
