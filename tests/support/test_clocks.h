// Clocks the tests hand to stores and servers that take one, so that time can
// be moved on without waiting:
//
//   socio::testing::ShiftedClock clock;  // the real time, plus what was added
//   options.clock = [&clock] { return clock.Now(); };
//   clock.Advance(absl::Hours(2));       // two hours on, at once
//
// Thread-safe: servers read them from their own threads.
#ifndef SOCIO_TESTS_SUPPORT_TEST_CLOCKS_H_
#define SOCIO_TESTS_SUPPORT_TEST_CLOCKS_H_

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace socio::testing {

// The real time plus the sum of what Advance added: for tests against a real
// server, whose other parts (tokens, deadlines) keep the real time.
class ShiftedClock {
 public:
  absl::Time Now() const {
    absl::MutexLock lock(&mu_);
    return absl::Now() + shift_;
  }
  void Advance(absl::Duration d) {
    absl::MutexLock lock(&mu_);
    shift_ += d;
  }

 private:
  mutable absl::Mutex mu_;
  absl::Duration shift_;
};

// Starts at 2027-01-01T00:00:00Z and moves only when told: for stores, whose
// answers then depend on nothing but the test.
class FixedClock {
 public:
  absl::Time Now() const {
    absl::MutexLock lock(&mu_);
    return now_;
  }
  void Advance(absl::Duration d) {
    absl::MutexLock lock(&mu_);
    now_ += d;
  }

 private:
  mutable absl::Mutex mu_;
  absl::Time now_ = absl::FromUnixSeconds(1798761600);  // 2027-01-01
};

}  // namespace socio::testing

#endif  // SOCIO_TESTS_SUPPORT_TEST_CLOCKS_H_
