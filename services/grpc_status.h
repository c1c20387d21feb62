// The services' names for the status translation in clients/grpc_status.h
// (services -> clients is an allowed arrow; the reverse is not).
#ifndef SOCIO_SERVICES_GRPC_STATUS_H_
#define SOCIO_SERVICES_GRPC_STATUS_H_

#include "clients/grpc_status.h"

namespace socio::services {

using clients::FromGrpcStatus;
using clients::ToGrpcStatus;

}  // namespace socio::services

#endif  // SOCIO_SERVICES_GRPC_STATUS_H_
