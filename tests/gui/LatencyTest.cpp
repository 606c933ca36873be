// Responsiveness while training runs: a 10 ms QTimer on the GUI thread measures its own lateness while the
// full-size default model trains on MNIST and the dashboard plots every step, on one thread and on every core
// (the products and the element-wise work then share the cores with the GUI thread). The 99th percentile of the
// lateness must stay under 50 ms.
#include <QtTest/QtTest>

#include <QStandardPaths>

#include <QElapsedTimer>
#include <QSettings>
#include <QThread>
#include <algorithm>

#include "app/MainWindow.h"
#include "app/TrainingController.h"
#include "app/TrainingDashboard.h"
#include "WorkbenchTestSupport.h"
#include "support/TimeoutFactor.h"

class LatencyTest : public QObject {
  Q_OBJECT
 private slots:
  void guiStaysResponsiveWhileTraining_data() {
    QTest::addColumn<int>("threads");
    QTest::newRow("one thread") << 1;
    QTest::newRow("every core") << std::max(1, QThread::idealThreadCount());
  }

  void guiStaysResponsiveWhileTraining() {
    QFETCH(int, threads);
    isolateApplicationData("LatencyTest");
    // Sanitizer builds scale the limits (support/TimeoutFactor.h): a latency there says nothing of the product.
    const int factor = latentlab::testing::timeoutFactor();
    QSettings().setValue("training/threads", threads);
    MainWindow window;
    window.resize(1280, 800);
    window.show();
    window.openDataset(qEnvironmentVariable("LATENTLAB_MNIST"));
    QTRY_VERIFY_WITH_TIMEOUT(window.hasData(), 20000 * factor);
    QSignalSpy steps(window.controller(), &TrainingController::stepsReported);
    window.startTraining();
    QTRY_VERIFY_WITH_TIMEOUT(steps.count() > 0, 20000 * factor);

    std::vector<double> lateness;
    QElapsedTimer clock;
    clock.start();
    qint64 expected = clock.elapsed() + 10;
    QTimer timer;
    timer.setTimerType(Qt::PreciseTimer);
    timer.setInterval(10);
    connect(&timer, &QTimer::timeout, this, [&] {
      const qint64 now = clock.elapsed();
      lateness.push_back(double(std::max<qint64>(0, now - expected)));
      expected = now + 10;
    });
    timer.start();
    // At least six seconds, and until some steps are plotted: a loaded machine trains slower, not wrongly.
    QTRY_VERIFY_WITH_TIMEOUT(clock.elapsed() > 6000 && window.dashboard()->stepCount() > 20, 90000 * factor);
    timer.stop();
    const long plotted = window.dashboard()->stepCount();
    QVERIFY(window.controller()->stopAndWait(2000 * factor));

    QVERIFY(lateness.size() > 100);
    std::sort(lateness.begin(), lateness.end());
    const double p99 = lateness[size_t(0.99 * (lateness.size() - 1))];
    const double p50 = lateness[lateness.size() / 2];
    std::printf("%d thread(s): p99 %.0f ms (median %.0f ms, max %.0f ms, %zu ticks, %ld steps plotted)\n", threads,
                p99, p50, lateness.back(), lateness.size(), plotted);
    QVERIFY(plotted > 20);
    QVERIFY2(p99 < 50 * factor, qPrintable(QString("p99 lateness %1 ms").arg(p99)));
  }
};

QTEST_MAIN(LatencyTest)
#include "LatencyTest.moc"
