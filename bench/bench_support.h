// What the benchmark binaries share: a scratch directory, percentiles and the
// process's CPU time.
#ifndef SOCIO_BENCH_BENCH_SUPPORT_H_
#define SOCIO_BENCH_BENCH_SUPPORT_H_

#include <string>
#include <vector>

namespace socio::bench {

// A fresh directory under the system's temporary directory, removed with
// everything in it when the object goes. Exits the process if it cannot be made.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  std::string Join(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// The value below which a share p (0..1) of `values` lies; 0 if empty.
double Percentile(std::vector<double> values, double p);
double Median(std::vector<double> values);

// CPU time this process has used so far, user and system, in seconds.
double ProcessCpuSeconds();

}  // namespace socio::bench

#endif  // SOCIO_BENCH_BENCH_SUPPORT_H_
