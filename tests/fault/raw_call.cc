#include "tests/fault/raw_call.h"

#include <memory>

#include "grpcpp/completion_queue.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/slice.h"

namespace socio::fault {
namespace {

// One operation at a time is outstanding, so one tag does.
void* const kTag = reinterpret_cast<void*>(1);

}  // namespace

RawAnswer RawCall(grpc::GenericStub& stub, const std::string& method,
                  const std::vector<std::string>& messages, const RawCallOptions& options) {
  RawAnswer answer;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + options.deadline);
  grpc::CompletionQueue cq;
  std::unique_ptr<grpc::GenericClientAsyncReaderWriter> call =
      stub.PrepareCall(&context, method, &cq);
  void* tag = nullptr;
  bool ok = false;
  const auto wait = [&] {
    ok = false;
    cq.Next(&tag, &ok);
    return ok;
  };

  call->StartCall(kTag);
  bool open = wait();
  for (const std::string& message : messages) {
    if (!open) break;  // the server has ended the call: Finish says how
    grpc::Slice slice(message);
    grpc::ByteBuffer buffer(&slice, 1);
    call->Write(buffer, kTag);
    open = wait();
  }
  if (open) {
    call->WritesDone(kTag);
    wait();
  }
  while (static_cast<int>(answer.responses.size()) < options.response_limit) {
    grpc::ByteBuffer response;
    call->Read(&response, kTag);
    ok = false;
    if (cq.AsyncNext(&tag, &ok, std::chrono::system_clock::now() + options.quiet) ==
        grpc::CompletionQueue::TIMEOUT) {
      context.TryCancel();  // an open stream with nothing more to say
      wait();               // the read ends, failed
    }
    if (!ok) break;
    std::vector<grpc::Slice> slices;
    if (!response.Dump(&slices).ok()) break;
    std::string bytes;
    for (const grpc::Slice& s : slices) {
      bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
    }
    answer.responses.push_back(std::move(bytes));
  }
  if (static_cast<int>(answer.responses.size()) == options.response_limit) context.TryCancel();
  call->Finish(&answer.status, kTag);
  wait();
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
  return answer;
}

}  // namespace socio::fault
