// The Projection dock's export for TensorBoard's Embedding Projector: after a PCA of 300 training images under a
// small random model, with 5 of them labelled, the folder holds one line per shown sample in tensors.tsv (the
// latent means, or q(y|x)'s log-ratios when those were projected), metadata.tsv with its header and the
// labelled flags, the sprite sized for 300 thumbnails, both configs and embedding.npz.
#include <QApplication>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include "app/LabelSession.h"
#include "app/projection/ProjectionPanel.h"
#include "engine/data/Mnist.h"
#include "engine/io/ModelFile.h"
#include "widgets/ProjectionPlot.h"

using namespace latentlab;

namespace {

QStringList lines(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly | QIODevice::Text)) return {};
  QStringList out = QString::fromUtf8(f.readAll()).split('\n');
  if (!out.isEmpty() && out.last().isEmpty()) out.removeLast();
  return out;
}

}  // namespace

class ProjectionExportTest : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { QApplication::setStyle("Fusion"); }

  void exportsTheShownSamples() {
    auto data = std::make_shared<DataSplit>(loadIdxFolder(qEnvironmentVariable("LATENTLAB_MNIST").toStdString()));
    data->train = data->train.head(300);
    QTemporaryDir dir;
    LabelSession session(nullptr, dir.path());
    QVERIFY(session.open(data).isEmpty());
    ProjectionPanel panel(&session);
    panel.resize(900, 600);
    panel.show();
    QVERIFY(!panel.exportEmbedding(dir.filePath("none")));  // nothing shown yet

    ModelConfig c;
    c.hidden = {32};
    c.latent = 6;
    SemiSupervisedVae<float> model(c, 3);
    panel.setModel(std::make_shared<const ModelFile>(captureModel(model, {}, DatasetInfo{})));
    panel.setSet(ProjectionPanel::Set::Training);
    session.assignMany({{0, 5, LabelSource::User},
                        {1, 0, LabelSource::User},
                        {2, 4, LabelSource::User},
                        {3, 1, LabelSource::User},
                        {4, 9, LabelSource::User}},
                       "five");
    for (auto input : {ProjectionPanel::Input::LatentMeans, ProjectionPanel::Input::ClassLogRatios}) {
      panel.setInput(input);
      QSignalSpy computed(&panel, &ProjectionPanel::computed);
      panel.compute();
      QVERIFY(computed.wait(30000));
      QCOMPARE(int(panel.samples().size()), 300);

      const QString out = dir.filePath(input == ProjectionPanel::Input::LatentMeans ? "mu" : "clr");
      QSignalSpy exported(&panel, &ProjectionPanel::embeddingExported);
      QVERIFY(panel.exportEmbedding(out));
      QVERIFY(exported.wait(30000));
      QCOMPARE(exported.first().at(1).toString(), QString());  // no error

      const QStringList tensors = lines(out + "/tensors.tsv");
      QCOMPARE(tensors.size(), 300);
      QCOMPARE(tensors.first().split('\t').size(), input == ProjectionPanel::Input::LatentMeans ? 6 : 10);
      const QStringList meta = lines(out + "/metadata.tsv");
      QCOMPARE(meta.size(), 301);
      QCOMPARE(meta.first(), QString("label\tprediction\tlabelled\tset\tindex"));
      int labelled = 0;
      for (int i = 1; i < meta.size(); ++i) labelled += meta[i].split('\t')[2] == "yes";
      QCOMPARE(labelled, 5);
      QCOMPARE(meta[1].split('\t')[0], QString::number(data->train.labels[0]));
      QImage sprite(out + "/sprite.png");
      QCOMPARE(sprite.size(), QSize(18 * 28, 17 * 28));  // ceil(sqrt(300)) = 18 columns, 17 rows
      for (const char* f : {"projector_config.pbtxt", "projector_config.json", "embedding.npz"})
        QVERIFY2(QFile::exists(out + "/" + f), f);
    }
  }
};

QTEST_MAIN(ProjectionExportTest)
#include "ProjectionExportTest.moc"
