// BriefingMarkdown (briefing.h).
#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "briefing/briefing.h"

namespace socio::briefing {
namespace {

using socio::v1::Briefing;
using socio::v1::BriefingLanguage;

// One table cell: pipes escaped, line breaks as spaces, "—" for nothing.
std::string Cell(absl::string_view text) {
  if (text.empty()) return "—";
  return absl::StrReplaceAll(text, {{"|", "\\|"}, {"\r\n", " "}, {"\n", " "}, {"\r", " "}});
}

void Row(std::string* out, const std::vector<std::string>& cells) {
  absl::StrAppend(out, "| ", absl::StrJoin(cells, " | "), " |\n");
}

void Header(std::string* out, const std::vector<std::string>& cells) {
  Row(out, cells);
  absl::StrAppend(out, "|");
  for (size_t i = 0; i < cells.size(); ++i) absl::StrAppend(out, "---|");
  absl::StrAppend(out, "\n");
}

// "-7 h", "+5 h 30 min", "0 h".
std::string Offset(int minutes) {
  const char* sign = minutes > 0 ? "+" : minutes < 0 ? "-" : "";
  const int m = std::abs(minutes);
  return m % 60 == 0 ? absl::StrCat(sign, m / 60, " h")
                     : absl::StrCat(sign, m / 60, " h ", m % 60, " min");
}

// "official, 92%", "35%", "—".
std::string Standing(bool official, double share) {
  std::vector<std::string> parts;
  if (official) parts.push_back("official");
  if (share > 0) parts.push_back(absl::StrFormat("%.0f%%", share * 100));
  return parts.empty() ? "—" : absl::StrJoin(parts, ", ");
}

std::string Score(bool has, double score) { return has ? absl::StrFormat("%.0f", score) : "—"; }

}  // namespace

std::string BriefingMarkdown(const Briefing& b) {
  std::string md = absl::StrCat("# Briefing: ", b.delegation_name(), "\n\n");
  absl::StrAppend(&md, b.origin().name(), " (", b.origin().code(), ") → ", b.host().name(), " (",
                  b.host().code(), "): ", b.delegates(), " delegates, ", b.hosts(), " hosts\n\n");

  absl::StrAppend(&md, "## The two countries\n\n");
  Header(&md, {"", Cell(b.origin().name()), Cell(b.host().name())});
  Row(&md, {"Region", Cell(absl::StrCat(b.origin().region(), ", ", b.origin().subregion())),
            Cell(absl::StrCat(b.host().region(), ", ", b.host().subregion()))});
  Row(&md, {"Time zone", Cell(absl::StrCat(b.origin().time_zone(), " (", b.origin().city(), ")")),
            Cell(absl::StrCat(b.host().time_zone(), " (", b.host().city(), ")"))});
  if (!b.distance_to().empty()) {
    absl::StrAppend(&md, "\nDistance: ", absl::StrFormat("%.0f", b.distance_km()), " km from ",
                    b.distance_from(), " to ", b.distance_to(), " (great circle).\n");
  }

  absl::StrAppend(&md,
                  "\n## Clocks\n\nWorking hours are 09:00–17:00 local time on both sides.\n\n");
  Header(&md, {"Date", "City", "Time difference", "Working hours shared", "At the venue",
               Cell(absl::StrCat("In ", b.origin().name()))});
  for (const socio::v1::BriefingDay& day : b.days()) {
    const bool shared = day.overlap_minutes() > 0;
    Row(&md,
        {Cell(day.date()), Cell(day.city()), Offset(day.offset_minutes()),
         absl::StrCat(day.overlap_minutes(), " min"),
         shared ? absl::StrCat(day.venue_overlap_start(), "–", day.venue_overlap_end()) : "—",
         shared ? absl::StrCat(day.origin_overlap_start(), "–", day.origin_overlap_end()) : "—"});
  }

  absl::StrAppend(&md, "\n## Languages\n\n");
  Header(&md, {"Language", Cell(b.origin().name()), Cell(b.host().name()), "Shared", "Delegates",
               "Hosts", "Companies"});
  for (const BriefingLanguage& l : b.languages()) {
    std::vector<std::string> companies;
    for (const socio::v1::BriefingCompany& c : l.companies()) companies.push_back(c.name());
    Row(&md, {Cell(absl::StrCat(l.name().empty() ? l.code() : l.name(), " (", l.code(), ")")),
              Standing(l.origin_official(), l.origin_share()),
              Standing(l.host_official(), l.host_share()), l.shared() ? "yes" : "no",
              absl::StrCat(l.delegates()), absl::StrCat(l.hosts()),
              Cell(absl::StrJoin(companies, ", "))});
  }

  if (!b.dimensions().empty()) {
    absl::StrAppend(&md,
                    "\n## Cultural dimensions\n\nHofstede's scores from the operator's file.\n\n");
    Header(&md, {"Dimension", Cell(b.origin().name()), Cell(b.host().name()), "What it may mean"});
    for (const socio::v1::BriefingDimension& d : b.dimensions()) {
      Row(&md, {Cell(d.name()), Score(d.has_origin_score(), d.origin_score()),
                Score(d.has_host_score(), d.host_score()), Cell(d.note())});
    }
    if (b.has_kogut_singh()) {
      absl::StrAppend(&md, "\nKogut-Singh distance: ", absl::StrFormat("%.2f", b.kogut_singh()),
                      " (0 is the same profile).\n");
    }
  }

  if (!b.staff_notes().empty()) {
    absl::StrAppend(&md, "\n## Notes from the staff\n\n", b.staff_notes(), "\n");
  }
  return md;
}

}  // namespace socio::briefing
