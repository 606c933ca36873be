#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <optional>

#include "cli/Commands.h"
#include "cli/DataOptions.h"
#include "engine/core/JsonObject.h"
#include "cli/Options.h"
#include "engine/core/AtomicFile.h"
#include "engine/data/Fingerprint.h"
#include "engine/io/ModelFile.h"
#include "engine/train/Defaults.h"
#include "engine/train/Trainer.h"
#include "engine/train/TrainingSession.h"

namespace latentlab::cli {
namespace {

TrainingSession* gSession = nullptr;
extern "C" void onInterrupt(int) {
  if (gSession) gSession->stop();  // an atomic store: safe in a signal handler
}

// "  epoch 3/30  step 120/600  loss 231.4  14.2 steps/s  12:31 left" on stderr, rewritten in place.
class ProgressLine {
 public:
  ProgressLine(long doneBefore, long total) : doneBefore_(doneBefore), total_(total), start_(Clock::now()) {}
  void show(int epoch, int epochs, int step, int steps, long overall, double loss) const {
    const double seconds = std::chrono::duration<double>(Clock::now() - start_).count();
    const double rate = seconds > 0 ? double(overall - doneBefore_) / seconds : 0;
    const long left = rate > 0 ? long(double(total_ - overall) / rate) : 0;
    std::fprintf(stderr, "\r  epoch %d/%d  step %d/%d  loss %.2f  %.1f steps/s  %ld:%02ld left   ", epoch, epochs,
                 step, steps, loss, rate, left / 60, left % 60);
  }
  void clear() const { std::fprintf(stderr, "\r%90s\r", ""); }

 private:
  using Clock = std::chrono::steady_clock;
  long doneBefore_, total_;
  Clock::time_point start_;
};

}  // namespace

const char* trainHelp() {
  static const std::string text = std::string(
      "usage: latentlab-cli train [options]\n"
      "Trains on a labelled data set (--data; MNIST by default) and prints one line per epoch with every loss\n"
      "term, the test accuracy and the seconds taken. Ctrl-C stops after the current step.\n"
      "\n"
      "  --labels N|all             balanced labelled subset drawn with the seed, or every label (default 100)\n"
      "  --unlabelled-classes K     data without labels (--y none, no label column): the model's classes\n"
      "                             (default 10); it learns without labels and reports no accuracy\n"
      "  --epochs E                 passes over the training set (default 30)\n"
      "  --seed S                   seeds the labelled subset, initial weights, batches and noise (default 1)\n"
      "  --lr RATE                  Adam learning rate, in (0, 1] (default 1e-3)\n"
      "  --beta-warmup E            the KL weight rises from 0 to beta over E epochs (default 0: off)\n"
      "  --schedule constant|cosine learning-rate schedule (cosine anneals to 0 at the last epoch)\n"
      "  --batch B                  unlabelled batch size, at least 1 (default 100)\n"
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
      "  --validation F             keep this share of each class's labels aside (at most 0.5; a class keeps\n"
      "                             one label) and report their accuracy each epoch (default 0: none)\n"
      "  --held-out N               keep N unlabelled training points out of training and report their mean\n"
      "                             -ELBO and how many predictions held since the last epoch (default 0)\n"
      "  --select last|val-accuracy|val-elbo\n"
      "                             which epoch --out keeps at the end: the last, the best validation accuracy\n"
      "                             (the default with --validation), or the lowest held-out -ELBO (the file says\n"
      "                             which epoch and why)\n"
      "  --patience P               stop after P epochs without a better --select figure (default 10 when\n"
      "                             --select is not last, else 0: off)\n"
      "  --json                     last line: a JSON object with the results\n") + kDataHelp + kModelHelp;
  return text.c_str();
}

int trainCommand(const std::vector<std::string>& argv) {
  std::set<std::string> values{"data", "labels", "epochs", "seed", "lr", "batch", "labelled-batch", "train-samples",
                               "test-samples", "threads", "gemm", "schedule", "out", "resume", "beta-warmup",
                               "unlabelled-classes", "validation", "held-out", "select", "patience"};
  values.insert(kModelOptions.begin(), kModelOptions.end());
  values.insert(kDataOptions.begin(), kDataOptions.end());
  const Arguments a(argv, values, {"supervised-only", "json", "binarize"});
  applyCompute(a);
  if (a.has("out")) checkOutputPath(a.string("out", ""), "train --out");  // now, not after the first epoch

  // A run continued on unlabelled data keeps the file's class count (the workbench lets the user choose it, and
  // the data's fingerprint includes it), unless --unlabelled-classes says otherwise.
  const std::string resumePath = a.string("resume", "");
  std::optional<ModelFile> resumed;
  if (a.has("resume")) resumed = readModelFile(resumePath);
  const int unlabelledClasses = a.integer("unlabelled-classes", resumed ? resumed->model.classes : 10);
  bool unlabelled = false;
  DataSplit data = openTrainingData(a, "train", unlabelledClasses, &unlabelled, resumed ? &resumed->input : nullptr);
  if (unlabelled && a.has("supervised-only")) throw UsageError("--supervised-only needs labelled data");
  if (unlabelled && a.has("labels"))
    throw UsageError("the data has no labels: --labels cannot draw any (the run learns without labels)");
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
  tc.betaWarmupEpochs = a.number("beta-warmup", tc.betaWarmupEpochs);
  tc.supervisedOnly = a.has("supervised-only");
  tc.binarize = a.has("binarize") || tc.binarize;
  if (tc.epochs < 1) throw UsageError("--epochs must be at least 1");
  if (!(tc.learningRate > 0 && tc.learningRate <= 1)) throw UsageError("--lr must be in (0, 1]");
  if (tc.unlabelledBatch < 1 && !tc.supervisedOnly)
    throw UsageError("--batch must be at least 1 (the unlabelled points are what the model learns from)");
  if (tc.labelledBatch < 1) throw UsageError("--labelled-batch must be at least 1");
  if (!(tc.betaWarmupEpochs >= 0)) throw UsageError("--beta-warmup must be at least 0 epochs");
  tc.validation.labelFraction = a.number("validation", tc.validation.labelFraction);
  tc.validation.heldOut = a.integer("held-out", tc.validation.heldOut);
  try {
    // With labels kept aside, the measured defaults (Validation.h): the best validation accuracy, patience 10.
    if (tc.validation.labelFraction > 0 && !a.has("select")) tc.validation.select = SelectionCriterion::ValidationAccuracy;
    tc.validation.select = selectionFromString(a.string("select", toString(tc.validation.select)));
    if (tc.validation.select != SelectionCriterion::Last && !a.has("patience")) tc.validation.patience = kDefaultPatience;
    tc.validation.patience = a.integer("patience", tc.validation.patience);
    tc.validation.validate();
  } catch (const Error& e) {
    throw UsageError(std::string(e.what()) + " (--validation, --held-out, --select, --patience)");
  }
  if (unlabelled && tc.validation.labelFraction > 0) throw UsageError("--validation needs labelled data");

  auto shared = std::make_shared<const DataSplit>(std::move(data));
  std::unique_ptr<TrainingSession> session;
  if (resumed) {
    if (!resumed->training) throw Error("train", resumePath + " holds no training state to resume");
    ContinueRun changes;
    if (a.has("epochs")) changes.epochs = tc.epochs;
    session = std::make_unique<TrainingSession>(shared, *resumed, changes);
    std::printf("# resuming %s after epoch %d (step %ld)\n", resumePath.c_str(), session->epochsDone(),
                session->stepsDone());
  } else {
    NewRun run{modelFromArguments(a, shared->train), tc, 0};
    const std::string labelArg = a.string("labels", "100");
    run.initialLabels = labelArg == "all" ? 0 : a.integer("labels", 100);
    if (labelArg != "all" && run.initialLabels < 1) throw UsageError("--labels is a positive count or all");
    session = std::make_unique<TrainingSession>(shared, run);
  }
  const DataSplit& split = session->data();
  Trainer& trainer = session->trainer();
  tc = trainer.config();
  schedule = tc.schedule == LearningRateSchedule::Cosine ? "cosine" : "constant";
  const ModelConfig& mc = session->model().config();
  const std::string out = a.string("out", "");
  auto save = [&] {
    if (!out.empty()) writeModelFile(out, session->capture());
  };
  const bool json = a.has("json");
  const bool tty = isatty(fileno(stderr)) && !json;
  std::printf("# latentlab train: %s, %d training / %d test samples, %zu labels, %s objective, %s, %s, "
              "%zu parameters, lr %g (%s)%s, seed %llu, threads %d, products %s%s\n",
              split.description.c_str(), split.train.size(), split.test.size(), session->labels().size(),
              toString(mc.objective).c_str(), toString(mc.flavour).c_str(), toString(mc.activation).c_str(),
              session->model().parameterCount(), tc.learningRate, schedule.c_str(), tc.binarize ? ", binarized" : "",
              (unsigned long long)tc.seed, Eigen::nbThreads(), toString(gemmBackend()),
              tc.supervisedOnly ? ", supervised only" : "");
  std::fflush(stdout);

  // On a terminal: where the epoch stands, the steps per second and the time left (of the whole run).
  ProgressLine progress(session->stepsDone(), session->totalSteps());
  session->onStep = [&](const StepReport& s) {
    if (tty && (s.stepInEpoch % 10 == 0 || s.stepInEpoch == s.stepsPerEpoch))
      progress.show(s.epoch, tc.epochs, s.stepInEpoch, s.stepsPerEpoch, s.step, s.losses.total);
  };
  std::vector<double> accuracies;
  double seconds = 0;
  int epochsThisRun = 0;
  for (const auto& e : trainer.history()) accuracies.push_back(e.testAccuracy);
  session->onEpoch = [&](const EpochReport& r) {
    if (tty) progress.clear();
    accuracies.push_back(r.testAccuracy);
    seconds += r.seconds;
    ++epochsThisRun;
    std::printf("epoch %3d/%d ", r.epoch, tc.epochs);
    for (const StepLossField& f : kStepLossFields)  // a supervised-only run has the label cross-entropy alone
      if (f.brief && (!tc.supervisedOnly || f.member == &StepLosses::classification))
        std::printf(" %s %.*f ", f.brief, f.digits, r.mean.*f.member);
    if (!std::isnan(r.validationAccuracy)) std::printf(" val_acc %.4f ", r.validationAccuracy);
    if (!std::isnan(r.validationElbo)) std::printf(" val_elbo %.2f ", r.validationElbo);
    if (!std::isnan(r.agreement)) std::printf(" agree %.4f ", r.agreement);
    if (std::isnan(r.testAccuracy))
      std::printf(" test_acc -  %.2f s\n", r.seconds);  // no test labels
    else
      std::printf(" test_acc %.4f  %.2f s\n", r.testAccuracy, r.seconds);
    std::fflush(stdout);
    save();
  };

  gSession = session.get();
  std::signal(SIGINT, onInterrupt);
  const TrainStatus status = session->run();
  std::signal(SIGINT, SIG_DFL);
  gSession = nullptr;
  if (tty) progress.clear();
  if (status == TrainStatus::Stopped) {
    std::printf("# stopped after %ld steps\n", trainer.stepsDone());
    save();  // keeps the steps of the unfinished epoch too
  }
  const int selected = trainer.selectedEpoch();
  const std::string selection = session->selectionText();
  if (trainer.stoppedEarly()) std::printf("# stopped early after epoch %d\n", trainer.epochsDone());
  if (!selection.empty()) {
    std::printf("# selected %s\n", selection.c_str());
    if (!out.empty() && status != TrainStatus::NonFiniteLoss) writeModelFile(out, session->captureSelected());
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
        .add("labels", long(session->labels().size()))
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
        .add("selection_criterion", toString(tc.validation.select))
        .add("patience", long(tc.validation.patience))
        .add("selected_epoch", selected)
        .add("selection", selection)
        .add("stopped_early", trainer.stoppedEarly())
        .add("test_accuracy_selected",
             selected > 0 && size_t(selected) <= accuracies.size() ? accuracies[size_t(selected - 1)] : std::nan(""))
        .add("validation_labels", long(trainer.validationSplit().labels.size()))
        .add("held_out", long(trainer.validationSplit().heldOut.size()))
        .add("loss_per_epoch", epochLosses);
    if (rusage ru; getrusage(RUSAGE_SELF, &ru) == 0)
      o.add("max_rss_mb", double(ru.ru_maxrss) / 1024.0);  // peak resident memory of the run (Linux: KiB)
    std::vector<double> valAcc, valElbo, agreement;
    for (const auto& e : trainer.history()) {
      valAcc.push_back(e.validationAccuracy);
      valElbo.push_back(e.validationElbo);
      agreement.push_back(e.agreement);
    }
    o.add("validation_accuracy_per_epoch", valAcc).add("validation_elbo_per_epoch", valElbo).add("agreement_per_epoch", agreement);
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
