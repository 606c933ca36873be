// libFuzzer harness: the input is a small UCI-HAR folder (UciHar.h) packed as four files separated by lines
// "----": body_acc_x_train.txt, body_acc_x_test.txt, y_train.txt, activity_labels.txt (y_test.txt is the
// training labels again). Only latentlab::Error may come out.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "FuzzFile.h"
#include "engine/core/Error.h"
#include "engine/data/UciHar.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::string parts[4];
  size_t start = 0;
  for (int i = 0; i < 4; ++i) {
    const size_t end = i < 3 ? text.find("\n----\n", start) : std::string::npos;
    parts[i] = text.substr(std::min(start, text.size()), end == std::string::npos ? std::string::npos : end - start);
    if (end == std::string::npos) break;
    start = end + 6;
  }
  namespace fs = std::filesystem;
  const fs::path root = fs::path(latentlab::fuzz::fuzzPath("har")) / "UCI HAR Dataset";
  fs::create_directories(root / "train" / "Inertial Signals");
  fs::create_directories(root / "test" / "Inertial Signals");
  auto write = [](const fs::path& p, const std::string& s) {
    std::ofstream(p, std::ios::binary | std::ios::trunc).write(s.data(), std::streamsize(s.size()));
  };
  write(root / "train" / "Inertial Signals" / "body_acc_x_train.txt", parts[0]);
  write(root / "test" / "Inertial Signals" / "body_acc_x_test.txt", parts[1]);
  write(root / "train" / "y_train.txt", parts[2]);
  write(root / "test" / "y_test.txt", parts[2]);
  write(root / "activity_labels.txt", parts[3]);
  try {
    const latentlab::DataSplit s = latentlab::loadUciHar(root.string());
    for (const latentlab::Dataset* d : {&s.train, &s.test})
      for (int l : d->labels)
        if (l < 0 || l >= d->classes) __builtin_trap();
  } catch (const latentlab::Error&) {
  }
  return 0;
}
