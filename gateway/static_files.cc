#include "gateway/static_files.h"

#include <fstream>
#include <iterator>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gateway/json.h"

namespace socio::gateway {
namespace {

namespace fs = std::filesystem;

ApiResponse NoFile(absl::string_view raw_path) {
  return ErrorResponse(absl::NotFoundError(absl::StrCat("no file ", raw_path)));
}

// Whether `path` is `root` or lies under it. Both canonical.
bool IsUnder(const fs::path& path, const fs::path& root) {
  auto p = path.begin();
  for (auto r = root.begin(); r != root.end(); ++r, ++p) {
    if (p == path.end() || *p != *r) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<StaticFiles> StaticFiles::Open(const std::string& dir) {
  std::error_code error;
  fs::path root = fs::canonical(dir, error);
  if (error || !fs::is_directory(root, error)) {
    return absl::InvalidArgumentError(absl::StrCat("web_dir: '", dir, "' is not a directory"));
  }
  return StaticFiles(std::move(root));
}

ApiResponse StaticFiles::Serve(absl::string_view raw_path) const {
  fs::path path = root_;
  for (absl::string_view segment : absl::StrSplit(raw_path, '/', absl::SkipEmpty())) {
    absl::StatusOr<std::string> name = PercentDecode(segment);
    if (!name.ok() || name->empty() || name->front() == '.' ||
        name->find_first_of(std::string("/\0", 2)) != std::string::npos) {
      return NoFile(raw_path);
    }
    path /= *name;
  }
  std::error_code error;
  if (fs::is_directory(path, error)) path /= "index.html";
  const fs::path real = fs::canonical(path, error);
  if (error || !IsUnder(real, root_) || !fs::is_regular_file(real, error)) return NoFile(raw_path);

  std::ifstream in(real, std::ios::binary);
  if (!in) return NoFile(raw_path);
  ApiResponse response;
  response.body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (in.bad()) {
    return ErrorResponse(absl::InternalError(absl::StrCat("cannot read ", raw_path)));
  }
  response.content_type = ContentTypeOf(path);
  return response;
}

std::string ContentTypeOf(const fs::path& file) {
  static const std::vector<std::pair<std::string, std::string>>& kTypes =
      *new std::vector<std::pair<std::string, std::string>>{
          {".html", "text/html; charset=utf-8"},
          {".htm", "text/html; charset=utf-8"},
          {".js", "text/javascript; charset=utf-8"},
          {".mjs", "text/javascript; charset=utf-8"},
          {".css", "text/css; charset=utf-8"},
          {".svg", "image/svg+xml"},
          {".png", "image/png"},
          {".ico", "image/x-icon"},
          {".json", "application/json"},
          {".map", "application/json"},
          {".txt", "text/plain; charset=utf-8"},
          {".jpg", "image/jpeg"},
          {".jpeg", "image/jpeg"},
          {".webp", "image/webp"},
          {".woff2", "font/woff2"},
          {".wasm", "application/wasm"},
      };
  const std::string extension = absl::AsciiStrToLower(file.extension().string());
  for (const auto& [suffix, type] : kTypes) {
    if (extension == suffix) return type;
  }
  return "application/octet-stream";
}

}  // namespace socio::gateway
