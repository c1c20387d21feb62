// Replays a fuzz target's corpus without libFuzzer, so ordinary builds (gcc,
// no sanitizers needed) keep every seed and every input that once crashed
// passing:
//
//   planner_replay tests/fuzz/corpus/planner      # every file, in name order
//   planner_replay crash-1234 other-input          # files or directories
//
// Exits 0 once all inputs have run; a failed invariant aborts inside the
// target, naming the file just started on stderr. Exits 2 if an argument
// cannot be read or no input was found.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

// Regular files at `path` (itself, or the files under it), sorted by name.
bool CollectInputs(const std::filesystem::path& path, std::vector<std::filesystem::path>* inputs) {
  std::error_code error;
  if (std::filesystem::is_regular_file(path, error)) {
    inputs->push_back(path);
    return true;
  }
  if (!std::filesystem::is_directory(path, error)) return false;
  std::vector<std::filesystem::path> found;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(path, error)) {
    if (entry.is_regular_file()) found.push_back(entry.path());
  }
  if (error) return false;
  std::sort(found.begin(), found.end());
  inputs->insert(inputs->end(), found.begin(), found.end());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::filesystem::path> inputs;
  for (int i = 1; i < argc; ++i) {
    if (!CollectInputs(argv[i], &inputs)) {
      std::fprintf(stderr, "%s: cannot read %s\n", argv[0], argv[i]);
      return 2;
    }
  }
  if (inputs.empty()) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR_OR_FILE...  (found no input)\n", argv[0]);
    return 2;
  }
  for (const std::filesystem::path& input : inputs) {
    std::ifstream in(input, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) {
      std::fprintf(stderr, "%s: cannot read %s\n", argv[0], input.c_str());
      return 2;
    }
    std::fprintf(stderr, "running %s (%zu bytes)\n", input.c_str(), bytes.size());
    // A copy on the heap of exactly its size, so ASan sees reads past the end.
    std::vector<uint8_t> data(bytes.begin(), bytes.end());
    LLVMFuzzerTestOneInput(data.data(), data.size());
  }
  std::printf("%zu inputs passed\n", inputs.size());
  return 0;
}
