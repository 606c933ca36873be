#include "engine/experiment/ExperimentRun.h"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "engine/anomaly/HoldoutExperiment.h"
#include "engine/core/AtomicFile.h"
#include "engine/core/Error.h"
#include "engine/core/GemmBackend.h"
#include "engine/core/JsonValue.h"
#include "engine/data/DataSource.h"
#include "engine/train/Defaults.h"
#include "engine/train/Evaluation.h"
#include "engine/train/TrainingSession.h"

extern const char* kLatentlabBuildCommit;  // generated at build time (resources/BuildCommit.cmake)

namespace latentlab {
namespace {

std::string utcNow() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

JsonObject modelRecord(const ModelConfig& m) {
  JsonObject o;
  std::vector<double> hidden(m.hidden.begin(), m.hidden.end());
  o.add("objective", toString(m.objective))
      .add("activation", toString(m.activation))
      .add("hidden", hidden)
      .add("latent", m.latent)
      .add("alpha", m.alpha)
      .add("beta", m.beta)
      .add("marginal_mass", m.marginalMass);
  if (m.flavour == Flavour::Conv) {
    std::vector<double> channels(m.conv.channels.begin(), m.conv.channels.end());
    o.add("conv_channels", channels).add("kernel", m.conv.kernel);
  }
  if (m.flavour == Flavour::Recurrent) o.add("lstm_hidden", m.recurrent.hidden).add("lstm_layers", m.recurrent.layers);
  return o;
}

// SS or EQ_S: the session `train` runs, the last epoch's model measured on the test set.
RunOutcome runClassification(const RunSpec& spec, const DataSplit& data,
                             const std::function<void(const RunProgress&)>& progress, const CancelFlag* cancel) {
  RunOutcome out;
  NewRun run;
  run.model = defaultModelConfig(spec.flavour);
  run.model.marginalMass = 1;  // the article's M2: every class decoded (train's default prunes, Defaults.h)
  run.model.setInput(data.train.shape);
  run.model.classes = data.train.classes;
  run.model.alpha = 0.1 * data.train.size();  // Kingma et al.: 0.1 x training points (ModelConfig, `train`)
  run.model.validate();
  run.train = defaultTrainConfig();
  run.train.epochs = spec.epochs;
  run.train.seed = uint64_t(spec.seed);
  run.train.supervisedOnly = spec.arm == "eq_s";
  run.initialLabels = spec.labels;
  auto shared = std::make_shared<const DataSplit>(data);
  TrainingSession session(shared, run);
  out.labels = int(session.labels().size());
  const long total = session.totalSteps();
  session.onStep = [&](const StepReport& s) {
    if (cancelRequested(cancel)) session.stop();
    if (progress && (s.stepInEpoch % 20 == 0 || s.stepInEpoch == s.stepsPerEpoch))
      progress({total > 0 ? double(s.step) / double(total) : 0,
                "epoch " + std::to_string(s.epoch) + "/" + std::to_string(spec.epochs)});
  };
  const TrainStatus status = session.run();
  if (status == TrainStatus::Stopped) {
    out.status = JobStatus::Cancelled;
    return out;
  }
  out.trainStatus = status == TrainStatus::Finished ? "finished" : "non-finite-loss";
  std::vector<double> accuracies;
  for (const EpochReport& e : session.trainer().history()) accuracies.push_back(e.testAccuracy);
  const double logloss = logLoss(session.model(), data.test, 1000, cancel);
  if (cancelRequested(cancel)) {
    out.status = JobStatus::Cancelled;
    return out;
  }
  out.figures.add("test_accuracy", accuracies.empty() ? std::nan("") : accuracies.back())
      .add("test_log_loss", logloss)
      .add("accuracy_per_epoch", accuracies);
  const TrainConfig& tc = session.trainer().config();
  out.config.add("model", modelRecord(run.model))
      .add("learning_rate", tc.learningRate)
      .add("batch", tc.unlabelledBatch)
      .add("labelled_batch", tc.labelledBatch)
      .add("supervised_only", tc.supervisedOnly);
  return out;
}

RunOutcome runAnomaly(const RunSpec& spec, const DataSplit& data,
                      const std::function<void(const RunProgress&)>& progress, const CancelFlag* cancel) {
  RunOutcome out;
  HoldoutSettings hs;  // as `latentlab-cli anomaly` sets it by default
  hs.model = defaultModelConfig(spec.flavour);
  hs.model.marginalMass = 1;
  hs.model.setInput(data.train.shape);
  hs.model.classes = data.train.classes;
  hs.model.alpha = 0.1 * data.train.size();
  hs.train.epochs = spec.epochs;
  hs.train.seed = uint64_t(spec.seed);
  hs.train.labelledBatch = hs.train.unlabelledBatch = 100;
  hs.train.evalSamples = 1000;
  ScoreSettings elbo;
  elbo.kind = ScoreKind::NegativeElbo;
  elbo.seed = hs.train.seed;
  ScoreSettings surprise = elbo;
  surprise.kind = ScoreKind::Surprise;
  hs.scores = {elbo, surprise};
  hs.validate();
  HoldoutExperiment experiment(data, spec.holdout, hs);
  // Stages: three models trained, then scored; the fraction moves per stage.
  experiment.onProgress = [&](const HoldoutProgress& p) {
    if (!progress) return;
    const double within = p.total > 0 ? double(p.done) / p.total : 0;
    const bool training = p.stage.rfind("training", 0) == 0;
    progress(
        {training ? 0.9 * within : 0.9 + 0.1 * within, "holdout " + std::to_string(spec.holdout) + ": " + p.stage});
  };
  const HoldoutResult r = experiment.run(cancel);
  if (r.status == JobStatus::Cancelled) {
    out.status = JobStatus::Cancelled;
    return out;
  }
  out.figures.add("holdout", spec.holdout).add("normal_test", r.normalTest).add("anomalous_test", r.anomalousTest);
  for (const DetectorResult& d : r.detectors) {
    std::string tag = d.detector == "vae_off" ? "off" : d.detector == "vae_on" ? "on" : d.detector;
    if (d.score == ScoreKind::Surprise) tag += "_surprise";
    out.figures.add("auroc_" + tag, d.roc.auroc).add("auprc_" + tag, d.roc.auprc);
  }
  for (const TrainedModel& m : r.models)
    if (m.testAccuracy >= 0) out.figures.add("accuracy_on", m.testAccuracy);
  out.labels = r.normalTraining;
  out.config.add("model", modelRecord(hs.model))
      .add("score", "elbo,surprise")
      .add("pca_components", hs.pcaComponents)
      .add("autoencoder", hs.autoencoder)
      .add("learning_rate", hs.train.learningRate)
      .add("batch", hs.train.unlabelledBatch);
  return out;
}

}  // namespace

DataSplit openExperimentData(const std::string& path) {
  DataRequest request;
  request.path = path;
  DataSplit data = openData(request);
  prepareInputs(data, "auto");
  if (!data.train.hasLabels() || !data.test.hasLabels())
    throw Error("Experiment", data.source + ": the experiments need labels in the training and test splits");
  return data;
}

DataSplit prepareExperimentData(const DataSplit& data, const RunSpec& spec) {
  DataSplit d = data;
  if (spec.trainSamples > 0 && spec.trainSamples < d.train.size()) d.train = d.train.head(spec.trainSamples);
  if (spec.testSamples > 0 && spec.testSamples < d.test.size()) d.test = d.test.head(spec.testSamples);
  if (!d.train.hasLabels() || !d.test.hasLabels() || d.test.size() == 0)
    throw Error("Experiment", data.source + ": the experiments need labelled training and test splits");
  return d;
}

RunOutcome runExperiment(const RunSpec& spec, const DataSplit& data,
                         const std::function<void(const RunProgress&)>& progress, const CancelFlag* cancel) {
  const auto start = std::chrono::steady_clock::now();
  const std::string started = utcNow();
  RunOutcome out = spec.arm == "anomaly" ? runAnomaly(spec, data, progress, cancel)
                                         : runClassification(spec, data, progress, cancel);
  out.started = started;
  out.seconds = secondsSince(start);
  if (progress && out.status == JobStatus::Finished) progress({1.0, "done"});
  return out;
}

std::string runFilePath(const std::string& dir, const RunSpec& spec) {
  return (std::filesystem::path(dir) / (spec.id() + ".json")).string();
}

bool runDone(const std::string& dir, const RunSpec& spec) {
  std::ifstream in(runFilePath(dir, spec), std::ios::binary);
  if (!in) return false;
  std::stringstream text;
  text << in.rdbuf();
  try {
    const JsonValue v = JsonValue::parse(text.str());
    return v["id"].string() == spec.id() && v["figures"].isObject();
  } catch (const Error&) {
    return false;
  }
}

void writeRunFile(const std::string& dir, const RunSpec& spec, const RunOutcome& outcome, const std::string& command) {
  if (outcome.status != JobStatus::Finished) throw Error("Experiment", spec.id() + ": an unfinished run has no result");
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw Error("Experiment", dir + ": cannot create the folder (" + ec.message() + ")");
  JsonObject o;
  o.add("id", spec.id())
      .add("protocol",
           toString(spec.protocol == ExperimentProtocol::Anomaly ? spec.protocol : ExperimentProtocol::Classification))
      .add("flavour", toString(spec.flavour))
      .add("arm", spec.arm)
      .add("labels_requested", spec.labels > 0 ? std::to_string(spec.labels) : std::string("all"))
      .add("labels", outcome.labels)
      .add("holdout", spec.holdout)
      .add("seed", spec.seed)
      .add("epochs", spec.epochs)
      .add("data", dataTag(spec.data))
      .add("data_path", spec.data.empty() ? std::string("the bundled MNIST") : spec.data)
      .add("train_samples", spec.trainSamples)
      .add("test_samples", spec.testSamples)
      .add("status", outcome.trainStatus)
      .add("config", outcome.config)
      .add("commit", buildCommit())
      .add("machine", machineRecord())
      .add("started", outcome.started)
      .add("seconds", outcome.seconds)
      .add("command", command)
      .add("figures", outcome.figures);
  const std::string path = runFilePath(dir, spec);
  const std::string tmp = temporaryPathFor(path);
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f << o.str() << "\n";
    f.flush();
    if (!f) {
      std::filesystem::remove(tmp, ec);
      throw Error("Experiment", path + ": cannot write the result");
    }
  }
  commitTemporary(tmp, path, "Experiment");
}

std::string buildCommit() { return kLatentlabBuildCommit; }

JsonObject machineRecord() {
  JsonObject o;
  char host[256] = {0};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = 0;
  __builtin_cpu_init();
  const char* isa = __builtin_cpu_supports("avx512f") ? "avx512" : __builtin_cpu_supports("avx2") ? "avx2" : "sse";
  o.add("cpu", cpuModelName())
      .add("isa", isa)
      .add("cores", int(std::thread::hardware_concurrency()))
      .add("host", std::string(host))
      .add("threads", gemmThreads())
      .add("products", toString(gemmBackend()));
  return o;
}

}  // namespace latentlab
