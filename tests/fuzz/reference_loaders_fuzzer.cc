// Fuzzes the loaders of the reference files an operator names: the NACE
// catalog CSV (NaceCatalog::LoadCsv) and Hofstede's scores
// (HofstedeScores::LoadCsv). The first byte picks the loader (even: NACE,
// odd: Hofstede); the rest is the file, written to a temporary path.
// (The tzdata zone table parser is internal to CountryCatalog::Load, which
// parses CLDR's XML first on every call: too slow to fuzz it through.)
//
// Invariants: no crash or sanitizer report; a bad file is the status the
// header promises (NACE: DATA_LOSS, Hofstede: INVALID_ARGUMENT), never
// NOT_FOUND for a file that is there; a loaded NACE catalog is exact and
// consistent (every listed code is its own canonical form, lies under its
// parent and is found by Find); Hofstede variances and Kogut-Singh distances
// of the countries the file names are finite and not negative.
#include <unistd.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "reference/culture.h"
#include "reference/nace.h"

namespace socio::fuzz {
namespace {

[[noreturn]] void Violated(const std::string& what) {
  std::fprintf(stderr, "reference_loaders: %s\n", what.c_str());
  std::abort();
}

// This process's scratch file, removed at exit.
const std::string& ScratchPath() {
  static const std::string* path = [] {
    auto* p = new std::string((std::filesystem::temp_directory_path() /
                               absl::StrCat("socio-fuzz-reference-", getpid(), ".csv"))
                                  .string());
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove(ScratchPath(), ignored);
    });
    return p;
  }();
  return *path;
}

void WriteScratch(absl::string_view text) {
  std::ofstream out(ScratchPath(), std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (!out.good()) Violated("cannot write " + ScratchPath());
}

void CheckNace(const absl::StatusOr<reference::NaceCatalog>& catalog) {
  if (!catalog.ok()) {
    if (!absl::IsDataLoss(catalog.status())) Violated("NACE: " + catalog.status().ToString());
    return;
  }
  if (!catalog->exact()) Violated("NACE: a loaded catalog is not exact");
  for (const reference::Sector* sector : catalog->List("", /*all_levels=*/true)) {
    absl::StatusOr<std::string> canonical = catalog->Canonical(sector->code);
    if (!canonical.ok() || *canonical != sector->code) {
      Violated(absl::StrCat("NACE: listed code '", sector->code,
                            "' is not canonical: ", canonical.status().ToString()));
    }
    if (catalog->Find(sector->code) != sector) Violated("NACE: Find misses " + sector->code);
    if (!catalog->Under(sector->code, sector->parent)) {
      Violated(absl::StrCat("NACE: ", sector->code, " not under its parent ", sector->parent));
    }
  }
}

// Two-letter upper-case words of `text`: the country codes it may hold.
std::vector<std::string> CountryCodes(absl::string_view text) {
  std::vector<std::string> codes;
  for (size_t i = 0; i + 1 < text.size() && codes.size() < 16; ++i) {
    const bool starts = i == 0 || !absl::ascii_isalpha(text[i - 1]);
    const bool ends = i + 2 == text.size() || !absl::ascii_isalpha(text[i + 2]);
    if (starts && ends && absl::ascii_isalpha(text[i]) && absl::ascii_isalpha(text[i + 1])) {
      codes.push_back(absl::AsciiStrToUpper(text.substr(i, 2)));
    }
  }
  return codes;
}

void CheckHofstede(const absl::StatusOr<reference::HofstedeScores>& scores,
                   absl::string_view text) {
  if (!scores.ok()) {
    if (!absl::IsInvalidArgument(scores.status())) {
      Violated("Hofstede: " + scores.status().ToString());
    }
    return;
  }
  for (int d = 0; d < reference::kHofstedeDimensions; ++d) {
    const double v = scores->Variance(d);
    if (!std::isfinite(v) || v < 0) Violated(absl::StrCat("Hofstede: variance ", d, " is ", v));
  }
  const std::vector<std::string> codes = CountryCodes(text);
  for (const std::string& a : codes) {
    for (const std::string& b : codes) {
      const std::optional<double> cd = scores->KogutSingh(a, b);
      if (cd.has_value() && !(std::isfinite(*cd) && *cd >= 0)) {
        Violated(absl::StrCat("Hofstede: Kogut-Singh ", a, "-", b, " is ", *cd));
      }
    }
  }
}

}  // namespace
}  // namespace socio::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const absl::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  socio::fuzz::WriteScratch(text);
  if (data[0] % 2 == 0) {
    socio::fuzz::CheckNace(socio::reference::NaceCatalog::LoadCsv(socio::fuzz::ScratchPath()));
  } else {
    socio::fuzz::CheckHofstede(
        socio::reference::HofstedeScores::LoadCsv(socio::fuzz::ScratchPath()), text);
  }
  return 0;
}
