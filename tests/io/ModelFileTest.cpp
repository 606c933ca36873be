// Model files: round trip, exact resume, and one test per bad-file case (each a clear error, nothing built).
#include <H5Cpp.h>
#include <QtTest/QtTest>

#include "engine/data/Fingerprint.h"
#include "engine/data/Mnist.h"
#include "engine/io/ModelFile.h"
#include "engine/train/Evaluation.h"

using namespace latentlab;

class ModelFileTest : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  DataSplit data_;

  static ModelConfig smallModel() {
    ModelConfig m;
    m.hidden = {48, 32};
    m.latent = 6;
    m.activation = ActivationKind::Relu;
    m.objective = Objective::Marginal;
    m.alpha = 300;
    return m;
  }
  static TrainConfig run(int epochs) {
    TrainConfig t;
    t.epochs = epochs;
    t.stepsPerEpoch = 12;
    t.evalSamples = 300;
    t.seed = 5;
    return t;
  }
  QString path(const QString& name) const { return dir_.filePath(name); }
  DatasetInfo info() const { return {data_.source, fingerprint(data_.train), data_.train.size(), 28, 28}; }

  // A good file to break in the bad-file tests.
  QString goodFile(const QString& name) {
    SemiSupervisedVae<float> model(smallModel(), 3);
    Random rng(3);
    LabelSet labels = balancedLabelSet(data_.train.labels, 20, 10, rng);
    Trainer trainer(model, data_, labels, run(1));
    trainer.run();
    writeModelFile(path(name).toStdString(), captureModel(model, data_.train.classNames, info(), &trainer, &labels));
    return path(name);
  }

  template <typename F> static void expectError(F f, const QString& part) {
    try {
      f();
      QFAIL("no error was raised");
    } catch (const Error& e) {
      QVERIFY2(QString(e.what()).contains(part), qPrintable(QString(e.what()) + " lacks " + part));
    }
  }

 private slots:
  void initTestCase() {
    H5::Exception::dontPrint();
    data_ = loadIdxFolder(qgetenv("LATENTLAB_MNIST").toStdString());
    data_.train = data_.train.head(2000);
    data_.test = data_.test.head(300);
  }

  void roundTrip() {
    SemiSupervisedVae<float> model(smallModel(), 1);
    Random rng(1);
    LabelSet labels = balancedLabelSet(data_.train.labels, 30, 10, rng);
    labels.set(1234, 7, LabelSource::User);
    Trainer trainer(model, data_, labels, run(2));
    trainer.run();
    const QString file = path("round.h5");
    writeModelFile(file.toStdString(), captureModel(model, data_.train.classNames, info(), &trainer, &labels));
    QVERIFY(!QFile::exists(file + ".part"));

    const ModelFile f = readModelFile(file.toStdString());
    QCOMPARE(int(f.model.objective), int(Objective::Marginal));
    QCOMPARE(f.model.hidden, (std::vector<int>{48, 32}));
    QCOMPARE(f.classNames.size(), size_t(10));
    QCOMPARE(f.dataset.fingerprint, fingerprint(data_.train));
    QCOMPARE(f.labels.size(), size_t(31));
    QCOMPARE(int(f.labels.back().source), int(LabelSource::User));
    QVERIFY(f.training.has_value());
    QCOMPARE(f.training->state.steps.size(), size_t(24));
    QCOMPARE(f.training->state.epochs.size(), size_t(2));
    auto loaded = instantiateModel(f);
    auto a = model.parameters(), b = loaded->parameters();
    for (size_t i = 0; i < a.size(); ++i) QVERIFY(*a[i].value == *b[i].value);
    QCOMPARE(accuracy(*loaded, data_.test), trainer.history().back().testAccuracy);
  }

  // Two epochs straight, or one epoch, a file, and one more from the file: the same losses, step by step.
  void resumeContinuesExactly() {
    std::vector<double> straight;
    {
      SemiSupervisedVae<float> model(smallModel(), 2);
      Random rng(2);
      LabelSet labels = balancedLabelSet(data_.train.labels, 20, 10, rng);
      Trainer trainer(model, data_, labels, run(2));
      trainer.onStep = [&](const StepReport& s) { straight.push_back(s.losses.total); };
      trainer.run();
    }
    std::vector<double> resumed;
    {
      SemiSupervisedVae<float> model(smallModel(), 2);
      Random rng(2);
      LabelSet labels = balancedLabelSet(data_.train.labels, 20, 10, rng);
      Trainer trainer(model, data_, labels, run(1));
      trainer.onStep = [&](const StepReport& s) { resumed.push_back(s.losses.total); };
      trainer.run();
      writeModelFile(path("half.h5").toStdString(), captureModel(model, data_.train.classNames, info(), &trainer, &labels));
    }
    {
      const ModelFile f = readModelFile(path("half.h5").toStdString());
      auto model = instantiateModel(f);
      LabelSet labels(f.labels);
      TrainConfig tc = f.training->config;
      tc.epochs = 2;
      Trainer trainer(*model, data_, labels, tc);
      restoreTraining(f, trainer);
      trainer.onStep = [&](const StepReport& s) { resumed.push_back(s.losses.total); };
      trainer.run();
      QCOMPARE(trainer.stepHistory().size(), size_t(24));
    }
    QCOMPARE(resumed.size(), size_t(24));
    QCOMPARE(resumed, straight);
  }

  void notHdf5() {
    QFile f(path("notes.txt"));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("just some text, not a model\n");
    f.close();
    expectError([&] { readModelFile(path("notes.txt").toStdString()); }, "not an HDF5 file");
  }

  void missingFile() { expectError([&] { readModelFile(path("none.h5").toStdString()); }, "no such file"); }

  void hdf5FromAnotherProgram() {
    {
      H5::H5File f(path("other.h5").toStdString(), H5F_ACC_TRUNC);
      const hsize_t n = 4;
      const float v[4] = {1, 2, 3, 4};
      f.createDataSet("measurements", H5::PredType::IEEE_F32LE, H5::DataSpace(1, &n)).write(v, H5::PredType::NATIVE_FLOAT);
    }
    expectError([&] { readModelFile(path("other.h5").toStdString()); }, "not a Latentlab model file");
  }

  void newerFormatVersion() {
    const QString file = goodFile("newer.h5");
    {
      H5::H5File f(file.toStdString(), H5F_ACC_RDWR);
      const long two = kModelFormatVersion + 1;
      f.openAttribute("format_version").write(H5::PredType::NATIVE_LONG, &two);
    }
    expectError([&] { readModelFile(file.toStdString()); }, "format version " + QString::number(kModelFormatVersion + 1) + " is newer");
  }

  void missingDataset() {
    const QString file = goodFile("missing.h5");
    {
      H5::H5File f(file.toStdString(), H5F_ACC_RDWR);
      f.unlink("/parameters/decoder.body.3.W");
    }
    expectError([&] { readModelFile(file.toStdString()); }, "missing dataset /parameters/decoder.body.3.W");
  }

  void shapeMismatch() {
    const QString file = goodFile("shape.h5");
    {
      H5::H5File f(file.toStdString(), H5F_ACC_RDWR);
      f.unlink("/parameters/encoder.heads.W");
      const hsize_t dims[2] = {22, 33};
      std::vector<float> zeros(22 * 33, 0.f);
      f.createDataSet("/parameters/encoder.heads.W", H5::PredType::IEEE_F32LE, H5::DataSpace(2, dims))
          .write(zeros.data(), H5::PredType::NATIVE_FLOAT);
    }
    expectError([&] { readModelFile(file.toStdString()); }, "encoder.heads.W has shape 22x33 but the architecture needs 22x32");
  }

  void truncatedFile() {
    const QString file = goodFile("cut.h5");
    QFile f(file);
    QVERIFY(f.resize(f.size() / 2));
    try {
      readModelFile(file.toStdString());
      QFAIL("no error was raised");
    } catch (const Error& e) {
      const QString text = e.what();
      QVERIFY2(text.contains("cut.h5") && (text.contains("truncated") || text.contains("damaged")), e.what());
    }
  }

  // A failed open leaves the model the caller holds as it was: reading builds nothing until all is valid.
  void failedOpenLeavesTheOpenModelUntouched() {
    auto current = instantiateModel(readModelFile(goodFile("current.h5").toStdString()));
    const double before = accuracy(*current, data_.test);
    const QString bad = goodFile("bad.h5");
    {
      H5::H5File f(bad.toStdString(), H5F_ACC_RDWR);
      f.unlink("/parameters/encoder.trunk.0.b");
    }
    try {
      current = instantiateModel(readModelFile(bad.toStdString()));
      QFAIL("no error was raised");
    } catch (const Error&) {
    }
    QVERIFY(current);
    QCOMPARE(accuracy(*current, data_.test), before);
  }

  void resumeRefusesAnotherDataSet() {
    const ModelFile f = readModelFile(goodFile("other-data.h5").toStdString());
    auto model = instantiateModel(f);
    DataSplit smaller = data_;
    smaller.train = data_.train.head(1500);
    LabelSet labels(f.labels);
    Trainer trainer(*model, smaller, labels, f.training->config);
    expectError([&] { restoreTraining(f, trainer); }, "2000 training samples, not 1500");
  }
};

QTEST_GUILESS_MAIN(ModelFileTest)
#include "ModelFileTest.moc"
