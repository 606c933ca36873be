// The Anomaly view, offscreen, with a small model trained here on a few hundred MNIST images: scoring runs off
// the GUI thread and fills the histogram (each series' shares sum to one), the ROC curve and the gallery (the
// highest scores first); the threshold slider's percentile of the training scores flags what it says, with
// precision and recall; a click on the gallery shows that sample's symptom heatmap over its image, its reddest
// pixel the top contributor; a cancel stops a long scoring; sequence data shows per-channel curves; the
// Projection view colours by the chosen score.
// With LATENTLAB_SCREENSHOT_DIR set, screenshot() saves anomaly.png: LATENTLAB_ANOMALY_MODEL (a model file,
// default: the small model trained here) scoring the MNIST test set with held-out class LATENTLAB_ANOMALY_CLASS
// (default 1) and score LATENTLAB_ANOMALY_SCORE (recon, elbo, iwae; default elbo):
//   LATENTLAB_ANOMALY_MODEL=$PWD/runs/anomaly/holdout-1-vae_on.h5 LATENTLAB_ANOMALY_CLASS=1
//   LATENTLAB_SCREENSHOT_DIR=$PWD/docs ctest --test-dir build -R gui_anomaly   (both lines as one)
#include <QApplication>
#include <QTemporaryDir>
#include <QtTest/QtTest>
#include <numeric>

#include "app/LabelSession.h"
#include "app/anomaly/AnomalyGallery.h"
#include "app/anomaly/AnomalyPanel.h"
#include "app/projection/ProjectionPanel.h"
#include "engine/data/Mnist.h"
#include "engine/io/ModelFile.h"
#include "engine/train/Trainer.h"
#include "widgets/ProjectionPlot.h"
#include "widgets/RocPlot.h"
#include "widgets/ScoreHistogram.h"
#include "widgets/SymptomView.h"

using namespace latentlab;

namespace {

const DataSplit& fullMnist() {
  static const DataSplit all = loadIdxFolder(qEnvironmentVariable("LATENTLAB_MNIST").toStdString());
  return all;
}

std::shared_ptr<const DataSplit> mnist(int train, int test) {
  auto d = std::make_shared<DataSplit>(fullMnist());
  if (train > 0) d->train = d->train.head(train);
  if (test > 0) d->test = d->test.head(test);
  return d;
}

// A small semi-supervised VAE trained on the first 600 training images with their labels (a few seconds).
ModelSnapshot trainedModel() {
  static const ModelSnapshot model = [] {
    const auto data = mnist(600, 200);
    ModelConfig c;
    c.hidden = {64};
    c.latent = 8;
    c.alpha = 60;
    c.objective = Objective::Single;
    SemiSupervisedVae<float> vae(c, 1);
    LabelSet labels = allLabels(data->train.labels);
    TrainConfig t;
    t.epochs = 4;
    t.learningRate = 3e-3;
    t.unlabelledBatch = 0;
    t.evalSamples = 100;
    Trainer trainer(vae, *data, labels, t);
    trainer.run();
    DatasetInfo info;
    info.height = info.width = 28;
    return std::make_shared<const ModelFile>(captureModel(vae, {}, info));
  }();
  return model;
}

struct Bench {
  QTemporaryDir dir;
  LabelSession session{nullptr, dir.path()};
  AnomalyPanel panel{&session};
  bool ok = false;
  explicit Bench(std::shared_ptr<const DataSplit> data, QSize size = {1100, 650}) {
    ok = session.open(std::move(data)).isEmpty();
    panel.resize(size);
    panel.show();
  }
};

bool waitComputed(AnomalyPanel& panel, int ms) {
  QSignalSpy spy(&panel, &AnomalyPanel::computed);
  panel.compute();
  return spy.count() > 0 || spy.wait(ms);
}

}  // namespace

class AnomalyPanelTest : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { QApplication::setStyle("Fusion"); }

  void scoresThresholdGalleryHeatmap() {
    Bench b(mnist(600, 400));
    QVERIFY(b.ok);
    AnomalyPanel& panel = b.panel;
    panel.setModel(trainedModel());
    panel.setScoreKind(ScoreKind::Iwae);
    panel.setSamples(5);
    panel.setHoldout(3);
    panel.setGallerySize(12);
    QSignalSpy announced(&panel, &AnomalyPanel::scoresComputed);
    QVERIFY(waitComputed(panel, 60000));
    QVERIFY2(panel.scores(), qPrintable(panel.statusText()));
    QCOMPARE(announced.count(), 1);
    const AnomalyScores& s = *panel.scores();
    QCOMPARE(int(s.test.size()), 400);
    QCOMPARE(int(s.training.size()),
             600 - int(std::count(fullMnist().train.labels.begin(), fullMnist().train.labels.begin() + 600, 3)));
    QVERIFY(s.hasRoc());
    QVERIFY(panel.statusText().contains("AUROC"));
    QVERIFY(panel.rocPlot()->curvePoints() > 10);
    for (int series : {0, 1}) {
      const QVector<double> shares = panel.histogram()->shares(series);
      QVERIFY(std::abs(std::accumulate(shares.begin(), shares.end(), 0.0) - 1.0) < 1e-9);
    }

    // Threshold: the 90th percentile of the training scores flags the test points above it.
    panel.setPercentile(90);
    QVERIFY(std::abs(panel.threshold() - percentile(s.training, 90)) < 1e-9);
    const int above = int(std::count_if(s.test.begin(), s.test.end(), [&](float v) { return v > panel.threshold(); }));
    const ThresholdCounts c = panel.thresholdCounts();
    QCOMPARE(c.flagged, above);
    QCOMPARE(c.truePositives + c.falseNegatives, s.roc.positives);
    QVERIFY(panel.thresholdText().contains(QString("Precision %1").arg(c.precision, 0, 'f', 3)));
    QCOMPARE(panel.histogram()->threshold(), panel.threshold());
    panel.setPercentile(99);
    QVERIFY(panel.thresholdCounts().flagged <= above);

    // Gallery: the twelve highest scores, highest first; fewer on request.
    QCOMPARE(panel.gallery()->itemCount(), 12);
    const QVector<int>& top = panel.galleryPositions();
    QCOMPARE(s.test[size_t(top[0])], *std::max_element(s.test.begin(), s.test.end()));
    for (int i = 1; i < top.size(); ++i) QVERIFY(s.test[size_t(top[i - 1])] >= s.test[size_t(top[i])]);
    panel.setGallerySize(5);
    QCOMPARE(panel.gallery()->itemCount(), 5);

    // A click shows the sample's heatmap: its reddest pixel is the top contributor; the map sums to the score.
    const QRect second = panel.gallery()->visualItemRect(panel.gallery()->item(2));
    QTest::mouseClick(panel.gallery()->viewport(), Qt::LeftButton, {}, second.center());
    QCOMPARE(panel.symptomsShown(), top[2]);
    QVERIFY(!panel.symptomView()->isEmpty());
    const QImage overlay = panel.symptomView()->overlay();
    QCOMPARE(overlay.size(), QSize(28, 28));
    const Vector<float> heat = s.symptoms.col(top[2]);
    Eigen::Index hottest = 0;
    heat.maxCoeff(&hottest);
    int reddest = 0, best = -1000;
    for (int p = 0; p < 784; ++p) {
      const QRgb rgb = overlay.pixel(p % 28, p / 28);
      if (qRed(rgb) - qGreen(rgb) > best) best = qRed(rgb) - qGreen(rgb), reddest = p;
    }
    // The reddest pixel is the hottest, up to the overlay's 8-bit rounding.
    QVERIFY(heat(reddest) >= heat.maxCoeff() - 0.02f * (heat.maxCoeff() - heat.minCoeff()));
    QVERIFY(std::abs(heat.sum() + s.testLatent[size_t(top[2])] - s.test[size_t(top[2])]) <
            1e-4 * std::abs(s.test[size_t(top[2])]));
    QVERIFY(panel.topFeaturesText().contains(QString("row %1, column %2").arg(hottest / 28).arg(hottest % 28)));
  }

  // The surprise score: computed against the training points it also sets the threshold on; the ROC and the
  // heatmap work as for the other scores, and the caption says what the map is.
  void surpriseScore() {
    Bench b(mnist(600, 300));
    QVERIFY(b.ok);
    b.panel.setModel(trainedModel());
    b.panel.setScoreKind(ScoreKind::Surprise);
    b.panel.setHoldout(3);
    QVERIFY(waitComputed(b.panel, 60000));
    QVERIFY2(b.panel.scores(), qPrintable(b.panel.statusText()));
    const AnomalyScores& s = *b.panel.scores();
    QCOMPARE(int(s.score.kind), int(ScoreKind::Surprise));
    QVERIFY(s.hasRoc());
    QVERIFY(b.panel.statusText().contains("AUROC"));
    b.panel.gallery()->choose(0);
    QApplication::processEvents();
    QVERIFY2(b.panel.symptomView()->caption().contains("surprise"), qPrintable(b.panel.symptomView()->caption()));
    QVERIFY(!b.panel.symptomView()->isEmpty());
  }

  void cancelStopsScoring() {
    Bench b(mnist(600, 0));
    b.panel.setModel(trainedModel());
    b.panel.setScoreKind(ScoreKind::Iwae);
    b.panel.setSamples(2000);  // minutes of work for 10,000 test points
    QSignalSpy done(&b.panel, &AnomalyPanel::computed);
    b.panel.compute();
    QVERIFY(b.panel.isComputing());
    b.panel.cancel();
    QVERIFY(done.wait(30000));
    QVERIFY(!b.panel.isComputing());
    QCOMPARE(b.panel.statusText(), QString("Cancelled."));
    QVERIFY(!b.panel.scores());
  }

  // Unlabelled data (the normal case for users' own data): no class can be named as the anomaly, and the dock
  // says so; with none held out it scores training against test, with its threshold, gallery and heatmaps.
  void unlabelledDataScoresTrainingAgainstTest() {
    auto data = std::make_shared<DataSplit>(*mnist(300, 120));
    data->train.labels.clear();
    data->test.labels.clear();
    data->train.classNames.clear();
    data->test.classNames.clear();
    Bench b(data);
    QVERIFY(b.ok);
    b.panel.setModel(trainedModel());
    b.panel.setScoreKind(ScoreKind::NegativeElbo);
    b.panel.setHoldout(3);
    QSignalSpy computed(&b.panel, &AnomalyPanel::computed);
    b.panel.compute();
    QVERIFY(computed.count() > 0 || computed.wait(5000));
    QVERIFY2(b.panel.statusText().contains("no labels"), qPrintable(b.panel.statusText()));
    QVERIFY(!b.panel.scores());

    b.panel.setHoldout(-1);
    QVERIFY(waitComputed(b.panel, 60000));
    QVERIFY2(b.panel.scores(), qPrintable(b.panel.statusText()));
    const AnomalyScores& s = *b.panel.scores();
    QVERIFY(!s.hasRoc());  // no anomalous class: training against test
    QCOMPARE(int(s.test.size()), 120);
    QCOMPARE(int(s.training.size()), 300);
    for (int series : {0, 1}) {
      const QVector<double> shares = b.panel.histogram()->shares(series);
      QVERIFY(std::abs(std::accumulate(shares.begin(), shares.end(), 0.0) - 1.0) < 1e-9);
    }
    b.panel.setPercentile(90);
    const int above = int(std::count_if(s.test.begin(), s.test.end(), [&](float v) { return v > b.panel.threshold(); }));
    QCOMPARE(b.panel.thresholdCounts().flagged, above);
    b.panel.setGallerySize(6);
    QCOMPARE(b.panel.gallery()->itemCount(), 6);
    const QRect first = b.panel.gallery()->visualItemRect(b.panel.gallery()->item(0));
    QTest::mouseClick(b.panel.gallery()->viewport(), Qt::LeftButton, {}, first.center());
    QCOMPARE(b.panel.symptomsShown(), b.panel.galleryPositions()[0]);
    QVERIFY(!b.panel.symptomView()->isEmpty());
  }

  // Sequences: each row of an image as one of 28 steps; the heatmap is per-channel curves.
  void sequencesShowCurves() {
    auto data = std::make_shared<DataSplit>(*mnist(300, 60));
    data->train.shape = data->test.shape = SampleShape::sequence(28, 28);
    Bench b(data);
    ModelConfig c;
    c.flavour = Flavour::Recurrent;
    c.setInput(SampleShape::sequence(28, 28));
    c.recurrent.hidden = 8;
    c.latent = 3;
    SemiSupervisedVae<float> model(c, 2);
    b.panel.setModel(std::make_shared<const ModelFile>(captureModel(model, {}, DatasetInfo{})));
    b.panel.setScoreKind(ScoreKind::Reconstruction);
    b.panel.setHoldout(-1);
    QVERIFY(waitComputed(b.panel, 60000));
    QVERIFY2(b.panel.scores(), qPrintable(b.panel.statusText()));
    QVERIFY(!b.panel.scores()->hasRoc());  // no anomalous class: training against test
    QVERIFY(b.panel.symptomView()->showsCurves());
    const QVector<float> totals = b.panel.symptomView()->channelTotals();
    QCOMPARE(totals.size(), 28);
    const float sum = std::accumulate(totals.begin(), totals.end(), 0.0f);
    const float score = b.panel.scores()->test[size_t(b.panel.symptomsShown())];
    QVERIFY(std::abs(sum - score) < 1e-3f * std::abs(score));  // reconstruction: no latent term
    QVERIFY(b.panel.topFeaturesText().contains("Channels"));
  }

  void projectionColoursByTheScore() {
    Bench b(mnist(600, 300));
    b.panel.setModel(trainedModel());
    b.panel.setScoreKind(ScoreKind::NegativeElbo);
    b.panel.setHoldout(-1);
    QVERIFY(waitComputed(b.panel, 60000));
    ProjectionPanel projection(&b.session);
    projection.resize(900, 600);
    projection.show();
    projection.setModel(trainedModel());
    projection.setSet(ProjectionPanel::Set::Test);
    QSignalSpy done(&projection, &ProjectionPanel::computed);
    projection.compute();
    QVERIFY(done.count() > 0 || done.wait(60000));
    projection.setColourBy(ProjectionPanel::ColourBy::AnomalyScore);
    projection.setAnomalyScores(b.panel.scores());
    QString label;
    for (QCPColorScale* scale : projection.plot()->findChildren<QCPColorScale*>())
      if (scale->visible()) label = scale->axis()->label();
    QVERIFY2(label.startsWith("-ELBO"), qPrintable(label));
    projection.setAnomalyScores(nullptr);
    for (QCPColorScale* scale : projection.plot()->findChildren<QCPColorScale*>())
      if (scale->visible()) label = scale->axis()->label();
    QVERIFY2(label.startsWith("−ELBO (nats)"), qPrintable(label));  // the projection's own
  }

  void screenshot() {
    const QString dir = qEnvironmentVariable("LATENTLAB_SCREENSHOT_DIR");
    if (dir.isEmpty()) QSKIP("LATENTLAB_SCREENSHOT_DIR not set");
    const QString path = qEnvironmentVariable("LATENTLAB_ANOMALY_MODEL");
    Bench b(mnist(0, 0), QSize(1280, 760));
    b.panel.setModel(path.isEmpty() ? trainedModel()
                                    : std::make_shared<const ModelFile>(readModelFile(path.toStdString())));
    b.panel.setHoldout(qEnvironmentVariableIntValue("LATENTLAB_ANOMALY_CLASS"));
    if (qEnvironmentVariable("LATENTLAB_ANOMALY_CLASS").isEmpty()) b.panel.setHoldout(1);
    b.panel.setScoreKind(scoreKindFromString(qEnvironmentVariable("LATENTLAB_ANOMALY_SCORE", "elbo").toStdString()));
    b.panel.setPercentile(95);
    QVERIFY(waitComputed(b.panel, 600000));
    QVERIFY2(b.panel.scores(), qPrintable(b.panel.statusText()));
    b.panel.gallery()->choose(0);
    QApplication::processEvents();
    QVERIFY(b.panel.grab().save(dir + "/anomaly.png"));
  }
};

QTEST_MAIN(AnomalyPanelTest)
#include "AnomalyPanelTest.moc"
