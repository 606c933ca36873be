#pragma once
// Dense flavour: a multilayer perceptron trunk, and a decoder that mirrors it.
//   trunk    D -> hidden[0] -act-> ... -> hidden[last] -act->
//   decoder  (z, y) -> hidden[last] -act-> ... -> hidden[0] -act-> D
#include <memory>

#include "engine/layers/ActivationKind.h"
#include "engine/layers/Dense.h"
#include "engine/model/ModelConfig.h"
#include "engine/model/architectures/Architecture.h"

namespace latentlab {

template <typename T> Architecture<T> buildDenseArchitecture(const ModelConfig& c) {
  Architecture<T> a;
  int in = c.inputSize;
  for (int h : c.hidden) {
    a.trunk.add(std::make_unique<Dense<T>>(in, h));
    a.trunk.add(makeActivation<T>(c.activation, h));
    in = h;
  }
  const std::vector<int> dec(c.hidden.rbegin(), c.hidden.rend());
  a.decoderWidth = dec[0];
  a.decoderBody.add(makeActivation<T>(c.activation, dec[0]));
  for (size_t i = 1; i < dec.size(); ++i) {
    a.decoderBody.add(std::make_unique<Dense<T>>(dec[i - 1], dec[i]));
    a.decoderBody.add(makeActivation<T>(c.activation, dec[i]));
  }
  a.decoderBody.add(std::make_unique<Dense<T>>(dec.back(), c.inputSize));
  return a;
}

}  // namespace latentlab
