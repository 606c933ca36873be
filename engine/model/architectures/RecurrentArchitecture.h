#pragma once
// Recurrent flavour (the PyTorch peer's, with the defaults of ModelConfig), over sequences of T steps of C
// channels (time-major, SampleShape.h):
//   trunk    LSTM(C -> R) over the steps [-> LSTM(R -> R) ...] -> the last hidden state, or the mean of the
//            hidden states (RecurrentSpec::pooling)
//   decoder  (z, y) -> R -tanh-> h0; an LSTM(R -> R) unrolled over the T steps with h0 as its initial hidden
//            state and as every step's input [-> LSTM(R -> R) ...]; the same dense layer maps every step's
//            hidden state to its C outputs.
#include <memory>

#include "engine/layers/Lstm.h"
#include "engine/layers/StepDense.h"
#include "engine/layers/Tanh.h"
#include "engine/model/ModelConfig.h"
#include "engine/model/architectures/Architecture.h"

namespace latentlab {

template <typename T> Architecture<T> buildRecurrentArchitecture(const ModelConfig& c) {
  Architecture<T> a;
  const SampleShape in = c.inputShape();
  const int steps = in.steps, R = c.recurrent.hidden, L = c.recurrent.layers;
  const LstmOutput pooled = c.recurrent.pooling == SequencePooling::Last ? LstmOutput::Last : LstmOutput::Mean;
  for (int l = 0; l < L; ++l)
    a.trunk.add(std::make_unique<Lstm<T>>(steps, l == 0 ? in.channels : R, R, LstmInput::Sequence,
                                          l == L - 1 ? pooled : LstmOutput::All));
  a.decoderWidth = R;
  a.decoderBody.add(std::make_unique<Tanh<T>>(R));
  a.decoderBody.add(std::make_unique<Lstm<T>>(steps, R, R, LstmInput::Repeated, LstmOutput::All, LstmInitialState::Input));
  for (int l = 1; l < L; ++l) a.decoderBody.add(std::make_unique<Lstm<T>>(steps, R, R, LstmInput::Sequence, LstmOutput::All));
  a.decoderBody.add(std::make_unique<StepDense<T>>(R, in.channels, steps));
  return a;
}

}  // namespace latentlab
