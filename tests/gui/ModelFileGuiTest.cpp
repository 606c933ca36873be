// The workbench's model files, offscreen: save while training and after, open a good file (its history and
// architecture appear, Continue trains on), refuse a bad one without touching the open model, and stop at a
// NaN loss with the last good weights kept for Continue.
#include <QtTest/QtTest>

#include <QStandardPaths>

#include <QSettings>
#include <QTemporaryDir>

#include "app/MainWindow.h"
#include "app/SettingsPanel.h"
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
    QVERIFY(finished.first().at(1).toString().contains("last good weights"));
    QCOMPARE(snapshots.count(), 1);
    const ModelSnapshot snap = snapshots.first().at(0).value<ModelSnapshot>();
    for (const auto& [name, value] : snap->parameters) QVERIFY2(value.allFinite(), name.c_str());
    QCOMPARE(snap->training->state.step, 0L);
  }
};

QTEST_MAIN(ModelFileGuiTest)
#include "ModelFileGuiTest.moc"
