// Encodings the stores share: sequence numbers as keys that sort as numbers,
// and times as the API's Timestamps.
#ifndef SOCIO_STORAGE_INTERNAL_ENCODING_H_
#define SOCIO_STORAGE_INTERNAL_ENCODING_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/time_util.h"

namespace socio::storage::internal {

// `sequence` as 8 bytes big-endian, so that keys sort numerically.
inline std::string SequenceKey(uint64_t sequence) {
  std::string key(8, '\0');
  for (int i = 7; i >= 0; --i) {
    key[i] = static_cast<char>(sequence & 0xFF);
    sequence >>= 8;
  }
  return key;
}

// The sequence of a key SequenceKey made (its first 8 bytes).
inline uint64_t DecodeSequenceKey(absl::string_view key) {
  uint64_t sequence = 0;
  for (size_t i = 0; i < key.size() && i < 8; ++i) {
    sequence = (sequence << 8) | static_cast<unsigned char>(key[i]);
  }
  return sequence;
}

inline google::protobuf::Timestamp ToTimestamp(absl::Time t) {
  return google::protobuf::util::TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(t));
}

inline absl::Time TimeOf(const google::protobuf::Timestamp& t) {
  return absl::FromUnixNanos(google::protobuf::util::TimeUtil::TimestampToNanoseconds(t));
}

}  // namespace socio::storage::internal

#endif  // SOCIO_STORAGE_INTERNAL_ENCODING_H_
