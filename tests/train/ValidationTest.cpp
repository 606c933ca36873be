// Model selection without test labels (issue 21): the validation split is balanced, deterministic and kept out
// of training; the selection criterion picks the epoch whose weights the run keeps; patience stops a run; the
// model file keeps the split, the settings and why its epoch was kept, and a run continues from it.
#include <QtTest/QtTest>

#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <set>

#include "engine/core/Error.h"
#include "engine/data/Mnist.h"
#include "engine/io/ModelFile.h"
#include "engine/train/TrainingSession.h"

using namespace latentlab;

class ValidationTest : public QObject {
  Q_OBJECT
  std::shared_ptr<const DataSplit> data_;
  QTemporaryDir dir_;

  static NewRun smallRun(int epochs, SelectionCriterion select, int patience = 0) {
    NewRun r;
    r.model.hidden = {64, 32};
    r.model.latent = 6;
    r.model.activation = ActivationKind::Relu;
    r.model.alpha = 300;
    r.train.epochs = epochs;
    r.train.stepsPerEpoch = 6;
    r.train.evalSamples = 200;
    r.train.seed = 3;
    r.train.validation = {0.2, 300, select, patience};
    r.initialLabels = 50;
    return r;
  }

  static std::vector<LabelEntry> labelsOf(int perClass, int classes) {
    std::vector<LabelEntry> l;
    for (int k = 0; k < classes; ++k)
      for (int i = 0; i < perClass; ++i) l.push_back({k * 100 + i, k, LabelSource::Initial});
    return l;
  }

 private slots:
  void initTestCase() {
    const QByteArray folder = qgetenv("LATENTLAB_MNIST");
    QVERIFY2(!folder.isEmpty(), "LATENTLAB_MNIST must name the bundled MNIST folder");
    DataSplit d = loadIdxFolder(folder.toStdString());
    d.train = d.train.head(1500);
    d.test = d.test.head(200);
    data_ = std::make_shared<const DataSplit>(std::move(d));
  }

  // 20% of each class's labels (rounded down, one always left to train on), the held-out points among the
  // unlabelled ones, the same for the same seed and another for another.
  void splitIsBalancedAndDeterministic() {
    const std::vector<LabelEntry> labels = labelsOf(10, 10);
    const ValidationConfig config{0.2, 400, SelectionCriterion::ValidationAccuracy, 0};
    const ValidationSplit a = drawValidationSplit(labels, 10, 2000, config, 5);
    QCOMPARE(a.labels.size(), size_t(20));
    std::map<int, int> perClass;
    for (const LabelEntry& e : a.labels) ++perClass[e.label];
    for (int k = 0; k < 10; ++k) QCOMPARE(perClass[k], 2);
    QCOMPARE(a.heldOut.size(), size_t(400));
    QVERIFY(std::is_sorted(a.heldOut.begin(), a.heldOut.end()));
    std::set<int> labelled;
    for (const LabelEntry& e : labels) labelled.insert(e.index);
    for (int i : a.heldOut) QVERIFY(!labelled.count(i) && i >= 0 && i < 2000);
    QCOMPARE(std::set<int>(a.heldOut.begin(), a.heldOut.end()).size(), a.heldOut.size());
    const ValidationSplit same = drawValidationSplit(labels, 10, 2000, config, 5);
    QCOMPARE(same.heldOut, a.heldOut);
    QVERIFY(drawValidationSplit(labels, 10, 2000, config, 6).heldOut != a.heldOut);
    // One label in a class: it stays for training. At most half the points are held out.
    QCOMPARE(drawValidationSplit(labelsOf(1, 10), 10, 2000, config, 5).labels.size(), size_t(0));
    QCOMPARE(drawValidationSplit(labels, 10, 300, {0.5, 100000, SelectionCriterion::Last, 0}, 5).heldOut.size(),
             size_t(150));
  }

  void settingsThatCannotWorkAreRefused() {
    QVERIFY_THROWS_EXCEPTION(Error, (ValidationConfig{0, 100, SelectionCriterion::ValidationAccuracy, 0}.validate()));
    QVERIFY_THROWS_EXCEPTION(Error, (ValidationConfig{0.2, 0, SelectionCriterion::ValidationElbo, 0}.validate()));
    QVERIFY_THROWS_EXCEPTION(Error, (ValidationConfig{0.2, 100, SelectionCriterion::Last, 3}.validate()));
    QVERIFY_THROWS_EXCEPTION(Error, (ValidationConfig{0.7, 100, SelectionCriterion::Last, 0}.validate()));
    QVERIFY(selectionFromString("val-elbo") == SelectionCriterion::ValidationElbo);
    QVERIFY_THROWS_EXCEPTION(Error, selectionFromString("best"));
  }

  // The held-out points are poisoned with NaN: a single draw of one of them would make the loss NaN. The run
  // finishes, its labelled batches come from the labels less the validation ones (whose images stay in the
  // unlabelled stream, as the test images would), and every epoch reports its validation figures.
  void trainingNeverSeesTheValidationPart() {
    NewRun run = smallRun(3, SelectionCriterion::ValidationElbo);
    DataSplit poisoned = *data_;
    LabelSet labels;
    {
      Random rng(run.train.seed);
      labels = balancedLabelSet(poisoned.train.labels, run.initialLabels, 10, rng);
    }
    const ValidationSplit split = drawValidationSplit(*labels.snapshot(), 10, poisoned.train.size(),
                                                      run.train.validation, run.train.seed);
    QCOMPARE(split.labels.size(), size_t(10));
    QCOMPARE(split.heldOut.size(), size_t(300));
    for (int i : split.heldOut) poisoned.train.x.col(i).setConstant(std::nanf(""));
    TrainingSession session(std::make_shared<const DataSplit>(std::move(poisoned)), run,
                            {false, std::make_shared<LabelSet>(labels)});
    QCOMPARE(session.trainer().validationSplit().heldOut, split.heldOut);
    size_t drawnFrom = 0;
    session.onStep = [&](const StepReport& s) { drawnFrom = std::max(drawnFrom, s.labels); };
    QCOMPARE(int(session.run()), int(TrainStatus::Finished));
    QCOMPARE(drawnFrom, size_t(40));  // the labelled batches are drawn from 50 - 10 labels
    QCOMPARE(session.epochsDone(), 3);

    // Clean data: the figures are measured, in range, and agreement from the second epoch on.
    TrainingSession clean(data_, run);
    QCOMPARE(int(clean.run()), int(TrainStatus::Finished));
    const auto& h = clean.trainer().history();
    for (const EpochReport& e : h) {
      QVERIFY(e.validationAccuracy >= 0 && e.validationAccuracy <= 1);
      QVERIFY(std::isfinite(e.validationElbo) && e.validationElbo > 0);
    }
    QVERIFY(std::isnan(h[0].agreement));
    QVERIFY(h[1].agreement >= 0 && h[1].agreement <= 1);
  }

  // A history whose second epoch no later one can beat (a -ELBO below zero): with patience 2 the run stops after
  // epoch 4 and keeps epoch 2.
  void patienceStopsTheRun() {
    const NewRun run = smallRun(10, SelectionCriterion::ValidationElbo, 2);
    TrainingSession session(data_, run);
    session.trainer().setEpochs(3);
    QCOMPARE(int(session.run()), int(TrainStatus::Finished));
    QVERIFY(!session.trainer().stoppedEarly());
    TrainerState state = session.trainer().state();
    state.epochs[1].validationElbo = -1;
    session.trainer().restore(state);
    QCOMPARE(session.trainer().selectedEpoch(), 2);
    session.trainer().setEpochs(10);
    QCOMPARE(int(session.run()), int(TrainStatus::Finished));
    QVERIFY(session.trainer().stoppedEarly());
    QCOMPARE(session.epochsDone(), 4);
    QCOMPARE(session.trainer().selectedEpoch(), 2);
  }

  // Whatever epoch the criterion picks, the file holds that epoch's weights and position, the labels as they
  // are now, and says why; it reads back with the split and settings, and a run continues from it.
  void theSelectedEpochIsKeptAndSaved() {
    TrainingSession session(data_, smallRun(5, SelectionCriterion::ValidationAccuracy));
    std::vector<Matrix<float>> firstParameter;
    session.onEpoch = [&](const EpochReport&) { firstParameter.push_back(*session.model().parameters()[0].value); };
    QCOMPARE(int(session.run()), int(TrainStatus::Finished));
    const auto& h = session.trainer().history();
    const int selected = session.trainer().selectedEpoch();
    double best = -1;
    for (const EpochReport& e : h) best = std::max(best, e.validationAccuracy);
    QCOMPARE(h[size_t(selected - 1)].validationAccuracy, best);
    for (size_t i = size_t(selected); i < h.size(); ++i) QVERIFY(h[i].validationAccuracy < best);  // ties: later

    session.trainer().stop();
    const size_t labelsBefore = session.labels().size();
    const ModelFile kept = session.captureSelected();
    QVERIFY(kept.training);
    QCOMPARE(kept.training->state.epoch, selected);
    QCOMPARE(kept.training->epochsTrained, 5);
    QVERIFY2(kept.training->selection.find("epoch " + std::to_string(selected) + " of 5") == 0,
             kept.training->selection.c_str());
    QCOMPARE(kept.labels.size(), labelsBefore);
    QVERIFY(kept.parameters[0].second.isApprox(firstParameter[size_t(selected - 1)], 0));

    const std::string path = dir_.filePath("kept.h5").toStdString();
    writeModelFile(path, kept);
    const ModelFile back = readModelFile(path);
    QVERIFY(back.training);
    QCOMPARE(back.training->state.epoch, selected);
    QCOMPARE(back.training->epochsTrained, 5);
    QCOMPARE(back.training->selection, kept.training->selection);
    QVERIFY(back.training->config.validation.select == SelectionCriterion::ValidationAccuracy);
    QCOMPARE(back.training->config.validation.heldOut, 300);
    QCOMPARE(back.training->state.validation.heldOut, session.trainer().validationSplit().heldOut);
    QCOMPARE(back.training->state.validation.labels.size(), session.trainer().validationSplit().labels.size());
    QCOMPARE(back.training->state.epochs.size(), size_t(selected));
    QCOMPARE(back.training->state.epochs.back().validationAccuracy, best);

    ContinueRun more;
    more.epochs = selected + 1;
    TrainingSession resumed(data_, back, more);
    QCOMPARE(resumed.trainer().validationSplit().heldOut, session.trainer().validationSplit().heldOut);
    QCOMPARE(int(resumed.run()), int(TrainStatus::Finished));
    QCOMPARE(resumed.epochsDone(), selected + 1);
  }
};

QTEST_GUILESS_MAIN(ValidationTest)
#include "ValidationTest.moc"
