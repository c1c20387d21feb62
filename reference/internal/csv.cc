#include "reference/internal/csv.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace socio::reference::internal {

absl::StatusOr<std::vector<CsvRecord>> ParseCsv(absl::string_view text, absl::string_view path,
                                                absl::StatusCode error_code) {
  if (absl::StartsWith(text, "\xEF\xBB\xBF")) text.remove_prefix(3);  // UTF-8 byte order mark
  std::vector<CsvRecord> records;
  CsvRecord record;
  std::string cell;
  bool quoted = false;
  bool blank = true;  // Nothing read yet for the current record.
  int line = 1;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c != '"') {
        if (c == '\n') ++line;
        cell.push_back(c);
      } else if (i + 1 < text.size() && text[i + 1] == '"') {
        cell.push_back('"');
        ++i;
      } else {
        quoted = false;
      }
      continue;
    }
    if (blank) record.line = line;
    if (c == '\n' || (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n')) {
      if (c == '\r') ++i;
      if (!blank) {
        record.cells.push_back(std::move(cell));
        records.push_back(std::move(record));
      }
      record = CsvRecord();
      cell.clear();
      blank = true;
      ++line;
      continue;
    }
    blank = false;
    if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      record.cells.push_back(std::move(cell));
      cell.clear();
    } else {
      cell.push_back(c);
    }
  }
  if (quoted) {
    return absl::Status(error_code,
                        absl::StrCat(path, ": line ", record.line, ": quoted cell is not closed"));
  }
  if (!blank) {
    record.cells.push_back(std::move(cell));
    records.push_back(std::move(record));
  }
  return records;
}

absl::StatusOr<std::string> ReadWholeFile(const std::string& path, absl::string_view what) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return absl::ErrnoToStatus(errno, absl::StrCat(path, ": cannot open ", what));
  }
  std::string text;
  char buffer[1 << 16];
  for (;;) {
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      const int error = errno;
      close(fd);  // Already failing: a second error from close adds nothing.
      return absl::ErrnoToStatus(error, absl::StrCat(path, ": cannot read ", what));
    }
    text.append(buffer, static_cast<size_t>(n));
  }
  close(fd);  // Read-only: nothing is lost if close fails.
  return text;
}

int ColumnIndex(const CsvRecord& header, absl::string_view name) {
  for (size_t i = 0; i < header.cells.size(); ++i) {
    if (absl::EqualsIgnoreCase(absl::StripAsciiWhitespace(header.cells[i]), name)) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

absl::string_view CellAt(const CsvRecord& record, int column) {
  return column >= 0 && column < static_cast<int>(record.cells.size())
             ? absl::StripAsciiWhitespace(record.cells[column])
             : absl::string_view();
}

}  // namespace socio::reference::internal
