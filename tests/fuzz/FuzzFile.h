#pragma once
// For the data-reader harnesses: the fuzzer's bytes written to a file the reader opens by path, one per
// process under TMPDIR (scripts/fuzz.sh gives each harness its own), rewritten for every input.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

namespace latentlab::fuzz {

inline std::string fuzzPath(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("latentlab-fuzz-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  return (dir / name).string();
}

inline std::string writeInput(const std::string& name, const uint8_t* data, size_t size) {
  const std::string path = fuzzPath(name);
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(reinterpret_cast<const char*>(data), std::streamsize(size));
  return path;
}

}  // namespace latentlab::fuzz
