// The training session the CLI and the workbench share, driven headless: a new run with its baseline, reports
// that carry what the views plot, save, continue from the file, and the next step identical to a run that
// never stopped. Also the conv and recurrent flavours train a few steps and lower their loss.
#include <QtTest/QtTest>

#include <cmath>
#include <memory>

#include "engine/data/Mnist.h"
#include "engine/io/ModelFile.h"
#include "engine/train/TrainingSession.h"

using namespace latentlab;

class TrainingSessionTest : public QObject {
  Q_OBJECT
  std::shared_ptr<const DataSplit> data_;
  QTemporaryDir dir_;

  static NewRun smallRun(int epochs) {
    NewRun r;
    r.model.hidden = {64, 32};
    r.model.latent = 6;
    r.model.activation = ActivationKind::Relu;
    r.model.alpha = 300;
    r.model.beta = 2;
    r.train.epochs = epochs;
    r.train.stepsPerEpoch = 8;
    r.train.evalSamples = 300;
    r.train.betaWarmupEpochs = 1;
    r.train.seed = 7;
    r.initialLabels = 30;
    return r;
  }

 private slots:
  void initTestCase() {
    const QByteArray folder = qgetenv("LATENTLAB_MNIST");
    QVERIFY2(!folder.isEmpty(), "LATENTLAB_MNIST must name the bundled MNIST folder");
    DataSplit d = loadIdxFolder(folder.toStdString());
    d.train = d.train.head(2000);
    d.test = d.test.head(300);
    data_ = std::make_shared<const DataSplit>(std::move(d));
  }

  // Every step reports its learning rate and beta (rising through the warm-up), every epoch the baseline's
  // accuracy, and the file keeps both.
  void reportsCarryWhatViewsPlot() {
    TrainingSession session(data_, smallRun(2), {true, nullptr});
    QVERIFY(session.hasBaseline());
    QCOMPARE(session.labels().size(), size_t(30));
    std::vector<StepReport> steps;
    std::vector<EpochReport> epochs;
    session.onStep = [&](const StepReport& s) { steps.push_back(s); };
    session.onEpoch = [&](const EpochReport& e) { epochs.push_back(e); };
    QCOMPARE(int(session.run()), int(TrainStatus::Finished));
    QCOMPARE(steps.size(), size_t(16));
    QCOMPARE(steps.front().learningRate, 1e-3);
    QCOMPARE(steps.front().beta, 0.0);  // warm-up starts at 0
    QVERIFY(steps[7].beta > 0 && steps[7].beta < 2);
    QCOMPARE(steps.back().beta, 2.0);
    QCOMPARE(epochs.size(), size_t(2));
    for (const EpochReport& e : epochs) {
      QVERIFY(e.testAccuracy > 0.1);
      QVERIFY(!std::isnan(e.baselineAccuracy) && e.baselineAccuracy > 0);
    }
    const std::string path = dir_.filePath("run.h5").toStdString();
    writeModelFile(path, session.capture());
    const ModelFile f = readModelFile(path);
    QCOMPARE(f.training->state.steps.back().beta, 2.0);
    QCOMPARE(f.training->state.epochs.back().baselineAccuracy, epochs.back().baselineAccuracy);
    QCOMPARE(f.model.beta, 2.0);  // the target, not the warm-up's value
  }

  // Build, step, save, continue: the continued run's steps are the ones an uninterrupted run takes.
  void continuedRunTakesTheSameSteps() {
    std::vector<double> straight, continued;
    {
      TrainingSession session(data_, smallRun(2));
      session.onStep = [&](const StepReport& s) { straight.push_back(s.losses.total); };
      session.run();
    }
    const std::string path = dir_.filePath("half.h5").toStdString();
    {
      TrainingSession session(data_, smallRun(1));
      session.onStep = [&](const StepReport& s) { continued.push_back(s.losses.total); };
      session.run();
      writeModelFile(path, session.capture());
    }
    ContinueRun more;
    more.epochs = 2;
    TrainingSession session(data_, readModelFile(path), more);
    QCOMPARE(session.epochsDone(), 1);
    QCOMPARE(session.labels().size(), size_t(30));
    session.onStep = [&](const StepReport& s) { continued.push_back(s.losses.total); };
    QCOMPARE(int(session.run()), int(TrainStatus::Finished));
    QCOMPARE(continued.size(), size_t(16));
    QCOMPARE(continued, straight);
  }

  // A shared label set is used as it is: labels added between runs reach the trainer.
  void sharedLabelsReachTheTrainer() {
    auto labels = std::make_shared<LabelSet>();
    labels->set(0, data_->train.labels[0], LabelSource::User);
    TrainingSession session(data_, smallRun(1), {false, labels});
    QCOMPARE(session.labels().size(), size_t(1));
    labels->set(1, data_->train.labels[1], LabelSource::User);
    size_t seen = 0;
    session.onStep = [&](const StepReport& s) { seen = s.labels; };
    session.run();
    QCOMPARE(seen, size_t(2));
  }

  // Unlabelled data (no labels at all) trains on its unlabelled points: finite losses, no labels reported, no
  // test accuracy (NaN, not a number to show); the baseline waits for labels, and labels added later are used.
  void unlabelledDataTrains() {
    auto unlabelled = std::make_shared<DataSplit>(*data_);
    unlabelled->train.labels.clear();
    unlabelled->test.labels.clear();
    TrainingSession session(unlabelled, smallRun(2), {true, nullptr});
    QCOMPARE(session.labels().size(), size_t(0));
    std::vector<EpochReport> epochs;
    std::vector<StepReport> steps;
    session.onStep = [&](const StepReport& s) { steps.push_back(s); };
    session.onEpoch = [&](const EpochReport& e) { epochs.push_back(e); };
    QCOMPARE(int(session.run()), int(TrainStatus::Finished));
    QCOMPARE(epochs.size(), size_t(2));
    for (const StepReport& s : steps) {
      QVERIFY(std::isfinite(s.losses.total));
      QCOMPARE(s.labels, size_t(0));
    }
    for (const EpochReport& e : epochs) QVERIFY(std::isnan(e.testAccuracy) && std::isnan(e.baselineAccuracy));
    QVERIFY(steps.back().losses.reconstruction < steps.front().losses.reconstruction);  // it learns

    auto labels = std::make_shared<LabelSet>();
    TrainingSession labelledLater(unlabelled, smallRun(1), {false, labels});
    size_t seen = 0;
    labelledLater.onStep = [&](const StepReport& s) {
      seen = s.labels;
      if (s.step == 3) labels->set(5, 2, LabelSource::User);
    };
    QCOMPARE(int(labelledLater.run()), int(TrainStatus::Finished));
    QCOMPARE(seen, size_t(1));
  }

  void misfitsAreRefused() {
    NewRun run = smallRun(1);
    run.model.flavour = Flavour::Recurrent;  // MNIST here is images
    QVERIFY_THROWS_EXCEPTION(Error, TrainingSession(data_, run));
    TrainingSession session(data_, smallRun(1));
    session.run();
    ModelFile f = session.capture();
    f.dataset.fingerprint = "fnv1a64:0000000000000000";  // as if trained on other data
    QVERIFY_THROWS_EXCEPTION(Error, TrainingSession(data_, f, ContinueRun{}));
    auto empty = std::make_shared<LabelSet>();
    QVERIFY_THROWS_EXCEPTION(Error, TrainingSession(data_, smallRun(1), {false, empty}));
  }

  // A short conv training (and a recurrent one, on the rows of the same images) lowers the reconstruction
  // loss: the flavours learn end to end. Compared between the first and the last five steps.
  void convAndRecurrentLearn_data() {
    QTest::addColumn<int>("flavour");
    QTest::newRow("conv") << int(Flavour::Conv);
    QTest::newRow("recurrent") << int(Flavour::Recurrent);
  }
  void convAndRecurrentLearn() {
    QFETCH(int, flavour);
    NewRun run = smallRun(1);
    run.model.flavour = Flavour(flavour);
    run.model.hidden = {32};
    run.model.conv.channels = {4, 8};
    run.model.recurrent.hidden = 24;
    run.model.objective = Objective::Single;
    run.train.stepsPerEpoch = 60;
    run.train.learningRate = 3e-3;
    run.train.betaWarmupEpochs = 0;
    run.train.labelledBatch = run.train.unlabelledBatch = 20;
    std::shared_ptr<const DataSplit> data = data_;
    if (run.model.flavour == Flavour::Recurrent) {
      auto rows = std::make_shared<DataSplit>(*data_);
      rows->train.shape = rows->test.shape = SampleShape::sequence(28, 28);
      data = rows;
    }
    TrainingSession session(data, run);
    std::vector<double> losses;  // the reconstruction term: the part of the loss every point trains
    session.onStep = [&](const StepReport& s) { losses.push_back(s.losses.reconstruction); };
    QCOMPARE(int(session.run()), int(TrainStatus::Finished));
    QCOMPARE(losses.size(), size_t(60));
    double first = 0, last = 0;
    for (int i = 0; i < 5; ++i) {
      first += losses[size_t(i)];
      last += losses[losses.size() - 1 - size_t(i)];
    }
    QVERIFY2(last < 0.8 * first, qPrintable(QString("first five %1, last five %2").arg(first).arg(last)));
  }
};

QTEST_GUILESS_MAIN(TrainingSessionTest)
#include "TrainingSessionTest.moc"
