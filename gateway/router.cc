#include "gateway/router.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gateway/json.h"

namespace socio::gateway {
namespace {

bool IsParameter(absl::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// Splits "/a/b:verb" into {"a", "b"} and "verb". The verb is what follows
// the last ':' of the last segment, as Google's APIs have it.
void SplitPath(absl::string_view path, std::vector<std::string>* segments, std::string* verb) {
  absl::ConsumePrefix(&path, "/");
  *segments = absl::StrSplit(path, '/');
  verb->clear();
  std::string& last = segments->back();
  if (const size_t colon = last.rfind(':'); colon != std::string::npos) {
    *verb = last.substr(colon + 1);
    last.resize(colon);
  }
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The one value of query parameter `name`, or nullptr.
const std::string* QueryValue(const ApiRequest& request, absl::string_view name) {
  auto it = request.query.find(std::string(name));
  return it == request.query.end() ? nullptr : &it->second;
}

absl::Status NotA(absl::string_view name, absl::string_view value, absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("query parameter ", name, ": '", value, "' is not ", what));
}

}  // namespace

void Router::Add(absl::string_view method, absl::string_view pattern, Handler handler) {
  Route route;
  route.method = std::string(method);
  SplitPath(absl::StrCat(prefix_, pattern), &route.segments, &route.verb);
  route.handler = std::move(handler);
  routes_.push_back(std::move(route));
}

ApiResponse Router::Dispatch(absl::string_view method, absl::string_view raw_path,
                             ApiRequest* request) const {
  const absl::string_view routed_method = method == "HEAD" ? "GET" : method;
  std::vector<std::string> segments;
  std::string verb;
  SplitPath(raw_path, &segments, &verb);
  std::vector<std::string> allowed;
  for (const Route& route : routes_) {
    if (route.segments.size() != segments.size() || route.verb != verb) continue;
    bool matches = true;
    for (size_t i = 0; i < segments.size() && matches; ++i) {
      matches =
          IsParameter(route.segments[i]) ? !segments[i].empty() : route.segments[i] == segments[i];
    }
    if (!matches) continue;
    if (route.method != routed_method) {
      allowed.push_back(route.method);
      continue;
    }
    request->path_params.clear();
    for (size_t i = 0; i < segments.size(); ++i) {
      if (!IsParameter(route.segments[i])) continue;
      absl::StatusOr<std::string> value = PercentDecode(segments[i]);
      if (!value.ok()) return ErrorResponse(value.status());
      const std::string& name = route.segments[i];
      request->path_params[name.substr(1, name.size() - 2)] = *std::move(value);
    }
    return route.handler(*request);
  }
  if (allowed.empty()) {
    return ErrorResponse(absl::NotFoundError(absl::StrCat("no route for ", method, " ", raw_path)));
  }
  std::sort(allowed.begin(), allowed.end());
  ApiResponse response =
      ErrorResponse(405, absl::UnimplementedError(absl::StrCat(
                             raw_path, " takes ", absl::StrJoin(allowed, ", "), ", not ", method)));
  response.headers.emplace_back("Allow", absl::StrJoin(allowed, ", "));
  return response;
}

absl::StatusOr<std::string> PercentDecode(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    const int high = i + 2 < text.size() ? HexValue(text[i + 1]) : -1;
    const int low = high >= 0 ? HexValue(text[i + 2]) : -1;
    if (low < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("'", text, "' has a '%' not followed by two hex digits"));
    }
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

absl::StatusOr<std::multimap<std::string, std::string>> ParseQuery(absl::string_view query) {
  std::multimap<std::string, std::string> params;
  for (absl::string_view pair : absl::StrSplit(query, '&', absl::SkipEmpty())) {
    std::pair<std::string, std::string> raw = absl::StrSplit(pair, absl::MaxSplits('=', 1));
    std::replace(raw.first.begin(), raw.first.end(), '+', ' ');
    std::replace(raw.second.begin(), raw.second.end(), '+', ' ');
    absl::StatusOr<std::string> name = PercentDecode(raw.first);
    if (!name.ok()) return name.status();
    absl::StatusOr<std::string> value = PercentDecode(raw.second);
    if (!value.ok()) return value.status();
    params.emplace(*std::move(name), *std::move(value));
  }
  return params;
}

absl::Status CheckQuery(const ApiRequest& request, std::initializer_list<absl::string_view> names) {
  for (auto it = request.query.begin(); it != request.query.end(); ++it) {
    if (std::find(names.begin(), names.end(), it->first) == names.end()) {
      return absl::InvalidArgumentError(
          names.size() == 0
              ? absl::StrCat("unknown query parameter '", it->first, "': this route takes none")
              : absl::StrCat("unknown query parameter '", it->first, "': this route takes ",
                             absl::StrJoin(names, ", ")));
    }
    if (request.query.count(it->first) > 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("query parameter ", it->first, " is given more than once"));
    }
  }
  return absl::OkStatus();
}

std::string QueryString(const ApiRequest& request, absl::string_view name) {
  const std::string* value = QueryValue(request, name);
  return value == nullptr ? "" : *value;
}

absl::Status QueryInt32(const ApiRequest& request, absl::string_view name, int32_t* value) {
  const std::string* text = QueryValue(request, name);
  if (text == nullptr) return absl::OkStatus();
  if (!absl::SimpleAtoi(*text, value)) return NotA(name, *text, "a 32-bit whole number");
  return absl::OkStatus();
}

absl::Status QueryInt64(const ApiRequest& request, absl::string_view name, int64_t* value) {
  const std::string* text = QueryValue(request, name);
  if (text == nullptr) return absl::OkStatus();
  if (!absl::SimpleAtoi(*text, value)) return NotA(name, *text, "a whole number");
  return absl::OkStatus();
}

absl::Status QueryBool(const ApiRequest& request, absl::string_view name, bool* value) {
  const std::string* text = QueryValue(request, name);
  if (text == nullptr) return absl::OkStatus();
  if (!absl::SimpleAtob(*text, value)) return NotA(name, *text, "true or false");
  return absl::OkStatus();
}

}  // namespace socio::gateway
