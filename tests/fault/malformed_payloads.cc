#include "tests/fault/malformed_payloads.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "google/protobuf/message.h"
#include "socio/v1/admin_service.grpc.pb.h"
#include "socio/v1/analytics_service.grpc.pb.h"
#include "socio/v1/chamber_service.grpc.pb.h"
#include "socio/v1/delegation_service.grpc.pb.h"
#include "socio/v1/exchange_service.grpc.pb.h"
#include "socio/v1/match_service.grpc.pb.h"
#include "socio/v1/outcome_service.grpc.pb.h"
#include "socio/v1/partnership_service.grpc.pb.h"
#include "socio/v1/profile_service.grpc.pb.h"

namespace socio::fault {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

constexpr int kMaxDepth = 3;

std::unique_ptr<Message> NewRequest(const RpcMethod& method) {
  return std::unique_ptr<Message>(google::protobuf::MessageFactory::generated_factory()
                                      ->GetPrototype(method.descriptor->input_type())
                                      ->New());
}

void Fill(Message* message, int depth) {
  const Reflection* reflection = message->GetReflection();
  const google::protobuf::Descriptor* type = message->GetDescriptor();
  for (int i = 0; i < type->field_count(); ++i) {
    const FieldDescriptor* field = type->field(i);
    const int copies = field->is_repeated() ? 2 : 1;
    for (int c = 0; c < copies; ++c) {
      const bool repeated = field->is_repeated();
      switch (field->cpp_type()) {
        case FieldDescriptor::CPPTYPE_STRING: {
          std::string value = absl::StrCat("x", c + 1);
          repeated ? reflection->AddString(message, field, value)
                   : reflection->SetString(message, field, value);
          break;
        }
        case FieldDescriptor::CPPTYPE_INT32:
          repeated ? reflection->AddInt32(message, field, 1)
                   : reflection->SetInt32(message, field, 1);
          break;
        case FieldDescriptor::CPPTYPE_INT64:
          repeated ? reflection->AddInt64(message, field, 1)
                   : reflection->SetInt64(message, field, 1);
          break;
        case FieldDescriptor::CPPTYPE_UINT32:
          repeated ? reflection->AddUInt32(message, field, 1)
                   : reflection->SetUInt32(message, field, 1);
          break;
        case FieldDescriptor::CPPTYPE_UINT64:
          repeated ? reflection->AddUInt64(message, field, 1)
                   : reflection->SetUInt64(message, field, 1);
          break;
        case FieldDescriptor::CPPTYPE_DOUBLE:
          repeated ? reflection->AddDouble(message, field, 0.5)
                   : reflection->SetDouble(message, field, 0.5);
          break;
        case FieldDescriptor::CPPTYPE_FLOAT:
          repeated ? reflection->AddFloat(message, field, 0.5f)
                   : reflection->SetFloat(message, field, 0.5f);
          break;
        case FieldDescriptor::CPPTYPE_BOOL:
          repeated ? reflection->AddBool(message, field, true)
                   : reflection->SetBool(message, field, true);
          break;
        case FieldDescriptor::CPPTYPE_ENUM: {
          const auto* value =
              field->enum_type()->value(field->enum_type()->value_count() > 1 ? 1 : 0);
          repeated ? reflection->AddEnum(message, field, value)
                   : reflection->SetEnum(message, field, value);
          break;
        }
        case FieldDescriptor::CPPTYPE_MESSAGE:
          if (depth < kMaxDepth) {
            Fill(repeated ? reflection->AddMessage(message, field)
                          : reflection->MutableMessage(message, field),
                 depth + 1);
          }
          break;
      }
    }
  }
}

}  // namespace

std::vector<RpcMethod> SocioMethods() {
  // Through a request type of each file, so the files' descriptors are linked in.
  const std::vector<const google::protobuf::ServiceDescriptor*> services = {
      socio::v1::CreateProfileRequest::descriptor()->file()->FindServiceByName("ProfileService"),
      socio::v1::FindPartnersRequest::descriptor()->file()->FindServiceByName("MatchService"),
      socio::v1::CreateDelegationRequest::descriptor()->file()->FindServiceByName(
          "DelegationService"),
      socio::v1::WhoAmIRequest::descriptor()->file()->FindServiceByName("AdminService"),
      socio::v1::RecordOutcomeRequest::descriptor()->file()->FindServiceByName("OutcomeService"),
      socio::v1::CreatePartnershipRequest::descriptor()->file()->FindServiceByName(
          "PartnershipService"),
      socio::v1::GetAnalyticsRequest::descriptor()->file()->FindServiceByName("AnalyticsService"),
      socio::v1::CreateExchangeRequest::descriptor()->file()->FindServiceByName("ExchangeService"),
      socio::v1::CreateChamberRequest::descriptor()->file()->FindServiceByName("ChamberService")};
  std::vector<RpcMethod> methods;
  for (const auto* service : services) {
    for (int i = 0; i < service->method_count(); ++i) {
      const auto* method = service->method(i);
      methods.push_back({absl::StrCat("/", service->full_name(), "/", method->name()), method});
    }
  }
  return methods;
}

std::string FilledRequest(const RpcMethod& method) {
  std::unique_ptr<Message> request = NewRequest(method);
  Fill(request.get(), 0);
  return request->SerializeAsString();
}

bool Parses(const RpcMethod& method, const std::string& bytes) {
  return NewRequest(method)->ParseFromString(bytes);
}

std::string RandomBytes(std::mt19937_64& rng, size_t size) {
  std::string bytes(size, '\0');
  for (char& c : bytes) c = static_cast<char>(rng());
  return bytes;
}

}  // namespace socio::fault
