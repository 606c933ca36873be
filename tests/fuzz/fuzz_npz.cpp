// libFuzzer harness: the input is an .npz (a zip of .npy entries: ZipArchive.h, NumpyFile.h): its directory
// listed, every array read and taken as X. Only latentlab::Error may come out.
#include <cstddef>
#include <cstdint>

#include "FuzzFile.h"
#include "engine/core/Error.h"
#include "engine/data/NumpyFile.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = latentlab::fuzz::writeInput("fuzz.npz", data, size);
  try {
    const latentlab::NpzFile npz(path);
    try {
      npz.list();
    } catch (const latentlab::Error&) {
    }
    for (const std::string& name : npz.names()) {
      try {
        latentlab::samplesFromArray(npz.read(name));
      } catch (const latentlab::Error&) {
      }
    }
  } catch (const latentlab::Error&) {
  }
  return 0;
}
