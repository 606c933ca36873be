#pragma once
// A one-layer LSTM unrolled over T steps, with full backpropagation through time (PyTorch's nn.LSTM cell).
//   a_t = Wx x_t + Wh h_{t-1} + b                       (4H x n), rows in PyTorch's gate order i, f, g, o
//   i = sigmoid(a_i), f = sigmoid(a_f), g = tanh(a_g), o = sigmoid(a_o)
//   c_t = f c_{t-1} + i g,   h_t = o tanh(c_t),   c_{-1} = 0
// Legend: T steps, C input channels, H hidden units, n samples.
//   Wx (4H x C)  = PyTorch's weight_ih_l0
//   Wh (4H x H)  = PyTorch's weight_hh_l0
//   b  (4H x 1)  ONE bias per gate row: PyTorch's bias_ih_l0 + bias_hh_l0 (an exporter writes b and zeros)
// Sequence layout: one sample per column, time-major, index t * channels + c, so the (C x T*n) view of a
// batch has column j*T + t. Every per-step buffer below uses that column order, so each step is a strided
// (rows x n) view with outer stride rows*T, and the per-sequence products need no reordering.
// Options:
//   input   Sequence: in (T*C x n), x_t read from the layout above.
//           Repeated: in (C x n), the same x fed at every step (the peer's recurrent decoder feeds h0).
//   initial Zero: h_{-1} = 0.  Input: h_{-1} = in (Repeated only, C == H; the peer's decoder). c_{-1} = 0.
//   output  Last: h_{T-1} (H x n).  Mean: (1/T) sum_t h_t (H x n).  All: every h_t, (T*H x n) time-major.
// Products: the input projections of all steps are one product (Wx times the (C x T*n) view, or Wx in once
// when Repeated); the four gates take one product per step (Wh h_{t-1}); backward has one per step
// (Wh^T da_t) and one each for dWx, dWh and dIn.
#include <cmath>

#include "engine/core/Error.h"
#include "engine/core/Gemm.h"
#include "engine/layers/Layer.h"

namespace latentlab {

enum class LstmInput { Sequence, Repeated };
enum class LstmInitialState { Zero, Input };
enum class LstmOutput { Last, Mean, All };

template <typename T> class Lstm final : public Layer<T> {
 public:
  Lstm(int steps, int channels, int hidden, LstmInput input = LstmInput::Sequence, LstmOutput output = LstmOutput::Last,
       LstmInitialState initial = LstmInitialState::Zero)
      : T_(steps), C_(channels), H_(hidden), input_(input), output_(output), initial_(initial) {
    if (steps < 1 || channels < 1 || hidden < 1) throw Error("Lstm", "steps, channels and hidden must be positive");
    if (initial == LstmInitialState::Input && (input != LstmInput::Repeated || channels != hidden))
      throw Error("Lstm", "the input can be the initial hidden state only when repeated and channels == hidden");
    Wx_.setZero(4 * H_, C_);
    Wh_.setZero(4 * H_, H_);
    b_.setZero(4 * H_, 1);
    dWx_.setZero(4 * H_, C_);
    dWh_.setZero(4 * H_, H_);
    db_.setZero(4 * H_, 1);
  }

  std::string kind() const override { return "lstm"; }
  int inputSize() const override { return input_ == LstmInput::Sequence ? T_ * C_ : C_; }
  int outputSize() const override { return output_ == LstmOutput::All ? T_ * H_ : H_; }

  int steps() const { return T_; }
  int channels() const { return C_; }
  int hidden() const { return H_; }
  LstmInput inputMode() const { return input_; }
  LstmOutput outputMode() const { return output_; }
  LstmInitialState initialState() const { return initial_; }

  // PyTorch's default: U(-1/sqrt(H), 1/sqrt(H)) for every weight and bias. PyTorch draws two such biases and
  // sums them; the single b here is drawn once from U(-1/sqrt(H), 1/sqrt(H)).
  void initialise(Random& rng) override {
    const T bound = T(1) / std::sqrt(T(H_));
    rng.fillUniform(Wx_, -bound, bound);
    rng.fillUniform(Wh_, -bound, bound);
    rng.fillUniform(b_, -bound, bound);
  }

  const Matrix<T>& forward(const Matrix<T>& in) override {
    if (in.rows() != inputSize())
      throw Error("Lstm", "input has " + std::to_string(in.rows()) + " rows, expected " + std::to_string(inputSize()));
    in_ = &in;  // cached for dWx = da x^T
    const int n = int(in.cols()), G = 4 * H_;
    const Eigen::Index TN = Eigen::Index(T_) * n;
    gates_.resize(G, TN);   // pre-activations, then (in place) the gates i, f, g, o; cached
    c_.resize(H_, TN);      // c_t, cached
    tc_.resize(H_, TN);     // tanh(c_t), cached
    hPrev_.resize(H_, TN);  // h_{t-1}, cached for dWh = da h_{t-1}^T
    h_.resize(H_, n);
    out_.resize(outputSize(), n);

    if (input_ == LstmInput::Sequence) {
      ConstMap x(in.data(), C_, TN);  // (C x T*n), column j*T + t
      for (Eigen::Index q = 0; q < TN; ++q) gates_.col(q) = b_.col(0);
      gemm(Wx_, GemmOp::N, x, GemmOp::N, gates_, T(1), T(1));  // a_t = Wx x_t + b for every step, one product
    } else {
      xp_.resize(G, n);
      for (int j = 0; j < n; ++j) xp_.col(j) = b_.col(0);
      gemm(Wx_, GemmOp::N, in, GemmOp::N, xp_, T(1), T(1));  // Wx x + b, the same at every step
    }
    if (initial_ == LstmInitialState::Input)
      step(hPrev_, 0, n) = in;  // h_{-1} = in
    else
      step(hPrev_, 0, n).setZero();
    if (output_ == LstmOutput::Mean) out_.setZero();

    for (int t = 0; t < T_; ++t) {
      auto a = step(gates_, t, n);  // (4H x n)
      if (input_ == LstmInput::Repeated) a = xp_;
      if (t > 0 || initial_ == LstmInitialState::Input)
        gemm(Wh_, GemmOp::N, step(hPrev_, t, n), GemmOp::N, a, T(1), T(1));  // + Wh h_{t-1}
      a.topRows(2 * H_).array() = T(1) / (T(1) + (-a.topRows(2 * H_).array()).exp());             // i, f
      a.middleRows(2 * H_, H_).array() = a.middleRows(2 * H_, H_).array().tanh();                 // g
      a.bottomRows(H_).array() = T(1) / (T(1) + (-a.bottomRows(H_).array()).exp());               // o
      auto c = step(c_, t, n);
      if (t == 0)
        c.array() = a.topRows(H_).array() * a.middleRows(2 * H_, H_).array();  // c_0 = i g
      else
        c.array() = a.middleRows(H_, H_).array() * step(c_, t - 1, n).array() +
                    a.topRows(H_).array() * a.middleRows(2 * H_, H_).array();  // c_t = f c_{t-1} + i g
      auto tc = step(tc_, t, n);
      tc.array() = c.array().tanh();
      h_.array() = a.bottomRows(H_).array() * tc.array();  // h_t = o tanh(c_t)
      if (t + 1 < T_) step(hPrev_, t + 1, n) = h_;
      if (output_ == LstmOutput::All)
        step(out_, t, n) = h_;
      else if (output_ == LstmOutput::Mean)
        out_ += h_;
    }
    if (output_ == LstmOutput::Last) out_ = h_;
    if (output_ == LstmOutput::Mean) out_ *= T(1) / T(T_);
    return out_;
  }

  const Matrix<T>& backward(const Matrix<T>& dOut) override {
    const int n = int(dOut.cols()), G = 4 * H_;
    const Eigen::Index TN = Eigen::Index(T_) * n;
    const bool needIn = this->inputGradientNeeded_;
    const bool needH0 = needIn && initial_ == LstmInitialState::Input;
    dGates_.resize(G, TN);  // dL/da_t, column j*T + t
    dh_.setZero(H_, n);     // dL/dh_t through h_{t+1}'s gates (the recurrent part)
    dc_.setZero(H_, n);     // dL/dc_t through c_{t+1}
    for (int t = T_ - 1; t >= 0; --t) {
      // dL/dh_t = recurrent part + the output's part
      if (output_ == LstmOutput::All)
        dh_ += step(dOut, t, n);
      else if (output_ == LstmOutput::Mean)
        dh_ += dOut * (T(1) / T(T_));
      else if (t == T_ - 1)
        dh_ += dOut;
      auto a = step(gates_, t, n);
      auto da = step(dGates_, t, n);
      const auto i = a.topRows(H_).array(), f = a.middleRows(H_, H_).array(), g = a.middleRows(2 * H_, H_).array(),
                 o = a.bottomRows(H_).array();
      const auto tc = step(tc_, t, n).array();
      da.bottomRows(H_).array() = dh_.array() * tc * o * (T(1) - o);              // dL/da_o = dh tanh(c) o (1 - o)
      dc_.array() += dh_.array() * o * (T(1) - tc.square());                      // dL/dc_t += dh o (1 - tanh^2 c)
      da.topRows(H_).array() = dc_.array() * g * i * (T(1) - i);                  // dL/da_i = dc g i (1 - i)
      da.middleRows(2 * H_, H_).array() = dc_.array() * i * (T(1) - g.square());  // dL/da_g = dc i (1 - g^2)
      if (t > 0)                                                                  // dL/da_f = dc c_{t-1} f (1 - f)
        da.middleRows(H_, H_).array() = dc_.array() * step(c_, t - 1, n).array() * f * (T(1) - f);
      else
        da.middleRows(H_, H_).setZero();                          // c_{-1} = 0
      dc_.array() *= f;                                           // dL/dc_{t-1} = dc f
      if (t > 0 || needH0) gemm(Wh_, GemmOp::T, da, GemmOp::N, dh_);  // dL/dh_{t-1} = Wh^T da_t
    }
    gemm(dGates_, GemmOp::N, hPrev_, GemmOp::T, dWh_);  // dL/dWh = sum_t da_t h_{t-1}^T
    db_ = dGates_.rowwise().sum();                  // dL/db = sum_t da_t, summed over samples
    if (input_ == LstmInput::Sequence) {
      ConstMap x(in_->data(), C_, TN);
      gemm(dGates_, GemmOp::N, x, GemmOp::T, dWx_);  // dL/dWx = sum_t da_t x_t^T
      if (needIn) {
        dIn_.resize(inputSize(), n);
        Map dX(dIn_.data(), C_, TN);
        gemm(Wx_, GemmOp::T, dGates_, GemmOp::N, dX);  // dL/dx_t = Wx^T da_t
      }
    } else {
      daSum_ = step(dGates_, 0, n);
      for (int t = 1; t < T_; ++t) daSum_ += step(dGates_, t, n);  // sum_t da_t: x feeds every step
      gemm(daSum_, GemmOp::N, *in_, GemmOp::T, dWx_);              // dL/dWx = (sum_t da_t) x^T
      if (needIn) {
        dIn_.resize(inputSize(), n);
        if (needH0)
          dIn_ = dh_;  // dL/dh_{-1} = Wh^T da_0, h_{-1} = x
        else
          dIn_.setZero();
        gemm(Wx_, GemmOp::T, daSum_, GemmOp::N, dIn_, T(1), T(1));  // dL/dx += Wx^T sum_t da_t
      }
    }
    if (!this->inputGradientNeeded_) dIn_.resize(0, 0);  // the contract: left empty
    return dIn_;
  }

  // Input projections (once when repeated) and the recurrent product of every step after a zero start.
  double multiplyAdds() const override {
    const double inputSteps = input_ == LstmInput::Sequence ? T_ : 1;
    const double recurrentSteps = initial_ == LstmInitialState::Input ? T_ : T_ - 1;
    return 4.0 * H_ * (inputSteps * C_ + recurrentSteps * H_);
  }

  ParameterList<T> parameters() override { return {{"Wx", &Wx_, &dWx_}, {"Wh", &Wh_, &dWh_}, {"b", &b_, &db_}}; }

 private:
  using Map = Eigen::Map<Matrix<T>>;
  using ConstMap = Eigen::Map<const Matrix<T>>;
  using Stride = Eigen::OuterStride<>;
  using StepMap = Eigen::Map<Matrix<T>, Eigen::Unaligned, Stride>;
  using ConstStepMap = Eigen::Map<const Matrix<T>, Eigen::Unaligned, Stride>;

  // Step t of a buffer whose columns are j*T + t (rows x T*n), or of a time-major (T*rows x n) matrix: the
  // same memory. A (rows x n) view with outer stride rows*T.
  StepMap step(Matrix<T>& m, int t, int n) {
    const Eigen::Index rows = m.size() / (Eigen::Index(T_) * n);
    return StepMap(m.data() + t * rows, rows, n, Stride(rows * T_));
  }
  ConstStepMap step(const Matrix<T>& m, int t, int n) const {
    const Eigen::Index rows = m.size() / (Eigen::Index(T_) * n);
    return ConstStepMap(m.data() + t * rows, rows, n, Stride(rows * T_));
  }

  int T_, C_, H_;
  LstmInput input_;
  LstmOutput output_;
  LstmInitialState initial_;
  Matrix<T> Wx_, Wh_, b_, dWx_, dWh_, db_;
  Matrix<T> xp_, gates_, c_, tc_, hPrev_, h_, out_;  // forward
  Matrix<T> dGates_, dh_, dc_, daSum_, dIn_;         // backward
  const Matrix<T>* in_ = nullptr;
};

}  // namespace latentlab
