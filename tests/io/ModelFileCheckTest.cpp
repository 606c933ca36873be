// The workbench's check of a model file in a child process (app/ModelFileCheck.h), without a window: a good file
// passes, a bad one returns the reader's message, a crashing or hanging checker costs a message, and what the check
// costs on a model file of a 30-epoch default-size run (about 18 MB).
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include "app/ModelFileCheck.h"
#include "engine/io/ModelFile.h"

using namespace latentlab;

class ModelFileCheckTest : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  QString cli_;

  QString path(const QString& name) const { return dir_.filePath(name); }

  // A script standing in for latentlab-cli.
  QString script(const QString& name, const QString& body) const {
    QFile f(path(name));
    f.open(QIODevice::WriteOnly);
    f.write(("#!/bin/sh\n" + body + "\n").toUtf8());
    f.close();
    f.setPermissions(f.permissions() | QFileDevice::ExeOwner);
    return f.fileName();
  }

  // The default architecture (784-500-500, z 50) with its optimiser state and 30 epochs of 600 steps of
  // history, as `train --epochs 30 --out` leaves it; weights are untrained (the size is what matters here).
  static ModelFile thirtyEpochFile() {
    ModelFile f;
    SemiSupervisedVae<float> model(ModelConfig{}, 1);
    f.model = model.config();
    for (int k = 0; k < f.model.classes; ++k) f.classNames.push_back(std::to_string(k));
    for (auto& p : model.parameters()) f.parameters.emplace_back(p.name, *p.value);
    f.dataset = {"datasets/mnist", "fnv1a64:0123456789abcdef", 60000, 28, 28};
    TrainingSnapshot t;
    t.state.epoch = 30;
    t.state.step = 30L * 600;
    for (long s = 1; s <= t.state.step; ++s) t.state.steps.push_back({s, int((s - 1) / 600) + 1, {}, 1e-3, 1.0});
    for (int e = 1; e <= 30; ++e) t.state.epochs.push_back({e, e * 600L, 20.0, 0.9, 100, {}});
    for (int i = 0; i < 60000; ++i) t.state.order.push_back(i);
    for (const auto& [name, value] : f.parameters) {
      t.optimiser.names.push_back(name);
      t.optimiser.m.push_back(value);
      t.optimiser.v.push_back(value.cwiseAbs());
    }
    t.optimiser.steps = t.state.step;
    f.training = std::move(t);
    return f;
  }

 private slots:
  void initTestCase() {
    cli_ = qEnvironmentVariable("LATENTLAB_CLI");
    QVERIFY2(QFileInfo(cli_).isExecutable(), "LATENTLAB_CLI names the latentlab-cli to check with");
  }

  void goodAndBadFiles() {
    ModelFile f = thirtyEpochFile();
    f.training.reset();
    writeModelFile(path("good.h5").toStdString(), f);
    const ModelFileCheck good = checkModelFileInChild(path("good.h5"), 60000, cli_);
    QVERIFY2(good.checked && good.ok, qPrintable(good.error));

    QFile bad(path("bad.h5"));
    QVERIFY(bad.open(QIODevice::WriteOnly));
    bad.write("not a model");
    bad.close();
    const ModelFileCheck refused = checkModelFileInChild(path("bad.h5"), 60000, cli_);
    QVERIFY(refused.checked && !refused.ok);
    QCOMPARE(refused.error, QString("ModelFile: bad.h5: not an HDF5 file (or a truncated one)"));
  }

  void crashingOrHangingChecker() {
    const ModelFileCheck crashed = checkModelFileInChild(path("any.h5"), 10000, script("crash.sh", "kill -SEGV $$"));
    QVERIFY(crashed.checked && !crashed.ok);
    QVERIFY2(crashed.error.contains("crashed") && crashed.error.contains("any.h5"), qPrintable(crashed.error));
    const ModelFileCheck hung = checkModelFileInChild(path("any.h5"), 300, script("hang.sh", "exec sleep 20"));
    QVERIFY(hung.checked && !hung.ok);
    QVERIFY2(hung.error.contains("longer than"), qPrintable(hung.error));
    QVERIFY(hung.milliseconds < 5000);
    const ModelFileCheck missing = checkModelFileInChild(path("any.h5"), 1000, path("no-such-cli"));
    QVERIFY(!missing.checked);
  }

  // What opening a file costs with the check: the child's whole run (start, read, exit) next to the read the
  // workbench does in its own process anyway.
  void costOfTheCheck() {
    const QString file = path("thirty.h5");
    writeModelFile(file.toStdString(), thirtyEpochFile());
    const double mb = QFileInfo(file).size() / 1e6;
    QList<qint64> child, inProcess;
    for (int i = 0; i < 3; ++i) {
      const ModelFileCheck c = checkModelFileInChild(file, 60000, cli_);
      QVERIFY2(c.ok, qPrintable(c.error));
      child << c.milliseconds;
      QElapsedTimer clock;
      clock.start();
      readModelFile(file.toStdString());
      inProcess << clock.elapsed();
    }
    std::sort(child.begin(), child.end());
    std::sort(inProcess.begin(), inProcess.end());
    qInfo("%.1f MB model file: the child check takes %lld ms (median of 3), the in-process read %lld ms", mb, child[1],
          inProcess[1]);
  }
};

QTEST_GUILESS_MAIN(ModelFileCheckTest)
#include "ModelFileCheckTest.moc"
