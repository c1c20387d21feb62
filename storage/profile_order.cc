#include "storage/profile_order.h"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "reference/text_fold.h"

namespace socio::storage {

absl::StatusOr<TextQuery> TextQuery::Parse(absl::string_view text) {
  if (text.size() > kMaxBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("query: ", text.size(), " bytes, more than the ", kMaxBytes, " it may have"));
  }
  TextQuery query;
  for (absl::string_view word :
       absl::StrSplit(text, absl::ByAnyChar(" \t\r\n"), absl::SkipEmpty())) {
    query.words_.push_back(reference::FoldLatin(word));
  }
  if (query.words_.size() > kMaxWords) {
    return absl::InvalidArgumentError(absl::StrCat(
        "query: ", query.words_.size(), " words, more than the ", kMaxWords, " it may have"));
  }
  return query;
}

bool TextQuery::Matches(const socio::v1::Profile& profile) const {
  if (words_.empty()) return true;
  const std::string name = reference::FoldLatin(profile.name());
  const std::string id = reference::FoldLatin(profile.id());
  std::vector<std::string> keywords;
  keywords.reserve(profile.keywords_size());
  for (const std::string& keyword : profile.keywords()) {
    keywords.push_back(reference::FoldLatin(keyword));
  }
  return std::all_of(words_.begin(), words_.end(), [&](const std::string& word) {
    return absl::StrContains(name, word) || absl::StrContains(id, word) ||
           std::any_of(keywords.begin(), keywords.end(),
                       [&](const std::string& k) { return absl::StrContains(k, word); });
  });
}

absl::StatusOr<ProfileOrder> ProfileOrder::Parse(absl::string_view order_by) {
  std::vector<absl::string_view> words = absl::StrSplit(order_by, ' ', absl::SkipWhitespace());
  const bool descending = words.size() == 2 && words[1] == "desc";
  const bool ascending = words.size() == 2 && words[1] == "asc";
  if (words.empty()) return ProfileOrder(Key::kId, false);
  if (words.size() <= 2 && (words.size() == 1 || descending || ascending)) {
    if (words[0] == "id") return ProfileOrder(Key::kId, descending);
    if (words[0] == "name") return ProfileOrder(Key::kName, descending);
    if (words[0] == "country") return ProfileOrder(Key::kCountry, descending);
    if (words[0] == "update_time") return ProfileOrder(Key::kUpdateTime, descending);
  }
  return absl::InvalidArgumentError(
      absl::StrCat("order_by: '", order_by,
                   "' is not one of id, name, country, update_time (each optionally followed by "
                   "' desc')"));
}

std::string ProfileOrder::PositionOf(const socio::v1::Profile& profile) const {
  // Each key is followed by a \x01 (below every printable byte) and the id,
  // so a name that is a prefix of another sorts first and ties go by id.
  constexpr absl::string_view kEnd("\x01", 1);
  switch (key_) {
    case Key::kId:
      return profile.id();
    case Key::kName:
      return absl::StrCat(reference::FoldLatin(profile.name()), kEnd, profile.id());
    case Key::kCountry:
      return absl::StrCat(profile.country(), kEnd, reference::FoldLatin(profile.name()), kEnd,
                          profile.id());
    case Key::kUpdateTime: {
      const int64_t seconds = std::max<int64_t>(0, profile.update_time().seconds());
      return absl::StrCat(absl::StrFormat("%020d%09d", seconds, profile.update_time().nanos()),
                          kEnd, profile.id());
    }
  }
  return profile.id();
}

}  // namespace socio::storage
