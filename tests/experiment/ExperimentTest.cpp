// The experiment sweeps (engine/experiment): JSON written and read back, protocols expanded into runs with stable
// ids, one result file per finished run (none for a cancelled one), skip-if-done, and the report's statistics
// and merging of partial results.
#include <QtTest/QtTest>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>

#include "engine/core/Error.h"
#include "engine/core/JsonObject.h"
#include "engine/core/JsonValue.h"
#include "engine/data/Mnist.h"
#include "engine/experiment/ExperimentPlan.h"
#include "engine/experiment/ExperimentReport.h"
#include "engine/experiment/ExperimentRun.h"
#include "engine/train/Evaluation.h"

using namespace latentlab;

class ExperimentTest : public QObject {
  Q_OBJECT
  DataSplit data_;
  QTemporaryDir dir_;

  static std::string readAll(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  RunSpec tinyRun(const std::string& arm, int seed) const {
    RunSpec s;
    s.arm = arm;
    s.labels = 100;
    s.seed = seed;
    s.epochs = 1;
    s.trainSamples = 300;
    s.testSamples = 200;
    return s;
  }

 private slots:
  void initTestCase() {
    const QByteArray folder = qgetenv("LATENTLAB_MNIST");
    QVERIFY2(!folder.isEmpty(), "LATENTLAB_MNIST must name the bundled MNIST folder");
    data_ = loadIdxFolder(folder.toStdString());
    data_.train = data_.train.head(2000);
    data_.test = data_.test.head(500);
  }

  void jsonRoundTrip() {
    JsonObject inner;
    inner.add("cpu", "Zen 3 \"Milan\"\n").add("cores", 2);
    JsonObject o;
    o.add("accuracy", 0.9375).add("missing", std::nan("")).add("ok", true).add("machine", inner);
    o.add("per_epoch", std::vector<double>{0.5, std::nan(""), 0.75}).add("names", std::vector<std::string>{"a", "b,c"});
    const JsonValue v = JsonValue::parse(o.str());
    QCOMPARE(v["accuracy"].number(0), 0.9375);
    QVERIFY(v["missing"].isNull() && std::isnan(v["missing"].number(0)));
    QVERIFY(v["ok"].boolean(false));
    QCOMPARE(v["machine"]["cpu"].string(), std::string("Zen 3 \"Milan\"\n"));
    QCOMPARE(v["machine"]["cores"].number(0), 2.0);
    const std::vector<double> e = v["per_epoch"].numbers();
    QCOMPARE(e.size(), size_t(3));
    QVERIFY(e[0] == 0.5 && std::isnan(e[1]) && e[2] == 0.75);
    QCOMPARE(v["names"].array()[1].string(), std::string("b,c"));
    QVERIFY(v["absent"].isNull() && !v.has("absent") && v.has("ok"));
    QCOMPARE(JsonValue::parse(" [1, -2.5e3, \"\\u00e9\"] ").array()[2].string(), std::string("\xc3\xa9"));
  }

  void malformedJsonIsAnError_data() {
    QTest::addColumn<QByteArray>("text");
    for (const char* t : {"", "{", "{\"a\": }", "{\"a\" 1}", "[1, 2", "[1 2]", "\"open", "tru", "{\"a\": 1} x",
                          "{1: 2}", "-", "1.2.3", "\"\\x\"", "\"\\u12\"", "nul"})
      QTest::newRow(t) << QByteArray(t);
    QTest::newRow("deep") << QByteArray(5000, '[');
  }
  void malformedJsonIsAnError() {
    QFETCH(QByteArray, text);
    try {
      JsonValue::parse(text.toStdString());
      QFAIL("parsed");
    } catch (const Error& e) {
      QVERIFY2(QString(e.what()).contains("at byte"), e.what());
    }
  }

  void protocolsExpandIntoRuns() {
    ExperimentRequest r;
    r.seeds = {1, 2};
    const std::vector<RunSpec> c = planRuns(r, 10);
    QCOMPARE(c.size(), size_t(12));  // 2 seeds x 3 label counts x (ss, eq_s)
    std::set<std::string> ids;
    for (const RunSpec& s : c) ids.insert(s.id());
    QCOMPARE(ids.size(), c.size());
    QVERIFY(ids.count("mnist-dense-ss-100-s1-e20") && ids.count("mnist-dense-eq_s-all-s2-e20"));
    // The regulariser's runs are classification's runs with every label: trained once.
    r.protocol = ExperimentProtocol::Regulariser;
    const std::vector<RunSpec> g = planRuns(r, 10);
    QCOMPARE(g.size(), size_t(4));
    for (const RunSpec& s : g) QVERIFY2(ids.count(s.id()), s.id().c_str());
    r.protocol = ExperimentProtocol::Anomaly;
    QCOMPARE(planRuns(r, 10).size(), size_t(20));
    QCOMPARE(planRuns(r, 10).front().id(), std::string("mnist-dense-anomaly-h0-s1-e10"));
    r.holdouts = {12};
    QVERIFY_THROWS_EXCEPTION(Error, planRuns(r, 10));
    QCOMPARE(defaultExperimentEpochs(ExperimentProtocol::Classification, Flavour::Recurrent), 40);
    QCOMPARE(defaultExperimentEpochs(ExperimentProtocol::Classification, Flavour::Conv), 20);
    // Another data set, epochs or subset: another id (a quick sweep's result never counts for a full one).
    RunSpec s = tinyRun("ss", 1);
    s.data = "/data/my data/fashion-mnist/";
    QCOMPARE(s.id(), std::string("fashion-mnist-dense-ss-100-s1-e1-n300-t200"));
    const std::string line = s.commandLine("latentlab-cli", "out dir");
    QVERIFY2(line.find("--data '/data/my data/fashion-mnist/'") != std::string::npos, line.c_str());
    QVERIFY2(line.find("--out 'out dir' --only " + s.id()) != std::string::npos, line.c_str());
    ExperimentRequest bad;
    bad.seeds = {};
    QVERIFY_THROWS_EXCEPTION(Error, bad.validate());
  }

  void seedStatisticsByHand() {
    const SeedStats s = seedStats({0.90, 0.92, 0.94, std::nan("")});
    QCOMPARE(s.n, 3);
    QVERIFY(std::abs(s.mean - 0.92) < 1e-12);
    QVERIFY(std::abs(s.sd - 0.02) < 1e-12);  // sqrt((0.02^2 + 0 + 0.02^2) / 2)
    QCOMPARE(seedStats({0.5}).sd, 0.0);
    QCOMPARE(seedStats({}).n, 0);
  }

  // Mean -log q(y_true|x) over the test points, as classify's probabilities give it.
  void logLossByHand() {
    ModelConfig m;
    m.hidden = {16};
    m.latent = 3;
    m.setInput(data_.train.shape);
    m.classes = 10;
    SemiSupervisedVae<float> model(m, 5);
    const Dataset d = data_.test.head(37);
    Matrix<float> x = d.x.cast<float>(), probs;
    model.classify(x, probs);
    double sum = 0;
    for (int i = 0; i < d.size(); ++i) sum -= std::log(double(probs(d.labels[size_t(i)], i)));
    QVERIFY(std::abs(logLoss(model, d, 10) - sum / d.size()) < 1e-6);  // chunked as the caller asks
    Dataset unlabelled = d;
    unlabelled.labels.clear();
    QVERIFY(std::isnan(logLoss(model, unlabelled)));
  }

  // A finished run: one result file that reads back as done; a cancelled run: none.
  void finishedRunWritesOneFile() {
    const std::string dir = dir_.filePath("runs").toStdString();
    for (const char* arm : {"ss", "eq_s"}) {
      const RunSpec spec = tinyRun(arm, 1);
      QVERIFY(!runDone(dir, spec));
      double last = -1;
      const RunOutcome o = runExperiment(spec, prepareExperimentData(data_, spec), [&](const RunProgress& p) {
        QVERIFY(p.fraction >= last - 1e-12 && p.fraction <= 1);
        last = p.fraction;
      });
      QCOMPARE(int(o.status), int(JobStatus::Finished));
      QCOMPARE(last, 1.0);
      QCOMPARE(o.labels, 100);
      writeRunFile(dir, spec, o, spec.commandLine("latentlab-cli", dir));
      QVERIFY(runDone(dir, spec));
      const JsonValue v = JsonValue::parse(readAll(runFilePath(dir, spec)));
      QCOMPARE(v["arm"].string(), std::string(arm));
      QCOMPARE(v["train_samples"].number(0), 300.0);
      const double acc = v["figures"]["test_accuracy"].number(-1);
      QVERIFY2(acc > 0.1 && acc <= 1, std::to_string(acc).c_str());  // 3 steps: better than chance, not more
      QVERIFY(v["figures"]["test_log_loss"].number(-1) > 0);
      QVERIFY(!v["commit"].string().empty() && !v["machine"]["cpu"].string().empty());
    }
    // Damaged: not done.
    const RunSpec spec = tinyRun("ss", 1);
    const std::string text = readAll(runFilePath(dir, spec));
    std::ofstream(runFilePath(dir, spec), std::ios::binary) << text.substr(0, text.size() / 2);
    QVERIFY(!runDone(dir, spec));
    std::ofstream(runFilePath(dir, spec), std::ios::binary) << text;

    CancelFlag cancel{false};
    const RunSpec cut = tinyRun("ss", 2);
    const RunOutcome o = runExperiment(
        cut, prepareExperimentData(data_, cut), [&](const RunProgress&) { cancel.store(true); }, &cancel);
    QCOMPARE(int(o.status), int(JobStatus::Cancelled));
    QVERIFY_THROWS_EXCEPTION(Error, writeRunFile(dir, cut, o, ""));
    QVERIFY(!std::filesystem::exists(runFilePath(dir, cut)));
  }

  void anomalyRunHasBothDetectors() {
    RunSpec spec = tinyRun("anomaly", 1);
    spec.protocol = ExperimentProtocol::Anomaly;
    spec.holdout = 3;
    const RunOutcome o = runExperiment(spec, prepareExperimentData(data_, spec));
    QCOMPARE(int(o.status), int(JobStatus::Finished));
    const JsonValue f = JsonValue::parse(o.figures.str());
    for (const char* key : {"auroc_off", "auroc_on", "auroc_pca", "auroc_ae"}) {
      const double a = f[key].number(-1);
      QVERIFY2(a >= 0 && a <= 1, key);
    }
    QVERIFY(f["anomalous_test"].number(0) > 0);
    writeRunFile(dir_.filePath("runs").toStdString(), spec, o, "");
  }

  // The report merges what exists: rows with the seeds each arm has, other JSON skipped with the reason.
  void reportMergesPartialResults() {
    const std::string dir = dir_.filePath("runs").toStdString();
    std::ofstream(dir + "/notes.json") << "{\"hello\": 1}";
    const ExperimentResults r = loadExperimentResults(dir);
    QCOMPARE(r.runs.size(), size_t(3));
    QCOMPARE(r.skipped.size(), size_t(1));
    const std::vector<ClassificationRow> rows = classificationRows(r);
    QCOMPARE(rows.size(), size_t(1));
    QCOMPARE(rows[0].labelsRequested, 100);
    QCOMPARE(rows[0].ss.n, 1);
    QCOMPARE(rows[0].eqs.n, 1);
    QCOMPARE(anomalyRows(r).size(), size_t(1));
    QCOMPARE(articleGap("dense", 100), 6.3);
    const std::string md = readAll(writeExperimentReport(dir));
    QCOMPARE(rows[0].setting, std::string("dense, 1 epoch, 300 training samples"));  // other epochs: other rows
    QVERIFY(md.find("| mnist | dense, 1 epoch, 300 training samples | 100 |") != std::string::npos);
    QVERIFY(md.find("| mnist | dense, 1 epoch, 300 training samples | 3 |") != std::string::npos);
    QVERIFY(md.find("Plots not drawn") != std::string::npos);
    QVERIFY(md.find("notes.json: not an experiment result") != std::string::npos);
    QVERIFY_THROWS_EXCEPTION(Error, writeExperimentReport(dir_.filePath("empty-missing").toStdString()));
  }
};

QTEST_GUILESS_MAIN(ExperimentTest)
#include "ExperimentTest.moc"
