#pragma once
// What a flavour contributes to the semi-supervised VAE: the encoder trunk and the decoder body. The heads
// (mu, logvar, pi), the decoder's input layer on (z, y), the reparameterisation and the objective are the
// same for every flavour (SemiSupervisedVae.h).
//   trunk        x (D x n) -> h (trunkOutput x n)
//   decoder body (decoderWidth x m) -> x's logits or means (D x m); it reads the output of the decoder's input
//                layer DecoderInput(z, y) -> (decoderWidth x m) and starts with that layer's activation
// Adding a flavour: a builder beside this file (DenseArchitecture.h is the model to follow), a case in
// BuildArchitecture.h, and its layers in engine/layers/ with one line each in the layer gradient test.
#include "engine/layers/Sequential.h"

namespace latentlab {

template <typename T> struct Architecture {
  Sequential<T> trunk;
  Sequential<T> decoderBody;
  int decoderWidth = 0;
  int trunkOutput() const { return trunk.outputSize(); }
};

}  // namespace latentlab
