#include "gateway/static_files.h"

#include <cstdint>
#include <fstream>
#include <iterator>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
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

ApiResponse StaticFiles::Serve(absl::string_view raw_path, absl::string_view if_none_match) const {
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
  std::string etag = EntityTagOf(response.body);
  if (!if_none_match.empty() && IfNoneMatchNames(if_none_match, etag)) {
    response.status = 304;
    response.body.clear();
  }
  response.headers.emplace_back("ETag", std::move(etag));
  response.headers.emplace_back("Cache-Control", "no-cache");
  return response;
}

std::string EntityTagOf(absl::string_view content) {
  uint64_t hash = 14695981039346656037ull;  // FNV-1a, 64 bits
  for (const char c : content) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  return absl::StrCat("\"", absl::Hex(content.size()), "-", absl::Hex(hash, absl::kZeroPad16),
                      "\"");
}

bool IfNoneMatchNames(absl::string_view if_none_match, absl::string_view etag) {
  for (absl::string_view tag : absl::StrSplit(if_none_match, ',')) {
    tag = absl::StripAsciiWhitespace(tag);
    if (tag == "*") return true;
    absl::ConsumePrefix(&tag, "W/");
    if (tag == etag) return true;
  }
  return false;
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
