#pragma once
// Series helpers for the sequence readers: filling missing values and resampling to a common length, both by
// linear interpolation.
#include <cmath>
#include <cstddef>

namespace latentlab {

// Fills the NaN entries of v[0..n) by linear interpolation between the nearest known values on either side;
// a run at the start or the end takes the nearest known value. Returns false (v unchanged) when no value is
// known.
inline bool fillMissing(float* v, size_t n) {
  size_t prev = n;  // index of the last known value, n: none yet
  for (size_t i = 0; i < n; ++i) {
    if (std::isnan(v[i])) continue;
    if (prev == n) {
      for (size_t j = 0; j < i; ++j) v[j] = v[i];  // leading run
    } else if (i > prev + 1) {
      const float a = v[prev], b = v[i];
      for (size_t j = prev + 1; j < i; ++j) v[j] = a + (b - a) * float(j - prev) / float(i - prev);
    }
    prev = i;
  }
  if (prev == n) return false;
  for (size_t j = prev + 1; j < n; ++j) v[j] = v[prev];  // trailing run
  return true;
}

// Linear interpolation of in[0..m) (m >= 1) onto `steps` points spanning the same interval:
// out[t * stride] = in at position s = t (m - 1) / (steps - 1). m == steps copies; m == 1 repeats the value.
inline void resampleLinear(const float* in, size_t m, float* out, size_t steps, size_t stride) {
  if (steps == 0) return;
  if (m == steps || m == 1 || steps == 1) {
    for (size_t t = 0; t < steps; ++t) out[t * stride] = in[m == steps ? t : 0];
    return;
  }
  const double scale = double(m - 1) / double(steps - 1);
  for (size_t t = 0; t < steps; ++t) {
    const double s = double(t) * scale;
    size_t k = size_t(s);
    if (k >= m - 1) k = m - 2;
    const float w = float(s - double(k));
    out[t * stride] = in[k] + (in[k + 1] - in[k]) * w;
  }
}

}  // namespace latentlab
