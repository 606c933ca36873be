// The workbench's training loop as a user drives it, offscreen: training on a worker thread feeds the plots,
// pause holds the step count, resume continues it, stop ends the thread, closing mid-training is prompt.
#include <QtTest/QtTest>

#include <QStandardPaths>

#include <QApplication>
#include <QElapsedTimer>
#include <QSettings>

#include "support/TimeoutFactor.h"
#include "app/MainWindow.h"
#include "app/TrainingController.h"
#include "app/TrainingDashboard.h"
#include "engine/data/Mnist.h"
#include "widgets/LossPlot.h"
#include "WorkbenchTestSupport.h"

class DashboardTest : public QObject {
  Q_OBJECT
  std::shared_ptr<const latentlab::DataSplit> data_;

  static TrainingSettings quick() {
    TrainingSettings s;
    s.model.hidden = {64, 64};
    s.model.latent = 8;
    s.model.alpha = 300;
    s.train.epochs = 50;
    s.labels = 20;
    s.supervisedBaseline = true;
    return s;
  }

 private slots:
  void initTestCase() {
    isolateApplicationData("DashboardTest");
    auto d = std::make_shared<latentlab::DataSplit>(latentlab::loadIdxFolder(qgetenv("LATENTLAB_MNIST").toStdString()));
    d->train = d->train.head(3000);
    d->test = d->test.head(500);
    data_ = d;
  }

  // Issue 13: the test accuracy's newest point (top right as accuracy rises) hid under the legend. Every
  // marker lies inside the axes and off the legend, the first and last off the frame.
  void accuracyPointsAreNotUnderTheLegend() {
    LossPlot plot("Test accuracy per epoch", "epoch");
    plot.addSeries("semi-supervised VAE", QColor(31, 119, 180), false, true);
    plot.addSeries("supervised baseline", QColor(127, 127, 127), false, true);
    plot.setIntegerKeys(true);
    plot.resize(420, 260);
    plot.show();
    for (int e = 1; e <= 6; ++e) {
      plot.addPoint("semi-supervised VAE", e, 60 + 6 * e);
      plot.addPoint("supervised baseline", e, 55 + 5 * e);
    }
    QTRY_VERIFY_WITH_TIMEOUT(plot.xAxis->range().upper >= 6, 2000);
    plot.replot();
    const QRect axes = plot.axisRect()->rect();
    const QRect legend = plot.legend->outerRect();
    QVERIFY(!legend.isEmpty());
    for (int g = 0; g < plot.graphCount(); ++g)
      for (auto it = plot.graph(g)->data()->constBegin(); it != plot.graph(g)->data()->constEnd(); ++it) {
        const QPointF p(plot.xAxis->coordToPixel(it->key), plot.yAxis->coordToPixel(it->value));
        const QRectF marker(p - QPointF(4, 4), QSizeF(8, 8));
        QVERIFY2(QRectF(axes).contains(marker), qPrintable(QString("epoch %1 off the axes").arg(it->key)));
        QVERIFY2(!QRectF(legend).intersects(marker), qPrintable(QString("epoch %1 under the legend").arg(it->key)));
      }
  }

  void trainPauseResumeStop() {
    TrainingController controller;
    TrainingDashboard dashboard;
    connect(&controller, &TrainingController::stepsReported, &dashboard, &TrainingDashboard::addSteps);
    connect(&controller, &TrainingController::epochFinished, &dashboard,
            [&dashboard](const EpochPoint& e, const QImage&) { dashboard.addEpoch(e); });
    QSignalSpy finished(&controller, &TrainingController::runFinished);
    QSignalSpy epochs(&controller, &TrainingController::epochFinished);
    controller.start(data_, quick());
    QVERIFY(controller.isRunning());

    QTRY_VERIFY_WITH_TIMEOUT(dashboard.objectivePlot()->pointCount("total J") > 50, 10000 * latentlab::testing::timeoutFactor());
    QTRY_VERIFY_WITH_TIMEOUT(epochs.count() >= 1, 20000);
    const QImage reconstructions = epochs.first().at(1).value<QImage>();
    QCOMPARE(reconstructions.height(), 2 * 30);

    QElapsedTimer pauseClock;
    pauseClock.start();
    controller.pause();
    QTRY_VERIFY_WITH_TIMEOUT(controller.isPaused(), 2000);
    qInfo("pause took effect after %lld ms", pauseClock.elapsed());
    QVERIFY(pauseClock.elapsed() < 200 * latentlab::testing::timeoutFactor());
    QTest::qWait(100);  // let batches already queued arrive
    const long held = dashboard.stepCount();
    QTest::qWait(400);
    QCOMPARE(dashboard.stepCount(), held);

    controller.resume();
    QTRY_VERIFY_WITH_TIMEOUT(dashboard.stepCount() > held + 10, 5000);

    QElapsedTimer stopClock;
    stopClock.start();
    controller.stop();
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 2000);
    qInfo("stop ended the thread after %lld ms", stopClock.elapsed());
    QVERIFY(stopClock.elapsed() < 200 * latentlab::testing::timeoutFactor());
    QVERIFY(!controller.isRunning());
    QCOMPARE(finished.first().at(0).toInt(), int(latentlab::TrainStatus::Stopped));
  }

  // Issue 21: with labels kept aside, every epoch plots their accuracy beside the test accuracy, the dashboard
  // marks the epoch the criterion keeps, and the run ends holding that epoch's weights.
  void validationIsPlottedAndTheKeptEpochMarked() {
    TrainingSettings s = quick();
    s.train.epochs = 4;
    s.train.validation.labelFraction = 0.5;  // 2 labels per class: 1 aside
    s.train.validation.select = latentlab::SelectionCriterion::ValidationAccuracy;
    TrainingController controller;
    TrainingDashboard dashboard;
    connect(&controller, &TrainingController::epochFinished, &dashboard,
            [&dashboard](const EpochPoint& e, const QImage&) { dashboard.addEpoch(e); });
    QSignalSpy epochs(&controller, &TrainingController::epochFinished);
    QSignalSpy snapshot(&controller, &TrainingController::snapshotReady);
    QSignalSpy finished(&controller, &TrainingController::runFinished);
    controller.start(data_, s);
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 120000 * latentlab::testing::timeoutFactor());
    QCOMPARE(epochs.count(), 4);
    int best = 0;
    double bestAccuracy = -1;
    for (int i = 0; i < 4; ++i) {
      const EpochPoint e = epochs.at(i).at(0).value<EpochPoint>();
      QCOMPARE(e.report.labels, size_t(10));  // the other 10 are kept aside
      QVERIFY(e.report.validationAccuracy >= 0 && e.report.validationAccuracy <= 1);
      if (e.report.validationAccuracy >= bestAccuracy) {  // ties go to the later epoch
        bestAccuracy = e.report.validationAccuracy;
        best = i + 1;
      }
      QCOMPARE(e.keptEpoch, best);
    }
    QCOMPARE(dashboard.plots()[3]->pointCount("validation"), 4);
    QCOMPARE(dashboard.plots()[3]->pointCount("test"), 4);
    QCOMPARE(dashboard.keptEpoch(), best);
    const ModelSnapshot kept = snapshot.last().at(0).value<ModelSnapshot>();
    QVERIFY(kept && kept->training);
    QCOMPARE(kept->training->state.epoch, best);
    QVERIFY(finished.first().at(1).toString().contains(QString("Kept epoch %1 of 4").arg(best)));
    dashboard.clear();
    QCOMPARE(dashboard.keptEpoch(), 0);
  }

  void pauseThenStop() {
    TrainingController controller;
    QSignalSpy finished(&controller, &TrainingController::runFinished);
    QSignalSpy steps(&controller, &TrainingController::stepsReported);
    controller.start(data_, quick());
    QTRY_VERIFY_WITH_TIMEOUT(steps.count() > 0, 10000);
    controller.pause();
    QTRY_VERIFY_WITH_TIMEOUT(controller.isPaused(), 2000);
    controller.stop();  // a paused worker must wake up and end
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 1000);
  }

  void closingDuringTrainingIsPrompt() {
    auto* window = new MainWindow;
    QSignalSpy loaded(window, &MainWindow::datasetLoaded);
    window->openDataset(qEnvironmentVariable("LATENTLAB_MNIST"));
    QTRY_VERIFY_WITH_TIMEOUT(window->hasData(), 20000);
    QSignalSpy steps(window->controller(), &TrainingController::stepsReported);
    window->startTraining();  // full-size default model on all of MNIST
    QTRY_VERIFY_WITH_TIMEOUT(steps.count() > 0, 20000);
    QVERIFY(window->controller()->isRunning());
    // Unsaved training asks whether to save it (issue 13); here the answer is Discard.
    window->setPrompts({[](const QString&, const QString&, QMessageBox::StandardButtons) { return QMessageBox::Discard; },
                        [](const QString&, const QString&) { return QString(); }});
    QElapsedTimer clock;
    clock.start();
    window->close();  // the answer closes it from the event loop
    QTRY_VERIFY_WITH_TIMEOUT(!window->controller()->isRunning(), 1000);
    delete window;
    qInfo("closing during training returned after %lld ms", clock.elapsed());
    QVERIFY(clock.elapsed() < 1000 * latentlab::testing::timeoutFactor());
  }
};

QTEST_MAIN(DashboardTest)
#include "DashboardTest.moc"
