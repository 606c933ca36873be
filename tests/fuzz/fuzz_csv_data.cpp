// libFuzzer harness: the input is a CSV data file (CsvData.h); its first byte picks the label column and header
// options, the rest is the file. The labels then go through the class assignment (ClassLabels.h). Only
// latentlab::Error may come out.
#include <cstddef>
#include <cstdint>

#include "FuzzFile.h"
#include "engine/core/Error.h"
#include "engine/data/ClassLabels.h"
#include "engine/data/CsvData.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const char* kLabel[] = {"", "none", "last", "0", "1", "label", "species", "7"};
  static const latentlab::HeaderMode kHeader[] = {latentlab::HeaderMode::Auto, latentlab::HeaderMode::Yes,
                                                  latentlab::HeaderMode::No};
  latentlab::CsvOptions options;
  options.labelColumn = kLabel[data[0] & 7];
  options.header = kHeader[(data[0] >> 3) % 3];
  const std::string path = latentlab::fuzz::writeInput("fuzz.csv", data + 1, size - 1);
  try {
    latentlab::CsvData c = latentlab::readCsv(path, options);
    latentlab::Dataset train, test;
    train.x = c.x;
    const std::vector<std::string> declared =
        (data[0] & 0x80) ? std::vector<std::string>{"a", "b", "1"} : std::vector<std::string>{};
    latentlab::assignClasses(c.labels, latentlab::RawLabels{}, declared, "classes.txt", train, test);
    for (int l : train.labels)
      if (l < 0 || l >= train.classes) __builtin_trap();
  } catch (const latentlab::Error&) {
  }
  return 0;
}
