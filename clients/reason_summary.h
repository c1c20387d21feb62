// A match's reason as a one-line summary (the TOP REASON column of `socio
// match` and of an agenda): each sector the reason names by its NACE title
// keeps the title's first words, so the partner's side of the sentence
// still fits the line. The full reasons stay for `--explain`.
//
//   SummarizeReason("You seek a distributor for wholesale trade, except of "
//                   "motor vehicles and motorcycles (46.3) in the United States.")
//   // "You seek a distributor for wholesale trade… (46.3) in the United States."
//
// Pure; thread-safe.
#ifndef SOCIO_CLIENTS_REASON_SUMMARY_H_
#define SOCIO_CLIENTS_REASON_SUMMARY_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace socio::clients {

// A sector title of more than `max_title` characters, as a reason writes it
// ("<title> (<code>)", the title NACE Rev. 2's built-in catalog gives the
// code, its first letter in either case), cut: at its first comma when that leaves
// at least 8 characters, else after its last whole word that fits, with
// "…". Text that names no such title comes back unchanged.
std::string SummarizeReason(absl::string_view reason, size_t max_title = 24);

}  // namespace socio::clients

#endif  // SOCIO_CLIENTS_REASON_SUMMARY_H_
