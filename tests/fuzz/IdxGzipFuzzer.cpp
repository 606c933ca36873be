// libFuzzer harness: the input, gzip-compressed here, is read as an IDX file, so that every mutation reaches
// the IDX checks through the gzip path with a valid stream (mutations of compressed bytes mostly stop at
// the gzip decoder, which IdxFuzzer covers). The first byte chooses what follows the stream: nothing, a
// second member holding the rest, or bytes of trailing garbage.
#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/core/Error.h"
#include "engine/data/IdxReader.h"

namespace {

std::vector<uint8_t> gzip(const uint8_t* data, size_t size) {
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::vector<uint8_t> out(deflateBound(&z, uLong(size)) + 32);
  z.next_in = const_cast<uint8_t*>(data);
  z.avail_in = unsigned(size);
  z.next_out = out.data();
  z.avail_out = unsigned(out.size());
  deflate(&z, Z_FINISH);
  out.resize(out.size() - z.avail_out);
  deflateEnd(&z);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const uint8_t mode = data[0] % 3;
  ++data, --size;
  std::vector<uint8_t> file;
  if (mode == 1 && size >= 2) {  // two members: split at a place the second byte chooses
    const size_t cut = 1 + data[0] % (size - 1);
    file = gzip(data + 1, cut - 1);
    const auto rest = gzip(data + cut, size - cut);
    file.insert(file.end(), rest.begin(), rest.end());
  } else {
    file = gzip(data, size);
    if (mode == 2) file.insert(file.end(), {0x1f, 0x8b, 0x08, 0x00});  // the start of a member, cut off
  }
  try {
    latentlab::parseIdxImages(file.data(), file.size(), "fuzz-images.gz");
  } catch (const latentlab::Error&) {
  }
  try {
    latentlab::parseIdxLabels(file.data(), file.size(), "fuzz-labels.gz");
  } catch (const latentlab::Error&) {
  }
  return 0;
}
