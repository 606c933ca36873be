// libFuzzer harness: the input is a CSV to import against ten named classes and 1000 training samples.
// Only latentlab::Error may come out; an accepted import has one entry per index, every index and label in
// range, and rows = entries + duplicates.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>

#include "engine/core/Error.h"
#include "engine/data/LabelFile.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<std::string> names{"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                              "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
  latentlab::LabelCsvImport r;
  try {
    r = latentlab::parseLabelsCsv(std::string(reinterpret_cast<const char*>(data), size), "fuzz.csv", names, 1000);
  } catch (const latentlab::Error&) {
    return 0;
  }
  std::set<int> seen;
  for (const auto& e : r.entries) {
    if (e.index < 0 || e.index >= 1000 || e.label < 0 || e.label >= 10 || !seen.insert(e.index).second) std::abort();
  }
  if (r.rows != int(r.entries.size()) + r.duplicates || r.rows == 0) std::abort();
  return 0;
}
