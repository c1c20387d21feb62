// Translation between absl::Status, which every library below services/ and
// clients/ speaks, and grpc::Status, written once for both edges: the
// services answer with ToGrpcStatus, the clients read answers with
// FromGrpcStatus. No server code: clients/ and the gateway link it alone.
#ifndef SOCIO_CLIENTS_GRPC_STATUS_H_
#define SOCIO_CLIENTS_GRPC_STATUS_H_

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace socio::clients {

// Same code, same message. The canonical codes of both libraries agree.
grpc::Status ToGrpcStatus(const absl::Status& status);

// The reverse, for code that calls gRPC services.
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace socio::clients

#endif  // SOCIO_CLIENTS_GRPC_STATUS_H_
