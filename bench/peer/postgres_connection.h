// A connection to PostgreSQL through libpq, with errors as absl::Status.
//
//   absl::StatusOr<std::unique_ptr<PostgresConnection>> pg =
//       PostgresConnection::Connect("host=127.0.0.1 port=5432 dbname=socio");
//   (*pg)->Exec("CREATE TABLE t (a int)");
//   (*pg)->CopyBegin("COPY t FROM STDIN");  (*pg)->CopyPut("1\n");  (*pg)->CopyEnd();
//   absl::StatusOr<PostgresRows> rows = (*pg)->Query("SELECT a FROM t WHERE a > $1", {"0"});
//
// Errors: UNAVAILABLE when the server cannot be reached or the connection
// broke; INTERNAL with the server's SQLSTATE and message when it refused a
// statement. Not thread-safe: one connection per thread.
#ifndef SOCIO_BENCH_PEER_POSTGRES_CONNECTION_H_
#define SOCIO_BENCH_PEER_POSTGRES_CONNECTION_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

typedef struct pg_conn PGconn;

namespace socio::bench {

// A result in libpq's text format; a NULL reads as "".
struct PostgresRows {
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
};

class PostgresConnection {
 public:
  // `conninfo` is a libpq connection string ("host=... port=... dbname=...").
  static absl::StatusOr<std::unique_ptr<PostgresConnection>> Connect(const std::string& conninfo);
  ~PostgresConnection();
  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;

  // Runs `sql`, which may hold several statements separated by ';', without
  // parameters. Stops at the first that fails.
  absl::Status Exec(const std::string& sql);
  // Runs one statement with `params` ($1, $2, ...) given as text.
  absl::StatusOr<PostgresRows> Query(const std::string& sql,
                                     const std::vector<std::string>& params);

  // COPY ... FROM STDIN: begins it, sends rows in COPY text format (any
  // number of calls, any split), ends it. The server's verdict on the rows
  // comes from CopyEnd.
  absl::Status CopyBegin(const std::string& copy_sql);
  absl::Status CopyPut(absl::string_view data);
  absl::Status CopyEnd();

  // The process id of the server process serving this connection.
  int BackendPid() const;

 private:
  explicit PostgresConnection(PGconn* conn) : conn_(conn) {}

  PGconn* conn_;  // owned; PQfinish'ed by the destructor
};

}  // namespace socio::bench

#endif  // SOCIO_BENCH_PEER_POSTGRES_CONNECTION_H_
