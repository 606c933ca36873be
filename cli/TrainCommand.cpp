#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <optional>

#include "cli/Commands.h"
#include "cli/DataOptions.h"
#include "cli/Json.h"
#include "cli/Options.h"
#include "engine/core/AtomicFile.h"
#include "engine/data/Fingerprint.h"
#include "engine/io/ModelFile.h"
#include "engine/train/Defaults.h"
#include "engine/train/Trainer.h"

namespace latentlab::cli {
namespace {

Trainer* gTrainer = nullptr;
extern "C" void onInterrupt(int) {
  if (gTrainer) gTrainer->stop();  // an atomic store: safe in a signal handler
}

}  // namespace

const char* trainHelp() {
  static const std::string text = std::string(
      "usage: latentlab-cli train [options]\n"
      "Trains on a labelled data set (--data; MNIST by default) and prints one line per epoch with every loss\n"
      "term, the test accuracy and the seconds taken. Ctrl-C stops after the current step.\n"
      "\n"
      "  --labels N|all             balanced labelled subset drawn with the seed, or every label (default 100)\n"
      "  --epochs E                 passes over the training set (default 30)\n"
      "  --seed S                   seeds the labelled subset, initial weights, batches and noise (default 1)\n"
      "  --lr RATE                  Adam learning rate (default 1e-3)\n"
      "  --schedule constant|cosine learning-rate schedule (cosine anneals to 0 at the last epoch)\n"
      "  --batch B                  unlabelled batch size (default 100)\n"
      "  --labelled-batch B         labelled batch size, drawn with replacement (default 100)\n"
      "  --binarize                 dynamic binarisation of the training images (pixel p -> 1 with probability p)\n"
      "  --supervised-only          the equivalent supervised classifier: trunk + pi on the labels alone\n"
      "  --train-samples N          use only the first N training samples (quick runs)\n"
      "  --test-samples N           evaluate on the first N test samples (default all)\n"
      "  --threads T                threads for the matrix products (default 1)\n"
      + std::string(kGemmHelp) +
      "  --out FILE.h5              save the model, optimiser, training state and labels there after every\n"
      "                             epoch (written atomically: an interrupted run keeps the last epoch)\n"
      "  --resume FILE.h5           continue a run saved with --out exactly where it stopped (same data);\n"
      "                             --epochs then sets the new total\n"
      "  --json                     last line: a JSON object with the results\n") + kDataHelp + kModelHelp;
  return text.c_str();
}

int trainCommand(const std::vector<std::string>& argv) {
  std::set<std::string> values{"data", "labels", "epochs", "seed", "lr", "batch", "labelled-batch", "train-samples",
                               "test-samples", "threads", "gemm", "schedule", "out", "resume"};
  values.insert(kModelOptions.begin(), kModelOptions.end());
  values.insert(kDataOptions.begin(), kDataOptions.end());
  const Arguments a(argv, values, {"supervised-only", "json", "binarize"});
  applyCompute(a);
  if (a.has("out")) checkOutputPath(a.string("out", ""), "train --out");  // now, not after the first epoch

  DataSplit data = openLabelledData(a, "train");
  if (a.has("train-samples")) data.train = data.train.head(a.integer("train-samples", data.train.size()));
  if (a.has("test-samples")) data.test = data.test.head(a.integer("test-samples", data.test.size()));

  TrainConfig tc = defaultTrainConfig();
  tc.epochs = a.integer("epochs", tc.epochs);
  tc.seed = uint64_t(a.integer("seed", int(tc.seed)));
  tc.learningRate = a.number("lr", tc.learningRate);
  std::string schedule = a.string("schedule", tc.schedule == LearningRateSchedule::Cosine ? "cosine" : "constant");
  if (schedule != "constant" && schedule != "cosine") throw UsageError("--schedule is constant or cosine");
  tc.schedule = schedule == "cosine" ? LearningRateSchedule::Cosine : LearningRateSchedule::Constant;
  tc.unlabelledBatch = a.integer("batch", tc.unlabelledBatch);
  tc.labelledBatch = a.integer("labelled-batch", tc.labelledBatch);
  tc.supervisedOnly = a.has("supervised-only");
  tc.binarize = a.has("binarize") || tc.binarize;
  if (tc.epochs < 1) throw UsageError("--epochs must be at least 1");

  std::unique_ptr<SemiSupervisedVae<Scalar>> model;
  LabelSet labels;
  std::optional<ModelFile> resumed;
  if (a.has("resume")) {
    resumed = readModelFile(a.string("resume", ""));
    if (!resumed->training) throw Error("train", a.string("resume", "") + " holds no training state to resume");
    const std::string fp = fingerprint(data.train);
    if (resumed->dataset.fingerprint != fp)
      throw Error("train", a.string("resume", "") + " was trained on other data (" + resumed->dataset.name +
                               ", " + resumed->dataset.fingerprint + "); this folder's training set is " + fp);
    tc = resumed->training->config;
    tc.epochs = a.integer("epochs", tc.epochs);
    schedule = tc.schedule == LearningRateSchedule::Cosine ? "cosine" : "constant";
    model = instantiateModel(*resumed);
    labels = LabelSet(resumed->labels);
  } else {
    const ModelConfig mc = modelFromArguments(a, data.train);
    const std::string labelArg = a.string("labels", "100");
    Random labelRng(tc.seed);
    labels = labelArg == "all" ? allLabels(data.train.labels)
                               : balancedLabelSet(data.train.labels, a.integer("labels", 100), mc.classes, labelRng);
    model = std::make_unique<SemiSupervisedVae<Scalar>>(mc, tc.seed);
  }
  const ModelConfig& mc = model->config();
  Trainer trainer(*model, data, labels, tc);
  if (resumed) restoreTraining(*resumed, trainer);
  const std::string out = a.string("out", "");
  const DatasetInfo datasetInfo{data.source, fingerprint(data.train), data.train.size(), data.train.shape.height,
                                data.train.shape.width};
  auto save = [&] {
    if (!out.empty()) writeModelFile(out, captureModel(*model, data.train.classNames, datasetInfo, &trainer, &labels));
  };
  const bool json = a.has("json");
  const bool tty = isatty(fileno(stderr));
  std::printf("# latentlab train: %s, %d training / %d test samples, %zu labels, %s objective, %s, %s, "
              "%zu parameters, lr %g (%s)%s, seed %llu, threads %d, products %s%s\n",
              data.description.c_str(), data.train.size(), data.test.size(), labels.size(), toString(mc.objective).c_str(),
              toString(mc.flavour).c_str(), toString(mc.activation).c_str(), model->parameterCount(), tc.learningRate, schedule.c_str(), tc.binarize ? ", binarized" : "",
              (unsigned long long)tc.seed, Eigen::nbThreads(), toString(gemmBackend()), tc.supervisedOnly ? ", supervised only" : "");
  std::fflush(stdout);

  trainer.onStep = [&](const StepReport& s) {
    if (tty && (s.stepInEpoch % 20 == 0 || s.stepInEpoch == s.stepsPerEpoch))
      std::fprintf(stderr, "\r  epoch %d  step %d/%d  loss %.2f   ", s.epoch, s.stepInEpoch, s.stepsPerEpoch,
                   s.losses.total);
  };
  std::vector<double> accuracies;
  double seconds = 0;
  int epochsThisRun = 0;
  if (resumed) {
    std::printf("# resumed from %s after epoch %d (step %ld)\n", a.string("resume", "").c_str(), trainer.epochsDone(),
                trainer.stepsDone());
    for (const auto& e : trainer.history()) accuracies.push_back(e.testAccuracy);
  }
  trainer.onEpoch = [&](const EpochReport& r) {
    if (tty) std::fprintf(stderr, "\r%60s\r", "");
    accuracies.push_back(r.testAccuracy);
    seconds += r.seconds;
    ++epochsThisRun;
    std::printf("epoch %3d/%d ", r.epoch, tc.epochs);
    for (const StepLossField& f : kStepLossFields)  // a supervised-only run has the label cross-entropy alone
      if (f.brief && (!tc.supervisedOnly || f.member == &StepLosses::classification))
        std::printf(" %s %.*f ", f.brief, f.digits, r.mean.*f.member);
    std::printf(" test_acc %.4f  %.2f s\n", r.testAccuracy, r.seconds);
    std::fflush(stdout);
    save();
  };

  gTrainer = &trainer;
  std::signal(SIGINT, onInterrupt);
  const TrainStatus status = trainer.run();
  std::signal(SIGINT, SIG_DFL);
  gTrainer = nullptr;
  if (status == TrainStatus::Stopped) {
    std::printf("# stopped after %ld steps\n", trainer.stepsDone());
    save();  // keeps the steps of the unfinished epoch too
  }
  if (!out.empty()) std::printf("# model saved to %s\n", out.c_str());
  if (status == TrainStatus::NonFiniteLoss) {
    std::fprintf(stderr, "latentlab-cli train: the loss became NaN or infinite at step %ld; training stopped with "
                         "the last good weights (try a lower --lr)\n", trainer.stepsDone() + 1);
  }
  const int epochs = trainer.epochsDone();
  std::vector<double> epochLosses;
  for (const auto& e : trainer.history()) epochLosses.push_back(e.mean.total);
  if (json) {
    JsonObject o;
    o.add("test_accuracy", accuracies.empty() ? std::nan("") : accuracies.back())
        .add("epochs", epochs)
        .add("seconds_per_epoch", epochsThisRun ? seconds / epochsThisRun : std::nan(""))
        .add("labels", long(labels.size()))
        .add("objective", toString(mc.objective))
        .add("flavour", toString(mc.flavour))
        .add("activation", toString(mc.activation))
        .add("supervised_only", tc.supervisedOnly)
        .add("seed", long(tc.seed))
        .add("learning_rate", tc.learningRate)
        .add("schedule", schedule)
        .add("binarize", tc.binarize)
        .add("threads", Eigen::nbThreads())
        .add("gemm_backend", toString(gemmBackend()))
        .add("status", status == TrainStatus::Finished ? "finished" : status == TrainStatus::Stopped ? "stopped" : "non-finite-loss")
        .add("test_accuracy_per_epoch", accuracies)
        .add("loss_per_epoch", epochLosses);
    for (const StepLossField& f : kStepLossFields) {  // every loss term's epoch means: "<name>_per_epoch"
      std::vector<double> means;
      for (const auto& e : trainer.history()) means.push_back(e.mean.*f.member);
      o.add(std::string(f.name) + "_per_epoch", means);
    }
    std::printf("%s\n", o.str().c_str());
  }
  return status == TrainStatus::NonFiniteLoss ? 1 : 0;
}

}  // namespace latentlab::cli
