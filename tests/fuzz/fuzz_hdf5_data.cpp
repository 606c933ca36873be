// libFuzzer harness: the input is an HDF5 file (engine/io/Hdf5Data.h): its datasets listed, each read and
// taken as X and as y. Only latentlab::Error may come out. libhdf5 itself parses the file: a crash inside it
// (issue 12 found some in its metadata code) is a finding about libhdf5, reported as such.
#include <cstddef>
#include <cstdint>

#include "FuzzFile.h"
#include "engine/core/Error.h"
#include "engine/io/Hdf5Data.h"

// libhdf5 1.10.8 leaks a few hundred bytes when H5Oopen fails on a damaged object header (reproduced with the
// C API alone: H5Lvisit + H5Oopen, no Latentlab code): not a finding of this harness.
extern "C" const char* __lsan_default_suppressions() { return "leak:libhdf5\n"; }
// libhdf5 sizes a metadata buffer by what the file declares (2^51 bytes for a damaged local heap) and handles
// malloc's null as an error. Under ASan that malloc aborts instead: let it return null as it does in a release
// build, so only a crash that a user would see is a finding. A declared 11.9 GB fits in address space and
// would be granted, and then stop libFuzzer at its malloc limit (2 GB, the -rss_limit_mb default): above that
// size the allocator returns null, as a machine without that much memory would.
extern "C" const char* __asan_default_options() {
  return "allocator_may_return_null=1:max_allocation_size_mb=2048";
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = latentlab::fuzz::writeInput("fuzz.h5", data, size);
  try {
    const auto file = latentlab::openHdf5Arrays(path);
    for (const latentlab::ArrayInfo& info : file->list()) {
      try {
        const latentlab::RawArray a = file->read(info.name);
        try {
          latentlab::samplesFromArray(a);
        } catch (const latentlab::Error&) {
        }
        latentlab::labelsFromArray(a, -1, path);
      } catch (const latentlab::Error&) {
      }
    }
  } catch (const latentlab::Error&) {
  }
  return 0;
}
