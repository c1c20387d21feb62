// Reading profile files for `socio profiles import`: a streaming reader that
// turns a JSONL or CSV file into socio.v1.Profile messages, one record at a
// time, so a file of any size imports in constant memory. A bad record does
// not stop the import: its error comes back with its line number and reading
// goes on with the next record.
//
//   std::ifstream in(path, std::ios::binary);
//   absl::StatusOr<ImportFormat> format = FormatFromPath(path);
//   if (!format.ok()) return format.status();
//   ProfileReader reader(&in, *format);
//   ImportRecord record;
//   while (reader.Next(&record)) {
//     if (!record.profile.ok()) {
//       std::cerr << "line " << record.line << ": " << record.profile.status().message();
//       continue;
//     }
//     Send(*record.profile);
//   }
//   if (!reader.status().ok()) return reader.status();  // I/O error or bad CSV header
//
// The reader only parses: whether a country code, sector or id is valid is for
// the server to say (see storage/profile_validation.h).
//
// JSONL (.jsonl, .ndjson, .json): one profile per line in the protobuf JSON
// mapping (field names in camelCase or snake_case, enums by name, valid_until
// as an RFC 3339 string); fields the Profile does not have are rejected. Blank
// lines are skipped.
//
// CSV (.csv), RFC 4180:
// - Cells are separated by commas. A cell in double quotes may hold commas,
//   semicolons and line breaks; a double quote inside it is written twice
//   ("a ""quoted"" word"). A record that spans lines is reported at the line
//   where it starts. Lines end in LF or CRLF; a UTF-8 byte order mark at the
//   start of the file is ignored; the text must be UTF-8.
// - The first row is the header. It names the columns, in any order and any
//   subset, by proto field name or JSON name (`chamber_id` or `chamberId`,
//   case-insensitive):
//     id, chamber_id, name, country, city, description  text
//     latitude, longitude        decimal degrees; both or neither (-> location)
//     employees, founded_year    whole numbers
//     sectors, languages, keywords, target_markets, active_markets,
//     certifications             lists: items separated by ';'
//     objectives                 list of DIRECTION:TYPE[:SECTORS[:MARKETS[:NOTE]]]
//     visibility                 PRIVATE, CHAMBER or FEDERATION
//     valid_until                RFC 3339 time (2026-12-31T18:00:00Z), or a
//                                date (2026-12-31) meaning 23:59:59 UTC that day
//     anonymous                  yes or no (also true/false, 1/0; any case):
//                                shown to other chambers by its handle only
//                                until a mutual interest (Profile.anonymous)
//   An unknown or repeated column name, or latitude without longitude, fails
//   the whole file (status()).
// - Every other row is one profile and must have one cell per column. Cells are
//   trimmed of surrounding whitespace; an empty cell leaves its field unset. In
//   lists, items are trimmed and empty items dropped ("es; en;" -> es, en).
// - An objective is DIRECTION:TYPE with optional parts after it: SEEK or OFFER
//   (empty for the symmetric types: ":JOINT_VENTURE"), an Objective.Type name,
//   then ','-separated sectors, ','-separated markets and a note, which may
//   contain ':' but not ';'. Names are case-insensitive. Example (a cell with
//   commas, like this one, must be quoted):
//     "SEEK:DISTRIBUTION:46.3:US,CA:Food distributor for Texas; :JOINT_VENTURE"
// - A row with the wrong number of cells, an unclosed quote or a value that
//   does not parse fails that row only; the error names the column and value:
//   "column employees: 'many' is not a whole number".
// - Blank lines between records are skipped.
//
// A ProfileReader is not thread-safe.
#ifndef SOCIO_CLIENTS_IMPORT_READER_H_
#define SOCIO_CLIENTS_IMPORT_READER_H_

#include <cstdint>
#include <istream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "socio/v1/profile.pb.h"

namespace socio::clients {
namespace internal {
enum class ImportColumn;  // what a CSV column holds; defined in import_reader.cc
}  // namespace internal

enum class ImportFormat { kJsonl, kCsv };

// The format a file's name implies: .jsonl, .ndjson or .json -> kJsonl, .csv ->
// kCsv (case-insensitive). INVALID_ARGUMENT for any other name.
absl::StatusOr<ImportFormat> FormatFromPath(absl::string_view path);

// One record of an import file.
struct ImportRecord {
  // 1-based line of the file where the record starts.
  int64_t line = 0;
  // The parsed profile, or INVALID_ARGUMENT naming the column or field and the
  // reason, e.g. "column employees: 'many' is not a whole number". The message
  // does not mention the line.
  absl::StatusOr<socio::v1::Profile> profile;
};

class ProfileReader {
 public:
  // Reads from `in`, which is not owned and must outlive the reader. Open files
  // in binary mode; the reader handles CRLF itself.
  ProfileReader(std::istream* in, ImportFormat format);

  ProfileReader(const ProfileReader&) = delete;
  ProfileReader& operator=(const ProfileReader&) = delete;

  // Stores the next record in `*record` and returns true, or returns false at
  // the end of the input or on a fatal error (then see status()). A record
  // that does not parse is still returned, with the error in record->profile.
  bool Next(ImportRecord* record);

  // Bytes of input consumed by the records returned so far, for a progress bar.
  int64_t bytes_read() const { return bytes_consumed_; }

  // OK, or the fatal error that ended reading: an I/O error (DATA_LOSS) or a
  // bad CSV header (INVALID_ARGUMENT naming the column). Check it once Next
  // has returned false.
  absl::Status status() const { return status_; }

 private:
  // Sets `*line` to the next line without its line ending; it stays valid
  // until the next call. False at the end of the input or on an I/O error.
  bool NextLine(absl::string_view* line);
  bool NextJsonl(ImportRecord* record);
  bool NextCsv(ImportRecord* record);
  // Reads the header row into columns_; false and status_ set if it is bad.
  bool ReadCsvHeader();
  // Reads the cells of the next CSV record into cells_ and returns true, or
  // returns false at the end of the input. A malformed record is still read
  // to its end, with `*error` set.
  bool ReadCsvRecord(absl::Status* error);
  absl::StatusOr<socio::v1::Profile> ProfileFromCells() const;

  std::istream* const in_;
  const ImportFormat format_;
  absl::Status status_;

  // Input buffer; bytes [begin_, end_) are read but not yet consumed.
  std::string buffer_;
  size_t begin_ = 0;
  size_t end_ = 0;
  bool at_eof_ = false;
  int64_t line_number_ = 0;  // of the line NextLine returned last
  int64_t bytes_consumed_ = 0;

  // CSV state.
  bool header_read_ = false;
  std::vector<internal::ImportColumn> columns_;
  std::vector<std::string> column_names_;  // as the header spells them
  std::vector<std::string> cells_;         // reused from record to record
  size_t cell_count_ = 0;                  // cells of the current record
  int64_t record_line_ = 0;                // where the current record starts
};

}  // namespace socio::clients

#endif  // SOCIO_CLIENTS_IMPORT_READER_H_
