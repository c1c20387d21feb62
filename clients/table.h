// Plain-text tables for people reading a terminal:
//
//   Table table({"ID", "NAME", "COUNTRY"});
//   table.AddRow({"mx-0001", "Salsas del Bajío", "MX"});
//   table.Print(std::cout);
//
//   ID       NAME              COUNTRY
//   mx-0001  Salsas del Bajío  MX
//
// Widths count UTF-8 characters, not bytes; cells longer than a column's
// limit are cut with "…".
#ifndef SOCIO_CLIENTS_TABLE_H_
#define SOCIO_CLIENTS_TABLE_H_

#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace socio::clients {

class Table {
 public:
  explicit Table(std::vector<std::string> headers, size_t max_cell_width = 48);

  // REQUIRES: cells.size() == number of headers.
  void AddRow(std::vector<std::string> cells);
  size_t rows() const { return rows_.size(); }

  void Print(std::ostream& out) const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
  size_t max_cell_width_;
};

// Number of UTF-8 characters in `text`.
size_t DisplayWidth(absl::string_view text);

// `text` cut to at most `width` characters, ending in "…" when cut.
std::string Truncate(absl::string_view text, size_t width);

}  // namespace socio::clients

#endif  // SOCIO_CLIENTS_TABLE_H_
