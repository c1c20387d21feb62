// One page of a list a store keeps as keys under a prefix, resumed from a
// page token (page_token.h) that carries the last key read. The stores'
// List calls are this loop with what they keep of each entry.
//
//   return internal::KeyPage<Reveal>(
//       *db, family, prefix, {.kind = "reveals", .filters = {id}, .mismatch = "profile_id"},
//       size, page_token, "read reveals",
//       [&](absl::string_view key, absl::string_view value)
//           -> absl::StatusOr<std::optional<Reveal>> { ... });
#ifndef SOCIO_STORAGE_INTERNAL_KEY_PAGE_H_
#define SOCIO_STORAGE_INTERNAL_KEY_PAGE_H_

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "rocksdb/db.h"
#include "storage/internal/page_token.h"
#include "storage/internal/rocksdb_status.h"
#include "storage/internal/slices.h"

namespace socio::storage::internal {

// What a page token is made for: the list's kind, the filters of its first
// page and how a mismatch is named (see DecodeKeyPageToken).
struct KeyPageToken {
  absl::string_view kind;
  std::vector<std::string> filters;
  absl::string_view mismatch;
};

// Up to `page_size` items (REQUIRES: > 0) from the entries of `family`
// whose keys start with `prefix`, in key order, after the key `page_token`
// carries (from the first entry when empty), and the next page's token:
// given only when one more entry yields an item. `keep(key, value)` makes an
// entry's item, nullopt to leave the entry out, or an error that ends the
// list. INVALID_ARGUMENT for a token of another kind or filters; errors of
// the read named by `what` ("read reveals").
template <typename Item, typename Keep>
absl::StatusOr<std::pair<std::vector<Item>, std::string>> KeyPage(
    rocksdb::DB& db, rocksdb::ColumnFamilyHandle* family, absl::string_view prefix,
    const KeyPageToken& token, int page_size, absl::string_view page_token, absl::string_view what,
    const Keep& keep) {
  std::string start(prefix);
  if (!page_token.empty()) {
    absl::StatusOr<std::string> last =
        DecodeKeyPageToken(page_token, token.kind, token.filters, token.mismatch);
    if (!last.ok()) return last.status();
    start = *std::move(last);
    start.push_back('\0');
  }
  std::vector<Item> out;
  std::string next, last_key;
  std::unique_ptr<rocksdb::Iterator> it(db.NewIterator(rocksdb::ReadOptions(), family));
  for (it->Seek(start); it->Valid() && it->key().starts_with(ToSlice(prefix)); it->Next()) {
    absl::StatusOr<std::optional<Item>> item = keep(View(it->key()), View(it->value()));
    if (!item.ok()) return item.status();
    if (!item->has_value()) continue;
    if (static_cast<int>(out.size()) == page_size) {
      next = EncodeKeyPageToken(token.kind, token.filters, last_key);
      break;
    }
    out.push_back(**std::move(item));
    last_key = it->key().ToString();
  }
  if (absl::Status s = FromRocksDb(it->status(), what); !s.ok()) return s;
  return std::make_pair(std::move(out), std::move(next));
}

}  // namespace socio::storage::internal

#endif  // SOCIO_STORAGE_INTERNAL_KEY_PAGE_H_
