// ReadStream: one server-streaming call (WatchProfiles, WatchNotifications):
// the messages as they come, until Finish or Cancel.
//
//   absl::StatusOr<std::unique_ptr<ReadStream<Notification>>> stream =
//       client.WatchNotifications(request);
//   Notification n;
//   while ((*stream)->Read(&n)) { ... }
//   absl::Status why = (*stream)->Finish();
//
// Not thread-safe, except Cancel, which may be called from any thread.
#ifndef SOCIO_CLIENTS_READ_STREAM_H_
#define SOCIO_CLIENTS_READ_STREAM_H_

#include <map>
#include <memory>
#include <utility>

#include "absl/status/status.h"
#include "clients/grpc_status.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/sync_stream.h"

namespace socio::clients {

template <typename Message>
class ReadStream {
 public:
  ReadStream(std::unique_ptr<grpc::ClientContext> context,
             std::unique_ptr<grpc::ClientReader<Message>> reader)
      : context_(std::move(context)), reader_(std::move(reader)) {}

  // Blocks until the server sent its initial metadata (or the call ended).
  void WaitForInitialMetadata() { reader_->WaitForInitialMetadata(); }
  // The server's initial metadata; valid after WaitForInitialMetadata or a Read.
  const std::multimap<grpc::string_ref, grpc::string_ref>& initial_metadata() const {
    return context_->GetServerInitialMetadata();
  }
  // The next message; false once the stream ended (Finish says why).
  bool Read(Message* message) { return reader_->Read(message); }
  // Ends the call from this side; Finish then answers CANCELLED.
  void Cancel() { context_->TryCancel(); }
  // How the call ended. Call once, after Read returned false or Cancel.
  absl::Status Finish() { return FromGrpcStatus(reader_->Finish()); }

 private:
  const std::unique_ptr<grpc::ClientContext> context_;
  const std::unique_ptr<grpc::ClientReader<Message>> reader_;
};

}  // namespace socio::clients

#endif  // SOCIO_CLIENTS_READ_STREAM_H_
