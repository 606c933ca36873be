// Inputs not in [0, 1] (InputTransform.h): the rule that chooses, per-channel standardisation and min-max scaling
// checked by hand, the test split read with the training split's figures, the transform undone exactly enough,
// kept in the model file (and a damaged one refused), and a session that reads standardised data with the
// Gaussian likelihood and refuses data read another way than its model's.
#include <QtTest/QtTest>
#include <cmath>

#include "engine/anomaly/HoldoutExperiment.h"
#include "engine/core/Error.h"
#include "engine/data/InputTransform.h"
#include "engine/io/ModelFile.h"
#include "engine/train/TrainingSession.h"

using namespace latentlab;

class InputTransformTest : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;

  // n sequences of 3 steps x 2 channels: channel 0 around 100 (sd ~10), channel 1 in [-1, 1]; labels n % 2.
  static DataSplit sensors(int n, int m) {
    DataSplit d;
    for (auto [set, count] : {std::pair{&d.train, n}, std::pair{&d.test, m}}) {
      set->shape = SampleShape::sequence(3, 2);
      set->x.resize(6, count);
      for (int i = 0; i < count; ++i)
        for (int t = 0; t < 3; ++t) {
          set->x(t * 2 + 0, i) = 100.f + 10.f * float(((i * 7 + t * 3) % 11) - 5) / 5.f;
          set->x(t * 2 + 1, i) = float(((i * 5 + t) % 9) - 4) / 4.f;
        }
      set->classes = 2;
      for (int i = 0; i < count; ++i) set->labels.push_back(i % 2);
    }
    d.source = "sensors";
    return d;
  }

  static void channelStats(const Dataset& d, int c, double* mean, double* sd, double* lo, double* hi) {
    double s = 0, q = 0;
    int k = 0;
    *lo = INFINITY, *hi = -INFINITY;
    for (int f = c; f < d.features(); f += d.shape.channels)
      for (int i = 0; i < d.size(); ++i)
        s += d.x(f, i), ++k, *lo = std::min(*lo, double(d.x(f, i))), *hi = std::max(*hi, double(d.x(f, i)));
    *mean = s / k;
    for (int f = c; f < d.features(); f += d.shape.channels)
      for (int i = 0; i < d.size(); ++i) q += (d.x(f, i) - *mean) * (d.x(f, i) - *mean);
    *sd = std::sqrt(q / k);
  }

 private slots:
  void theRuleChooses() {
    DataSplit d = sensors(40, 10);
    QCOMPARE(int(chooseInputScaling(d.train)), int(InputScaling::Standardise));
    d.train.x = d.train.x.cwiseAbs().cwiseMin(1.f);
    QCOMPARE(int(chooseInputScaling(d.train)), int(InputScaling::None));
    DataSplit images = d;
    prepareInputs(images, "auto");  // in [0, 1]: read as it is
    QVERIFY(!images.transform.active());
    QCOMPARE(images.train.x, d.train.x);
    QVERIFY_THROWS_EXCEPTION(Error, prepareInputs(images, "zscore"));
  }

  // Per channel, over its steps and the training samples; the test split with the training split's figures.
  void standardisesPerChannel() {
    const DataSplit raw = sensors(50, 20);
    DataSplit d = raw;
    prepareInputs(d, "auto");
    QCOMPARE(int(d.transform.kind), int(InputScaling::Standardise));
    QVERIFY(d.description.find("standardised per channel") != std::string::npos);
    for (int c = 0; c < 2; ++c) {
      double rawMean, rawSd, lo, hi, mean, sd;
      channelStats(raw.train, c, &rawMean, &rawSd, &lo, &hi);
      QVERIFY(std::abs(d.transform.offset(c) - rawMean) < 1e-4 * (1 + std::abs(rawMean)));
      QVERIFY(std::abs(d.transform.scale(c + 2) - rawSd) < 1e-4 * rawSd);  // the same for each step
      channelStats(d.train, c, &mean, &sd, &lo, &hi);
      QVERIFY2(std::abs(mean) < 1e-4 && std::abs(sd - 1) < 1e-4, qPrintable(QString("%1 %2").arg(mean).arg(sd)));
    }
    // Test point: (x - training mean) / training sd.
    QVERIFY(std::abs(d.test.x(4, 3) - (raw.test.x(4, 3) - d.transform.offset(4)) / d.transform.scale(4)) < 1e-5);
    // Undone: the data's own values again.
    useInputTransform(d, InputTransform{});
    QVERIFY((d.train.x - raw.train.x).cwiseAbs().maxCoeff() < 1e-4f);
    QVERIFY(!d.transform.active());
  }

  void minMaxAndVectorsAndConstants() {
    DataSplit d = sensors(30, 5);
    prepareInputs(d, "minmax");
    QCOMPARE(d.train.x.minCoeff(), 0.f);
    QVERIFY(std::abs(d.train.x.maxCoeff() - 1.f) < 1e-6f);
    for (int c = 0; c < 2; ++c) {
      double mean, sd, lo, hi;
      channelStats(d.train, c, &mean, &sd, &lo, &hi);
      QVERIFY(std::abs(lo) < 1e-6 && std::abs(hi - 1) < 1e-6);
    }
    // Vectors: each feature on its own; a constant one keeps scale 1.
    DataSplit v;
    v.train.shape = v.test.shape = SampleShape::vector(2);
    v.train.x.resize(2, 4);
    v.train.x << 1, 2, 3, 4, 7, 7, 7, 7;
    v.test.x = v.train.x;
    prepareInputs(v, "standardise");
    QVERIFY(std::abs(v.transform.offset(0) - 2.5f) < 1e-6f &&
            std::abs(v.transform.scale(0) - std::sqrt(1.25f)) < 1e-6f);
    QCOMPARE(v.transform.offset(1), 7.f);
    QCOMPARE(v.transform.scale(1), 1.f);
    QCOMPARE(v.train.x(1, 2), 0.f);
  }

  void modelFileKeepsIt() {
    auto data = std::make_shared<DataSplit>(sensors(60, 20));
    prepareInputs(*data, "auto");
    NewRun run;
    run.model.hidden = {8};
    run.model.latent = 2;
    run.train.epochs = 1;
    run.train.stepsPerEpoch = 2;
    run.train.unlabelledBatch = run.train.labelledBatch = 10;
    run.initialLabels = 10;
    TrainingSession session(data, run);
    QCOMPARE(int(session.model().config().likelihood), int(Likelihood::Gaussian));
    QCOMPARE(session.run(), TrainStatus::Finished);
    const ModelFile f = session.capture();
    QVERIFY(f.input == data->transform);
    const std::string path = dir_.filePath("standardised.h5").toStdString();
    writeModelFile(path, f);
    const ModelFile back = readModelFile(path);
    QVERIFY(back.input == data->transform);
    QCOMPARE(int(back.model.likelihood), int(Likelihood::Gaussian));
    // Continuing needs the data read the model's way.
    auto raw = std::make_shared<DataSplit>(sensors(60, 20));
    try {
      TrainingSession wrong(raw, back, ContinueRun{});
      QFAIL("continued on data read another way");
    } catch (const Error& e) {
      QVERIFY2(QString(e.what()).contains("reads its inputs standardised"), e.what());
    }
    TrainingSession right(data, back, ContinueRun{});
    QCOMPARE(right.epochsDone(), 1);

    // A damaged transform (a scale of 0) is refused with the group's name.
    ModelFile bad = f;
    bad.input.scale(3) = 0;
    const std::string badPath = dir_.filePath("bad-transform.h5").toStdString();
    writeModelFile(badPath, bad);
    try {
      readModelFile(badPath);
      QFAIL("read a scale of 0");
    } catch (const Error& e) {
      QVERIFY2(QString(e.what()).contains("/input_transform"), e.what());
    }
  }

  // The held-out-class experiment builds its own models: on standardised data they use the Gaussian likelihood.
  void anomalyModelsOfStandardisedDataAreGaussian() {
    DataSplit d = sensors(90, 30);
    for (Dataset* set : {&d.train, &d.test}) {
      set->classes = 3;
      for (int i = 0; i < set->size(); ++i) set->labels[size_t(i)] = i % 3;
    }
    prepareInputs(d, "auto");
    HoldoutSettings hs;
    hs.model.hidden = {8};
    hs.model.latent = 2;
    hs.model.alpha = 10;
    hs.train.epochs = 1;
    hs.train.labelledBatch = hs.train.unlabelledBatch = 20;
    hs.pcaComponents = 2;
    hs.autoencoder = false;
    hs.thresholdSamples = 0;
    HoldoutExperiment e(d, 1, hs);
    int gaussian = 0, models = 0;
    e.onModelTrained = [&](const std::string&, SemiSupervisedVae<float>& m) {
      ++models;
      gaussian += m.config().likelihood == Likelihood::Gaussian;
    };
    const HoldoutResult r = e.run();
    QCOMPARE(models, 2);
    QCOMPARE(gaussian, 2);
    QVERIFY(r.find("vae_on", ScoreKind::NegativeElbo) != nullptr);
  }
};

QTEST_GUILESS_MAIN(InputTransformTest)
#include "InputTransformTest.moc"
