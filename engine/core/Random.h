#pragma once
// Seeded random numbers: xoshiro256** seeded through splitmix64, Box-Muller normals.
// Written out rather than std:: distributions so that a seed gives the same stream on every platform.
#include <array>
#include <cmath>
#include <cstdint>
#include <numbers>

#include "engine/core/Types.h"

namespace latentlab {

class Random {
 public:
  explicit Random(uint64_t seed = 1) { reseed(seed); }

  // The whole generator state, so that a resumed training draws exactly what an uninterrupted one would.
  struct State {
    std::array<uint64_t, 4> s{};
    double spare = 0;
    bool hasSpare = false;
  };
  State state() const { return {{s_[0], s_[1], s_[2], s_[3]}, spare_, hasSpare_}; }
  void setState(const State& st) {
    for (int i = 0; i < 4; ++i) s_[i] = st.s[i];
    spare_ = st.spare;
    hasSpare_ = st.hasSpare;
  }

  void reseed(uint64_t seed) {
    uint64_t x = seed;
    for (auto& s : s_) s = splitmix(x);
    hasSpare_ = false;
  }

  uint64_t next() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return double(next() >> 11) * 0x1.0p-53; }

  // Uniform integer in [0, n), n > 0 (Lemire's multiply-shift; bias < 2^-64 * n, irrelevant here).
  uint64_t below(uint64_t n) { return uint64_t((__uint128_t(next()) * n) >> 64); }

  double normal() {
    if (hasSpare_) {
      hasSpare_ = false;
      return spare_;
    }
    double u1 = uniform();
    const double u2 = uniform();
    if (u1 < 1e-300) u1 = 1e-300;
    const double r = std::sqrt(-2.0 * std::log(u1));
    const double a = 2.0 * std::numbers::pi * u2;
    spare_ = r * std::sin(a);
    hasSpare_ = true;
    return r * std::cos(a);
  }

  template <typename T> void fillNormal(Matrix<T>& m) {
    T* p = m.data();
    for (Eigen::Index i = 0; i < m.size(); ++i) p[i] = T(normal());
  }

  template <typename T> void fillUniform(Matrix<T>& m, T lo, T hi) {
    T* p = m.data();
    for (Eigen::Index i = 0; i < m.size(); ++i) p[i] = lo + (hi - lo) * T(uniform());
  }

  // Fisher-Yates shuffle of any random-access range.
  template <typename Range> void shuffle(Range& r) {
    for (size_t i = r.size(); i > 1; --i) std::swap(r[i - 1], r[below(i)]);
  }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static uint64_t splitmix(uint64_t& x) {
    uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  uint64_t s_[4];
  double spare_ = 0;
  bool hasSpare_ = false;
};

}  // namespace latentlab
