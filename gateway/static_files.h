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
  // with its content type, an ETag of its content and "Cache-Control:
  // no-cache" (a browser keeps the file and asks each time whether it
  // changed); 404 with the JSON error body otherwise. When `if_none_match`
  // (the request's If-None-Match header: "*" or a list of entity tags) names
  // the file's ETag: 304, no body. Files are read at each request, so edits
  // show at once.
  ApiResponse Serve(absl::string_view raw_path, absl::string_view if_none_match = "") const;

 private:
  explicit StaticFiles(std::filesystem::path root) : root_(std::move(root)) {}

  std::filesystem::path root_;  // canonical
};

// By extension, case-insensitive: .html text/html, .js and .mjs
// text/javascript, .css, .svg, .png, .ico, .json, and a few more;
// application/octet-stream for the rest. Text types say charset=utf-8.
std::string ContentTypeOf(const std::filesystem::path& file);

// A strong entity tag of `content`: its length and a 64-bit FNV-1a hash, in
// hex and in quotes ("\"1f-8c7a...\""). The same content has the same tag in
// every process.
std::string EntityTagOf(absl::string_view content);

// Whether an If-None-Match header value names `etag`: "*", or a
// comma-separated list of entity tags one of which is `etag` (compared
// weakly, as RFC 9110 asks for If-None-Match: a W/ prefix is ignored).
bool IfNoneMatchNames(absl::string_view if_none_match, absl::string_view etag);

}  // namespace socio::gateway

#endif  // SOCIO_GATEWAY_STATIC_FILES_H_
