#pragma once
// The experiment report's two plots, as widgets (the Experiments window shows them) that also save a PNG
// offscreen (the report): a metric against label count, one line per model with error bars (mean ± sd over
// seeds), the x axis logarithmic; and a metric per class, grouped bars per model with error bars.
#include <qcustomplot.h>

#include <QVector>

struct PlotSeries {
  QString name;
  QVector<double> x, mean, sd;  // sd 0: no error bar
};

class LabelCurvePlot : public QCustomPlot {
  Q_OBJECT
 public:
  explicit LabelCurvePlot(QWidget* parent = nullptr);
  // xLabels: the tick text at each x ("100", "1000", "all (60000)"); yLabel: the metric.
  void setSeries(const QString& title, const QVector<PlotSeries>& series, const QVector<double>& ticks,
                 const QVector<QString>& tickLabels, const QString& yLabel);
  int seriesCount() const { return graphCount(); }

 private:
  QCPTextElement* title_;
};

class ClassBarsPlot : public QCustomPlot {
  Q_OBJECT
 public:
  explicit ClassBarsPlot(QWidget* parent = nullptr);
  // Each series' x are class indices; bars of one class side by side, from 0 (the axis shows yMin..yMax).
  void setSeries(const QString& title, const QVector<PlotSeries>& series, const QString& xLabel, const QString& yLabel,
                 double yMin, double yMax);
  int barsCount() const { return int(bars_.size()); }

 private:
  QCPTextElement* title_;
  QVector<QCPBars*> bars_;
};

// Saves a plot as a PNG of width x height pixels; false when it could not be written.
bool savePlotPng(QCustomPlot* plot, const QString& path, int width = 720, int height = 440);
