// Reads small numbers and choices from a fuzzer's bytes, front to back; once
// they run out every read gives the lowest value, so any input decodes.
#ifndef SOCIO_TESTS_FUZZ_BYTE_READER_H_
#define SOCIO_TESTS_FUZZ_BYTE_READER_H_

#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"

namespace socio::fuzz {

class ByteReader {
 public:
  ByteReader(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  uint8_t Byte() { return offset_ < size_ ? data_[offset_++] : 0; }
  // A number in [lo, hi], from one byte. REQUIRES: lo <= hi, hi - lo < 256.
  int Range(int lo, int hi) { return lo + Byte() % (hi - lo + 1); }
  // True in about `in_256` of 256 inputs.
  bool Chance(int in_256) { return Byte() < in_256; }
  // The bytes not read yet, as text; reads them all.
  absl::string_view Rest() {
    const absl::string_view rest(reinterpret_cast<const char*>(data_) + offset_,
                                 offset_ < size_ ? size_ - offset_ : 0);
    offset_ = size_;
    return rest;
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t offset_ = 0;
};

}  // namespace socio::fuzz

#endif  // SOCIO_TESTS_FUZZ_BYTE_READER_H_
