// Which convolution implementation the layers keep, on the peer's shapes, float, batches of 100 and 1100:
//   im2col/all  the Conv2d and ConvTranspose2d layers with one product over the whole batch (im2col/col2im)
//   im2col/m    the same layers with m samples per im2col chunk and product (their setSamplesPerProduct)
//   direct      a direct loop over output pixels (below, bench only): per output pixel and kernel row, one
//               matrix-vector product over the run of valid kernel columns, contiguous in both the image and
//               the weight thanks to the channels-last layout; backward the matching rank-1 updates
//   c1 conv  1x28x28 -> 32x14x14 k4 s2 p1   (the encoder's first layer: no input gradient, as in the model)
//   c2 conv 32x14x14 -> 64x7x7   k4 s2 p1
//   t1 convT 64x7x7  -> 32x14x14 k4 s2 p1
//   t2 convT 32x14x14 -> 1x28x28 k4 s2 p1
// Prints median forward and backward milliseconds of process CPU time and of wall time, GFLOP/s on CPU time
// (nominal: 2 * Cout * k*k*Cin * pixels * n per product, padding included; backward counts dW and, where
// needed, dIn), and the largest difference from im2col/all relative to the largest magnitude.
//   conv-bench [--repeats N] [--threads N] [--chunk M ...] [--batch N ...]   (defaults: --chunk 0 --chunk 32)
#include <Eigen/Core>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "engine/layers/Conv2d.h"
#include "engine/layers/ConvTranspose2d.h"

using namespace latentlab;
using Clock = std::chrono::steady_clock;
using Mat = Matrix<float>;

namespace {

// Direct Conv2d: out(:, pixel) = b + sum over valid (ky, kx run) of W(:, run) in(run).
class DirectConv2d {
 public:
  DirectConv2d(const ConvGeometry& g, const Mat& W, const Mat& b) : g_(g), W_(W), b_(b) {}

  const Mat& forward(const Mat& in) {
    in_ = &in;
    const int n = int(in.cols()), C = g_.channels, k = g_.kernel, Cout = int(W_.rows());
    out_.resize(Eigen::Index(Cout) * g_.outPixels(), n);
    for (int j = 0; j < n; ++j)
      for (int oy = 0; oy < g_.outHeight; ++oy) {
        int kyLo, kyHi;
        g_.validRange(oy, g_.height, kyLo, kyHi);
        for (int ox = 0; ox < g_.outWidth; ++ox) {
          int kxLo, kxHi;
          g_.validRange(ox, g_.width, kxLo, kxHi);
          auto o = out_.col(j).segment((oy * g_.outWidth + ox) * Cout, Cout);
          o = b_;
          const int y0 = oy * g_.stride - g_.padding, x0 = ox * g_.stride - g_.padding, len = (kxHi - kxLo) * C;
          for (int ky = kyLo; ky < kyHi; ++ky)
            o.noalias() += W_.middleCols((ky * k + kxLo) * C, len) *
                           in.col(j).segment(((y0 + ky) * g_.width + x0 + kxLo) * C, len);
        }
      }
    return out_;
  }

  void backward(const Mat& dOut, bool needIn) {
    const int n = int(dOut.cols()), C = g_.channels, k = g_.kernel, Cout = int(W_.rows());
    dW_.setZero(W_.rows(), W_.cols());
    db_.setZero(Cout, 1);
    if (needIn) dIn_.setZero(in_->rows(), n);
    for (int j = 0; j < n; ++j)
      for (int oy = 0; oy < g_.outHeight; ++oy) {
        int kyLo, kyHi;
        g_.validRange(oy, g_.height, kyLo, kyHi);
        for (int ox = 0; ox < g_.outWidth; ++ox) {
          int kxLo, kxHi;
          g_.validRange(ox, g_.width, kxLo, kxHi);
          const auto dy = dOut.col(j).segment((oy * g_.outWidth + ox) * Cout, Cout);
          db_ += dy;
          const int y0 = oy * g_.stride - g_.padding, x0 = ox * g_.stride - g_.padding, len = (kxHi - kxLo) * C;
          for (int ky = kyLo; ky < kyHi; ++ky) {
            const Eigen::Index w = (ky * k + kxLo) * C, x = ((y0 + ky) * g_.width + x0 + kxLo) * C;
            dW_.middleCols(w, len).noalias() += dy * in_->col(j).segment(x, len).transpose();
            if (needIn) dIn_.col(j).segment(x, len).noalias() += W_.middleCols(w, len).transpose() * dy;
          }
        }
      }
  }

  Mat dW_, db_, dIn_;

 private:
  ConvGeometry g_;
  const Mat &W_, &b_;
  Mat out_;
  const Mat* in_ = nullptr;
};

// Direct ConvTranspose2d, the same loops scattering: out(run) += W(:, run)^T in(:, pixel).
class DirectConvTranspose2d {
 public:
  DirectConvTranspose2d(const ConvGeometry& g, const Mat& W, const Mat& b) : g_(g), W_(W), b_(b) {}

  const Mat& forward(const Mat& in) {
    in_ = &in;
    const int n = int(in.cols()), C = g_.channels, k = g_.kernel, Cin = int(W_.rows());
    out_.setZero(g_.imageSize(), n);
    for (int j = 0; j < n; ++j)
      for (int oy = 0; oy < g_.outHeight; ++oy) {
        int kyLo, kyHi;
        g_.validRange(oy, g_.height, kyLo, kyHi);
        for (int ox = 0; ox < g_.outWidth; ++ox) {
          int kxLo, kxHi;
          g_.validRange(ox, g_.width, kxLo, kxHi);
          const auto x = in.col(j).segment((oy * g_.outWidth + ox) * Cin, Cin);
          const int y0 = oy * g_.stride - g_.padding, x0 = ox * g_.stride - g_.padding, len = (kxHi - kxLo) * C;
          for (int ky = kyLo; ky < kyHi; ++ky)
            out_.col(j).segment(((y0 + ky) * g_.width + x0 + kxLo) * C, len).noalias() +=
                W_.middleCols((ky * k + kxLo) * C, len).transpose() * x;
        }
      }
    Eigen::Map<Mat>(out_.data(), C, out_.size() / C).colwise() += b_.col(0);
    return out_;
  }

  void backward(const Mat& dOut, bool needIn) {
    const int n = int(dOut.cols()), C = g_.channels, k = g_.kernel, Cin = int(W_.rows());
    dW_.setZero(W_.rows(), W_.cols());
    db_ = Eigen::Map<const Mat>(dOut.data(), C, dOut.size() / C).rowwise().sum();
    if (needIn) dIn_.setZero(in_->rows(), n);
    for (int j = 0; j < n; ++j)
      for (int oy = 0; oy < g_.outHeight; ++oy) {
        int kyLo, kyHi;
        g_.validRange(oy, g_.height, kyLo, kyHi);
        for (int ox = 0; ox < g_.outWidth; ++ox) {
          int kxLo, kxHi;
          g_.validRange(ox, g_.width, kxLo, kxHi);
          const Eigen::Index p = (oy * g_.outWidth + ox) * Cin;
          const int y0 = oy * g_.stride - g_.padding, x0 = ox * g_.stride - g_.padding, len = (kxHi - kxLo) * C;
          for (int ky = kyLo; ky < kyHi; ++ky) {
            const Eigen::Index w = (ky * k + kxLo) * C;
            const auto dy = dOut.col(j).segment(((y0 + ky) * g_.width + x0 + kxLo) * C, len);
            dW_.middleCols(w, len).noalias() += in_->col(j).segment(p, Cin) * dy.transpose();
            if (needIn) dIn_.col(j).segment(p, Cin).noalias() += W_.middleCols(w, len) * dy;
          }
        }
      }
  }

  Mat dW_, db_, dIn_;

 private:
  ConvGeometry g_;
  const Mat &W_, &b_;
  Mat out_;
  const Mat* in_ = nullptr;
};

// This process's CPU time in milliseconds: on a shared machine wall time also counts the time other jobs hold
// the core, which penalises long calls more than short ones (a median of short calls misses preemptions).
double cpuMs() {
  timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec * 1e3 + t.tv_nsec * 1e-6;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
}

struct Timing {
  double fwdCpu, fwdWall, bwdCpu, bwdWall;  // medians, milliseconds
};

// Median forward and backward milliseconds (CPU and wall) over `repeats` after one warm-up pass.
Timing timeIt(int repeats, const std::function<void()>& fwd, const std::function<void()>& bwd) {
  fwd();
  bwd();
  std::vector<double> fc, fw, bc, bw;
  for (int r = 0; r < repeats; ++r) {
    const double c0 = cpuMs();
    const auto t0 = Clock::now();
    fwd();
    const double c1 = cpuMs();
    const auto t1 = Clock::now();
    bwd();
    const double c2 = cpuMs();
    const auto t2 = Clock::now();
    fc.push_back(c1 - c0);
    fw.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    bc.push_back(c2 - c1);
    bw.push_back(std::chrono::duration<double, std::milli>(t2 - t1).count());
  }
  return {median(fc), median(fw), median(bc), median(bw)};
}

float maxDiff(const Mat& a, const Mat& b) {
  if (a.size() == 0 && b.size() == 0) return 0;
  return a.size() == b.size() ? (a - b).cwiseAbs().maxCoeff() : std::numeric_limits<float>::infinity();
}

struct Spec {
  const char* name;
  bool transposed;
  int inC, h, w, outC;
  bool needIn;
};

void row(const char* name, int n, const char* impl, const Timing& t, double gflopF, double gflopB, float diff) {
  std::printf("%-5s %5d  %-10s %8.2f %8.2f %7.1f %8.2f %8.2f %7.1f  %8.1e\n", name, n, impl, t.fwdCpu, t.fwdWall,
              gflopF / t.fwdCpu * 1e3, t.bwdCpu, t.bwdWall, gflopB / t.bwdCpu * 1e3, diff);
}

}  // namespace

int main(int argc, char** argv) {
  int repeats = 10, threads = 1;
  std::vector<int> batches, chunks;
  for (int a = 1; a < argc; ++a) {
    const std::string arg = argv[a];
    if (arg == "--repeats" && a + 1 < argc)
      repeats = std::stoi(argv[++a]);
    else if (arg == "--threads" && a + 1 < argc)
      threads = std::stoi(argv[++a]);
    else if (arg == "--chunk" && a + 1 < argc)
      chunks.push_back(std::stoi(argv[++a]));
    else if (arg == "--batch" && a + 1 < argc)
      batches.push_back(std::stoi(argv[++a]));
    else {
      std::printf("usage: conv-bench [--repeats N] [--threads N] [--chunk N ...] [--batch N ...]\n");
      return arg == "--help" || arg == "-h" ? 0 : 2;
    }
  }
  if (batches.empty()) batches = {100, 1100};
  if (chunks.empty()) chunks = {0, 32};
  Eigen::setNbThreads(threads);
  const Spec specs[] = {{"c1", false, 1, 28, 28, 32, false},
                        {"c2", false, 32, 14, 14, 64, true},
                        {"t1", true, 64, 7, 7, 32, true},
                        {"t2", true, 32, 14, 14, 1, true}};
  std::printf(
      "# conv-bench: float, %d Eigen thread(s), median of %d; ms of process CPU time and of wall time; GFLOP/s on "
      "CPU time, nominal (padding included); im2col/m: the layer with m samples per product (all: one product)\n",
      threads, repeats);
  std::printf("%-5s %5s  %-10s %8s %8s %7s %8s %8s %7s  %8s\n", "layer", "n", "impl", "fwd_cpu", "fwd_wall", "GFLOP/s",
              "bwd_cpu", "bwd_wall", "GFLOP/s", "max_diff");
  Random rng(1);
  for (int n : batches)
    for (const Spec& s : specs) {
      std::unique_ptr<Layer<float>> layer;
      ConvGeometry g;
      std::function<void(int)> setChunk;
      if (s.transposed) {
        auto t = std::make_unique<ConvTranspose2d<float>>(s.inC, s.h, s.w, s.outC, 4, 2, 1);
        g = t->geometry();
        setChunk = [l = t.get()](int m) { l->setSamplesPerProduct(m); };
        layer = std::move(t);
      } else {
        auto c = std::make_unique<Conv2d<float>>(s.inC, s.h, s.w, s.outC, 4, 2, 1);
        g = c->geometry();
        setChunk = [l = c.get()](int m) { l->setSamplesPerProduct(m); };
        layer = std::move(c);
      }
      layer->initialise(rng);
      layer->setInputGradientNeeded(s.needIn);
      const auto params = layer->parameters();
      const Mat &W = *params[0].value, &b = *params[1].value;
      // One product's multiply-adds: W's size times the pixels on its "columns" side, per sample.
      const double macs = double(W.size()) * g.outPixels() * n;
      const double gflopF = 2 * macs / 1e9, gflopB = (s.needIn ? 2 : 1) * 2 * macs / 1e9;
      Mat x(layer->inputSize(), n), dOut(layer->outputSize(), n);
      rng.fillUniform(x, -1.f, 1.f);
      rng.fillUniform(dOut, -1.f, 1.f);

      // The reference results: one product over the whole batch.
      setChunk(0);
      const Mat out0 = layer->forward(x);
      const Mat dIn0 = layer->backward(dOut);
      const Mat dW0 = *params[0].grad;
      auto relDiff = [](const Mat& a, const Mat& b) {
        return maxDiff(a, b) / std::max(1.f, a.size() ? a.cwiseAbs().maxCoeff() : 0.f);
      };
      auto differences = [&](const Mat& out, const Mat& dIn, const Mat& dW) {
        return std::max({relDiff(out0, out), relDiff(dIn0, dIn), relDiff(dW0, dW)});
      };

      for (int m : chunks) {
        setChunk(m);
        const Timing t = timeIt(
            repeats, [&] { layer->forward(x); }, [&] { layer->backward(dOut); });
        const Mat out = layer->forward(x);
        const Mat dIn = layer->backward(dOut);
        const std::string name = "im2col/" + (m > 0 && m < n ? std::to_string(m) : std::string("all"));
        row(s.name, n, name.c_str(), t, gflopF, gflopB, differences(out, dIn, *params[0].grad));
      }

      Mat out, dIn, dW;
      Timing t;
      if (s.transposed) {
        DirectConvTranspose2d d(g, W, b);
        t = timeIt(
            repeats, [&] { d.forward(x); }, [&] { d.backward(dOut, s.needIn); });
        out = d.forward(x);
        d.backward(dOut, s.needIn);
        dIn = s.needIn ? d.dIn_ : Mat();
        dW = d.dW_;
      } else {
        DirectConv2d d(g, W, b);
        t = timeIt(
            repeats, [&] { d.forward(x); }, [&] { d.backward(dOut, s.needIn); });
        out = d.forward(x);
        d.backward(dOut, s.needIn);
        dIn = s.needIn ? d.dIn_ : Mat();
        dW = d.dW_;
      }
      row(s.name, n, "direct", t, gflopF, gflopB, differences(out, dIn, dW));
    }
  return 0;
}
