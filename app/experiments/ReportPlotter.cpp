#include "app/experiments/ReportPlotter.h"

#include <algorithm>

using latentlab::AnomalyRow;
using latentlab::ClassificationRow;
using latentlab::SeedStats;

namespace {
void append(PlotSeries& s, double x, const SeedStats& v) {
  if (v.n == 0) return;
  s.x.push_back(x);
  s.mean.push_back(v.mean);
  s.sd.push_back(v.sd);
}
}  // namespace

QVector<PlotSeries> accuracySeries(const std::vector<ClassificationRow>& rows, QVector<double>* ticks,
                                   QVector<QString>* tickLabels) {
  PlotSeries ss{QObject::tr("SS (semi-supervised)"), {}, {}, {}};
  PlotSeries eqs{QObject::tr("EQ_S (labels alone)"), {}, {}, {}};
  for (const ClassificationRow& r : rows) {
    const double x = r.labelsRequested > 0 ? r.labelsRequested : std::max(1, r.labels);
    append(ss, x, r.ss);
    append(eqs, x, r.eqs);
    ticks->push_back(x);
    tickLabels->push_back(r.labelsRequested > 0 ? QString::number(r.labelsRequested)
                                                : QObject::tr("all (%1)").arg(r.labels));
  }
  return {ss, eqs};
}

QVector<PlotSeries> aurocSeries(const std::vector<AnomalyRow>& rows) {
  PlotSeries off{QObject::tr("VAE, labels off, −ELBO"), {}, {}, {}}, on{QObject::tr("SS VAE, labels on, −ELBO"), {}, {}, {}};
  // Labels off, the surprise score orders points as the -ELBO: only the labels-on bar is drawn.
  PlotSeries onSurprise{QObject::tr("SS VAE, labels on, surprise"), {}, {}, {}};
  PlotSeries pca{QObject::tr("PCA"), {}, {}, {}}, ae{QObject::tr("autoencoder"), {}, {}, {}};
  for (const AnomalyRow& r : rows) {
    append(off, r.holdout, r.off);
    append(on, r.holdout, r.on);
    append(onSurprise, r.holdout, r.onSurprise);
    append(pca, r.holdout, r.pca);
    append(ae, r.holdout, r.ae);
  }
  QVector<PlotSeries> out;
  for (const PlotSeries& s : {off, on, onSurprise, pca, ae})
    if (!s.x.isEmpty()) out.push_back(s);
  return out;
}

void showAccuracy(LabelCurvePlot* plot, const std::vector<ClassificationRow>& rows, const QString& title) {
  QVector<double> ticks;
  QVector<QString> labels;
  const QVector<PlotSeries> series = accuracySeries(rows, &ticks, &labels);
  plot->setSeries(title, series, ticks, labels, QObject::tr("test accuracy"));
}

void showAuroc(ClassBarsPlot* plot, const std::vector<AnomalyRow>& rows, const QString& title) {
  const QVector<PlotSeries> series = aurocSeries(rows);
  double lo = 1;
  for (const PlotSeries& s : series)
    for (double v : s.mean) lo = std::min(lo, v);
  plot->setSeries(title, series, QObject::tr("held-out class"), QObject::tr("AUROC"), std::max(0.0, lo - 0.1), 1.0);
}

latentlab::ReportPlotter makeReportPlotter() {
  latentlab::ReportPlotter p;
  p.accuracy = [](const std::vector<ClassificationRow>& rows, const std::string& title, const std::string& png) {
    LabelCurvePlot plot;
    showAccuracy(&plot, rows, QString::fromStdString(title));
    return savePlotPng(&plot, QString::fromStdString(png));
  };
  p.auroc = [](const std::vector<AnomalyRow>& rows, const std::string& title, const std::string& png) {
    ClassBarsPlot plot;
    showAuroc(&plot, rows, QString::fromStdString(title));
    return savePlotPng(&plot, QString::fromStdString(png), 860, 440);
  };
  return p;
}
