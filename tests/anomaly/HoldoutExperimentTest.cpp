// The held-out-class experiment on a small MNIST subset with small models and two epochs: the held-out class's
// test points are the anomalies, the others renumbered; every detector reports an ROC over the whole test set
// and a working point whose counts add up; progress arrives and a cancel stops it; the models handed out are the
// ones asked for (labels off: no class input); a class that does not exist and S = 0 are refused.
#include <QtTest/QtTest>

#include "engine/anomaly/HoldoutExperiment.h"
#include "engine/core/Error.h"
#include "engine/data/Mnist.h"

using namespace latentlab;

namespace {

const DataSplit& mnist() {
  static const DataSplit d = [] {
    DataSplit all = loadIdxFolder(qEnvironmentVariable("LATENTLAB_MNIST").toStdString());
    all.train = all.train.head(1500);
    all.test = all.test.head(600);
    return all;
  }();
  return d;
}

HoldoutSettings smallSettings() {
  HoldoutSettings s;
  s.model.hidden = {32};
  s.model.latent = 4;
  s.model.alpha = 150;
  s.model.objective = Objective::Single;
  s.train.epochs = 2;
  s.train.learningRate = 3e-3;
  s.train.evalSamples = 100;
  ScoreSettings elbo, iwae;
  iwae.kind = ScoreKind::Iwae;
  iwae.samples = 5;
  s.scores = {elbo, iwae};
  s.pcaComponents = 5;
  s.thresholdSamples = 300;
  s.rocPoints = 50;
  return s;
}

}  // namespace

class HoldoutExperimentTest : public QObject {
  Q_OBJECT

 private slots:
  void withoutClassRenumbers() {
    Dataset d;
    d.x = Matrix<float>::Zero(2, 6);
    d.labels = {0, 1, 2, 1, 3, 0};
    d.classes = 4;
    d.classNames = {"a", "b", "c", "d"};
    for (int j = 0; j < 6; ++j) d.x(0, j) = float(j);
    const Dataset r = withoutClass(d, 1);
    QCOMPARE(r.size(), 4);
    QCOMPARE(r.labels, (std::vector<int>{0, 1, 2, 0}));  // 0, 2 -> 1, 3 -> 2, 0
    QCOMPARE(r.x(0, 1), 2.0f);
    QCOMPARE(r.classes, 3);
    QCOMPARE(r.classNames, (std::vector<std::string>{"a", "c", "d"}));
  }

  void runsEveryDetector() {
    HoldoutExperiment e(mnist(), 7, smallSettings());
    int progressCalls = 0;
    std::vector<std::string> trained;
    e.onProgress = [&](const HoldoutProgress& p) {
      ++progressCalls;
      QVERIFY(p.done <= p.total);
    };
    e.onModelTrained = [&](const std::string& name, SemiSupervisedVae<float>& model) {
      trained.push_back(name);
      QCOMPARE(model.config().classInput, name == "vae_on");
      QCOMPARE(model.config().classes, 9);
    };
    const HoldoutResult r = e.run();
    QCOMPARE(int(r.status), int(JobStatus::Finished));
    QCOMPARE(trained, (std::vector<std::string>{"vae_off", "vae_on"}));
    QVERIFY(progressCalls > 5);
    const int sevens = int(std::count(mnist().test.labels.begin(), mnist().test.labels.end(), 7));
    QCOMPARE(r.anomalousTest, sevens);
    QCOMPARE(r.normalTest, 600 - sevens);
    QCOMPARE(r.normalTraining, 1500 - int(std::count(mnist().train.labels.begin(), mnist().train.labels.end(), 7)));
    QCOMPARE(int(r.detectors.size()), 6);  // two VAEs x two scores, PCA, autoencoder
    for (const std::string name : {"vae_off", "vae_on"})
      for (ScoreKind k : {ScoreKind::NegativeElbo, ScoreKind::Iwae}) QVERIFY(r.find(name, k));
    QVERIFY(!r.find("vae_on", ScoreKind::Reconstruction));
    QVERIFY(r.find("pca", ScoreKind::Iwae) && r.find("ae", ScoreKind::NegativeElbo));
    for (const DetectorResult& d : r.detectors) {
      QVERIFY2(d.roc.auroc > 0.3 && d.roc.auroc <= 1, d.detector.c_str());  // a 7 is not a random guess
      QVERIFY(d.roc.auprc > 0 && d.roc.auprc <= 1);
      QCOMPARE(d.roc.positives, sevens);
      QVERIFY(d.roc.points.size() <= 101);
      const ThresholdCounts& c = d.atThreshold;
      QCOMPARE(c.truePositives + c.falseNegatives, sevens);
      QCOMPARE(c.falsePositives + c.trueNegatives, 600 - sevens);
      QCOMPARE(c.flagged, c.truePositives + c.falsePositives);
      QCOMPARE(d.percentile, 95.0);
    }
    QCOMPARE(int(r.models.size()), 3);
    QVERIFY2(r.models[1].testAccuracy > 0.5, qPrintable(QString::number(r.models[1].testAccuracy)));  // it learnt
  }

  void labelSubsetAndCancel() {
    HoldoutSettings s = smallSettings();
    s.labelsOff = false;
    s.labelCount = 90;
    s.pcaComponents = 0;
    s.autoencoder = false;
    s.scores.resize(1);
    HoldoutResult r = HoldoutExperiment(mnist(), 0, s).run();
    QCOMPARE(int(r.detectors.size()), 1);
    QCOMPARE(r.detectors[0].detector, std::string("vae_on"));

    CancelFlag cancel{false};
    HoldoutExperiment e(mnist(), 0, smallSettings());
    e.onProgress = [&](const HoldoutProgress&) { cancel.store(true); };
    r = e.run(&cancel);
    QCOMPARE(int(r.status), int(JobStatus::Cancelled));
    QVERIFY(r.detectors.empty());
  }

  void badRequestsAreRefused() {
    for (int c : {10, -1}) {
      try {
        HoldoutExperiment(mnist(), c, smallSettings()).run();
        QFAIL("a class that does not exist was held out");
      } catch (const Error& e) {
        QVERIFY2(QString(e.what()).contains("no class"), e.what());
      }
    }
    HoldoutSettings s = smallSettings();
    s.scores[1].samples = 0;
    QVERIFY_THROWS_EXCEPTION(Error, HoldoutExperiment(mnist(), 3, s).run());
    s = smallSettings();
    s.percentile = 120;
    QVERIFY_THROWS_EXCEPTION(Error, HoldoutExperiment(mnist(), 3, s).run());
    DataSplit unlabelled = mnist();
    unlabelled.train.labels.clear();
    QVERIFY_THROWS_EXCEPTION(Error, HoldoutExperiment(unlabelled, 3, smallSettings()).run());
  }
};

QTEST_APPLESS_MAIN(HoldoutExperimentTest)
#include "HoldoutExperimentTest.moc"
