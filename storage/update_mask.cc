#include "storage/update_mask.h"

#include <string>
#include <vector>

#include "absl/algorithm/container.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"

namespace socio::storage {

using google::protobuf::FieldDescriptor;
using google::protobuf::FieldMask;

absl::StatusOr<FieldMask> ResolveUpdateMask(
    const google::protobuf::Message& patch, const FieldMask& mask, absl::string_view resource,
    const std::function<bool(absl::string_view)>& writable) {
  const bool replace_all = absl::c_linear_search(mask.paths(), kReplaceAll);
  if (replace_all && mask.paths_size() > 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("update_mask: '", kReplaceAll, "' replaces every field and stands alone"));
  }
  if (!mask.paths().empty() && !replace_all) return mask;
  FieldMask resolved;
  if (replace_all) {
    const google::protobuf::Descriptor& descriptor = *patch.GetDescriptor();
    for (int i = 0; i < descriptor.field_count(); ++i) {
      const std::string& name = descriptor.field(i)->name();
      if (writable(name)) resolved.add_paths(name);
    }
    return resolved;
  }
  std::vector<const FieldDescriptor*> set;
  patch.GetReflection()->ListFields(patch, &set);
  for (const FieldDescriptor* field : set) {
    if (writable(field->name())) resolved.add_paths(field->name());
  }
  if (resolved.paths().empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "update_mask: empty, and the ", resource,
        " sets no field to write; name the fields to change (a field named but not set is "
        "cleared), or '",
        kReplaceAll, "' to replace them all"));
  }
  return resolved;
}

bool UpdateWrites(const google::protobuf::Message& patch, const FieldMask& mask,
                  absl::string_view name) {
  absl::StatusOr<FieldMask> resolved =
      ResolveUpdateMask(patch, mask, "", [name](absl::string_view field) { return field == name; });
  return resolved.ok() && absl::c_linear_search(resolved->paths(), name);
}

}  // namespace socio::storage
