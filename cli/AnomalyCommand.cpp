// latentlab-cli anomaly: the held-out-class experiment (engine/anomaly/HoldoutExperiment.h), every class in turn.
#include <unistd.h>

#include <cmath>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include "cli/Commands.h"
#include "cli/DataOptions.h"
#include "engine/core/JsonObject.h"
#include "cli/Options.h"
#include "engine/anomaly/HoldoutExperiment.h"
#include "engine/io/ModelFile.h"

namespace latentlab::cli {
namespace {

CancelFlag gCancel{false};
extern "C" void onAnomalyInterrupt(int) { gCancel.store(true); }  // an atomic store: safe in a signal handler

std::vector<ScoreKind> parseScores(const std::string& list) {
  std::vector<ScoreKind> kinds;
  std::stringstream in(list);
  std::string item;
  while (std::getline(in, item, ',')) {
    try {
      kinds.push_back(scoreKindFromString(item));
    } catch (const Error&) {
      throw UsageError("--score is recon, elbo, iwae or surprise (or a comma-separated list), got '" + item + "'");
    }
  }
  if (kinds.empty()) throw UsageError("--score is recon, elbo, iwae or surprise");
  return kinds;
}

}  // namespace

const char* anomalyHelp() {
  static const std::string text =
      std::string(
          "usage: latentlab-cli anomaly [options]\n"
          "The held-out-class experiment: each held-out class in turn is the anomaly; the other classes' training\n"
          "points train a VAE without the class input (labels off) and the semi-supervised VAE with their labels\n"
          "(labels on), both of the same size, and the baselines (PCA, a deterministic autoencoder of the same\n"
          "trunk and decoder). Every test point is scored; the held-out class's test points are the anomalies.\n"
          "Prints the AUROC and AUPRC per class and writes the ROC points as CSV. Ctrl-C stops after the current\n"
          "step and reports the classes finished.\n"
          "\n"
          "  --holdout C|all            the class held out, or every class in turn (default all)\n"
          "  --labels on|off|both       which VAEs to train (default both)\n"
          "  --score recon|elbo|iwae|surprise\n"
          "                             the VAEs' score; a comma-separated list scores each (default elbo):\n"
          "                             the first is reported as auroc_off, auroc_on..., the others with their\n"
          "                             name appended (auroc_on_iwae). y at test time: the marginal over q(y|x)\n"
          "                             (elbo, recon, surprise); drawn with z from q(y|x) (iwae). surprise: how\n"
          "                             rare the point's -ELBO and its class doubt (entropy of q(y|x)) are among\n"
          "                             normal training points, -log of each tail probability, summed (the\n"
          "                             labels-off model has no classifier: its -ELBO's term alone)\n"
          "  --reference-samples N      normal training points the surprise score compares with (default 5000)\n"
          "  --samples S                importance samples of the IWAE score (default 50)\n"
          "  --elbo-samples L           z samples of the -ELBO's reconstruction; 0: z at the posterior mean\n"
          "                             (default 0)\n"
          "  --epochs E                 training epochs of each model (default 10)\n"
          "  --label-count N|all        labels on: a balanced subset of N labels, or every label (default all)\n"
          "  --marginal-mass M          labels on with a subset: the pruned marginal's mass (default 0.99; 1: exact)\n"
          "  --pca K                    PCA baseline with K components; 0: none (default 10)\n"
          "  --ae on|off                the autoencoder baseline (default on)\n"
          "  --percentile P             the threshold: this percentile of the training scores (default 95)\n"
          "  --threshold-samples N      normal training points scored for the threshold (default 2000)\n"
          "  --roc FILE                 the ROC points: holdout,detector,score,fpr,tpr,threshold\n"
          "                             (default anomaly-roc.csv)\n"
          "  --save-models DIR          save each VAE as DIR/holdout-C-vae_on.h5 and DIR/holdout-C-vae_off.h5\n"
          "                             (the labels-off one without class input: its file says so)\n"
          "  --models DIR               score the VAEs saved there by --save-models instead of training them\n"
          "                             (those missing are trained)\n"
          "  --seed S                   seeds the weights, batches, noise and scores' draws (default 1)\n"
          "  --lr RATE                  Adam learning rate (default 1e-3)\n"
          "  --batch B                  points per step of every model (default 100)\n"
          "  --binarize                 dynamic binarisation of the training images\n"
          "  --train-samples N          use only the first N training samples (quick runs)\n"
          "  --test-samples N           score only the first N test samples\n"
          "  --threads T                threads for the matrix products (default 1)\n" +
          std::string(kGemmHelp) +
          "  --json                     last line: {\"score\": ..., \"classes\": [{\"holdout\": c, \"auroc_off\": "
          "...,\n"
          "                             \"auroc_on\": ..., \"auprc_off\": ..., \"auprc_on\": ..., \"auroc_pca\": ...,\n"
          "                             \"auroc_ae\": ...}, ...], \"mean_auroc_off\": ..., \"mean_auroc_on\": ...}\n") +
      kDataHelp + kModelHelp;
  return text.c_str();
}

int anomalyCommand(const std::vector<std::string>& argv) {
  std::set<std::string> values{"holdout",      "labels",        "score", "samples", "elbo-samples", "epochs",
                               "label-count",  "marginal-mass", "pca",   "ae",      "percentile",   "threshold-samples",
                               "roc",          "save-models",   "seed",  "lr",      "batch",        "train-samples",
                               "models",       "reference-samples",
                               "test-samples", "threads",       "gemm"};
  values.insert(kModelOptions.begin(), kModelOptions.end());
  values.insert(kDataOptions.begin(), kDataOptions.end());
  const Arguments a(argv, values, {"json", "binarize"});
  applyCompute(a);

  // Everything the command line can get wrong, before the data is read.
  const std::string labelsArg = a.string("labels", "both");
  if (labelsArg != "on" && labelsArg != "off" && labelsArg != "both") throw UsageError("--labels is on, off or both");
  const std::vector<ScoreKind> kinds = parseScores(a.string("score", "elbo"));
  const int samples = a.integer("samples", 50);
  if (samples < 1) throw UsageError("--samples must be at least 1 (the IWAE's S)");
  const std::string aeArg = a.string("ae", "on");
  if (aeArg != "on" && aeArg != "off") throw UsageError("--ae is on or off");
  const std::string holdoutArg = a.string("holdout", "all");
  const std::string labelCountArg = a.string("label-count", "all");

  DataSplit data = openLabelledData(a, "anomaly");
  if (a.has("train-samples")) data.train = data.train.head(a.integer("train-samples", data.train.size()));
  if (a.has("test-samples")) data.test = data.test.head(a.integer("test-samples", data.test.size()));
  const int K = data.train.classes;
  std::vector<int> holdouts;
  if (holdoutArg == "all") {
    for (int c = 0; c < K; ++c) holdouts.push_back(c);
  } else {
    const int c = a.integer("holdout", -1);
    if (c < 0 || c >= K)
      throw UsageError("--holdout " + holdoutArg + ": there is no such class (the data has classes 0.." +
                       std::to_string(K - 1) + ", or all)");
    holdouts.push_back(c);
  }

  HoldoutSettings hs;
  hs.model = modelFromArguments(a, data.train);
  hs.model.marginalMass = a.number("marginal-mass", hs.model.marginalMass);
  hs.train.epochs = a.integer("epochs", 10);
  hs.train.seed = uint64_t(a.integer("seed", 1));
  hs.train.learningRate = a.number("lr", hs.train.learningRate);
  hs.train.labelledBatch = hs.train.unlabelledBatch = a.integer("batch", 100);
  hs.train.binarize = a.has("binarize");
  hs.train.evalSamples = 1000;
  hs.labelsOff = labelsArg != "on";
  hs.labelsOn = labelsArg != "off";
  hs.labelCount = labelCountArg == "all" ? 0 : a.integer("label-count", 0);
  if (labelCountArg != "all" && hs.labelCount < 1) throw UsageError("--label-count is a positive count or all");
  hs.scores.clear();
  for (ScoreKind k : kinds) {
    ScoreSettings s;
    s.kind = k;
    s.samples = samples;
    s.elboSamples = a.integer("elbo-samples", 0);
    s.seed = hs.train.seed;
    hs.scores.push_back(s);
  }
  hs.pcaComponents = a.integer("pca", 10);
  hs.autoencoder = aeArg == "on";
  hs.percentile = a.number("percentile", 95);
  hs.thresholdSamples = a.integer("threshold-samples", 2000);
  hs.referenceSamples = a.integer("reference-samples", hs.referenceSamples);
  try {
    hs.validate();
  } catch (const Error& e) {
    throw UsageError(e.what());
  }
  const std::string rocPath = a.string("roc", "anomaly-roc.csv");
  const std::string saveDir = a.string("save-models", "");
  const std::string modelDir = a.string("models", "");
  const bool json = a.has("json");
  const bool tty = isatty(fileno(stderr));

  std::string scoreList;
  for (ScoreKind k : kinds) scoreList += (scoreList.empty() ? "" : ",") + toString(k);
  std::printf(
      "# latentlab anomaly: %s, %d training / %d test samples, classes held out: %s; labels %s, score %s "
      "(IWAE S=%d), %d epochs, %s %s, latent %d, beta %g, labels-on %s, PCA k=%d, autoencoder %s, "
      "threshold at the %gth percentile, seed %llu, threads %d, products %s\n",
      data.description.c_str(), data.train.size(), data.test.size(), holdoutArg.c_str(), labelsArg.c_str(),
      scoreList.c_str(), samples, hs.train.epochs, toString(hs.model.flavour).c_str(),
      toString(hs.model.objective).c_str(), hs.model.latent, hs.model.beta,
      hs.labelCount ? (std::to_string(hs.labelCount) + " labels").c_str() : "every label", hs.pcaComponents,
      aeArg.c_str(), hs.percentile, (unsigned long long)hs.train.seed, Eigen::nbThreads(), toString(gemmBackend()));
  std::fflush(stdout);

  std::ofstream roc(rocPath);
  if (!roc) throw Error("anomaly", rocPath + ": cannot write the ROC points");
  roc << "holdout,detector,score,fpr,tpr,threshold\n";

  std::signal(SIGINT, onAnomalyInterrupt);
  std::vector<JsonObject> classes;
  // Sums over the classes finished, per detector and score (key: auroc_on, auroc_on_iwae, ...).
  std::map<std::string, std::pair<double, int>> sums;
  auto suffix = [&](ScoreKind k) {
    std::string s;
    if (k != kinds.front()) s.append("_").append(toString(k));
    return s;
  };
  bool cancelled = false;
  int onBeatsOff = 0, compared = 0;
  for (int c : holdouts) {
    HoldoutExperiment experiment(data, c, hs);
    experiment.onProgress = [&](const HoldoutProgress& p) {
      if (tty) std::fprintf(stderr, "\r  holdout %d: %s %d/%d      ", c, p.stage.c_str(), p.done, p.total);
    };
    // The classes of the models of this holdout, as their files name them.
    std::vector<std::string> names;
    for (int k = 0; k < K; ++k)
      if (k != c)
        names.push_back(k < int(data.train.classNames.size()) ? data.train.classNames[size_t(k)] : std::to_string(k));
    if (!saveDir.empty())
      experiment.onModelTrained = [&](const std::string& name, SemiSupervisedVae<float>& model) {
        const std::string path = saveDir + "/holdout-" + std::to_string(c) + "-" + name + ".h5";
        writeModelFile(path, captureModel(model, names,
                                          DatasetInfo{data.source, "", data.train.size(), data.train.shape.height,
                                                      data.train.shape.width}));
      };
    if (!modelDir.empty())
      experiment.loadModel = [&](const std::string& name) -> std::unique_ptr<SemiSupervisedVae<float>> {
        const std::string path = modelDir + "/holdout-" + std::to_string(c) + "-" + name + ".h5";
        if (access(path.c_str(), F_OK) != 0) return nullptr;
        const ModelFile f = readModelFile(path);
        if (f.classNames != names)
          throw Error("anomaly", path + ": its classes are not those left when class " + std::to_string(c) +
                                     " is held out (a model of another data set or holdout)");
        return instantiateModel(f);
      };
    const HoldoutResult r = experiment.run(&gCancel);
    if (tty) std::fprintf(stderr, "\r%70s\r", "");
    if (r.status == JobStatus::Cancelled) {
      cancelled = true;
      std::printf("# stopped during holdout %d\n", c);
      break;
    }
    JsonObject o;
    o.add("holdout", c);
    std::string line = "holdout " + std::to_string(c) + ":";
    char buf[160];
    for (const DetectorResult& d : r.detectors) {
      const bool baseline = d.detector == "pca" || d.detector == "ae";
      const std::string tag = d.detector == "vae_off" ? "off" : d.detector == "vae_on" ? "on" : d.detector;
      const std::string key = tag + (baseline ? "" : suffix(d.score));
      o.add("auroc_" + key, d.roc.auroc).add("auprc_" + key, d.roc.auprc);
      o.add("precision_" + key, d.atThreshold.precision).add("recall_" + key, d.atThreshold.recall);
      sums["auroc_" + key].first += d.roc.auroc;
      sums["auroc_" + key].second += 1;
      sums["auprc_" + key].first += d.roc.auprc;
      sums["auprc_" + key].second += 1;
      const std::string scoreName = baseline ? std::string() : toString(d.score);
      std::snprintf(buf, sizeof buf, "  %s %s AUROC %.4f AUPRC %.4f (at p%g: precision %.3f recall %.3f)", tag.c_str(),
                    scoreName.c_str(), d.roc.auroc, d.roc.auprc, d.percentile, d.atThreshold.precision,
                    d.atThreshold.recall);
      line += buf;
      for (const RocPoint& p : d.roc.points) {
        std::snprintf(buf, sizeof buf, "%d,%s,%s,%.6g,%.6g,%.9g\n", c, d.detector.c_str(),
                      baseline ? "recon" : toString(d.score).c_str(), p.falsePositiveRate, p.truePositiveRate,
                      p.threshold);
        roc << buf;
      }
    }
    for (const TrainedModel& m : r.models) {
      std::snprintf(buf, sizeof buf, "  [%s %s%s]", m.name.c_str(),
                    m.loaded ? "loaded" : (std::to_string(int(std::lround(m.seconds))) + " s").c_str(),
                    m.testAccuracy >= 0 ? (", accuracy " + std::to_string(m.testAccuracy).substr(0, 6)).c_str() : "");
      line += buf;
      if (m.testAccuracy >= 0) o.add("accuracy_on", m.testAccuracy);
    }
    if (const DetectorResult* off = r.find("vae_off", kinds.front()), *on = r.find("vae_on", kinds.front());
        off && on) {
      ++compared;
      onBeatsOff += on->roc.auroc > off->roc.auroc;
    }
    std::printf("%s\n", line.c_str());
    std::fflush(stdout);
    roc.flush();
    classes.push_back(o);
  }
  std::signal(SIGINT, SIG_DFL);

  // Means over the classes run; how often labels on beat labels off.
  auto mean = [&](const std::string& key) {
    auto it = sums.find(key);
    return it == sums.end() || it->second.second == 0 ? std::nan("") : it->second.first / it->second.second;
  };
  std::printf("# classes finished: %zu; ROC points in %s\n", classes.size(), rocPath.c_str());
  for (const auto& [key, sum] : sums)
    if (key.rfind("auroc_", 0) == 0) std::printf("# mean %s %.4f\n", key.c_str(), mean(key));
  if (compared)
    std::printf("# labels on beat labels off by the %s score on %d of %d classes\n", toString(kinds.front()).c_str(),
                onBeatsOff, compared);
  if (json) {
    JsonObject o;
    o.add("score", scoreList);
    o.add("samples", samples);
    o.add("epochs", hs.train.epochs);
    o.add("classes", classes);
    for (const auto& [key, sum] : sums) o.add("mean_" + key, mean(key));
    if (compared) o.add("on_beats_off", onBeatsOff);
    o.add("status", cancelled ? "stopped" : "finished");
    std::printf("%s\n", o.str().c_str());
  }
  return 0;
}

}  // namespace latentlab::cli
