// libFuzzer harness: the input is a UEA/UCR .ts file, read and resampled to its longest series (TsFile.h).
// Only latentlab::Error may come out; any crash, sanitizer report, other exception or an allocation over
// libFuzzer's limit is a finding.
#include <cstddef>
#include <cstdint>

#include "FuzzFile.h"
#include "engine/core/Error.h"
#include "engine/data/TsFile.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = latentlab::fuzz::writeInput("fuzz_TRAIN.ts", data, size);
  try {
    const latentlab::TsFile f = latentlab::readTsFile(path);
    const latentlab::Dataset d = latentlab::tsToDataset(f, f.maxLength);
    if (!d.x.allFinite()) __builtin_trap();  // missing values must all be filled
  } catch (const latentlab::Error&) {
  }
  return 0;
}
