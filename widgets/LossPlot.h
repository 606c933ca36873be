#pragma once
// A QCustomPlot for training curves: each series is drawn raw (thin, light) and smoothed (an exponential
// moving average, solid). Points are appended with addData; replots are coalesced by a timer so the plot
// redraws at most about 25 times a second however fast points arrive. Drag to pan, wheel to zoom,
// double-click to fit, hover for a readout; the context menu exports PNG or PDF.
#include <qcustomplot.h>

#include <QHash>
#include <QTimer>

class LossPlot : public QCustomPlot {
  Q_OBJECT
 public:
  explicit LossPlot(const QString& title, const QString& xLabel, QWidget* parent = nullptr);

  // smoothed: draw the moving average beside the raw points; markers: points instead of lines (epochs).
  void addSeries(const QString& name, const QColor& colour, bool smoothed = true, bool markers = false);
  void setLogarithmic(bool log);
  void setIntegerKeys(bool integer);  // x ticks on whole numbers only (epochs)
  void addPoint(const QString& series, double x, double y);
  void clearData();
  // Weight of the newest point in the moving average, in (0, 1]: 1 is no smoothing.
  void setSmoothing(double alpha);
  double smoothing() const { return alpha_; }
  int pointCount(const QString& series) const;
  QString title() const { return title_; }

  bool exportTo(const QString& path);  // .png or .pdf by extension

 protected:
  void mouseDoubleClickEvent(QMouseEvent* e) override;
  void mouseMoveEvent(QMouseEvent* e) override;
  void contextMenuEvent(QContextMenuEvent* e) override;

 private:
  struct Series {
    QCPGraph* raw = nullptr;
    QCPGraph* smooth = nullptr;
    double ema = 0;  // debiased like Adam's moments: no lag towards the first value
    long count = 0;
  };
  void scheduleReplot();
  void fitToData();
  void recomputeSmoothing();

  QString title_;
  QHash<QString, Series> series_;
  QStringList order_;
  double smoothed(Series& s, double y);
  double alpha_ = 0.1;
  bool integerKeys_ = false;
  bool autoRange_ = true;  // until the user pans or zooms; double-click returns to it
  QTimer replotTimer_;
  QCPItemText* readout_ = nullptr;
};
