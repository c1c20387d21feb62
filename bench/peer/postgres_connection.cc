#include "bench/peer/postgres_connection.h"

#include <libpq-fe.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace socio::bench {
namespace {

// Frees a PGresult when it goes.
struct ResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

std::string Trimmed(const char* message) {
  return std::string(absl::StripTrailingAsciiWhitespace(message == nullptr ? "" : message));
}

// OK for a result of status `expected`; otherwise the error it carries.
absl::Status Check(PGconn* conn, const Result& result, ExecStatusType expected) {
  if (result != nullptr && PQresultStatus(result.get()) == expected) return absl::OkStatus();
  if (PQstatus(conn) != CONNECTION_OK) {
    return absl::UnavailableError(absl::StrCat("postgres: ", Trimmed(PQerrorMessage(conn))));
  }
  if (result == nullptr) {
    return absl::InternalError(absl::StrCat("postgres: ", Trimmed(PQerrorMessage(conn))));
  }
  const char* state = PQresultErrorField(result.get(), PG_DIAG_SQLSTATE);
  return absl::InternalError(absl::StrCat("postgres ", state == nullptr ? "" : state, ": ",
                                          Trimmed(PQresultErrorMessage(result.get()))));
}

}  // namespace

absl::StatusOr<std::unique_ptr<PostgresConnection>> PostgresConnection::Connect(
    const std::string& conninfo) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (conn == nullptr) return absl::ResourceExhaustedError("postgres: out of memory");
  std::unique_ptr<PostgresConnection> connection(new PostgresConnection(conn));
  if (PQstatus(conn) != CONNECTION_OK) {
    return absl::UnavailableError(
        absl::StrCat("postgres: cannot connect: ", Trimmed(PQerrorMessage(conn))));
  }
  return connection;
}

PostgresConnection::~PostgresConnection() { PQfinish(conn_); }

absl::Status PostgresConnection::Exec(const std::string& sql) {
  if (PQsendQuery(conn_, sql.c_str()) == 0) {
    return absl::UnavailableError(absl::StrCat("postgres: ", Trimmed(PQerrorMessage(conn_))));
  }
  // Every statement has a result; the first error is the one to report, but
  // the rest must still be read before the connection takes another command.
  absl::Status status;
  while (PGresult* raw = PQgetResult(conn_)) {
    Result result(raw);
    const ExecStatusType type = PQresultStatus(raw);
    // An empty statement (only a comment after the last ';') is no error.
    if (type != PGRES_COMMAND_OK && type != PGRES_TUPLES_OK && type != PGRES_EMPTY_QUERY &&
        status.ok()) {
      status = Check(conn_, result, PGRES_COMMAND_OK);
    }
  }
  return status;
}

absl::StatusOr<PostgresRows> PostgresConnection::Query(const std::string& sql,
                                                       const std::vector<std::string>& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const std::string& p : params) values.push_back(p.c_str());
  Result result(PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                             values.data(), nullptr, nullptr, /*resultFormat=*/0));
  if (absl::Status s = Check(conn_, result, PGRES_TUPLES_OK); !s.ok()) return s;
  PostgresRows rows;
  const int n_columns = PQnfields(result.get());
  for (int c = 0; c < n_columns; ++c) rows.columns.emplace_back(PQfname(result.get(), c));
  const int n_rows = PQntuples(result.get());
  rows.rows.reserve(n_rows);
  for (int r = 0; r < n_rows; ++r) {
    std::vector<std::string>& row = rows.rows.emplace_back();
    row.reserve(n_columns);
    for (int c = 0; c < n_columns; ++c) {
      row.emplace_back(PQgetvalue(result.get(), r, c), PQgetlength(result.get(), r, c));
    }
  }
  return rows;
}

absl::Status PostgresConnection::CopyBegin(const std::string& copy_sql) {
  Result result(PQexec(conn_, copy_sql.c_str()));
  return Check(conn_, result, PGRES_COPY_IN);
}

absl::Status PostgresConnection::CopyPut(absl::string_view data) {
  // libpq takes an int length; rows are sent in pieces well below 2 GiB.
  constexpr size_t kPiece = size_t{1} << 30;
  while (!data.empty()) {
    const absl::string_view piece = data.substr(0, kPiece);
    if (PQputCopyData(conn_, piece.data(), static_cast<int>(piece.size())) != 1) {
      return absl::UnavailableError(
          absl::StrCat("postgres: COPY: ", Trimmed(PQerrorMessage(conn_))));
    }
    data.remove_prefix(piece.size());
  }
  return absl::OkStatus();
}

absl::Status PostgresConnection::CopyEnd() {
  if (PQputCopyEnd(conn_, nullptr) != 1) {
    return absl::UnavailableError(absl::StrCat("postgres: COPY: ", Trimmed(PQerrorMessage(conn_))));
  }
  absl::Status status;
  while (PGresult* raw = PQgetResult(conn_)) {
    Result result(raw);
    if (status.ok()) status = Check(conn_, result, PGRES_COMMAND_OK);
  }
  return status;
}

int PostgresConnection::BackendPid() const { return PQbackendPID(conn_); }

}  // namespace socio::bench
