// Translation between absl::Status, which every library below services/
// speaks, and grpc::Status, done once here at the edge.
#ifndef SOCIO_SERVICES_GRPC_STATUS_H_
#define SOCIO_SERVICES_GRPC_STATUS_H_

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace socio::services {

// Same code, same message. The canonical codes of both libraries agree.
grpc::Status ToGrpcStatus(const absl::Status& status);

// The reverse, for code that calls other gRPC services.
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace socio::services

#endif  // SOCIO_SERVICES_GRPC_STATUS_H_
