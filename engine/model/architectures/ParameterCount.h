#pragma once
// The number of float parameters a configuration declares, counted without building the model (a model
// file's architecture is checked against the file's size before anything is allocated). Mirrors the builders
// beside this file; the model file test compares it with SemiSupervisedVae::parameterCount() for every flavour.
// Every size is bounded by ModelConfig::validate() first, so the products fit in 64 bits.
#include <cstdint>
#include <vector>

#include "engine/model/ModelConfig.h"

namespace latentlab {

inline uint64_t declaredParameterCount(const ModelConfig& m) {
  const uint64_t d = uint64_t(m.latent), K = uint64_t(m.classes);
  auto dense = [](uint64_t in, uint64_t out) { return in * out + out; };
  uint64_t n = 0, H = 0, decoderWidth = 0;
  const SampleShape in = m.inputShape();
  switch (m.flavour) {
    case Flavour::Dense: {
      std::vector<uint64_t> sizes{uint64_t(m.inputSize)};
      for (int h : m.hidden) sizes.push_back(uint64_t(h));
      for (size_t i = 1; i < sizes.size(); ++i) n += dense(sizes[i - 1], sizes[i]) + dense(sizes[i], sizes[i - 1]);
      H = decoderWidth = sizes.back();
      break;
    }
    case Flavour::Conv: {
      const uint64_t k2 = uint64_t(m.conv.kernel) * uint64_t(m.conv.kernel);
      uint64_t channels = uint64_t(in.channels), pixels = uint64_t(in.height) * uint64_t(in.width);
      for (int c : m.conv.channels) {
        n += k2 * channels * uint64_t(c) + uint64_t(c);  // convolution
        n += k2 * uint64_t(c) * channels + channels;     // its transposed mirror
        channels = uint64_t(c);
        pixels /= 4;
      }
      std::vector<uint64_t> sizes{channels * pixels};
      for (int h : m.hidden) sizes.push_back(uint64_t(h));
      for (size_t i = 1; i < sizes.size(); ++i) n += dense(sizes[i - 1], sizes[i]) + dense(sizes[i], sizes[i - 1]);
      H = decoderWidth = sizes.back();
      break;
    }
    case Flavour::Recurrent: {
      const uint64_t R = uint64_t(m.recurrent.hidden), C = uint64_t(in.channels), L = uint64_t(m.recurrent.layers);
      auto lstm = [R](uint64_t inputs) { return 4 * R * inputs + 4 * R * R + 4 * R; };
      n += lstm(C) + (L - 1) * lstm(R);  // trunk
      n += L * lstm(R);                  // decoder
      n += dense(R, C);                  // per-step output layer
      H = decoderWidth = R;
      break;
    }
  }
  n += (H + 1) * (2 * d + K);                                    // heads [mu; logvar; pi]
  n += decoderWidth * (d + (m.classInput ? K : 0) + 1);  // decoder input Wz, Wy (with class input), b
  return n;
}

}  // namespace latentlab
