// Reading the small CSV files reference data comes in (NACE catalog,
// Hofstede scores): whole files, RFC 4180, with the line each record starts
// on for error messages.
#ifndef SOCIO_REFERENCE_INTERNAL_CSV_H_
#define SOCIO_REFERENCE_INTERNAL_CSV_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace socio::reference::internal {

// One record of a CSV file and the line it starts on (1-based).
struct CsvRecord {
  std::vector<std::string> cells;
  int line = 0;
};

// The file's bytes; the errno's status (NOT_FOUND for a missing file) with
// "PATH: cannot open WHAT" otherwise.
absl::StatusOr<std::string> ReadWholeFile(const std::string& path, absl::string_view what);

// Splits RFC 4180 text into records: cells may be quoted, a quote inside
// quotes is doubled, quoted cells may span lines; CRLF or LF ends a record; a
// leading UTF-8 byte order mark is dropped; blank lines are skipped. A quote
// left open is an `error_code` status naming `path` and the line.
absl::StatusOr<std::vector<CsvRecord>> ParseCsv(absl::string_view text, absl::string_view path,
                                                absl::StatusCode error_code);

// The position of the header cell equal to `name`, compared without case or
// surrounding spaces; -1 when the header has none.
int ColumnIndex(const CsvRecord& header, absl::string_view name);

// The cell of `record` at `column` without surrounding spaces; "" when the
// record is shorter or `column` is -1.
absl::string_view CellAt(const CsvRecord& record, int column);

}  // namespace socio::reference::internal

#endif  // SOCIO_REFERENCE_INTERNAL_CSV_H_
