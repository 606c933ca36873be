// How long the latent projection view's computations take on one thread, on the 10,000 MNIST test images:
// encoding to the latent means, PCA to 2-D, and Barnes-Hut t-SNE (perplexity 30, 1000 iterations, theta
// 0.5). Without a model, t-SNE runs on the raw 784-D pixels reduced to 50 dimensions by PCA first.
// Also prints the 1-nearest-neighbour class agreement in the embedding, a check that the map is sensible.
//   projection-bench [MODEL.h5] [--data DIR] [--iterations N] [--threads N] [--samples N] [--random-init]
//                    [--input mu|probs|clr] [--csv OUT.csv]
// --input probs projects the classifier's q(y|x) instead of the latent means, clr its centred log-ratios
// (log q(y|x) less its mean over the classes); --csv writes the t-SNE map (index,x,y,class[,prediction])
#include <omp.h>

#include <Eigen/Core>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <exception>
#include <fstream>
#include <string>
#include <vector>

#include "engine/data/Mnist.h"
#include "engine/io/ModelFile.h"
#include "engine/projection/Pca.h"
#include "engine/projection/Tsne.h"

using namespace latentlab;
using Clock = std::chrono::steady_clock;

namespace {

double secondsSince(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Share of points whose nearest other point in the 2-D embedding has the same class (brute force).
double nearestNeighbourAgreement(const Matrix<float>& y, const std::vector<int>& labels) {
  const int n = int(y.cols());
  int same = 0;
  for (int i = 0; i < n; ++i) {
    float best = HUGE_VALF;
    int arg = -1;
    for (int j = 0; j < n; ++j) {
      if (j == i) continue;
      const float d = (y.col(i) - y.col(j)).squaredNorm();
      if (d < best) {
        best = d;
        arg = j;
      }
    }
    same += labels[arg] == labels[i];
  }
  return double(same) / n;
}

}  // namespace

int main(int argc, char** argv) {
  std::string model, data = "datasets/mnist", csv, what = "mu";
  TsneConfig config;
  int samples = 0;
  for (int a = 1; a < argc; ++a) {
    const std::string arg = argv[a];
    auto value = [&]() -> std::string {
      if (a + 1 >= argc) throw std::runtime_error(arg + " needs a value");
      return argv[++a];
    };
    try {
      if (arg == "--data")
        data = value();
      else if (arg == "--iterations")
        config.iterations = std::stoi(value());
      else if (arg == "--threads")
        config.threads = std::stoi(value());
      else if (arg == "--samples")
        samples = std::stoi(value());
      else if (arg == "--random-init")
        config.init = TsneInit::Random;
      else if (arg == "--csv")
        csv = value();
      else if (arg == "--input")
        what = value();
      else if (arg == "--help" || arg == "-h") {
        std::printf(
            "projection-bench [MODEL.h5] [--data DIR] [--iterations N] [--threads N] [--samples N] "
            "[--random-init] [--input mu|probs|clr] [--csv OUT.csv]\n");
        return 0;
      } else if (!arg.empty() && arg[0] == '-')
        throw std::runtime_error("unknown option " + arg);
      else
        model = arg;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "projection-bench: %s\n", e.what());
      return 2;
    }
  }
  // Every product on one thread too, unless asked: the figure is the single-core cost.
  omp_set_num_threads(config.threads);
  Eigen::setNbThreads(config.threads);

  try {
    Dataset test = loadIdxFolder(data).test;
    if (samples > 0) test = test.head(samples);
    const int n = test.size();
    std::printf("data: %s, test split, %d samples of %d features; %d thread(s)\n", data.c_str(), n, test.features(),
                config.threads);

    Matrix<float> input;
    std::vector<int> predicted;  // argmax q(y|x), with a model
    if (!model.empty()) {
      if (what != "mu" && what != "probs" && what != "clr")
        throw std::runtime_error("--input is mu, probs or clr, not " + what);
      const ModelFile file = readModelFile(model);
      auto vae = instantiateModel(file);
      const auto t0 = Clock::now();
      input.resize(what == "mu" ? file.model.latent : file.model.classes, n);
      Matrix<float> mu, logvar, probs;
      for (int s = 0; s < n; s += 1000) {
        const int b = std::min(1000, n - s);
        vae->encode(test.x.middleCols(s, b), mu, logvar, &probs);
        for (int j = 0; j < b; ++j) {
          Eigen::Index k;
          probs.col(j).maxCoeff(&k);
          predicted.push_back(int(k));
        }
        if (what == "clr")
          input.middleCols(s, b) = vae->logits().rowwise() - vae->logits().colwise().mean();
        else
          input.middleCols(s, b) = what == "mu" ? mu : probs;
      }
      std::printf("encode: %s -> %s (%d x %d) in %.3f s\n", model.c_str(),
                  what == "mu" ? "latent means" : what == "clr" ? "log-ratios of q(y|x)" : "q(y|x)",
                  int(input.rows()), n, secondsSince(t0));
      const auto t1 = Clock::now();
      const PcaResult pca = computePca(input, 2);
      std::printf("pca to 2-D: %.3f s, explained variance ratio %.3f %.3f\n", secondsSince(t1),
                  pca.explainedVarianceRatio(0), pca.explainedVarianceRatio(1));
      std::printf("pca 1-NN class agreement: %.4f\n", nearestNeighbourAgreement(pca.projection, test.labels));
    } else {
      const auto t0 = Clock::now();
      const PcaResult pca = computePca(test.x, 50);
      input = pca.projection;
      std::printf("pca 784 -> 50: %.3f s, %.1f%% of the variance\n", secondsSince(t0),
                  100 * pca.explainedVarianceRatio.sum());
    }

    Tsne tsne(config);
    int lastTenth = 0;
    tsne.onProgress = [&](int it, int total) {
      if (total > 0 && it * 10 / total > lastTenth) {
        lastTenth = it * 10 / total;
        std::fprintf(stderr, "\r  t-SNE %d/%d", it, total);
        if (it == total) std::fprintf(stderr, "\n");
      }
    };
    const auto t2 = Clock::now();
    const TsneResult r = tsne.run(input);
    const double total = secondsSince(t2);
    std::printf("tsne: %d points of %d dimensions, perplexity %g, %d iterations, theta %g, %s init\n", n,
                int(input.rows()), config.perplexity, r.iterations, config.theta,
                config.init == TsneInit::Pca ? "pca" : "random");
    std::printf("tsne seconds: affinities %.2f, optimisation %.2f, total %.2f; KL %.4f\n", r.affinitySeconds,
                r.optimiseSeconds, total, r.klDivergence);
    std::printf("tsne 1-NN class agreement: %.4f\n", nearestNeighbourAgreement(r.embedding, test.labels));
    if (!csv.empty()) {
      std::ofstream out(csv);
      out << "index,x,y,class" << (predicted.empty() ? "" : ",prediction") << '\n';
      for (int i = 0; i < n; ++i) {
        out << i << ',' << r.embedding(0, i) << ',' << r.embedding(1, i) << ',' << test.labels[i];
        if (!predicted.empty()) out << ',' << predicted[size_t(i)];
        out << '\n';
      }
      if (!out) throw std::runtime_error("cannot write " + csv);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "projection-bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
