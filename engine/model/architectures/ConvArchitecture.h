#pragma once
// Convolutional flavour (the PyTorch peer's, with the defaults of ModelConfig):
//   trunk    C x H x W -conv k s2-> c1 x H/2 x W/2 -act-> ... -conv-> cL x H/2^L x W/2^L -act-> hidden... -act->
//   decoder  (z, y) -> hidden[last] -act-> ... -> cL x H/2^L x W/2^L -act-> transposed convs -> C x H x W
// MNIST: 1x28x28 -> 32x14x14 -> 64x7x7 -> 500;  (z, y) -> 500 -> 64x7x7 -> 32x14x14 -> 1x28x28 logits.
// Maps are channels-last (SampleShape.h), so a convolution's output feeds the next layer, and the flattened
// last map the dense layers, without reordering.
#include <memory>

#include "engine/layers/ActivationKind.h"
#include "engine/layers/Conv2d.h"
#include "engine/layers/ConvTranspose2d.h"
#include "engine/layers/Dense.h"
#include "engine/model/ModelConfig.h"
#include "engine/model/architectures/Architecture.h"

namespace latentlab {

template <typename T> Architecture<T> buildConvArchitecture(const ModelConfig& c) {
  Architecture<T> a;
  const SampleShape in = c.inputShape();
  const int k = c.conv.kernel, s = c.conv.stride(), p = c.conv.padding();
  // Each map's (channels, height, width), input first.
  struct Map {
    int channels, height, width;
    int size() const { return channels * height * width; }
  };
  std::vector<Map> maps{{in.channels, in.height, in.width}};
  for (int ch : c.conv.channels) {
    const Map& m = maps.back();
    auto conv = std::make_unique<Conv2d<T>>(m.channels, m.height, m.width, ch, k, s, p);
    maps.push_back({ch, conv->outHeight(), conv->outWidth()});
    a.trunk.add(std::move(conv));
    a.trunk.add(makeActivation<T>(c.activation, maps.back().size()));
  }
  int width = maps.back().size();
  for (int h : c.hidden) {
    a.trunk.add(std::make_unique<Dense<T>>(width, h));
    a.trunk.add(makeActivation<T>(c.activation, h));
    width = h;
  }

  // Decoder: the dense layers in reverse, up to the last map, then one transposed convolution per map.
  std::vector<int> dense(c.hidden.rbegin(), c.hidden.rend());
  dense.push_back(maps.back().size());
  a.decoderWidth = dense[0];
  a.decoderBody.add(makeActivation<T>(c.activation, dense[0]));
  for (size_t i = 1; i < dense.size(); ++i) {
    a.decoderBody.add(std::make_unique<Dense<T>>(dense[i - 1], dense[i]));
    a.decoderBody.add(makeActivation<T>(c.activation, dense[i]));
  }
  for (size_t i = maps.size() - 1; i > 0; --i) {
    const Map &from = maps[i], &to = maps[i - 1];
    auto up = std::make_unique<ConvTranspose2d<T>>(from.channels, from.height, from.width, to.channels, k, s, p);
    if (up->outHeight() != to.height || up->outWidth() != to.width)
      throw Error("ModelConfig", "the transposed convolution gives " + std::to_string(up->outHeight()) + "x" +
                                     std::to_string(up->outWidth()) + ", not the encoder's " +
                                     std::to_string(to.height) + "x" + std::to_string(to.width));
    a.decoderBody.add(std::move(up));
    if (i > 1) a.decoderBody.add(makeActivation<T>(c.activation, to.size()));
  }
  return a;
}

}  // namespace latentlab
