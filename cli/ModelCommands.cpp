// Commands over model files: eval, inspect, export.
#include <H5Cpp.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <numeric>

#include "cli/Commands.h"
#include "cli/DataOptions.h"
#include "engine/core/JsonObject.h"
#include "cli/Options.h"
#include "engine/anomaly/AnomalyScore.h"
#include "engine/anomaly/ScoreReference.h"
#include "engine/data/Fingerprint.h"
#include "engine/io/ModelFile.h"
#include "engine/losses/Softmax.h"
#include "engine/train/Evaluation.h"

namespace latentlab::cli {

const char* evalHelp() {
  static const std::string text =
      std::string("usage: latentlab-cli eval --model FILE.h5 [--data PATH ...] [--test-samples N] [--threads T] "
                  "[--gemm NAME] [--scores FILE.csv [--samples S] [--elbo-samples L] [--seed S]] [--json]\n"
                  "Test accuracy of argmax q(y|x) of a saved model on a data set's test split (default\n"
                  "datasets/mnist), each class's accuracy and the confusion matrix (rows: true class, columns:\n"
                  "predicted class). Give the data options the model was trained with, so that a held-out test\n"
                  "split is the same.\n"
                  "With --scores, also writes every test point's anomaly scores (nats, higher = more anomalous) as\n"
                  "CSV: index,label,prediction,recon,elbo,iwae,surprise (engine/anomaly/AnomalyScore.h: y from\n"
                  "q(y|x); the IWAE with S samples, default 50; the -ELBO's reconstruction at z = mu unless\n"
                  "--elbo-samples L; surprise compared with the first 5,000 training points, ScoreReference.h).\n\n") +
      kDataHelp;
  return text.c_str();
}

namespace {

// Every test point's four scores, one CSV line each. The surprise score's reference: the first 5,000 training
// points.
void writeScores(SemiSupervisedVae<float>& model, const DataSplit& data, const Arguments& a) {
  const Dataset& test = data.test;
  const std::string path = a.string("scores", "");
  std::vector<int> columns(size_t(test.size()));
  for (int i = 0; i < test.size(); ++i) columns[size_t(i)] = i;
  std::vector<ScoreBreakdown> scores(4);
  const ScoreKind kinds[4] = {ScoreKind::Reconstruction, ScoreKind::NegativeElbo, ScoreKind::Iwae,
                              ScoreKind::Surprise};
  std::string timing;
  for (int k = 0; k < 4; ++k) {
    ScoreSettings s;
    s.kind = kinds[k];
    s.samples = a.integer("samples", 50);
    s.elboSamples = a.integer("elbo-samples", 0);
    s.seed = uint64_t(a.integer("seed", 1));
    const auto t0 = std::chrono::steady_clock::now();
    if (s.kind == ScoreKind::Surprise) {
      if (data.train.size() == 0) throw Error("eval", "the surprise score needs training points to compare with");
      std::vector<int> reference(size_t(std::min(5000, data.train.size())));
      std::iota(reference.begin(), reference.end(), 0);
      s.reference = std::make_shared<ScoreReference>(fitScoreReference(model, data.train.x, reference, s));
    }
    scoreColumns(model, test.x, columns, s, scores[size_t(k)]);
    char buf[96];
    std::snprintf(buf, sizeof buf, "%s%s %.2f s", k ? ", " : "", describe(s.kind, s.samples).c_str(),
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    timing += buf;
  }
  Matrix<float> probs;
  std::FILE* f = std::fopen(path.c_str(), "w");
  if (!f) throw Error("eval", path + ": cannot write the scores");
  std::fprintf(f, "index,label,prediction,recon,elbo,iwae,surprise\n");
  for (int start = 0; start < test.size(); start += 1000) {
    const int n = std::min(1000, test.size() - start);
    model.classify(test.x.middleCols(start, n), probs);
    for (int j = 0; j < n; ++j) {
      const int i = start + j;
      Eigen::Index predicted = 0;
      probs.col(j).maxCoeff(&predicted);
      std::fprintf(f, "%d,%d,%d,%.6g,%.6g,%.6g,%.6g\n", i, test.hasLabels() ? test.labels[size_t(i)] : -1,
                   int(predicted), scores[0].total(i), scores[1].total(i), scores[2].total(i), scores[3].total(i));
    }
  }
  if (std::fclose(f) != 0) throw Error("eval", path + ": cannot write the scores");
  std::printf("scores of %d test points written to %s (%s, %d threads)\n", test.size(), path.c_str(), timing.c_str(),
              Eigen::nbThreads());
}

}  // namespace

int evalCommand(const std::vector<std::string>& argv) {
  std::set<std::string> values{"model", "test-samples", "threads", "gemm", "scores", "samples", "elbo-samples", "seed"};
  values.insert(kDataOptions.begin(), kDataOptions.end());
  const Arguments a(argv, values, {"json"});
  if (!a.has("model")) throw UsageError("--model FILE.h5 is required");
  if (a.has("scores") && a.integer("samples", 50) < 1) throw UsageError("--samples must be at least 1 (the IWAE's S)");
  applyCompute(a);
  const ModelFile f = readModelFile(a.string("model", ""));
  DataSplit data = openLabelledData(a, "eval", f.model.classes, &f.input);
  if (data.test.classes != f.model.classes)
    throw Error("eval", "the model has " + std::to_string(f.model.classes) + " classes, " + data.source + " has " +
                            std::to_string(data.test.classes));
  if (data.test.features() != f.model.inputSize)
    throw Error("eval", "the model takes " + std::to_string(f.model.inputSize) + " features, the data set has " +
                            std::to_string(data.test.features()));
  if (a.has("test-samples")) data.test = data.test.head(a.integer("test-samples", data.test.size()));
  auto model = instantiateModel(f);
  const Eigen::MatrixXi confusion = confusionMatrix(*model, data.test);
  const double acc = data.test.size() ? double(confusion.trace()) / data.test.size() : 0;
  std::printf("test accuracy %.4f on %d samples of %s\n", acc, data.test.size(), data.source.c_str());
  const int K = int(confusion.rows());
  std::vector<double> perClass(size_t(K), 0.0);
  std::printf("\ntrue \\ predicted");
  for (int p = 0; p < K; ++p) std::printf(" %5d", p);
  std::printf("  accuracy\n");
  for (int t = 0; t < K; ++t) {
    const int total = confusion.row(t).sum();
    perClass[size_t(t)] = total ? double(confusion(t, t)) / total : std::nan("");
    std::printf("%17d", t);
    for (int p = 0; p < K; ++p) std::printf(" %5d", confusion(t, p));
    std::printf("  %.4f\n", perClass[size_t(t)]);
  }
  if (a.has("scores")) writeScores(*model, data, a);
  if (a.has("json")) {
    JsonObject o;
    o.add("test_accuracy", acc).add("samples", data.test.size()).add("model", a.string("model", ""));
    o.add("per_class_accuracy", perClass);
    std::printf("%s\n", o.str().c_str());
  }
  return 0;
}

const char* inspectHelp() {
  return "usage: latentlab-cli inspect FILE.h5\n"
         "Prints a model file's architecture, data set, training state, label count and tensor list.\n";
}

// Hidden modes for the workbench (app/ModelFileCheck.h): `inspect --check FILE` reads the whole model file,
// `inspect --check-data FILE` lists a data file's arrays (which walks all its metadata). Each exits 0, or 1 with
// the reader's message on stderr; a file that crashes libhdf5 ends this process, not the caller.
template <typename Read>
int checkInThisProcess(Read read) {
  try {
    read();
    return 0;
  } catch (const Error& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
}

int inspectCommand(const std::vector<std::string>& argv) {
  if (argv.size() == 2 && argv[0] == "--check") return checkInThisProcess([&] { readModelFile(argv[1]); });
  if (argv.size() == 2 && argv[0] == "--check-data") return checkInThisProcess([&] { listArrays(argv[1]); });
  if (argv.size() != 1 || argv[0].rfind("--", 0) == 0) throw UsageError("inspect takes one model file");
  const ModelFile f = readModelFile(argv[0]);
  const ModelConfig& m = f.model;
  std::string hidden;
  for (int h : m.hidden) {
    if (!hidden.empty()) hidden += '-';
    hidden += std::to_string(h);
  }
  std::printf("model      %s, format %s version %d\n", argv[0].c_str(), kModelFormatName, f.formatVersion);
  // The trunk as layers: "784-500-500"; conv "1x28x28 image, conv 32,64 (4x4) - 500"; recurrent
  // "26 steps x 12 channels, LSTM 128 x 1 (last)".
  std::string trunk =
      m.flavour == Flavour::Dense ? std::to_string(m.inputSize) + "-" : m.inputShape().describe() + ", ";
  if (m.flavour == Flavour::Conv) {
    std::string channels;
    for (int c : m.conv.channels) channels += (channels.empty() ? "" : ",") + std::to_string(c);
    trunk += "conv " + channels + " (" + std::to_string(m.conv.kernel) + "x" + std::to_string(m.conv.kernel) + ")" +
             (hidden.empty() ? "" : " - " + hidden);
  } else if (m.flavour == Flavour::Recurrent) {
    trunk += "LSTM " + std::to_string(m.recurrent.hidden) + " x " + std::to_string(m.recurrent.layers) + " (" +
             toString(m.recurrent.pooling) + ")";  // the heads read the LSTM's state: no dense layers
  } else {
    trunk += hidden;
  }
  std::printf("flavour    %s, %s, latent %d, %d classes, %s, %s objective%s, %s likelihood\n",
              toString(m.flavour).c_str(), trunk.c_str(), m.latent, m.classes, toString(m.activation).c_str(),
              toString(m.objective).c_str(),
              m.objective == Objective::Marginal && m.marginalMass < 1
                  ? (" (pruned to " + std::to_string(int(std::lround(100 * m.marginalMass))) + "% of q(y|x))").c_str()
                  : "",
              toString(m.likelihood).c_str());
  std::printf("inputs     %s\n", f.input.describe().c_str());
  std::printf("weights    alpha %g, beta %g%s\n", m.alpha, m.beta,
              f.decoderTrained ? "" : "; decoder untrained (a supervised-only run)");
  std::string names;
  for (const auto& n : f.classNames) {
    if (!names.empty()) names += ", ";
    names += n;
  }
  std::printf("classes    %s\n", names.c_str());
  std::printf("data       %s, %d samples %dx%d, %s\n", f.dataset.name.c_str(), f.dataset.samples, f.dataset.height,
              f.dataset.width, f.dataset.fingerprint.c_str());
  std::printf("labels     %zu\n", f.labels.size());
  if (f.training) {
    const auto& t = *f.training;
    std::printf("training   epoch %d of %d, step %ld, lr %g, seed %llu%s; last test accuracy %s\n", t.state.epoch,
                t.config.epochs, t.state.step, t.config.learningRate, (unsigned long long)t.config.seed,
                t.config.supervisedOnly ? ", supervised only" : "",
                t.state.epochs.empty() ? "-" : std::to_string(t.state.epochs.back().testAccuracy).c_str());
  } else {
    std::printf("training   no training state (inference only)\n");
  }
  size_t total = 0;
  std::printf("tensors\n");
  for (const auto& [name, value] : f.parameters) {
    std::printf("  %-22s %5ld x %-5ld float32\n", name.c_str(), long(value.rows()), long(value.cols()));
    total += size_t(value.size());
  }
  std::printf("  %zu parameters\n", total);
  return 0;
}

const char* exportHelp() {
  static const std::string text =
      std::string(
          "usage: latentlab-cli export --model FILE.h5 --out REFERENCE.h5 [--data PATH ...] [--samples N]\n"
          "Writes reference outputs of the engine for the first N test samples (default 64), for other\n"
          "programs to check their reading of a model file against (tests/interop/check_model.py):\n"
          "  x (N x D) inputs in the model's feature order (images: pixels / 255, row-major,\n"
          "  channels-last; sequences: time-major), probs (N x K) q(y|x), mu and logvar (N x d),\n"
          "  y (N x K) one-hot classes, row i holding class i mod K (every class in turn, not the\n"
          "  sample's label), decoded (N x D) decoder means of (mu, y).\n"
          "Give the data options the model was trained with (a recurrent model on MNIST:\n"
          "--data mnist-rows).\n\n") +
      kDataHelp;
  return text.c_str();
}

int exportCommand(const std::vector<std::string>& argv) {
  std::set<std::string> values{"model", "out", "samples"};
  values.insert(kDataOptions.begin(), kDataOptions.end());
  const Arguments a(argv, values, {});
  if (!a.has("model") || !a.has("out")) throw UsageError("--model FILE.h5 and --out REFERENCE.h5 are required");
  const ModelFile f = readModelFile(a.string("model", ""));
  DataSplit data = openData(dataRequestFromArguments(a, f.model.classes));
  readInputs(data, a, &f.input);
  if (data.test.features() != f.model.inputSize)
    throw Error("export", "the model takes " + std::to_string(f.model.inputSize) + " features, " + data.source +
                              " has " + std::to_string(data.test.features()));
  const int n = std::min(a.integer("samples", 64), data.test.size());
  if (n < 1) throw UsageError("--samples must be at least 1 (and the test split not empty)");
  auto model = instantiateModel(f);
  const Matrix<float> x = data.test.x.leftCols(n);
  Matrix<float> mu, logvar, probs, decoded;
  model->encode(x, mu, logvar, &probs);
  Matrix<float> y = Matrix<float>::Zero(f.model.classes, n);
  for (int i = 0; i < n; ++i) y(i % f.model.classes, i) = 1;  // every class in turn
  model->decode(mu, y, decoded);

  H5::Exception::dontPrint();
  try {
    H5::H5File out(a.string("out", ""), H5F_ACC_TRUNC);
    auto write = [&](const char* name, const Matrix<float>& m) {  // samples as rows, as NumPy expects
      const hsize_t dims[2] = {hsize_t(m.cols()), hsize_t(m.rows())};
      out.createDataSet(name, H5::PredType::IEEE_F32LE, H5::DataSpace(2, dims)).write(m.data(), H5::PredType::NATIVE_FLOAT);
    };
    write("x", x);
    write("probs", probs);
    write("mu", mu);
    write("logvar", logvar);
    write("y", y);
    write("decoded", decoded);
  } catch (const H5::Exception& e) {
    throw Error("export", a.string("out", "") + ": cannot write (" + e.getDetailMsg() + ")");
  }
  std::printf("wrote reference outputs for %d samples to %s\n", n, a.string("out", "").c_str());
  return 0;
}

}  // namespace latentlab::cli
