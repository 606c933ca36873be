// The loss trend before a non-finite step, on hand-made histories: flat, falling, rising after a low point,
// a single spike, non-finite entries skipped, a history shorter than the smoothing, and the window.
#include <QtTest/QtTest>
#include <cmath>
#include <limits>

#include "engine/core/Error.h"
#include "engine/train/LossTrend.h"

using namespace latentlab;

namespace {

// Steps 1..n with these total losses.
std::vector<StepRecord> history(const std::vector<double>& totals) {
  std::vector<StepRecord> h;
  for (size_t i = 0; i < totals.size(); ++i) {
    StepRecord r;
    r.step = long(i + 1);
    r.epoch = 1;
    r.losses.total = totals[i];
    h.push_back(r);
  }
  return h;
}

}  // namespace

class LossTrendTest : public QObject {
  Q_OBJECT
 private slots:
  void emptyHistory() {
    const LossTrend t = lossTrend({});
    QCOMPARE(t.lastStep, 0L);
    QVERIFY(!t.rising);
    QVERIFY(std::isnan(t.lastLoss));
  }

  void fallingLossIsNotRising() {
    std::vector<double> totals;
    for (int i = 0; i < 100; ++i) totals.push_back(200.0 - i);
    const LossTrend t = lossTrend(history(totals), 500, 10);
    QVERIFY(!t.rising);
    QCOMPARE(t.lastStep, 100L);
    QCOMPARE(t.lastLoss, 101.0);
    QCOMPARE(t.lowestStep, 100L);  // the last mean is the lowest
    QVERIFY(std::abs(t.recentMean - 105.5) < 1e-9);
    QCOMPARE(t.riseFraction(), 0.0);
  }

  void riseAfterALowPointIsFound() {
    std::vector<double> totals;
    for (int i = 0; i < 50; ++i) totals.push_back(200.0 - 2 * i);         // down to 102 at step 50
    for (int i = 0; i < 30; ++i) totals.push_back(102.0 + 10 * (i + 1));  // up to 402 at step 80
    const LossTrend t = lossTrend(history(totals), 500, 5);
    QVERIFY(t.rising);
    QCOMPARE(t.lastStep, 80L);
    QCOMPARE(t.lastLoss, 402.0);
    QCOMPARE(t.lowestStep, 50L);  // the 5-step mean of steps 46-50 (106) is the lowest
    QVERIFY(std::abs(t.lowestMean - 106.0) < 1e-9);
    QVERIFY(std::abs(t.recentMean - 382.0) < 1e-9);
    QVERIFY(std::abs(t.riseFraction() - (382.0 - 106.0) / 106.0) < 1e-9);
  }

  void oneSpikeInTheMeanIsBelowTheTolerance() {
    std::vector<double> totals(60, 100.0);
    totals.back() = 150.0;  // the 10-step mean rises by 5, 5% of 100: within a 10% tolerance
    const LossTrend t = lossTrend(history(totals), 500, 10, 0.1);
    QVERIFY(!t.rising);
    QVERIFY(lossTrend(history(totals), 500, 10, 0.01).rising);
  }

  void nonFiniteEntriesAreSkipped() {
    std::vector<double> totals(20, 100.0);
    totals[7] = std::numeric_limits<double>::quiet_NaN();
    totals.push_back(std::numeric_limits<double>::infinity());
    const LossTrend t = lossTrend(history(totals), 500, 4);
    QCOMPARE(t.lastStep, 20L);
    QCOMPARE(t.lastLoss, 100.0);
    QVERIFY(!t.rising);
    QVERIFY(std::abs(t.recentMean - 100.0) < 1e-12);
  }

  void shortHistoryMeansOverWhatThereIs() {
    const LossTrend t = lossTrend(history({120.0, 80.0}), 500, 10);
    QCOMPARE(t.smooth, 2);
    QVERIFY(std::abs(t.recentMean - 100.0) < 1e-12);
    QVERIFY(!t.rising);
  }

  void windowForgetsOldLows() {
    std::vector<double> totals(10, 10.0);     // an old low, steps 1-10
    totals.insert(totals.end(), 100, 100.0);  // then flat at 100
    QVERIFY(lossTrend(history(totals), 500, 5).rising);
    const LossTrend recent = lossTrend(history(totals), 50, 5);
    QVERIFY(!recent.rising);
    QVERIFY(recent.lowestStep > 10);
  }

  void negativeLossesUseTheMagnitude() {
    std::vector<double> totals(30, -200.0);
    for (int i = 0; i < 10; ++i) totals.push_back(-100.0);  // up by half the magnitude
    const LossTrend t = lossTrend(history(totals), 500, 5);
    QVERIFY(t.rising);
    QVERIFY(std::abs(t.riseFraction() - 0.5) < 1e-9);
  }

  void badArgumentsThrow() {
    QVERIFY_THROWS_EXCEPTION(Error, lossTrend({}, 0, 5));
    QVERIFY_THROWS_EXCEPTION(Error, lossTrend({}, 10, 0));
    QVERIFY_THROWS_EXCEPTION(Error, lossTrend({}, 10, 5, -1));
  }
};

QTEST_MAIN(LossTrendTest)
#include "LossTrendTest.moc"
