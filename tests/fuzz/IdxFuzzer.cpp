// libFuzzer harness: the input is an IDX file's bytes, raw or gzip (the reader tells them apart by the gzip
// magic), read as images and as labels. Only latentlab::Error may come out; any crash, sanitizer report,
// other exception or an allocation over libFuzzer's limit is a finding.
#include <cstddef>
#include <cstdint>

#include "engine/core/Error.h"
#include "engine/data/IdxReader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    latentlab::parseIdxImages(data, size, "fuzz-images");
  } catch (const latentlab::Error&) {
  }
  try {
    latentlab::parseIdxLabels(data, size, "fuzz-labels");
  } catch (const latentlab::Error&) {
  }
  return 0;
}
