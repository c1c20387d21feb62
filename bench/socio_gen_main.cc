// socio-gen: writes generated member profiles as JSONL (the proto JSON
// mapping, one profile per line), ready for `socio profiles import`.
//
//   socio-gen --count 1000000 --seed 1 --output profiles.jsonl
//
// The same --seed gives the same output, byte for byte, whatever --threads is
// (see bench/profile_generator.h). Without --output the profiles go to stdout.
#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "CLI/CLI.hpp"
#include "bench/profile_generator.h"
#include "google/protobuf/util/json_util.h"

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

}  // namespace

int main(int argc, char** argv) {
  uint64_t count = 0;
  uint64_t seed = 1;
  std::string output;
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  CLI::App app{"socio-gen: writes generated member profiles as JSONL"};
  app.add_option("--count", count, "number of profiles")->required();
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
