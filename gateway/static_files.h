// The web console's files, served by the gateway for GET requests outside
// /api/. "/" and any directory serve its index.html. A path is refused (404,
// as if the file did not exist) when a segment is empty after decoding,
// holds '/' or NUL, or starts with '.' (so "..", "." and hidden files), or
// when it resolves, through symbolic links, to something outside the root.
//
//   absl::StatusOr<StaticFiles> files = StaticFiles::Open("clients/web");
//   ApiResponse response = files->Serve("/static/app.js");
//
// Internal to the gateway (gateway/).
#ifndef SOCIO_GATEWAY_STATIC_FILES_H_
#define SOCIO_GATEWAY_STATIC_FILES_H_

#include <filesystem>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gateway/router.h"

namespace socio::gateway {

class StaticFiles {
 public:
  // INVALID_ARGUMENT naming web_dir if `dir` is not a directory.
  static absl::StatusOr<StaticFiles> Open(const std::string& dir);

  // The file `raw_path` (as sent, percent-encoded, without the query) names,
  // with its content type; 404 with the JSON error body otherwise. Files
  // are read at each request, so edits show at once.
  ApiResponse Serve(absl::string_view raw_path) const;

 private:
  explicit StaticFiles(std::filesystem::path root) : root_(std::move(root)) {}

  std::filesystem::path root_;  // canonical
};

// By extension, case-insensitive: .html text/html, .js and .mjs
// text/javascript, .css, .svg, .png, .ico, .json, and a few more;
// application/octet-stream for the rest. Text types say charset=utf-8.
std::string ContentTypeOf(const std::filesystem::path& file);

}  // namespace socio::gateway

#endif  // SOCIO_GATEWAY_STATIC_FILES_H_
