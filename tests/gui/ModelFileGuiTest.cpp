// The workbench's model files, offscreen: save while training and after, open a good file (its history and
// architecture appear, Continue trains on), refuse a bad one without touching the open model, and stop at a
// NaN loss with the last good weights kept for Continue.
#include <QtTest/QtTest>

#include <QStandardPaths>

#include <QSettings>
#include <QTemporaryDir>

#include "app/MainWindow.h"
#include "app/SettingsPanel.h"
#include "app/TrainingControlsPanel.h"
#include "app/TrainingDashboard.h"
#include "engine/data/Mnist.h"
#include "WorkbenchTestSupport.h"

class ModelFileGuiTest : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;

  static void loadData(MainWindow& w) {
    w.openDataset(qEnvironmentVariable("LATENTLAB_MNIST"));
    QTRY_VERIFY_WITH_TIMEOUT(w.hasData(), 20000);
  }

 private slots:
  void initTestCase() {
    isolateApplicationData("ModelFileGuiTest");
  }

  void saveDuringAndAfterTrainingThenOpen() {
    const QString during = dir_.filePath("during.h5"), after = dir_.filePath("after.h5");
    {
      MainWindow w;
      loadData(w);
      w.settingsPanel()->setSettings(quickSettings(2));
      QSignalSpy saved(&w, &MainWindow::modelSaved);
      QSignalSpy finished(w.controller(), &TrainingController::runFinished);
      QSignalSpy steps(w.controller(), &TrainingController::stepsReported);
      w.startTraining();
      QTRY_VERIFY_WITH_TIMEOUT(steps.count() > 2, 20000);
      w.saveModel(during);  // written by the worker after its current step
      QTRY_VERIFY_WITH_TIMEOUT(saved.count() == 1, 10000);
      QVERIFY(saved.first().at(1).toBool());
      QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 60000);
      QVERIFY(w.snapshot());
      w.saveModel(after);
      QTRY_VERIFY_WITH_TIMEOUT(saved.count() == 2, 10000);
      QVERIFY(saved.at(1).at(1).toBool());
      QCOMPARE(w.modelPath(), after);
    }
    const latentlab::ModelFile f = latentlab::readModelFile(after.toStdString());
    QCOMPARE(f.training->state.epoch, 2);
    QCOMPARE(f.model.hidden, (std::vector<int>{64, 32}));
    QVERIFY(latentlab::readModelFile(during.toStdString()).training->state.step < f.training->state.step);

    MainWindow w;
    loadData(w);
    QSignalSpy opened(&w, &MainWindow::modelOpened);
    w.openModel(after);
    QTRY_VERIFY_WITH_TIMEOUT(opened.count() == 1, 10000);
    QVERIFY(opened.first().at(0).toBool());
    QCOMPARE(w.settingsPanel()->settings().model.hidden, (std::vector<int>{64, 32}));
    QCOMPARE(w.dashboard()->stepCount(), long(f.training->state.steps.size()));
    // The learning rate and beta of every step come back with the file (they once replayed as 0).
    QVERIFY(w.dashboard()->exportCsv(dir_.filePath("history.csv"), nullptr));
    QFile csv(dir_.filePath("history.csv"));
    QVERIFY(csv.open(QIODevice::ReadOnly | QIODevice::Text));
    const QStringList header = QString(csv.readLine()).trimmed().split(',');
    const qsizetype lr = header.indexOf("learning_rate"), beta = header.indexOf("beta");
    QVERIFY(lr > 0 && beta > 0);
    int stepRows = 0;
    while (!csv.atEnd()) {
      const QStringList row = QString(csv.readLine()).trimmed().split(',');
      if (row.first() != "step") continue;
      ++stepRows;
      QCOMPARE(row.at(lr).toDouble(), f.training->config.learningRate);
      QCOMPARE(row.at(beta).toDouble(), f.model.beta);
    }
    QCOMPARE(stepRows, int(f.training->state.steps.size()));

    // Continue trains on from epoch 2 to the panel's epoch count.
    TrainingSettings s = w.settingsPanel()->settings();
    s.train.epochs = 3;
    s.trainSamples = 2000;
    w.settingsPanel()->setSettings(s);
    QSignalSpy finished(w.controller(), &TrainingController::runFinished);
    QSignalSpy epochs(w.controller(), &TrainingController::epochFinished);
    w.continueTraining();
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 60000);
    QCOMPARE(finished.first().at(0).toInt(), int(latentlab::TrainStatus::Finished));
    QCOMPARE(epochs.count(), 1);
    QCOMPARE(epochs.first().at(0).value<EpochPoint>().report.epoch, 3);
  }

  void badFileLeavesTheOpenModelAlone() {
    const QString good = dir_.filePath("after.h5");
    const QString bad = dir_.filePath("bad.h5");
    QFile::copy(good, bad);
    QFile f(bad);
    QVERIFY(f.resize(f.size() / 3));
    MainWindow w;
    QSignalSpy opened(&w, &MainWindow::modelOpened);
    w.openModel(good);
    QTRY_VERIFY_WITH_TIMEOUT(opened.count() == 1, 10000);
    const ModelSnapshot before = w.snapshot();
    w.openModel(bad);
    QTRY_VERIFY_WITH_TIMEOUT(opened.count() == 2, 10000);
    QVERIFY(!opened.at(1).at(0).toBool());
    QCOMPARE(w.snapshot().get(), before.get());
    QCOMPARE(w.modelPath(), good);
  }

  void nanLossStopsWithTheLastGoodWeights() {
    auto data = std::make_shared<latentlab::DataSplit>(latentlab::loadIdxFolder(qgetenv("LATENTLAB_MNIST").toStdString()));
    data->train = data->train.head(500);
    data->test = data->test.head(100);
    for (int i = 0; i < data->train.size(); ++i) data->train.x(100, i) = std::numeric_limits<float>::quiet_NaN();
    TrainingController controller;
    QSignalSpy finished(&controller, &TrainingController::runFinished);
    QSignalSpy snapshots(&controller, &TrainingController::snapshotReady);
    TrainingSettings s;
    s.model.hidden = {32};
    s.model.latent = 4;
    s.labels = 10;
    controller.start(data, s);
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 10000);
    QCOMPARE(finished.first().at(0).toInt(), int(latentlab::TrainStatus::NonFiniteLoss));
    // Said plainly: which weights are kept (those that gave the NaN), and that no earlier checkpoint exists.
    const QString message = finished.first().at(1).toString();
    QVERIFY2(message.contains("holds the weights after step 0"), qPrintable(message));
    QVERIFY2(message.contains("no earlier checkpoint"), qPrintable(message));
    QCOMPARE(snapshots.count(), 1);
    const ModelSnapshot snap = snapshots.first().at(0).value<ModelSnapshot>();
    for (const auto& [name, value] : snap->parameters) QVERIFY2(value.allFinite(), name.c_str());
    QCOMPARE(snap->training->state.step, 0L);
  }

  // Issue 13, point 10: a run that blows up (continued at a huge learning rate) stops at a non-finite loss; the
  // message says which step's weights are kept, the last finite loss and whether it was rising, and the run
  // offers the checkpoint of the last epoch end from before (here the model it continued from).
  void nanAfterABlowUpOffersTheEarlierCheckpoint() {
    auto data = std::make_shared<latentlab::DataSplit>(latentlab::loadIdxFolder(qgetenv("LATENTLAB_MNIST").toStdString()));
    data->train = data->train.head(500);
    data->test = data->test.head(100);
    TrainingSettings s;
    s.model.hidden = {32};
    s.model.latent = 4;
    s.labels = 20;
    s.supervisedBaseline = false;
    s.train.epochs = 2;
    s.train.stepsPerEpoch = 5;
    TrainingController controller;
    QSignalSpy finished(&controller, &TrainingController::runFinished);
    QSignalSpy snapshots(&controller, &TrainingController::snapshotReady);
    QSignalSpy checkpoints(&controller, &TrainingController::checkpointKept);
    controller.start(data, s);
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 20000);
    QCOMPARE(finished.first().at(0).toInt(), int(latentlab::TrainStatus::Finished));
    const ModelSnapshot good = snapshots.first().at(0).value<ModelSnapshot>();
    QCOMPARE(good->training->state.step, 10L);

    s.train.epochs = 40;
    s.train.learningRate = 1e6;  // far past anything the panel accepts: the weights overflow within a few steps
    controller.start(data, s, good);
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 2, 60000);
    QCOMPARE(finished.at(1).at(0).toInt(), int(latentlab::TrainStatus::NonFiniteLoss));
    const QString message = finished.at(1).at(1).toString();
    const ModelSnapshot kept = snapshots.at(1).at(0).value<ModelSnapshot>();
    const long keptStep = kept->training->state.step;
    QVERIFY(keptStep >= 10);
    QVERIFY2(message.contains(QString("holds the weights after step %1").arg(keptStep)), qPrintable(message));
    QVERIFY2(message.contains(QString("at step %1").arg(keptStep + 1)), qPrintable(message));
    QVERIFY2(message.contains("The last finite loss was"), qPrintable(message));
    QVERIFY2(message.contains("already rising") || message.contains("not rising"), qPrintable(message));
    QVERIFY2(message.contains("checkpoint"), qPrintable(message));
    QCOMPARE(checkpoints.count(), 1);
    const ModelSnapshot checkpoint = checkpoints.first().at(0).value<ModelSnapshot>();
    QVERIFY(checkpoint->training->state.step < keptStep);
    QVERIFY2(message.contains(QString("end of epoch %1 (step %2)")
                                  .arg(checkpoint->training->state.epoch)
                                  .arg(checkpoint->training->state.step)),
             qPrintable(message));
    for (const auto& [name, value] : checkpoint->parameters) QVERIFY2(value.allFinite(), name.c_str());
  }

  // The window offers the checkpoint a NaN run kept: File > Revert brings back its weights and history, the
  // model counts as unsaved, and the message names the last file saved.
  void windowRevertsToTheCheckpoint() {
    MainWindow w;
    loadData(w);
    w.setPrompts({[](const QString&, const QString&, QMessageBox::StandardButtons) { return QMessageBox::Discard; },
                  [](const QString&, const QString&) { return QString(); }});
    w.settingsPanel()->setSettings(quickSettings(1));
    QSignalSpy finished(w.controller(), &TrainingController::runFinished);
    w.startTraining();
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 60000);
    const QString path = dir_.filePath("before-nan.h5");
    QSignalSpy saved(&w, &MainWindow::modelSaved);
    w.saveModel(path);
    QTRY_VERIFY_WITH_TIMEOUT(saved.count() == 1, 10000);
    const ModelSnapshot checkpoint = w.snapshot();
    QVERIFY(!w.checkpoint());
    // A NaN run as the worker reports it (a real one: nanAfterABlowUpOffersTheEarlierCheckpoint): the checkpoint,
    // then a later model, then the end.
    auto later = std::make_shared<latentlab::ModelFile>(*checkpoint);
    later->training->state.step += 7;
    later->training->state.steps.resize(later->training->state.steps.size() + 7);
    emit w.controller()->checkpointKept(checkpoint);
    emit w.controller()->snapshotReady(later);
    emit w.controller()->runFinished(int(latentlab::TrainStatus::NonFiniteLoss), "The loss became NaN.");
    QCOMPARE(w.checkpoint(), checkpoint);
    QCOMPARE(w.snapshot(), ModelSnapshot(later));
    const QString shown = w.controlsPanel()->message();
    QVERIFY2(shown.contains("The last file saved is") && shown.contains("before-nan.h5"), qPrintable(shown));
    w.revertToCheckpoint();
    QCOMPARE(w.snapshot(), checkpoint);
    QVERIFY(!w.checkpoint());
    QVERIFY(w.hasUnsavedWork());
    QCOMPARE(w.dashboard()->stepCount(), long(checkpoint->training->state.steps.size()));
  }
};

QTEST_MAIN(ModelFileGuiTest)
#include "ModelFileGuiTest.moc"
