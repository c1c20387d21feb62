// A fresh directory under the system's temporary directory, removed with
// everything in it when the object goes away. Tests never write elsewhere.
#ifndef SOCIO_TESTS_SUPPORT_TEMP_DIR_H_
#define SOCIO_TESTS_SUPPORT_TEMP_DIR_H_

#include <string>

namespace socio::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // path() + "/" + name.
  std::string Join(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace socio::testing

#endif  // SOCIO_TESTS_SUPPORT_TEMP_DIR_H_
