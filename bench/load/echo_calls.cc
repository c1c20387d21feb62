#include "bench/load/echo_calls.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "google/protobuf/io/coded_stream.h"

namespace socio::bench {
namespace {

using google::protobuf::io::CodedOutputStream;

constexpr auto kCallDeadline = std::chrono::seconds(30);

// How long a payload (bytes field 1) makes a message `message_bytes` long
// when its other fields take `other_bytes`: the field costs a tag byte and
// its length's varint beside the payload.
int PayloadBytes(int message_bytes, int other_bytes) {
  const auto field_bytes = [](int payload) {
    return 1 + static_cast<int>(CodedOutputStream::VarintSize32(payload)) + payload;
  };
  int payload = message_bytes - other_bytes - 2;
  while (payload > 0 && other_bytes + field_bytes(payload) > message_bytes) --payload;
  return std::max(payload, 0);
}

}  // namespace

EchoCalls::EchoCalls(const std::shared_ptr<grpc::Channel>& channel, std::vector<EchoShape> shapes,
                     int slots, uint64_t seed)
    : stub_(socio::bench::v1::EchoService::NewStub(channel)),
      shapes_(std::move(shapes)),
      slots_(slots) {
  for (const EchoShape& shape : shapes_) {
    socio::bench::v1::EchoRequest& request = requests_.emplace_back();
    request.set_reply_bytes(PayloadBytes(shape.reply_bytes, 0));
    const int other_bytes = static_cast<int>(request.ByteSizeLong());
    request.mutable_payload()->assign(PayloadBytes(shape.request_bytes, other_bytes), 'r');
  }
  // Each slot draws its own sequence, the same for the same seed.
  for (size_t i = 0; i < slots_.size(); ++i) slots_[i].random.seed(seed * 1000003 + i);
}

std::vector<std::string> EchoCalls::KindNames() const {
  std::vector<std::string> names;
  for (const EchoShape& shape : shapes_) names.push_back(shape.name);
  return names;
}

int EchoCalls::ShapeFor(int draw) const {
  for (size_t i = 0; i < shapes_.size(); ++i) {
    draw -= shapes_[i].percent;
    if (draw < 0) return static_cast<int>(i);
  }
  return static_cast<int>(shapes_.size()) - 1;
}

void EchoCalls::Start(int index, std::function<void(const CallOutcome&)> done) {
  Slot& slot = slots_[index];
  // As in SocioCalls: replacing the finished call's context in its callback is allowed.
  slot.context = std::make_unique<grpc::ClientContext>();
  slot.context->set_deadline(std::chrono::system_clock::now() + kCallDeadline);
  const int shape = ShapeFor(std::uniform_int_distribution<int>(0, 99)(slot.random));
  const socio::bench::v1::EchoRequest& request = requests_[shape];
  slot.reply.Clear();
  stub_->async()->Echo(
      slot.context.get(), &request, &slot.reply,
      [&slot, &request, shape, done = std::move(done)](grpc::Status status) {
        done({.kind = shape,
              .code = status.error_code(),
              .request_bytes = static_cast<int64_t>(request.ByteSizeLong()),
              .response_bytes = status.ok() ? static_cast<int64_t>(slot.reply.ByteSizeLong()) : 0});
      });
}

}  // namespace socio::bench
