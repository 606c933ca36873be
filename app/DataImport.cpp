#include "app/DataImport.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QStringList>
#include <algorithm>

#include "engine/model/ModelConfig.h"

namespace {
QString tr(const char* text) { return QCoreApplication::translate("DataImport", text); }
QString q(const std::string& s) { return QString::fromStdString(s); }
}  // namespace

DataImport DataImport::folder(const QString& path) {
  DataImport d;
  d.request.path = path.toStdString();
  return d;
}

QString DataImport::options() const {
  const latentlab::DataRequest defaults;
  const latentlab::DataRequest& r = request;
  QStringList parts;
  if (!r.x.empty()) parts << tr("x: %1").arg(q(r.x));
  if (!r.y.empty()) parts << (r.y == "none" ? tr("y: none (unlabelled)") : tr("y: %1").arg(q(r.y)));
  if (!r.labelColumn.empty())
    parts << (r.labelColumn == "none" ? tr("no label column") : tr("label column: %1").arg(q(r.labelColumn)));
  if (r.header != latentlab::HeaderMode::Auto)
    parts << (r.header == latentlab::HeaderMode::Yes ? tr("header line") : tr("no header line"));
  if (!r.testPath.empty())
    parts << tr("test: %1").arg(QFileInfo(q(r.testPath)).fileName());
  else if (r.testFraction != defaults.testFraction)
    parts << tr("test: %1% held out").arg(100 * r.testFraction);
  if (!r.classesPath.empty()) parts << tr("classes: %1").arg(QFileInfo(q(r.classesPath)).fileName());
  if (r.layout != latentlab::SampleLayout::Auto) parts << tr("layout: %1").arg(q(latentlab::toString(r.layout)));
  return parts.join(", ");
}

void DataImport::save(QSettings& s) const {
  const latentlab::DataRequest& r = request;
  s.setValue("data/folder", path());
  s.setValue("data/x", q(r.x));
  s.setValue("data/y", q(r.y));
  s.setValue("data/labelColumn", q(r.labelColumn));
  s.setValue("data/header", int(r.header));
  s.setValue("data/testPath", q(r.testPath));
  s.setValue("data/testFraction", r.testFraction);
  s.setValue("data/classesPath", q(r.classesPath));
  s.setValue("data/layout", int(r.layout));
  s.setValue("data/unlabelledClasses", unlabelledClasses);
}

DataImport DataImport::load(const QSettings& s) {
  DataImport d;
  latentlab::DataRequest& r = d.request;
  r.path = s.value("data/folder").toString().toStdString();
  r.x = s.value("data/x").toString().toStdString();
  r.y = s.value("data/y").toString().toStdString();
  r.labelColumn = s.value("data/labelColumn").toString().toStdString();
  r.header = latentlab::HeaderMode(std::clamp(s.value("data/header", 0).toInt(), 0, 2));
  r.testPath = s.value("data/testPath").toString().toStdString();
  const double fraction = s.value("data/testFraction", r.testFraction).toDouble();
  if (fraction >= 0 && fraction < 1) r.testFraction = fraction;
  r.classesPath = s.value("data/classesPath").toString().toStdString();
  r.layout = latentlab::SampleLayout(std::clamp(s.value("data/layout", 0).toInt(), 0, 3));
  d.unlabelledClasses = std::clamp(s.value("data/unlabelledClasses", 10).toInt(), 2, 1000);
  return d;
}

latentlab::DataSplit openDataImport(const DataImport& import) {
  latentlab::DataSplit s = latentlab::openData(import.request);
  // Values outside [0, 1] are standardised per channel for a Gaussian likelihood, as `latentlab-cli train` reads
  // them by default (InputTransform.h): a model trained in either place reads the data the same way.
  latentlab::prepareInputs(s, "auto");
  if (!s.train.hasLabels() && s.train.classes < 2) {
    const int k = std::clamp(import.unlabelledClasses, 2, latentlab::ModelConfig::kMaxClasses);
    for (latentlab::Dataset* d : {&s.train, &s.test}) {
      d->classes = k;
      d->classNames.clear();
    }
    s.description += "; a model of " + std::to_string(k) + " classes";
  }
  return s;
}
