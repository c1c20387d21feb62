// Small builders tests of stores and services share.
#ifndef SOCIO_TESTS_SUPPORT_PROTO_HELPERS_H_
#define SOCIO_TESTS_SUPPORT_PROTO_HELPERS_H_

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/message.h"
#include "google/protobuf/unknown_field_set.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "socio/v1/match.pb.h"

namespace socio::testing {

// `json` (the proto JSON mapping) as a Message; a test failure naming the
// problem, and what parsed of it, when it does not parse.
template <typename Message>
Message FromJson(const std::string& json) {
  Message message;
  const auto status = google::protobuf::util::JsonStringToMessage(json, &message);
  EXPECT_TRUE(status.ok()) << status.ToString() << "\n" << json;
  return message;
}

// Every string field of `message`, at any depth, each followed by a newline,
// appended to `*out`: to look for a text anywhere in an answer (text format
// would escape what is not ASCII).
inline void CollectStrings(const google::protobuf::Message& message, std::string* out) {
  using google::protobuf::FieldDescriptor;
  const google::protobuf::Descriptor* descriptor = message.GetDescriptor();
  const google::protobuf::Reflection* reflection = message.GetReflection();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor* field = descriptor->field(i);
    if (field->is_repeated()) {
      for (int j = 0; j < reflection->FieldSize(message, field); ++j) {
        if (field->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
          out->append(reflection->GetRepeatedString(message, field, j)).append("\n");
        } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
          CollectStrings(reflection->GetRepeatedMessage(message, field, j), out);
        }
      }
    } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
      out->append(reflection->GetString(message, field)).append("\n");
    } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
               reflection->HasField(message, field)) {
      CollectStrings(reflection->GetMessage(message, field), out);
    }
  }
}

// A chamber's match policy weighting objective, market and sector 0.25.
inline socio::v1::MatchPolicy MakePolicy(std::string chamber_id, double objective = 0.5,
                                         double market = 0.25) {
  socio::v1::MatchPolicy policy;
  policy.set_chamber_id(std::move(chamber_id));
  policy.mutable_weights()->set_objective(objective);
  policy.mutable_weights()->set_market(market);
  policy.mutable_weights()->set_sector(0.25);
  return policy;
}

// A FieldMask naming `paths`.
inline google::protobuf::FieldMask Mask(std::initializer_list<const char*> paths) {
  google::protobuf::FieldMask mask;
  for (const char* path : paths) mask.add_paths(path);
  return mask;
}

// The ids of messages that have one, in order.
template <typename Message>
std::vector<std::string> Ids(const std::vector<Message>& messages) {
  std::vector<std::string> ids;
  for (const Message& m : messages) ids.push_back(m.id());
  return ids;
}

// Adds `bytes` to `*message` as field `number` (length-delimited), a field
// its type does not declare, as a newer or hostile client would send it.
inline void AddUnknownField(google::protobuf::Message* message, int number,
                            const std::string& bytes) {
  message->GetReflection()->MutableUnknownFields(message)->AddLengthDelimited(number, bytes);
}

// The unknown fields in `message` and every message inside it.
inline int CountUnknownFields(const google::protobuf::Message& message) {
  const google::protobuf::Reflection* reflection = message.GetReflection();
  int count = reflection->GetUnknownFields(message).field_count();
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const google::protobuf::FieldDescriptor* field : fields) {
    if (field->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) continue;
    if (field->is_repeated()) {
      for (int i = 0; i < reflection->FieldSize(message, field); ++i) {
        count += CountUnknownFields(reflection->GetRepeatedMessage(message, field, i));
      }
    } else {
      count += CountUnknownFields(reflection->GetMessage(message, field));
    }
  }
  return count;
}

}  // namespace socio::testing

#endif  // SOCIO_TESTS_SUPPORT_PROTO_HELPERS_H_
