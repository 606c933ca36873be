#include "widgets/ProjectionPlot.h"
#include "widgets/FileDialogs.h"

#include <QContextMenuEvent>
#include <QFile>
#include <QFileDialog>
#include <QMenu>
#include <QPainter>
#include <QTextStream>
#include <algorithm>
#include <cmath>

namespace {

// Matplotlib's tab10: ten colours told apart by most readers, colour-blind ones included for the first few.
const QVector<QColor>& categoryColours() {
  static const QVector<QColor> colours{QColor("#1f77b4"), QColor("#ff7f0e"), QColor("#2ca02c"), QColor("#d62728"),
                                       QColor("#9467bd"), QColor("#8c564b"), QColor("#e377c2"), QColor("#7f7f7f"),
                                       QColor("#bcbd22"), QColor("#17becf")};
  return colours;
}

const QColor kUnassigned(205, 205, 205);
const QColor kRing(25, 25, 25);
constexpr int kValueBins = 48;     // continuous colours: 48 graphs look continuous and draw as fast as 10
constexpr int kDragThreshold = 3;  // pixels before a press becomes a drag rather than a click

bool finite(const QPointF& p) { return std::isfinite(p.x()) && std::isfinite(p.y()); }

// A point as a pre-rendered antialiased pixmap: copying a small pixmap is an order of magnitude cheaper than
// painting an antialiased ellipse (10,000 points replot in 2 ms instead of 36), and points are what a replot
// pays for. ring: an outline (the selection) instead of a disc.
QCPScatterStyle pixmapStyle(const QColor& colour, double size, bool ring = false) {
  const int side = int(std::ceil(size)) + 2;
  QPixmap pixmap(side, side);
  pixmap.fill(Qt::transparent);
  QPainter p(&pixmap);
  p.setRenderHint(QPainter::Antialiasing);
  p.setPen(ring ? QPen(colour, 1.5) : Qt::NoPen);
  p.setBrush(ring ? QBrush(Qt::NoBrush) : QBrush(colour));
  const double r = ring ? size / 2 - 0.75 : size / 2;
  p.drawEllipse(QPointF(side / 2.0, side / 2.0), r, r);
  p.end();
  return QCPScatterStyle(pixmap);
}

}  // namespace

ProjectionPlot::ProjectionPlot(QWidget* parent) : QCustomPlot(parent) {
  setMinimumSize(260, 220);
  setMouseTracking(true);  // hover without a button held
  setNoAntialiasingOnDrag(true);
  setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
  connect(this, &QCustomPlot::afterLayout, this, &ProjectionPlot::keepAspect);
  xAxis->setLabel("dimension 1");
  yAxis->setLabel("dimension 2");
  for (QCPAxis* a : {xAxis, yAxis}) {
    a->ticker()->setTickCount(5);
    a->grid()->setPen(QPen(QColor(235, 235, 235), 1));
    a->grid()->setZeroLinePen(Qt::NoPen);  // the origin of a t-SNE map means nothing
  }
  legend->setFont(QFont(font().family(), 8));
  legend->setIconSize(10, 10);
  legend->setBorderPen(Qt::NoPen);
  axisRect()->insetLayout()->take(legend);
  side_ = new QCPLayoutGrid;
  side_->addElement(0, 0, legend);
  side_->addElement(1, 0, new QCPLayoutElement(this));  // takes the height below the legend
  side_->setRowStretchFactor(0, 0.001);
  colourScale_ = new QCPColorScale(this);
  colourScale_->setType(QCPAxis::atRight);
  colourScale_->setBarWidth(12);

  // Viridis: perceptually uniform, readable in grey and by colour-blind readers.
  gradient_.clearColorStops();
  gradient_.setColorStopAt(0.0, QColor("#440154"));
  gradient_.setColorStopAt(0.25, QColor("#3b528b"));
  gradient_.setColorStopAt(0.5, QColor("#21918c"));
  gradient_.setColorStopAt(0.75, QColor("#5ec962"));
  gradient_.setColorStopAt(1.0, QColor("#fde725"));

  // Selection rings above every colour group, whatever order the groups are rebuilt in.
  addLayer("selection", layer("main"), QCustomPlot::limAbove);
  selectionGraph_ = addGraph();
  selectionGraph_->setLayer("selection");
  selectionGraph_->setLineStyle(QCPGraph::lsNone);
  selectionGraph_->removeFromLegend();
  selectionGraph_->setSelectable(QCP::stNone);
  rebuildSelectionGraph();
  showSide(Side::None);
}

// QCustomPlot deletes layout elements through its layout, after its plottables (which reach the legend when
// they go): hand back whatever showSide took out.
ProjectionPlot::~ProjectionPlot() {
  for (QCPLayoutElement* el : {static_cast<QCPLayoutElement*>(side_), static_cast<QCPLayoutElement*>(colourScale_)})
    if (!el->layout()) plotLayout()->addElement(plotLayout()->rowCount(), 0, el);
}

void ProjectionPlot::showSide(Side side) {
  for (QCPLayoutElement* el : {static_cast<QCPLayoutElement*>(side_), static_cast<QCPLayoutElement*>(colourScale_)})
    if (el->layout() == plotLayout()) plotLayout()->take(el);
  plotLayout()->simplify();
  // Out of the layout an element would still draw where it last was.
  side_->setVisible(side == Side::Legend);
  legend->setVisible(side == Side::Legend);
  colourScale_->setVisible(side == Side::Scale);
  QCPLayoutElement* el = nullptr;
  if (side == Side::Legend) el = side_;
  if (side == Side::Scale) el = colourScale_;
  if (!el) return;
  plotLayout()->addElement(0, 1, el);
  plotLayout()->setColumnStretchFactor(1, 0.001);  // as narrow as its contents
}

// ---- data and colours ----------------------------------------------------------------------------------

void ProjectionPlot::setPoints(const QVector<QPointF>& xy, bool fitView) {
  if (xy.size() != xy_.size()) {
    groups_ = QVector<int>(xy.size(), -1);
    groupNames_.clear();
    groupColours_.clear();
    values_.clear();
    continuous_ = false;
    showSide(Side::None);
    selection_.clear();
    selected_ = QVector<bool>(xy.size(), false);
    hover_ = -1;
  }
  xy_ = xy;
  grid_.build(xy_);
  rebuildGraphs();
  rebuildSelectionGraph();
  if (fitView || fitted_) fitToData();
  replot(QCustomPlot::rpQueuedReplot);
}

void ProjectionPlot::setColours(const QVector<int>& groups, const QStringList& names, const QVector<QColor>& colours) {
  if (groups.size() != xy_.size()) {
    qWarning("ProjectionPlot::setColours: %lld groups for %lld points", qlonglong(groups.size()),
             qlonglong(xy_.size()));
    return;
  }
  continuous_ = false;
  values_.clear();
  groups_ = groups;
  for (int& g : groups_)
    if (g >= names.size()) g = -1;
  groupNames_ = names;
  groupColours_.clear();
  for (int g = 0; g < names.size(); ++g)
    groupColours_ << (g < colours.size() ? colours[g] : categoryColours()[g % categoryColours().size()]);
  showSide(names.isEmpty() ? Side::None : Side::Legend);
  rebuildGraphs();
  replot(QCustomPlot::rpQueuedReplot);
}

void ProjectionPlot::setValues(const QVector<double>& values, const QString& label) {
  if (values.size() != xy_.size()) {
    qWarning("ProjectionPlot::setValues: %lld values for %lld points", qlonglong(values.size()), qlonglong(xy_.size()));
    return;
  }
  continuous_ = true;
  values_ = values;
  double lo = HUGE_VAL, hi = -HUGE_VAL;
  for (double v : values)
    if (std::isfinite(v)) {
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  if (lo > hi) lo = hi = 0;
  const QCPRange range(lo, hi > lo ? hi : lo + 1);
  // Bins of the scale become the groups: one graph per bin.
  groups_.resize(values.size());
  for (int i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i])) {
      groups_[i] = -1;
      continue;
    }
    const double t = (values[i] - range.lower) / range.size();
    groups_[i] = std::clamp(int(t * kValueBins), 0, kValueBins - 1);
  }
  groupNames_.clear();
  groupColours_.clear();
  for (int b = 0; b < kValueBins; ++b) {
    groupNames_ << QString();
    groupColours_ << gradient_.color((b + 0.5) / kValueBins, QCPRange(0, 1));
  }
  showSide(Side::Scale);
  colourScale_->setGradient(gradient_);
  colourScale_->setDataRange(range);
  colourScale_->axis()->setLabel(label);
  rebuildGraphs();
  replot(QCustomPlot::rpQueuedReplot);
}

void ProjectionPlot::setAxisLabels(const QString& x, const QString& y) {
  xAxis->setLabel(x);
  yAxis->setLabel(y);
  replot(QCustomPlot::rpQueuedReplot);
}

void ProjectionPlot::setPointSize(double pixels) {
  pointSize_ = std::max(1.0, pixels);
  rebuildGraphs();
  rebuildSelectionGraph();
  replot(QCustomPlot::rpQueuedReplot);
}

void ProjectionPlot::setUnderlay(const QImage& image, const QRectF& plotRect) {
  if (image.isNull()) {
    if (underlay_) removeItem(underlay_);
    underlay_ = nullptr;
    replot(QCustomPlot::rpQueuedReplot);
    return;
  }
  if (!underlay_) {
    if (!layer("underlay")) addLayer("underlay", layer("grid"), QCustomPlot::limBelow);
    underlay_ = new QCPItemPixmap(this);
    underlay_->setLayer("underlay");
    underlay_->setSelectable(false);
    underlay_->setClipToAxisRect(true);
  }
  underlay_->setPixmap(QPixmap::fromImage(image));
  underlay_->setScaled(true, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
  const QRectF r = plotRect.normalized();
  underlay_->topLeft->setCoords(r.left(), r.bottom());  // plot y grows upwards
  underlay_->bottomRight->setCoords(r.right(), r.top());
  replot(QCustomPlot::rpQueuedReplot);
}

bool ProjectionPlot::hasUnderlay() const { return underlay_ != nullptr; }

QColor ProjectionPlot::colourOf(int group) const {
  return group >= 0 && group < groupColours_.size() ? groupColours_[group] : kUnassigned;
}

// One graph per colour: drawing cost grows with the points, not with the number of objects. Points outside
// every group first, so the coloured ones lie above them. The legend gets empty graphs of its own, with
// discs large enough to read.
void ProjectionPlot::rebuildGraphs() {
  for (QCPGraph* g : graphs_) removeGraph(g);
  graphs_.clear();
  const int groups = int(groupNames_.size());
  QVector<QVector<double>> keys(groups + 1), vals(groups + 1);
  for (int i = 0; i < xy_.size(); ++i) {
    if (!finite(xy_[i])) continue;
    const int slot = (i < groups_.size() && groups_[i] >= 0 && groups_[i] < groups) ? groups_[i] + 1 : 0;
    keys[slot] << xy_[i].x();
    vals[slot] << xy_[i].y();
  }
  for (int slot = 0; slot <= groups; ++slot) {
    QCPGraph* g = addGraph();
    g->setLineStyle(QCPGraph::lsNone);
    g->setScatterStyle(pixmapStyle(colourOf(slot - 1), pointSize_));
    g->setSelectable(QCP::stNone);
    g->setData(keys[slot], vals[slot]);
    g->removeFromLegend();
    graphs_ << g;
  }
  if (continuous_) return;
  for (int group = 0; group < groups; ++group) {
    QCPGraph* entry = addGraph();
    entry->setLineStyle(QCPGraph::lsNone);
    entry->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, colourOf(group), colourOf(group), 8));
    entry->setSelectable(QCP::stNone);
    entry->setName(QString("%1 (%2)").arg(groupNames_[group]).arg(keys[group + 1].size()));
    graphs_ << entry;
  }
}

void ProjectionPlot::rebuildSelectionGraph() {
  selectionGraph_->setScatterStyle(pixmapStyle(kRing, pointSize_ + 4, true));
  QVector<double> keys, vals;
  keys.reserve(selection_.size());
  vals.reserve(selection_.size());
  for (int i : selection_) {
    if (i >= xy_.size() || !finite(xy_[i])) continue;
    keys << xy_[i].x();
    vals << xy_[i].y();
  }
  selectionGraph_->setData(keys, vals);
}

void ProjectionPlot::fitToData() {
  double x0 = HUGE_VAL, x1 = -HUGE_VAL, y0 = HUGE_VAL, y1 = -HUGE_VAL;
  for (const QPointF& p : xy_) {
    if (!finite(p)) continue;
    x0 = std::min(x0, p.x());
    x1 = std::max(x1, p.x());
    y0 = std::min(y0, p.y());
    y1 = std::max(y1, p.y());
  }
  if (x0 > x1) {
    xAxis->setRange(-1, 1);
    yAxis->setRange(-1, 1);
    return;
  }
  const double px = x1 > x0 ? 0.05 * (x1 - x0) : 1, py = y1 > y0 ? 0.05 * (y1 - y0) : 1;
  fitBox_ = QRectF(QPointF(x0 - px, y0 - py), QPointF(x1 + px, y1 + py));
  xAxis->setRange(fitBox_.left(), fitBox_.right());
  yAxis->setRange(fitBox_.top(), fitBox_.bottom());
  fitted_ = true;
  fittedX_ = xAxis->range();
  fittedY_ = yAxis->range();
  keepAspect();
}

// Runs after every layout, before drawing, when the axis rect's size in pixels is known. A fitted view (no one
// has panned, zoomed or set a range since: the ranges are the ones this set) fits its box again, whatever the
// widget's shape now: one range widened so that the box fits with equal scales. Otherwise the y range follows
// the x range.
void ProjectionPlot::keepAspect() {
  const double w = axisRect()->width(), h = axisRect()->height();
  if (!equalAspect_ || w <= 0 || h <= 0) return;
  const QCPRange x0 = xAxis->range(), y0 = yAxis->range();
  if (fitted_ && (x0 != fittedX_ || y0 != fittedY_)) fitted_ = false;  // moved: the view is the user's now
  if (fitted_) {
    const QRectF& b = fitBox_;
    const double perPixel = std::max(b.width() / w, b.height() / h);
    xAxis->setRange(b.center().x() - perPixel * w / 2, b.center().x() + perPixel * w / 2);
    yAxis->setRange(b.center().y() - perPixel * h / 2, b.center().y() + perPixel * h / 2);
    fittedX_ = xAxis->range();
    fittedY_ = yAxis->range();
  } else if (std::abs((y0.size() / h) / (x0.size() / w) - 1) > 1e-9) {
    yAxis->setScaleRatio(xAxis, 1.0);
  }
  // Ticks were placed for the old ranges in this layout's preparation step: place them again.
  if (xAxis->range() != x0 || yAxis->range() != y0) axisRect()->update(QCPLayoutElement::upPreparation);
}

void ProjectionPlot::setEqualAspect(bool on) {
  equalAspect_ = on;
  fitToData();
  replot(QCustomPlot::rpQueuedReplot);
}

// ---- nearest point -------------------------------------------------------------------------------------

int ProjectionPlot::indexAt(const QPointF& pixel, double radius) const {
  if (grid_.isEmpty() || radius <= 0) return -1;
  const double cx = xAxis->pixelToCoord(pixel.x()), cy = yAxis->pixelToCoord(pixel.y());
  // The radius in data units along each axis (the axes may be scaled differently).
  const double rx = std::abs(xAxis->pixelToCoord(pixel.x() + radius) - cx);
  const double ry = std::abs(yAxis->pixelToCoord(pixel.y() + radius) - cy);
  return grid_.nearest(QPointF(cx, cy), rx, ry, radius);
}

QPointF ProjectionPlot::pixelOf(int index) const {
  if (index < 0 || index >= xy_.size()) return {};
  return {xAxis->coordToPixel(xy_[index].x()), yAxis->coordToPixel(xy_[index].y())};
}

void ProjectionPlot::setHover(int index) {
  if (index == hover_) return;
  hover_ = index;
  update();  // the ring is drawn over the cached plot: no replot
  emit hovered(index);
}

void ProjectionPlot::setHighlighted(int index) {
  hover_ = index >= 0 && index < xy_.size() ? index : -1;
  update();
}

// ---- selection -----------------------------------------------------------------------------------------

void ProjectionPlot::setSelectionMode(SelectionMode mode) {
  mode_ = mode;
  // In a selection mode a left drag selects; panning stays available in None mode only.
  setInteractions(mode == SelectionMode::None ? QCP::iRangeDrag | QCP::iRangeZoom : QCP::iRangeZoom);
  setCursor(mode == SelectionMode::None ? Qt::ArrowCursor : Qt::CrossCursor);
}

QVector<int> ProjectionPlot::selectRect(const QRectF& plotRect, bool extend) {
  const QRectF r = plotRect.normalized();
  QVector<bool> inside(xy_.size(), false);
  for (int i = 0; i < xy_.size(); ++i) {
    const QPointF& p = xy_[i];
    inside[i] = p.x() >= r.left() && p.x() <= r.right() && p.y() >= r.top() && p.y() <= r.bottom();
  }
  updateSelection(std::move(inside), extend);
  return selection_;
}

QVector<int> ProjectionPlot::selectPolygon(const QPolygonF& plotPolygon, bool extend) {
  QVector<bool> inside(xy_.size(), false);
  if (plotPolygon.size() >= 3) {
    const QRectF box = plotPolygon.boundingRect();
    for (int i = 0; i < xy_.size(); ++i) {
      const QPointF& p = xy_[i];
      if (p.x() < box.left() || p.x() > box.right() || p.y() < box.top() || p.y() > box.bottom()) continue;
      inside[i] = plotPolygon.containsPoint(p, Qt::OddEvenFill);
    }
  }
  updateSelection(std::move(inside), extend);
  return selection_;
}

void ProjectionPlot::setSelection(const QVector<int>& indices) {
  QVector<bool> inside(xy_.size(), false);
  for (int i : indices)
    if (i >= 0 && i < xy_.size()) inside[i] = true;
  updateSelection(std::move(inside), false);
}

void ProjectionPlot::clearSelection() { updateSelection(QVector<bool>(xy_.size(), false), false); }

void ProjectionPlot::updateSelection(QVector<bool> inside, bool extend) {
  if (extend)
    for (int i = 0; i < inside.size() && i < selected_.size(); ++i) inside[i] = inside[i] || selected_[i];
  if (inside == selected_) return;
  selected_ = std::move(inside);
  selection_.clear();
  for (int i = 0; i < selected_.size(); ++i)
    if (selected_[i]) selection_ << i;
  rebuildSelectionGraph();
  replot(QCustomPlot::rpQueuedReplot);
  emit selectionChanged(selection_);
}

// ---- mouse ---------------------------------------------------------------------------------------------

void ProjectionPlot::mousePressEvent(QMouseEvent* e) {
  if (e->button() == Qt::LeftButton) {
    pressed_ = true;
    dragging_ = false;
    pressPos_ = e->pos();
    rubber_ = QPolygonF{QPointF(e->pos())};
    if (mode_ != SelectionMode::None) return;  // the drag selects: do not let the axis rect pan
  }
  QCustomPlot::mousePressEvent(e);
}

void ProjectionPlot::mouseMoveEvent(QMouseEvent* e) {
  if (pressed_ && !dragging_ && (e->pos() - pressPos_).manhattanLength() >= kDragThreshold) dragging_ = true;
  if (pressed_ && mode_ != SelectionMode::None) {
    if (dragging_) {
      if (mode_ == SelectionMode::Rectangle)
        rubber_ = QPolygonF{QPointF(pressPos_), QPointF(e->pos())};
      else
        rubber_ << QPointF(e->pos());
      update();
    }
    return;
  }
  QCustomPlot::mouseMoveEvent(e);
  if (!pressed_) setHover(indexAt(e->position()));
}

void ProjectionPlot::mouseReleaseEvent(QMouseEvent* e) {
  if (e->button() != Qt::LeftButton || !pressed_) {
    QCustomPlot::mouseReleaseEvent(e);
    return;
  }
  pressed_ = false;
  const bool wasDrag = dragging_;
  dragging_ = false;
  const bool extend = e->modifiers() & Qt::ShiftModifier;
  if (mode_ == SelectionMode::None) QCustomPlot::mouseReleaseEvent(e);
  if (!wasDrag) {
    rubber_.clear();
    const int index = indexAt(e->position());
    if (index >= 0)
      emit clicked(index);
    else if (mode_ != SelectionMode::None && !extend)
      clearSelection();
    return;
  }
  if (mode_ == SelectionMode::None) return;
  // Pixels to plot coordinates, then the same selection a caller gets from selectRect / selectPolygon.
  QPolygonF plot;
  if (mode_ == SelectionMode::Rectangle)
    rubber_ = QPolygonF{QPointF(pressPos_), QPointF(e->pos())};
  else
    rubber_ << QPointF(e->pos());
  for (const QPointF& p : rubber_) plot << QPointF(xAxis->pixelToCoord(p.x()), yAxis->pixelToCoord(p.y()));
  rubber_.clear();
  update();
  if (mode_ == SelectionMode::Rectangle)
    selectRect(QRectF(plot[0], plot[1]), extend);
  else
    selectPolygon(plot, extend);
}

void ProjectionPlot::mouseDoubleClickEvent(QMouseEvent* e) {
  fitToData();
  replot(QCustomPlot::rpQueuedReplot);
  QCustomPlot::mouseDoubleClickEvent(e);
}

void ProjectionPlot::leaveEvent(QEvent* e) {
  QCustomPlot::leaveEvent(e);
  setHover(-1);
}

void ProjectionPlot::paintEvent(QPaintEvent* e) {
  QCustomPlot::paintEvent(e);
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  if (hover_ >= 0 && hover_ < xy_.size() && finite(xy_[hover_])) {
    const QPointF c = pixelOf(hover_);
    const double r = pointSize_ / 2 + 4;
    p.setBrush(Qt::NoBrush);
    p.setPen(QPen(Qt::white, 3));
    p.drawEllipse(c, r, r);
    p.setPen(QPen(kRing, 1.5));
    p.drawEllipse(c, r, r);
  }
  if (dragging_ && mode_ != SelectionMode::None && rubber_.size() >= 2) {
    p.setPen(QPen(QColor(30, 90, 200), 1, Qt::DashLine));
    p.setBrush(QColor(30, 90, 200, 40));
    if (mode_ == SelectionMode::Rectangle)
      p.drawRect(QRectF(rubber_[0], rubber_[1]).normalized());
    else
      p.drawPolygon(rubber_);
  }
}

// ---- export --------------------------------------------------------------------------------------------

bool ProjectionPlot::writeCsv(const QString& path, const CsvColumns& c) const {
  const int n = int(xy_.size());
  for (qsizetype size : {c.index.size(), c.classes.size(), c.predictions.size(), c.labelled.size(), c.set.size()})
    if (size != 0 && size != n) return false;
  QFile file(path);
  if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text)) return false;
  QTextStream out(&file);
  out << "index,x,y,class,prediction,labelled" << (c.set.isEmpty() ? "" : ",set") << '\n';
  auto label = [](const QVector<int>& v, int i) { return v.isEmpty() || v[i] < 0 ? QString() : QString::number(v[i]); };
  for (int i = 0; i < n; ++i) {
    out << (c.index.isEmpty() ? i : c.index[i]) << ',' << QString::number(xy_[i].x(), 'g', 9) << ','
        << QString::number(xy_[i].y(), 'g', 9) << ',' << label(c.classes, i) << ',' << label(c.predictions, i) << ','
        << (c.labelled.isEmpty() ? QString() : QString(c.labelled[i] ? "1" : "0"));
    if (!c.set.isEmpty()) out << ',' << c.set[i];
    out << '\n';
  }
  out.flush();
  return file.error() == QFile::NoError;
}

bool ProjectionPlot::exportTo(const QString& path) {
  if (path.endsWith(".pdf", Qt::CaseInsensitive)) return savePdf(path, width(), height());
  return savePng(path, width(), height(), 2.0);
}

void ProjectionPlot::contextMenuEvent(QContextMenuEvent* e) {
  QMenu menu(this);
  menu.addAction(tr("Fit to data"), this, [this] {
    fitToData();
    replot();
  });
  menu.addAction(tr("Export as PNG or PDF..."), this, [this] {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export projection"), dialogStartPath("projection.png"),
                                                      tr("PNG image (*.png);;PDF document (*.pdf)"));
    rememberDialogFolder(path);
    if (!path.isEmpty()) exportTo(path);
  });
  menu.exec(e->globalPos());
}
