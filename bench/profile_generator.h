// Deterministic generator of realistic member profiles, for benchmarks, load
// tests, demos and the `socio-gen` tool.
//
// The profiles look like the membership of the chambers of commerce that use
// Socio: companies in about 30 countries weighted like the trade partners of
// European and American chambers, members of real-looking chambers
// ("ihk-muenchen", "canaco-cdmx"), with names, legal forms, cities and
// coordinates that fit their country, NACE Rev. 2 sectors (mostly
// manufacturing, wholesale, ICT and professional services), mostly SME sizes,
// and objectives that complement each other across countries: producers SEEK
// distributors in their target markets, wholesalers there OFFER distribution
// for the producers' sectors, component makers OFFER the SUPPLY that machine
// builders SEEK, and so on. Every profile passes
// socio::storage::ProfileValidator::Normalize unchanged; output-only fields stay unset.
//
//   socio::bench::ProfileGenerator generator({.seed = 42});
//   for (int i = 0; i < 1000; ++i) {
//     socio::v1::Profile profile = generator.Next();  // ids "de-0000000", "mx-0000001", ...
//     ...
//   }
//
// A profile depends only on the seed and its index: the same seed gives
// byte-identical profiles on every run and platform (no clock, no std::
// distributions, no iteration over hashed containers).
#ifndef SOCIO_BENCH_PROFILE_GENERATOR_H_
#define SOCIO_BENCH_PROFILE_GENERATOR_H_

#include <cstdint>

#include "socio/v1/profile.pb.h"

namespace socio::bench {

struct GeneratorOptions {
  // Selects the sequence of profiles. Default: 1.
  uint64_t seed = 1;
};

// Not thread-safe for Next(); Generate() is const and may be called from many
// threads at once.
class ProfileGenerator {
 public:
  explicit ProfileGenerator(const GeneratorOptions& options);

  // The i-th call returns profile number i (0-based), the same as Generate(i).
  socio::v1::Profile Next();

  // Profile number `index` of this seed, without generating the ones before
  // it. Its id is "<country in lower case>-<index, at least 7 digits>", so ids
  // are unique for a seed.
  socio::v1::Profile Generate(uint64_t index) const;

 private:
  uint64_t seed_;
  uint64_t next_index_ = 0;
};

}  // namespace socio::bench

#endif  // SOCIO_BENCH_PROFILE_GENERATOR_H_
