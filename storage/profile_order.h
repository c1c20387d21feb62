// What ProfileStore::List needs to find and order profiles the way staff
// look for them: a text query over names, ids and keywords, and an order other
// than by id.
//
//   absl::StatusOr<ProfileOrder> order = ProfileOrder::Parse("name desc");
//   absl::StatusOr<TextQuery> query = TextQuery::Parse("bajio salsas");
//   if (query->Matches(profile)) keys.push_back(order->KeyOf(profile));
//
// Pure; thread-safe.
#ifndef SOCIO_STORAGE_PROFILE_ORDER_H_
#define SOCIO_STORAGE_PROFILE_ORDER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "socio/v1/profile.pb.h"

namespace socio::storage {

// A name/id/keyword query: every word must occur, as a substring, in the
// profile's name, its id or one of its keywords, compared case- and
// accent-insensitively (reference::FoldLatin): "bajio salsa" matches
// "Salsas del Bajío S.A. de C.V.", "mx-10" the id "mx-1042".
class TextQuery {
 public:
  static constexpr size_t kMaxBytes = 200;
  static constexpr size_t kMaxWords = 8;

  // INVALID_ARGUMENT on "query" when `text` is longer than kMaxBytes or has
  // more than kMaxWords words. An empty (or blank) text matches every profile.
  static absl::StatusOr<TextQuery> Parse(absl::string_view text);

  bool empty() const { return words_.empty(); }
  bool Matches(const socio::v1::Profile& profile) const;

 private:
  std::vector<std::string> words_;  // folded
};

// An order for a list of profiles, as AIP-132's order_by writes it: "id"
// (also ""), "name", "country" (then name) or "update_time", each optionally
// followed by " desc". Names compare folded, so "Ärzte" sorts with "Arzte";
// ties go by id, in the same direction.
class ProfileOrder {
 public:
  // INVALID_ARGUMENT on "order_by" naming the keys it takes.
  static absl::StatusOr<ProfileOrder> Parse(absl::string_view order_by);

  // Whether this is the store's own order (ascending id).
  bool by_id() const { return key_ == Key::kId && !descending_; }
  bool descending() const { return descending_; }

  // The profile's place in this order: positions compare as strings, in
  // ascending order (reversed when descending()). Contains no NUL byte
  // when the profile's name and id contain none.
  std::string PositionOf(const socio::v1::Profile& profile) const;

  // Whether position `a` comes before `b` in this order.
  bool Before(absl::string_view a, absl::string_view b) const {
    return descending_ ? b < a : a < b;
  }

 private:
  enum class Key { kId, kName, kCountry, kUpdateTime };
  ProfileOrder(Key key, bool descending) : key_(key), descending_(descending) {}

  Key key_;
  bool descending_;
};

}  // namespace socio::storage

#endif  // SOCIO_STORAGE_PROFILE_ORDER_H_
