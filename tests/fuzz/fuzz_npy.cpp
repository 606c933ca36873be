// libFuzzer harness: the input is an .npy file (NumpyFile.h), read as X (ArrayData.h: every layout) and as y.
// Only latentlab::Error may come out.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/core/Error.h"
#include "engine/data/ArrayData.h"
#include "engine/data/NumpyFile.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::vector<uint8_t> bytes(data, data + size);
  try {
    const latentlab::RawArray a = latentlab::parseNpy(bytes, "fuzz.npy");
    for (auto layout : {latentlab::SampleLayout::Auto, latentlab::SampleLayout::Sequence}) {
      try {
        const latentlab::ArraySamples s = latentlab::samplesFromArray(a, layout);
        if (s.shape.features() != s.x.rows()) __builtin_trap();
      } catch (const latentlab::Error&) {
      }
    }
    latentlab::labelsFromArray(a, -1, "fuzz.npy");
  } catch (const latentlab::Error&) {
  }
  return 0;
}
