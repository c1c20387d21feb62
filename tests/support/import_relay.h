// ImportRelay: a gRPC server on a loopback port the kernel picks that passes
// ProfileService.ImportProfiles streams on to a real sociod, losing or
// spoiling one message on the way, as a faulty proxy or a buggy client
// would. A test points a client at it to see what the client makes of a
// server that read less than it sent.
//
//   ImportRelay relay(server->address(), /*message=*/2, ImportRelay::Fault::kDrop);
//   ASSERT_THAT(relay.Start(), IsOk());
//   ... socio --server relay.address() profiles import members.csv ...
//
// Only ImportProfiles is relayed (other methods are UNIMPLEMENTED); the
// caller's authorization header goes along, and the upstream's answer comes
// back as it is.
#ifndef SOCIO_TESTS_SUPPORT_IMPORT_RELAY_H_
#define SOCIO_TESTS_SUPPORT_IMPORT_RELAY_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "grpcpp/server.h"

namespace socio::testing {

class ImportRelay {
 public:
  enum class Fault {
    kDrop,   // the message is not passed on
    kSpoil,  // its first profile's name is made invalid UTF-8: it does not parse
  };

  // `message` counts the stream's messages from 1.
  ImportRelay(std::string upstream, int message, Fault fault);
  ~ImportRelay();

  absl::Status Start();
  // "127.0.0.1:PORT"; REQUIRES: Start() succeeded.
  std::string address() const;

 private:
  class Service;
  std::unique_ptr<Service> service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

}  // namespace socio::testing

#endif  // SOCIO_TESTS_SUPPORT_IMPORT_RELAY_H_
