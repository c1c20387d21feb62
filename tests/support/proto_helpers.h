// Small builders tests of stores and services share.
#ifndef SOCIO_TESTS_SUPPORT_PROTO_HELPERS_H_
#define SOCIO_TESTS_SUPPORT_PROTO_HELPERS_H_

#include <initializer_list>
#include <string>
#include <vector>

#include "google/protobuf/field_mask.pb.h"

namespace socio::testing {

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

}  // namespace socio::testing

#endif  // SOCIO_TESTS_SUPPORT_PROTO_HELPERS_H_
