#pragma once
// A short fingerprint of a data set's content (pixels and labels), stored with a model so that a model file
// says what it was trained on and a resumed run can refuse a different data set.
#include <cstdint>
#include <cstdio>
#include <string>

#include "engine/data/Dataset.h"

namespace latentlab {

inline std::string fingerprint(const Dataset& d) {
  uint64_t h = 1469598103934665603ULL;  // FNV-1a, 64 bits
  auto mix = [&h](const void* data, size_t bytes) {
    const auto* p = static_cast<const unsigned char*>(data);
    for (size_t i = 0; i < bytes; ++i) {
      h ^= p[i];
      h *= 1099511628211ULL;
    }
  };
  const int32_t dims[3] = {d.features(), d.size(), d.classes};
  mix(dims, sizeof dims);
  mix(d.x.data(), sizeof(float) * size_t(d.x.size()));
  mix(d.labels.data(), sizeof(int) * d.labels.size());
  char buf[32];
  std::snprintf(buf, sizeof buf, "fnv1a64:%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace latentlab
