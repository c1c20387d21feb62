// socio-gen: writes generated member profiles as JSONL (the proto JSON
// mapping, one profile per line), ready for `socio profiles import`.
//
//   socio-gen --count 1000000 --seed 1 --output profiles.jsonl
//
// The same --seed gives the same output, byte for byte, whatever --threads is
// (see bench/profile_generator.h). Without --output the profiles go to stdout.
//
// With --outcomes N it writes N simulated meeting outcomes instead, labelled
// from a hidden "true" weight vector plus noise (bench/outcome_simulator.h),
// one JSON object a line:
//
//   socio-gen --count 2000 --outcomes 1000 --noise 0.03 --seed 1 --output outcomes.jsonl
//             [--true_weights 0.2,0.3,0.1,0.05,0.25,0.05,0.05] [--partners 8]
#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "CLI/CLI.hpp"
#include "bench/outcome_simulator.h"
#include "bench/profile_generator.h"
#include "google/protobuf/util/json_util.h"
#include "reference/reference_data.h"

namespace {

// Profiles per round; each thread converts a contiguous part of a round into
// its own buffer, and the buffers are written in order.
constexpr uint64_t kRoundSize = 16384;

struct Part {
  uint64_t first = 0;
  uint64_t end = 0;
  std::string jsonl;
  std::string error;  // empty: all converted
};

void Convert(const socio::bench::ProfileGenerator& generator, Part& part) {
  part.jsonl.clear();
  std::string line;
  for (uint64_t i = part.first; i < part.end; ++i) {
    line.clear();
    const google::protobuf::util::Status status =
        google::protobuf::util::MessageToJsonString(generator.Generate(i), &line);
    if (!status.ok()) {
      part.error = "profile " + std::to_string(i) + ": " + status.ToString();
      return;
    }
    part.jsonl.append(line);
    part.jsonl.push_back('\n');
  }
}

// Writes the simulated outcomes; false (with the reason on stderr) on error.
bool WriteOutcomes(const socio::bench::SimulationOptions& options, std::FILE* out,
                   const std::string& output_name) {
  absl::StatusOr<std::shared_ptr<const socio::reference::ReferenceData>> reference =
      socio::reference::ReferenceData::Load({});
  if (!reference.ok()) {
    std::fprintf(stderr, "socio-gen: reference data: %s\n", reference.status().ToString().c_str());
    return false;
  }
  absl::StatusOr<std::vector<socio::learning::Outcome>> outcomes = socio::bench::SimulateOutcomes(
      std::make_shared<const socio::matcher::ScoringTables>(*reference), options);
  if (!outcomes.ok()) {
    std::fprintf(stderr, "socio-gen: %s\n", std::string(outcomes.status().message()).c_str());
    return false;
  }
  for (const socio::learning::Outcome& outcome : *outcomes) {
    const std::string line = socio::bench::OutcomeJson(outcome) + "\n";
    if (std::fwrite(line.data(), 1, line.size(), out) != line.size()) {
      std::fprintf(stderr, "socio-gen: writing %s: %s\n", output_name.c_str(),
                   std::strerror(errno));
      return false;
    }
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t count = 0;
  uint64_t seed = 1;
  std::string output;
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  int outcomes = 0;
  std::string true_weights = "0.2,0.3,0.1,0.05,0.25,0.05,0.05";
  socio::bench::SimulationOptions simulation;
  CLI::App app{
      "socio-gen: writes generated member profiles as JSONL, or with --outcomes simulated "
      "meeting outcomes"};
  app.footer(
      "Outcome mode (--outcomes N): --count profiles are generated and indexed; members drawn at "
      "random, one a day, get their top --partners partners as FindPartners proposes them under "
      "the default weights; each pair is labelled positive when its reciprocal score under "
      "--true_weights plus Gaussian noise (--noise) is among the --positive_share highest. One "
      "JSON object a line:\n"
      "  {\"member_id\":\"de-0000001\",\"partner_id\":\"mx-0000042\","
      "\"recorded_seconds\":1795000000,\"positive\":true,\"forward\":[...],\"backward\":[...]}\n"
      "forward (member -> partner) and backward (partner -> member) hold the seven factor scores "
      "in the order objective, market, sector, culture, text, size, freshness; recorded_seconds "
      "is Unix seconds. The same --seed gives the same output.");
  app.add_option("--count", count, "number of profiles (in outcome mode: members indexed)")
      ->required();
  app.add_option("--outcomes", outcomes, "write this many simulated outcomes instead of profiles")
      ->check(CLI::PositiveNumber);
  app.add_option("--true_weights", true_weights,
                 "outcome mode: the hidden weights labelling outcomes, seven comma-separated "
                 "numbers (objective,market,sector,culture,text,size,freshness)")
      ->capture_default_str();
  app.add_option("--noise", simulation.noise,
                 "outcome mode: standard deviation of the noise on the true reciprocal score")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  app.add_option("--positive_share", simulation.positive_share,
                 "outcome mode: share of outcomes labelled positive")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--partners", simulation.partners_per_member,
                 "outcome mode: partners proposed to each drawn member")
      ->capture_default_str()
      ->check(CLI::Range(1, 100));
  app.add_option("--seed", seed, "selects the sequence of profiles")->capture_default_str();
  app.add_option("--output", output, "file to write (default: stdout)");
  app.add_option("--threads", threads, "threads converting profiles to JSON")
      ->capture_default_str()
      ->check(CLI::Range(1u, 256u));
  // CLI11_PARSE, but with exit status 1 for every usage error (CLI11 reports
  // them by exception; nothing else here throws).
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 1;
  }

  const std::string output_name = output.empty() ? "stdout" : output;
  std::FILE* out = output.empty() ? stdout : std::fopen(output.c_str(), "wb");
  if (out == nullptr) {
    std::fprintf(stderr, "socio-gen: opening %s: %s\n", output.c_str(), std::strerror(errno));
    return 1;
  }

  if (outcomes > 0) {
    absl::StatusOr<socio::matcher::Weights> truth =
        socio::bench::ParseWeights(true_weights, "--true_weights");
    if (!truth.ok()) {
      std::fprintf(stderr, "socio-gen: %s\n", std::string(truth.status().message()).c_str());
      if (out != stdout) std::fclose(out);
      return 1;
    }
    simulation.seed = seed;
    simulation.members = static_cast<int>(std::min<uint64_t>(count, 1u << 30));
    simulation.outcomes = outcomes;
    simulation.truth = *truth;
    bool ok = WriteOutcomes(simulation, out, output_name);
    if (ok && std::fflush(out) != 0) {
      std::fprintf(stderr, "socio-gen: writing %s: %s\n", output_name.c_str(),
                   std::strerror(errno));
      ok = false;
    }
    if (out != stdout && std::fclose(out) != 0 && ok) {
      std::fprintf(stderr, "socio-gen: closing %s: %s\n", output_name.c_str(),
                   std::strerror(errno));
      ok = false;
    }
    return ok ? 0 : 1;
  }

  const socio::bench::ProfileGenerator generator({.seed = seed});
  std::vector<Part> parts(threads);
  bool ok = true;
  for (uint64_t round = 0; round < count && ok; round += kRoundSize) {
    const uint64_t round_end = std::min(count, round + kRoundSize);
    const uint64_t per_part = (round_end - round + threads - 1) / threads;
    std::vector<std::thread> workers;
    for (unsigned t = 0; t < threads; ++t) {
      parts[t].first = std::min(round_end, round + t * per_part);
      parts[t].end = std::min(round_end, parts[t].first + per_part);
      if (t + 1 == threads) {
        Convert(generator, parts[t]);  // this thread takes the last part
      } else {
        workers.emplace_back(Convert, std::cref(generator), std::ref(parts[t]));
      }
    }
    for (std::thread& worker : workers) worker.join();
    for (const Part& part : parts) {
      if (!part.error.empty()) {
        std::fprintf(stderr, "socio-gen: %s\n", part.error.c_str());
        ok = false;
        break;
      }
      if (std::fwrite(part.jsonl.data(), 1, part.jsonl.size(), out) != part.jsonl.size()) {
        std::fprintf(stderr, "socio-gen: writing %s: %s\n", output_name.c_str(),
                     std::strerror(errno));
        ok = false;
        break;
      }
    }
  }
  if (ok && std::fflush(out) != 0) {
    std::fprintf(stderr, "socio-gen: writing %s: %s\n", output_name.c_str(), std::strerror(errno));
    ok = false;
  }
  if (out != stdout && std::fclose(out) != 0 && ok) {
    std::fprintf(stderr, "socio-gen: closing %s: %s\n", output_name.c_str(), std::strerror(errno));
    ok = false;
  }
  return ok ? 0 : 1;
}
