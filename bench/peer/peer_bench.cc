// socio-bench-peer: FindPartners beside the same search written as one SQL
// query in PostgreSQL 15, over the same profiles.
//
//   bench/peer/run_pg_peer.sh build/bench/peer/socio-bench-peer [--profiles 1000000]
//       [--samples 20] [--k 20] [--socio-repeats 21] [--pg-repeats 1] [--explain] [--json]
//
// (the script starts a scratch PostgreSQL and passes --pg; by hand:
// socio-bench-peer --pg "host=... port=... dbname=..." into an empty database).
//
// In one process:
// - generates --profiles members as socio-bench-match does (seed 42,
//   normalised as stored, version 1, update times spread over three years
//   before the search time so freshness varies), builds the MatchIndex from
//   them (timed), and writes the same profiles as rows of schema.sql;
// - loads them into PostgreSQL (timed): schema, COPY on two connections at
//   once, primary and foreign keys, VACUUM ANALYZE;
// - for --samples random members: find_partners.sql with default weights,
//   --pg-repeats runs (median), and MatchIndex::FindPartners top --k with
//   explanations, --socio-repeats runs (median); the two top lists must be the
//   same ranking (see ranking_agreement.h, scores within 1e-9), and every
//   partner both list must have the same fourteen factor scores (within 1e-9);
// - prints each sample, the p50 and p99 over the samples of both sides and
//   the ratio of the p50s, elapsed and in CPU time (of the searching thread;
//   of the server process, whose plan is serial), which other work on the
//   machine disturbs less. Exits 1 on any disagreement.
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "bench/bench_support.h"
#include "bench/peer/peer_rows.h"
#include "bench/peer/peer_sql.h"
#include "bench/peer/postgres_connection.h"
#include "bench/peer/ranking_agreement.h"
#include "bench/profile_generator.h"
#include "matcher/match_index.h"
#include "storage/profile_validation.h"

namespace socio::bench {
namespace {

using socio::v1::Profile;
using Clock = std::chrono::steady_clock;

constexpr int64_t kNow = 1795000000;  // 2026-11-18, as socio-bench-match
constexpr double kTolerance = 1e-9;
constexpr int kBatch = 5000;

void Check(bool ok, const std::string& what) {
  if (!ok) {
    std::cerr << "socio-bench-peer: " << what << "\n";
    std::exit(1);
  }
}

void Check(const absl::Status& status, const std::string& what) {
  Check(status.ok(), absl::StrCat(what, ": ", status.ToString()));
}

double MillisecondsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// CPU time of the calling thread, in milliseconds.
double ThreadCpuMilliseconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

// CPU time (user + system) of process `pid` so far, in milliseconds, from
// /proc/PID/stat; in steps of a clock tick (10 ms).
double ProcessCpuMilliseconds(int pid) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/stat"));
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t end_of_name = stat.rfind(')');
  Check(end_of_name != std::string::npos, absl::StrCat("cannot read /proc/", pid, "/stat"));
  // After the name: state, then fields 4..; utime and stime are 14 and 15.
  const std::vector<absl::string_view> fields =
      absl::StrSplit(absl::string_view(stat).substr(end_of_name + 2), ' ');
  double utime = 0, stime = 0;
  Check(fields.size() > 12 && absl::SimpleAtod(fields[11], &utime) &&
            absl::SimpleAtod(fields[12], &stime),
        absl::StrCat("cannot read /proc/", pid, "/stat"));
  return (utime + stime) * 1e3 / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// Profile `index` as a store that has been in use for years holds it:
// normalised, version 1, last written up to three years before kNow.
Profile StoredProfile(const ProfileGenerator& generator, const storage::ProfileValidator& validator,
                      int index) {
  Profile p = generator.Generate(index);
  Check(validator.Normalize(&p), "generated profile " + p.id() + " does not validate");
  const uint64_t spread = static_cast<uint64_t>(index) * 2654435761u;
  const int64_t updated = kNow - static_cast<int64_t>(spread % 1096) * 86400 -
                          static_cast<int64_t>((spread >> 11) % 86400);
  p.set_version(1);
  p.mutable_update_time()->set_seconds(updated);
  p.mutable_create_time()->set_seconds(updated -
                                       static_cast<int64_t>((spread >> 23) % 700) * 86400);
  return p;
}

struct LoadTimes {
  double index_s = 0;       // Socio: MatchIndex::UpsertMany
  double copy_s = 0;        // PostgreSQL: COPY of the profiles
  double after_load_s = 0;  // primary and foreign keys
  double analyze_s = 0;     // VACUUM (FREEZE, ANALYZE)
};

// Generates the profiles, indexes them and returns their rows in COPY text
// format, a string per batch.
std::vector<std::string> BuildIndexAndRows(
    int count, int threads, const std::shared_ptr<const reference::ReferenceData>& ref,
    const matcher::ScoringTables& tables, matcher::MatchIndex* index, LoadTimes* times) {
  ProfileGenerator generator({.seed = 42});
  storage::ProfileValidator validator(ref);
  std::vector<std::string> rows;
  for (int begin = 0; begin < count; begin += kBatch) {
    const int n = std::min(kBatch, count - begin);
    std::vector<Profile> batch(n);
    std::vector<std::string> parts(threads);
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
      workers.emplace_back([&, t] {
        for (int i = t; i < n; i += threads) {
          batch[i] = StoredProfile(generator, validator, begin + i);
          const matcher::Features features =
              matcher::ExtractFeatures(batch[i], tables, matcher::kNoChamber);
          AppendProfileRow(batch[i], features.view(), *ref, &parts[t]);
        }
      });
    }
    for (std::thread& w : workers) w.join();
    std::string& joined = rows.emplace_back();
    for (const std::string& part : parts) joined += part;
    const Clock::time_point start = Clock::now();
    index->UpsertMany(batch, threads);
    times->index_s += MillisecondsSince(start) / 1000;
    if ((begin / kBatch) % 20 == 0) {
      std::fprintf(stderr, "\rgenerating and indexing: %d / %d", begin + n, count);
    }
  }
  std::fprintf(stderr, "\rgenerating and indexing: %d / %d\n", count, count);
  return rows;
}

// COPY of every `stride`-th batch of `rows`, from `first` on, into profiles
// on a connection of its own.
absl::Status CopyProfiles(const std::string& conninfo, const std::vector<std::string>& rows,
                          size_t first, size_t stride) {
  absl::StatusOr<std::unique_ptr<PostgresConnection>> pg = PostgresConnection::Connect(conninfo);
  if (!pg.ok()) return pg.status();
  if (absl::Status s =
          (*pg)->CopyBegin(absl::StrCat("COPY profiles (", kProfileColumns, ") FROM STDIN"));
      !s.ok()) {
    return s;
  }
  for (size_t i = first; i < rows.size(); i += stride) {
    if (absl::Status s = (*pg)->CopyPut(rows[i]); !s.ok()) return s;
    if (first == 0 && (i / stride) % 20 == 0) {
      std::fprintf(stderr, "\rCOPY into PostgreSQL: %zu / %zu profiles", i * kBatch,
                   rows.size() * kBatch);
    }
  }
  return (*pg)->CopyEnd();
}

void LoadPostgres(const std::string& conninfo, const reference::ReferenceData& ref,
                  const std::vector<std::string>& rows, LoadTimes* times) {
  const std::string schema(kSchemaSql);
  const size_t split = schema.find("\n-- After loading\n");
  Check(split != std::string::npos, "schema.sql has no line '-- After loading'");
  absl::StatusOr<std::unique_ptr<PostgresConnection>> pg = PostgresConnection::Connect(conninfo);
  Check(pg.status(), "connect");
  Check((*pg)->Exec(schema.substr(0, split)), "schema");

  Clock::time_point start = Clock::now();
  std::string reference_rows;
  AppendCountryRows(ref, &reference_rows);
  Check((*pg)->CopyBegin(absl::StrCat("COPY countries (", kCountryColumns, ") FROM STDIN")),
        "COPY countries");
  Check((*pg)->CopyPut(reference_rows), "COPY countries");
  Check((*pg)->CopyEnd(), "COPY countries");
  reference_rows.clear();
  AppendCountryPairRows(ref, &reference_rows);
  Check((*pg)->CopyBegin(absl::StrCat("COPY country_pairs (", kCountryPairColumns, ") FROM STDIN")),
        "COPY country_pairs");
  Check((*pg)->CopyPut(reference_rows), "COPY country_pairs");
  Check((*pg)->CopyEnd(), "COPY country_pairs");
  reference_rows.clear();
  AppendValueChainRows(ref, &reference_rows);
  Check((*pg)->CopyBegin(absl::StrCat("COPY value_chain (", kValueChainColumns, ") FROM STDIN")),
        "COPY value_chain");
  Check((*pg)->CopyPut(reference_rows), "COPY value_chain");
  Check((*pg)->CopyEnd(), "COPY value_chain");

  // Two connections, so that two server processes parse the rows.
  absl::Status second_status;
  std::thread second([&] { second_status = CopyProfiles(conninfo, rows, 1, 2); });
  const absl::Status first_status = CopyProfiles(conninfo, rows, 0, 2);
  second.join();
  std::fprintf(stderr, "\n");
  Check(first_status, "COPY profiles");
  Check(second_status, "COPY profiles");
  times->copy_s = MillisecondsSince(start) / 1000;

  std::fprintf(stderr, "primary and foreign keys\n");
  start = Clock::now();
  Check((*pg)->Exec(schema.substr(split)), "schema after loading");
  times->after_load_s = MillisecondsSince(start) / 1000;
  std::fprintf(stderr, "VACUUM (FREEZE, ANALYZE)\n");
  start = Clock::now();
  Check((*pg)->Exec("VACUUM (FREEZE, ANALYZE)"), "VACUUM");
  times->analyze_s = MillisecondsSince(start) / 1000;
}

// The parameters of find_partners.sql for `member`.
std::vector<std::string> QueryParams(const std::string& member, int k,
                                     const socio::v1::FactorWeights& w) {
  const std::string now =
      absl::FormatTime("%Y-%m-%d %H:%M:%S+00", absl::FromUnixSeconds(kNow), absl::UTCTimeZone());
  std::vector<std::string> params = {member, now, absl::StrCat(k)};
  for (double weight :
       {w.objective(), w.market(), w.sector(), w.culture(), w.text(), w.size(), w.freshness()}) {
    params.push_back(absl::StrFormat("%.17g", weight));
  }
  return params;
}

struct Sample {
  std::string member;
  double socio_ms = 0;  // elapsed; median of the runs
  double pg_ms = 0;
  double socio_cpu_ms = 0;  // CPU time of the searching thread
  double pg_cpu_ms = 0;     // CPU time of the server process
  RankingAgreement agreement;
  int factors_compared = 0;  // partners whose factor scores were compared
  int64_t socio_scored = 0;  // candidates FindPartners scored in full
};

// The first of the fourteen factor scores (seven each way) on which Socio's
// match and the peer's row for the same partner differ by more than the
// tolerance; empty if none.
std::string FactorDifference(const socio::v1::Match& socio, const std::vector<std::string>& row) {
  static constexpr const char* kNames[] = {"objective", "market", "sector",   "culture",
                                           "text",      "size",   "freshness"};
  for (int side = 0; side < 2; ++side) {
    const std::string& array = row[4 + side];  // {f1,f2,...}
    const std::vector<std::string> values =
        absl::StrSplit(absl::string_view(array).substr(1, array.size() - 2), ',');
    if (values.size() != static_cast<size_t>(socio.factors_size())) {
      return absl::StrCat(socio.partner_id(), ": the peer gives ", values.size(), " factors");
    }
    for (size_t f = 0; f < values.size(); ++f) {
      double peer = 0;
      const double mine = side == 0 ? socio.factors(f).forward() : socio.factors(f).backward();
      if (!absl::SimpleAtod(values[f], &peer) || !(std::fabs(peer - mine) <= kTolerance)) {
        return absl::StrFormat("%s: %s %s is %.12f in Socio, %s in the peer", socio.partner_id(),
                               kNames[f], side == 0 ? "forward" : "backward", mine, values[f]);
      }
    }
  }
  return "";
}

// Both lists in full, for a person to see where they part.
void PrintBoth(const matcher::PartnerResult& socio, const PostgresRows& peer) {
  std::fprintf(stderr, "  Socio (factors forward | backward):\n");
  for (const socio::v1::Match& m : socio.matches) {
    std::vector<std::string> forward, backward;
    for (const socio::v1::FactorScore& f : m.factors()) {
      forward.push_back(absl::StrFormat("%.6f", f.forward()));
      backward.push_back(absl::StrFormat("%.6f", f.backward()));
    }
    std::fprintf(stderr, "    %-12s %.12f  %s | %s\n", m.partner_id().c_str(), m.score(),
                 absl::StrJoin(forward, " ").c_str(), absl::StrJoin(backward, " ").c_str());
  }
  std::fprintf(stderr, "  PostgreSQL (forward | backward):\n");
  for (const std::vector<std::string>& row : peer.rows) {
    std::fprintf(stderr, "    %-12s %s  %s | %s\n", row[0].c_str(), row[1].c_str(), row[4].c_str(),
                 row[5].c_str());
  }
}

int Main(int argc, char** argv) {
  CLI::App app("FindPartners beside the same search as one SQL query in PostgreSQL 15");
  int profiles = 1000000, samples = 20, k = 20, socio_repeats = 21, pg_repeats = 1, threads = 2;
  std::string conninfo;
  bool json = false, explain = false;
  app.add_option("--pg", conninfo, "libpq connection string of an empty database")->required();
  app.add_option("--profiles", profiles, "Generated members")->check(CLI::Range(100, 10000000));
  app.add_option("--samples", samples, "Random members searched on both sides")
      ->check(CLI::Range(1, 100000));
  app.add_option("--k", k, "Partners per search")->check(CLI::Range(1, 1000));
  app.add_option("--socio-repeats", socio_repeats, "Runs of each Socio search (median)")
      ->check(CLI::Range(1, 10000));
  app.add_option("--pg-repeats", pg_repeats, "Runs of each SQL search (median)")
      ->check(CLI::Range(1, 100));
  app.add_option("--threads", threads, "Threads generating and indexing profiles")
      ->check(CLI::Range(1, 64));
  app.add_flag("--explain", explain, "EXPLAIN ANALYZE of the first SQL search, on stderr");
  app.add_flag("--json", json, "One JSON object on stdout");
  CLI11_PARSE(app, argc, argv);

  absl::StatusOr<std::shared_ptr<const reference::ReferenceData>> reference =
      reference::ReferenceData::Load({});
  Check(reference.status(), "reference data");
  auto tables = std::make_shared<const matcher::ScoringTables>(*reference);
  matcher::MatchIndex index(tables);
  LoadTimes times;
  {
    const std::vector<std::string> rows =
        BuildIndexAndRows(profiles, threads, *reference, *tables, &index, &times);
    LoadPostgres(conninfo, **reference, rows, &times);
  }
  std::fprintf(stderr, "index %.1f s; PostgreSQL: COPY %.1f s, keys %.1f s, VACUUM %.1f s\n",
               times.index_s, times.copy_s, times.after_load_s, times.analyze_s);

  absl::StatusOr<std::unique_ptr<PostgresConnection>> pg = PostgresConnection::Connect(conninfo);
  Check(pg.status(), "connect");
  const int backend = (*pg)->BackendPid();
  const socio::v1::FactorWeights raw_weights = matcher::DefaultFactorWeights();
  matcher::PartnerQuery query;
  query.k = k;
  query.weights = *matcher::NormalizeWeights(raw_weights, "weights");
  query.now_seconds = kNow;

  std::mt19937_64 random(7);
  ProfileGenerator generator({.seed = 42});
  std::vector<Sample> results;
  for (int i = 0; i < samples; ++i) {
    Sample& sample = results.emplace_back();
    sample.member = generator.Generate(random() % profiles).id();
    const std::vector<std::string> params = QueryParams(sample.member, k, raw_weights);
    if (explain && i == 0) {
      absl::StatusOr<PostgresRows> plan = (*pg)->Query(
          absl::StrCat("EXPLAIN (ANALYZE, BUFFERS, VERBOSE) ", kFindPartnersSql), params);
      Check(plan.status(), "EXPLAIN");
      for (const std::vector<std::string>& line : plan->rows) {
        std::fprintf(stderr, "%s\n", line[0].c_str());
      }
    }
    std::optional<PostgresRows> peer;
    std::vector<double> pg_ms, pg_cpu_ms;
    for (int r = 0; r < pg_repeats; ++r) {
      const double cpu_start = ProcessCpuMilliseconds(backend);
      const Clock::time_point start = Clock::now();
      absl::StatusOr<PostgresRows> rows = (*pg)->Query(kFindPartnersSql, params);
      pg_ms.push_back(MillisecondsSince(start));
      pg_cpu_ms.push_back(ProcessCpuMilliseconds(backend) - cpu_start);
      Check(rows.status(), "find_partners.sql for " + sample.member);
      if (!peer.has_value()) peer = *std::move(rows);
    }
    query.member_id = sample.member;
    std::optional<matcher::PartnerResult> socio;
    std::vector<double> socio_ms, socio_cpu_ms;
    for (int r = 0; r < socio_repeats; ++r) {
      const double cpu_start = ThreadCpuMilliseconds();
      const Clock::time_point start = Clock::now();
      absl::StatusOr<matcher::PartnerResult> result = index.FindPartners(query);
      socio_ms.push_back(MillisecondsSince(start));
      socio_cpu_ms.push_back(ThreadCpuMilliseconds() - cpu_start);
      Check(result.status(), "FindPartners for " + sample.member);
      if (!socio.has_value()) socio = *std::move(result);
    }
    sample.socio_scored = socio->candidates_scored;
    sample.pg_ms = Median(pg_ms);
    sample.socio_ms = Median(socio_ms);
    sample.pg_cpu_ms = Median(pg_cpu_ms);
    sample.socio_cpu_ms = Median(socio_cpu_ms);

    std::vector<RankedPartner> mine, theirs;
    for (const socio::v1::Match& m : socio->matches) mine.push_back({m.partner_id(), m.score()});
    for (const std::vector<std::string>& row : peer->rows) {
      RankedPartner& partner = theirs.emplace_back();
      partner.id = row[0];
      Check(absl::SimpleAtod(row[1], &partner.score), "score '" + row[1] + "'");
    }
    sample.agreement = CompareRankings(
        mine, theirs, kTolerance, [&](const std::string& id) -> std::optional<double> {
          absl::StatusOr<std::vector<double>> scores =
              index.PairScores({sample.member}, {id}, query.weights, kNow);
          if (!scores.ok()) return std::nullopt;
          return scores->front();
        });
    for (size_t r = 0; r < peer->rows.size() && sample.agreement.same; ++r) {
      for (const socio::v1::Match& m : socio->matches) {
        if (m.partner_id() != peer->rows[r][0]) continue;
        if (std::string why = FactorDifference(m, peer->rows[r]); !why.empty()) {
          sample.agreement.same = false;
          sample.agreement.difference = why;
        }
        ++sample.factors_compared;
      }
    }
    std::fprintf(stderr, "sample %d / %d %s: Socio %.3f ms, PostgreSQL %.1f ms, %s\n", i + 1,
                 samples, sample.member.c_str(), sample.socio_ms, sample.pg_ms,
                 sample.agreement.same ? "same" : sample.agreement.difference.c_str());
    if (!sample.agreement.same) PrintBoth(*socio, *peer);
  }

  std::vector<double> socio_ms, pg_ms, socio_cpu_ms, pg_cpu_ms;
  int same = 0, reordered = 0, cut_ties = 0, factors_compared = 0;
  double socio_scored = 0;
  for (const Sample& s : results) {
    socio_ms.push_back(s.socio_ms);
    pg_ms.push_back(s.pg_ms);
    socio_cpu_ms.push_back(s.socio_cpu_ms);
    pg_cpu_ms.push_back(s.pg_cpu_ms);
    same += s.agreement.same;
    reordered += s.agreement.reordered;
    cut_ties += s.agreement.cut_ties;
    factors_compared += s.factors_compared;
    socio_scored += static_cast<double>(s.socio_scored) / samples;
  }
  const double socio_p50 = Median(socio_ms), socio_p99 = Percentile(socio_ms, 0.99);
  const double pg_p50 = Median(pg_ms), pg_p99 = Percentile(pg_ms, 0.99);
  const double socio_cpu_p50 = Median(socio_cpu_ms), pg_cpu_p50 = Median(pg_cpu_ms);
  if (json) {
    std::printf(
        "{\"profiles\": %d, \"samples\": %d, \"k\": %d, \"agree\": %d, \"reordered_ranks\": %d, "
        "\"cut_ties\": %d, \"partners_factors_compared\": %d, \"socio_p50_ms\": %.3f, "
        "\"socio_p99_ms\": %.3f, \"socio_cpu_p50_ms\": %.3f, \"socio_mean_scored\": %.0f, "
        "\"pg_p50_ms\": %.1f, \"pg_p99_ms\": %.1f, \"pg_cpu_p50_ms\": %.0f, \"ratio_p50\": %.0f, "
        "\"ratio_cpu_p50\": %.0f, \"index_build_s\": %.1f, \"pg_copy_s\": %.1f, "
        "\"pg_keys_s\": %.1f, \"pg_vacuum_analyze_s\": %.1f}\n",
        profiles, samples, k, same, reordered, cut_ties, factors_compared, socio_p50, socio_p99,
        socio_cpu_p50, socio_scored, pg_p50, pg_p99, pg_cpu_p50, pg_p50 / socio_p50,
        pg_cpu_p50 / socio_cpu_p50, times.index_s, times.copy_s, times.after_load_s,
        times.analyze_s);
  } else {
    std::printf("%-7s %-12s %10s %10s %14s %14s %8s  %s\n", "sample", "member", "Socio ms", "(CPU)",
                "PostgreSQL ms", "(CPU)", "ratio", absl::StrCat("top ", k).c_str());
    for (size_t i = 0; i < results.size(); ++i) {
      const Sample& s = results[i];
      std::printf("%-7zu %-12s %10.3f %10.3f %14.0f %14.0f %7.0fx  %s\n", i + 1, s.member.c_str(),
                  s.socio_ms, s.socio_cpu_ms, s.pg_ms, s.pg_cpu_ms, s.pg_ms / s.socio_ms,
                  s.agreement.same ? "same" : ("DIFFERENT: " + s.agreement.difference).c_str());
    }
    std::printf("profiles                   %d\n", profiles);
    std::printf("Socio index build          %.1f s\n", times.index_s);
    std::printf("PostgreSQL load            COPY %.1f s, keys %.1f s, VACUUM ANALYZE %.1f s\n",
                times.copy_s, times.after_load_s, times.analyze_s);
    std::printf(
        "FindPartners top %-4d      Socio p50 %.3f ms, p99 %.3f ms, CPU p50 %.3f ms (median of %d "
        "runs each); %.0f candidates scored in full on average\n",
        k, socio_p50, socio_p99, socio_cpu_p50, socio_repeats, socio_scored);
    std::printf(
        "same in one SQL query      PostgreSQL p50 %.0f ms, p99 %.0f ms, server CPU p50 %.0f ms "
        "(median of %d runs each)\n",
        pg_p50, pg_p99, pg_cpu_p50, pg_repeats);
    std::printf("ratio of the p50s          %.0fx elapsed, %.0fx CPU\n", pg_p50 / socio_p50,
                pg_cpu_p50 / socio_cpu_p50);
    std::printf(
        "same top %-4d              %d / %d (%d ranks reordered within ties, %d ties cut "
        "differently at rank %d)\n",
        k, same, samples, reordered, cut_ties, k);
    std::printf("same factor scores         %d partners, 14 factors each, within %g\n",
                factors_compared, kTolerance);
  }
  return same == samples ? 0 : 1;
}

}  // namespace
}  // namespace socio::bench

int main(int argc, char** argv) { return socio::bench::Main(argc, argv); }
