// libFuzzer harness: the input is a label file's text. Only latentlab::Error may come out; a file that is
// accepted must come back unchanged through the writer's text (what is read can always be written again).
// The first byte chooses whether the harness reseals the text first (puts the right checksum into its last
// '# end' line), so that mutations reach the row parser instead of stopping at the checksum.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "engine/core/Error.h"
#include "engine/data/LabelFile.h"

namespace {

std::string fnv(const std::string& text, size_t from, size_t to) {
  uint64_t h = 1469598103934665603ULL;
  for (size_t i = from; i < to; ++i) {
    h ^= static_cast<unsigned char>(text[i]);
    h *= 1099511628211ULL;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "fnv1a64:%016llx", static_cast<unsigned long long>(h));
  return buf;
}

// Replaces the checksum of the last "# end COUNT SUM" line by the one the text needs (version 1: from the
// third line on; version 2: everything before the end line).
void reseal(std::string& text) {
  const size_t end = text.rfind("\n# end ");
  if (end == std::string::npos) return;
  const size_t line = end + 1, count = line + 6, space = text.find(' ', count);
  if (space == std::string::npos) return;
  size_t from = 0;
  if (text.rfind("# latentlab labels 1\n", 0) == 0) {
    const size_t second = text.find('\n', 21);
    if (second == std::string::npos || second + 1 > line) return;
    from = second + 1;
  }
  const size_t stop = text.find('\n', space);
  text.replace(space + 1, (stop == std::string::npos ? text.size() : stop) - space - 1, fnv(text, from, line));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  if (data[0] & 1) reseal(text);
  latentlab::LabelFileContent c;
  try {
    c = latentlab::parseLabelFile(text, "fuzz.csv");
  } catch (const latentlab::Error&) {
    return 0;
  }
  const latentlab::LabelFileContent back = latentlab::parseLabelFile(latentlab::labelFileText(c), "written.csv");
  if (back.datasetFingerprint != c.datasetFingerprint || back.entries.size() != c.entries.size()) std::abort();
  for (size_t i = 0; i < c.entries.size(); ++i)
    if (back.entries[i].index != c.entries[i].index || back.entries[i].label != c.entries[i].label ||
        back.entries[i].source != c.entries[i].source)
      std::abort();
  return 0;
}
