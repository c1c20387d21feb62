#include "clients/table.h"

#include <sstream>

#include "gtest/gtest.h"

namespace socio::clients {
namespace {

TEST(TableTest, AlignsColumnsByCharactersNotBytes) {
  Table table({"ID", "NAME", "CC"});
  table.AddRow({"mx-1", "Salsas del Bajío", "MX"});
  table.AddRow({"de-22", "Huber", "DE"});
  std::ostringstream out;
  table.Print(out);
  EXPECT_EQ(out.str(),
            "ID     NAME              CC\n"
            "mx-1   Salsas del Bajío  MX\n"
            "de-22  Huber             DE\n");
}

TEST(TableTest, CutsLongCells) {
  Table table({"NAME"}, 6);
  table.AddRow({"Bajío Industrial"});
  std::ostringstream out;
  table.Print(out);
  EXPECT_EQ(out.str(), "NAME\nBajío…\n");
}

}  // namespace
}  // namespace socio::clients
