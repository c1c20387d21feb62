#include "reference/place_names.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "pugixml.hpp"
#include "reference/text_fold.h"

namespace socio::reference {
namespace {

// Folded names that are also everyday words or first names in one of the
// locales read, so a note using them means something else as often as not.
// (Names under kShortest letters are left out anyway.)
constexpr absl::string_view kAmbiguous[] = {"turkey", "chad",     "jordan", "georgia",
                                            "jersey", "guernsey", "guinea", "niger"};
constexpr size_t kShortest = 4;

// The words of `text` after folding: runs of ASCII letters and digits and of
// bytes >= 0x80 (letters outside Latin-1 stay as they are).
std::vector<std::string> FoldedWords(absl::string_view text) {
  const std::string folded = FoldLatin(text);
  std::vector<std::string> words;
  std::string word;
  for (const char ch : folded) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (absl::ascii_isalnum(c) || c >= 0x80) {
      word.push_back(ch);
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

}  // namespace

absl::StatusOr<PlaceNames> PlaceNames::Load(const std::string& cldr_dir,
                                            const CountryCatalog& countries) {
  PlaceNames places;
  absl::flat_hash_set<std::string> shared;  // names two countries have
  for (const char* locale : kLocales) {
    const std::string path = absl::StrCat(cldr_dir, "/main/", locale, ".xml");
    pugi::xml_document doc;
    const pugi::xml_parse_result parsed = doc.load_file(path.c_str());
    if (parsed.status == pugi::status_file_not_found || parsed.status == pugi::status_io_error) {
      return absl::NotFoundError(
          absl::StrCat(path, ": cannot read (install Debian's unicode-cldr-core)"));
    }
    if (!parsed) {
      return absl::DataLossError(absl::StrCat(path, ": does not parse: ", parsed.description()));
    }
    const pugi::xml_node territories =
        doc.child("ldml").child("localeDisplayNames").child("territories");
    if (!territories) return absl::DataLossError(absl::StrCat(path, ": no territory names"));
    for (pugi::xml_node entry : territories.children("territory")) {
      const int index = countries.Index(entry.attribute("type").as_string());
      if (index < 0) continue;
      const std::vector<std::string> words = FoldedWords(entry.child_value());
      const std::string name = absl::StrJoin(words, " ");
      if (name.size() < kShortest ||
          std::find(std::begin(kAmbiguous), std::end(kAmbiguous), name) != std::end(kAmbiguous)) {
        continue;
      }
      const auto [it, inserted] = places.names_.emplace(name, index);
      if (!inserted && it->second != index) shared.insert(name);
      places.longest_ = std::max(places.longest_, static_cast<int>(words.size()));
    }
  }
  for (const std::string& name : shared) places.names_.erase(name);
  if (places.names_.empty()) {
    return absl::DataLossError(absl::StrCat(cldr_dir, "/main: no country names"));
  }
  return places;
}

std::vector<int> PlaceNames::CountriesIn(absl::string_view text) const {
  std::vector<int> found;
  const std::vector<std::string> words = FoldedWords(text);
  for (size_t start = 0; start < words.size();) {
    size_t taken = 0;
    for (size_t n = std::min<size_t>(longest_, words.size() - start); n >= 1; --n) {
      std::string candidate = words[start];
      for (size_t k = 1; k < n; ++k) absl::StrAppend(&candidate, " ", words[start + k]);
      if (auto it = names_.find(candidate); it != names_.end()) {
        if (std::find(found.begin(), found.end(), it->second) == found.end()) {
          found.push_back(it->second);
        }
        taken = n;
        break;
      }
    }
    start += taken > 0 ? taken : 1;
  }
  return found;
}

}  // namespace socio::reference
