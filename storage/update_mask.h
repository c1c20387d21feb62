// What an update writes, by AIP-134: the fields its mask names; without a
// mask, the fields the request sets; with the mask "*", every writable field
// (a full replace).
//
//   absl::StatusOr<FieldMask> mask =
//       ResolveUpdateMask(patch, request.update_mask(), "profile", IsWritable);
//   FieldMaskUtil::MergeMessageTo(patch, *mask, replace_options, &stored);
//
// "Sets" is proto3 presence at the top level: a non-default scalar, a
// non-empty repeated field, a message that is there. So without a mask an
// update cannot clear a field; a client that means to clears it by naming it.
#ifndef SOCIO_STORAGE_UPDATE_MASK_H_
#define SOCIO_STORAGE_UPDATE_MASK_H_

#include <functional>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/message.h"

namespace socio::storage {

// The mask "*": replace every writable field.
inline constexpr absl::string_view kReplaceAll = "*";

// The paths an update of `patch` with `mask` writes. `writable` says which
// top-level fields a client may write (not the id, not output-only ones);
// the others are left out of an empty or "*" mask (a named one is the
// caller's to refuse). INVALID_ARGUMENT "update_mask: ..." if "*" comes with
// other paths, or if the mask is empty and `patch` sets no writable field
// (`resource` names the patch in the message: "profile").
absl::StatusOr<google::protobuf::FieldMask> ResolveUpdateMask(
    const google::protobuf::Message& patch, const google::protobuf::FieldMask& mask,
    absl::string_view resource, const std::function<bool(absl::string_view)>& writable);

// Whether an update of `patch` with `mask` writes the top-level field
// `name` (for checks made before the write, such as a move to another
// chamber).
bool UpdateWrites(const google::protobuf::Message& patch, const google::protobuf::FieldMask& mask,
                  absl::string_view name);

}  // namespace socio::storage

#endif  // SOCIO_STORAGE_UPDATE_MASK_H_
