// libFuzzer harness: the input is a model file. readModelFile takes a path, so the input goes to a
// temporary file first; a file it accepts is also instantiated. Only latentlab::Error may come out; any
// crash (in the reader or in libhdf5), sanitizer report or other exception (std::bad_alloc...) is a finding.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "engine/core/Error.h"
#include "engine/io/ModelFile.h"

// libhdf5 sizes metadata buffers by what the file declares and handles malloc's null as an error; under ASan
// that malloc would abort instead (see fuzz_hdf5_data.cpp). Our own oversized allocations still show: new
// throws std::bad_alloc, which is not a latentlab::Error. Above libFuzzer's malloc limit (2 GB) the allocator
// returns null, as a machine without that much memory would.
extern "C" const char* __asan_default_options() {
  return "allocator_may_return_null=1:max_allocation_size_mb=2048";
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = [] {
    const char* tmp = std::getenv("TMPDIR");
    return std::string(tmp && *tmp ? tmp : "/tmp") + "/latentlab-fuzz-model-" + std::to_string(::getpid()) + ".h5";
  }();
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) std::abort();
  if (size && std::fwrite(data, 1, size, f) != size) std::abort();
  std::fclose(f);
  try {
    const latentlab::ModelFile file = latentlab::readModelFile(path);
    latentlab::instantiateModel(file);
  } catch (const latentlab::Error&) {
  }
  return 0;
}
