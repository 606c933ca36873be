// The Projection dock in the workbench, offscreen: with "refresh each epoch" it is computed again with every
// epoch's model while training runs (the same samples, the selection kept), and a rectangle selection of
// training samples labelled as one class reaches the running trainer at its next epoch.
#include <algorithm>
#include <QtTest/QtTest>

#include <QSettings>
#include <QStandardPaths>

#include "support/TimeoutFactor.h"
#include "app/LabelSession.h"
#include "app/MainWindow.h"
#include "app/projection/ProjectionPanel.h"
#include "app/SettingsPanel.h"
#include "widgets/ProjectionPlot.h"
#include "WorkbenchTestSupport.h"

using latentlab::testing::timeoutFactor;

class ProjectionWorkbenchTest : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    isolateApplicationData("ProjectionWorkbenchTest");
  }

  void refreshesEachEpochAndLabelsReachTheTrainer() {
    MainWindow w;
    w.openDataset(qEnvironmentVariable("LATENTLAB_MNIST"));
    QTRY_VERIFY_WITH_TIMEOUT(w.hasData(), 20000 * timeoutFactor());
    // Far more epochs than the test waits for, so that training still runs when the labels come, however fast it
    // is next to the projection (under ASan all 40 epochs were done before the first map); stopped at the end.
    w.settingsPanel()->setSettings(quickSettings(10000));

    ProjectionPanel* panel = w.projectionPanel();
    panel->setSet(ProjectionPanel::Set::Training);
    panel->setSampleCap(2000);
    panel->setMethod(ProjectionPanel::Method::Pca);
    panel->setRefreshEachEpoch(true);
    // Maps shown, not computed(): that comes only when no newer model waits, and under ASan every epoch ends
    // before its map is done, so the panel shows each map and starts the next without ever being idle.
    QSignalSpy epochs(w.controller(), &TrainingController::epochFinished);
    w.startTraining();
    QTRY_VERIFY_WITH_TIMEOUT(panel->mapsShown() >= 1, 60000 * timeoutFactor());
    QCOMPARE(panel->plot()->pointCount(), 2000);

    // Select the middle of the map; only samples the user has not labelled yet are counted.
    panel->plot()->selectRect(QRectF(QPointF(-1e9, -1e9), QPointF(1e9, 1e9)));
    const QVector<int> all = panel->plot()->selection();
    QCOMPARE(all.size(), 2000);
    QVector<int> some = all.mid(0, 50);
    panel->plot()->setSelection(some);
    LabelSession* session = w.labelSession();
    int fresh = 0;
    for (int i : some) fresh += !session->entry(panel->samples()[size_t(i)].index);
    const int before = session->count();
    QCOMPARE(panel->labelSelection(7), 50);
    QCOMPARE(session->count(), before + fresh);

    // The next epoch trains with them, and its model is projected again with the selection kept.
    const int seen = epochs.count();
    QTRY_VERIFY_WITH_TIMEOUT(epochs.count() > seen + 1, 60000 * timeoutFactor());
    QCOMPARE(epochs.last().at(0).value<EpochPoint>().report.labels, size_t(before + fresh));
    const int shown = panel->mapsShown();
    QTRY_VERIFY_WITH_TIMEOUT(panel->mapsShown() > shown, 60000 * timeoutFactor());
    QCOMPARE(panel->plot()->pointCount(), 2000);
    QCOMPARE(panel->plot()->selection(), some);
    QVERIFY(w.controller()->stopAndWait(5000));
  }
};

QTEST_MAIN(ProjectionWorkbenchTest)
#include "ProjectionWorkbenchTest.moc"
