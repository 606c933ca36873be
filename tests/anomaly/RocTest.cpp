// ROC curve, AUROC and average precision against values worked out by hand (noted beside each), ties counted
// half; the percentile against NumPy's linear interpolation; the counts, precision and recall at a threshold;
// thinning keeps the ends and the areas; bad input is refused.
#include <QtTest/QtTest>
#include <cmath>

#include "engine/anomaly/Roc.h"
#include "engine/anomaly/Threshold.h"
#include "engine/core/Error.h"
#include "engine/core/Random.h"

using namespace latentlab;

class RocTest : public QObject {
  Q_OBJECT

 private slots:
  void handExample() {
    // Anomalies score 0.9, 0.7, 0.6; normal points 0.8, 0.55, 0.5.
    const std::vector<float> s{0.9f, 0.8f, 0.7f, 0.6f, 0.55f, 0.5f};
    const std::vector<uint8_t> a{1, 0, 1, 1, 0, 0};
    const RocCurve r = rocCurve(s, a);
    // Pairs (anomaly above normal): 0.9 beats 3, 0.7 beats 2, 0.6 beats 2: 7 of 9.
    QVERIFY(std::abs(r.auroc - 7.0 / 9) < 1e-12);
    // Precision where each anomaly is reached: 1/1, 2/3, 3/4; average (1 + 2/3 + 3/4) / 3.
    QVERIFY(std::abs(r.auprc - (1 + 2.0 / 3 + 0.75) / 3) < 1e-12);
    QCOMPARE(r.positives, 3);
    QCOMPARE(r.negatives, 3);
    QCOMPARE(int(r.points.size()), 7);  // (0, 0) and one per distinct score
    QCOMPARE(r.points.front().truePositiveRate, 0.0);
    QVERIFY(std::isinf(r.points.front().threshold));
    QCOMPARE(r.points[2].falsePositiveRate, 1.0 / 3);  // after 0.9 and 0.8
    QCOMPARE(r.points[2].truePositiveRate, 1.0 / 3);
    QCOMPARE(r.points.back().falsePositiveRate, 1.0);
    QCOMPARE(r.points.back().truePositiveRate, 1.0);
    QCOMPARE(auroc(s, a), r.auroc);
    QCOMPARE(averagePrecision(s, a), r.auprc);
    // Perfect and reversed.
    QCOMPARE(auroc({3, 2, 1}, {1, 0, 0}), 1.0);
    QCOMPARE(auroc({1, 2, 3}, {1, 0, 0}), 0.0);
  }

  void tiesCountHalf() {
    // One anomaly and one normal point tied: a coin toss; average precision takes the group's precision 1/2.
    QCOMPARE(auroc({1, 1}, {1, 0}), 0.5);
    QCOMPARE(averagePrecision({1, 1}, {1, 0}), 0.5);
    // Anomalies 2 and 1 (tied with a normal point), normal 1 and 0: pairs 2>1, 2>0, 1=1 (half), 1>0: 3.5 of 4.
    QCOMPARE(auroc({2, 1, 1, 0}, {1, 1, 0, 0}), 3.5 / 4);
    // Groups: {2}: precision 1 at recall 1/2; {1, 1}: precision 2/3 at recall 1. AP = 1/2 + 1/2 * 2/3.
    QVERIFY(std::abs(averagePrecision({2, 1, 1, 0}, {1, 1, 0, 0}) - (0.5 + 1.0 / 3)) < 1e-12);
  }

  void thinningKeepsEndsAndAreas() {
    std::vector<float> s;
    std::vector<uint8_t> a;
    Random rng(1);
    for (int i = 0; i < 5000; ++i) {
      const bool anomaly = i % 5 == 0;
      s.push_back(float(rng.normal() + (anomaly ? 1.5 : 0)));
      a.push_back(anomaly);
    }
    const RocCurve full = rocCurve(s, a), thin = thinned(full, 100);
    QVERIFY(full.points.size() > 4000);
    QVERIFY(thin.points.size() <= 201 && thin.points.size() > 50);
    QCOMPARE(thin.auroc, full.auroc);
    QCOMPARE(thin.points.front().truePositiveRate, 0.0);
    QCOMPARE(thin.points.back().truePositiveRate, 1.0);
    // The normal distribution's AUROC for a shift of 1.5: Phi(1.5 / sqrt 2) = 0.856.
    QVERIFY(std::abs(full.auroc - 0.856) < 0.02);
  }

  void percentileAndCounts() {
    // NumPy: np.percentile([1, 2, 3, 4], 50) = 2.5, 95 -> 3.85, 0 -> 1, 100 -> 4.
    QCOMPARE(percentile({4, 1, 3, 2}, 50), 2.5);
    QVERIFY(std::abs(percentile({4, 1, 3, 2}, 95) - 3.85) < 1e-6);
    QCOMPARE(percentile({4, 1, 3, 2}, 0), 1.0);
    QCOMPARE(percentile({4, 1, 3, 2}, 100), 4.0);
    QCOMPARE(percentile({7}, 30), 7.0);
    QVERIFY_THROWS_EXCEPTION(Error, percentile({}, 50));
    QVERIFY_THROWS_EXCEPTION(Error, percentile({1, 2}, 101));

    const std::vector<float> s{0.9f, 0.8f, 0.7f, 0.6f, 0.55f, 0.5f};
    const std::vector<uint8_t> a{1, 0, 1, 1, 0, 0};
    const ThresholdCounts c = countsAt(s, a, 0.65);  // flags 0.9, 0.8, 0.7
    QCOMPARE(c.flagged, 3);
    QCOMPARE(c.truePositives, 2);
    QCOMPARE(c.falsePositives, 1);
    QCOMPARE(c.falseNegatives, 1);
    QCOMPARE(c.trueNegatives, 2);
    QCOMPARE(c.precision, 2.0 / 3);
    QCOMPARE(c.recall, 2.0 / 3);
    QCOMPARE(c.falsePositiveRate, 1.0 / 3);
    const ThresholdCounts none = countsAt(s, a, 1.0);
    QCOMPARE(none.flagged, 0);
    QCOMPARE(none.precision, 0.0);
    QCOMPARE(countsAt(s, {}, 0.65).flagged, 3);  // unknown anomalies: the count alone
  }

  void badInputIsRefused() {
    QVERIFY_THROWS_EXCEPTION(Error, rocCurve({1, 2}, {1}));
    QVERIFY_THROWS_EXCEPTION(Error, rocCurve({1, 2}, {0, 0}));  // no anomalies
    QVERIFY_THROWS_EXCEPTION(Error, rocCurve({1, 2}, {1, 1}));  // no normal points
    QVERIFY_THROWS_EXCEPTION(Error, rocCurve({1, std::nanf("")}, {1, 0}));
    QVERIFY_THROWS_EXCEPTION(Error, countsAt({1, 2}, {1}, 0.5));
  }
};

QTEST_APPLESS_MAIN(RocTest)
#include "RocTest.moc"
