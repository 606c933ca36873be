#pragma once
// The flavour's builder for a configuration (validated by the caller).
#include "engine/model/architectures/ConvArchitecture.h"
#include "engine/model/architectures/DenseArchitecture.h"
#include "engine/model/architectures/RecurrentArchitecture.h"

namespace latentlab {

template <typename T> Architecture<T> buildArchitecture(const ModelConfig& c) {
  switch (c.flavour) {
    case Flavour::Dense: return buildDenseArchitecture<T>(c);
    case Flavour::Conv: return buildConvArchitecture<T>(c);
    case Flavour::Recurrent: return buildRecurrentArchitecture<T>(c);
  }
  throw Error("ModelConfig", "unknown flavour");
}

}  // namespace latentlab
