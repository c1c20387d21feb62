#include "clients/reason_summary.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "clients/table.h"
#include "reference/nace.h"

namespace socio::clients {
namespace {

// The title cut to at most `max` characters (see SummarizeReason).
std::string ShortTitle(absl::string_view title, size_t max) {
  if (DisplayWidth(title) <= max) return std::string(title);
  const size_t comma = title.find(',');
  if (comma != absl::string_view::npos && comma >= 8 && comma <= max) {
    return absl::StrCat(title.substr(0, comma), "…");
  }
  size_t cut = max;
  while (cut > 0 && title[cut] != ' ') --cut;
  if (cut == 0) return Truncate(title, max);
  while (cut > 0 && (title[cut - 1] == ',' || title[cut - 1] == ' ')) --cut;
  return absl::StrCat(title.substr(0, cut), "…");
}

bool IsCodeChar(char c) { return absl::ascii_isdigit(c) || absl::ascii_isupper(c) || c == '.'; }

}  // namespace

std::string SummarizeReason(absl::string_view reason, size_t max_title) {
  static const reference::NaceCatalog& nace =
      *new reference::NaceCatalog(reference::NaceCatalog::BuiltIn());
  std::string out;
  size_t done = 0;  // reason[0, done) is in `out`
  for (size_t open = reason.find(" ("); open != absl::string_view::npos;
       open = reason.find(" (", open + 2)) {
    const size_t start = open + 2;
    size_t end = start;
    while (end < reason.size() && IsCodeChar(reason[end])) ++end;
    if (end == start || end >= reason.size() || reason[end] != ')') continue;
    const absl::string_view code = reason.substr(start, end - start);
    // The title the reason gives: the code's, or its nearest ancestor's.
    const std::string title = nace.Title(code);
    if (title.empty() || open < done + title.size()) continue;
    const absl::string_view named = reason.substr(open - title.size(), title.size());
    if (absl::AsciiStrToLower(named.substr(0, 1)) != absl::AsciiStrToLower(title.substr(0, 1)) ||
        named.substr(1) != absl::string_view(title).substr(1)) {
      continue;
    }
    const std::string short_title = ShortTitle(named, max_title);
    absl::StrAppend(&out, reason.substr(done, open - title.size() - done), short_title);
    done = open;
  }
  absl::StrAppend(&out, reason.substr(done));
  return out;
}

}  // namespace socio::clients
