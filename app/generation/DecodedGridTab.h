#pragma once
// A Generation tab built around one grid of samples: its controls (the subclass's), the grid view, the line
// under it and the DecodedGrid behind the view. A click on a cell asks for the cell's style and class in the
// sliders (stylePicked). Subclasses decode in redraw() and hand the result to showGrid.
#include <QLabel>
#include <QWidget>
#include <initializer_list>

#include "app/generation/Context.h"
#include "app/generation/DecodedGrid.h"

class QHBoxLayout;

namespace generation {

class DecodedGridTab : public QWidget {
  Q_OBJECT
 public:
  explicit DecodedGridTab(const Context& context, QWidget* parent = nullptr);

  SampleGrid* view() const { return view_; }
  const DecodedGrid& grid() const { return grid_; }
  QString message() const;  // the line under the grid, as plain text
  // A new model or data set (the context holds them): the controls fit the data, per-model state goes.
  virtual void modelChanged() {}

 public slots:
  virtual void redraw() = 0;  // decodes and shows the grid its controls ask for (a bad request: a message)

 signals:
  void stylePicked(const latentlab::Vector<float>& z, int classIndex);  // classIndex -1: a test image's cell

 protected:
  // The tab's layout: the controls' rows, then the grid view (stretching), then the message line.
  void buildLayout(std::initializer_list<QLayout*> controlRows);
  void showGrid(DecodedGrid grid);
  void showMessage(const QString& text, bool error = false);

  const Context& context_;
  SampleGrid* view_;
  QLabel* info_;
  DecodedGrid grid_;
};

// Layout helpers shared by the tabs.
namespace ui {
QHBoxLayout* row(std::initializer_list<QWidget*> widgets, bool stretch = true);
QLabel* caption(const QString& text);  // a quiet line of text
QLabel* messageLine();
QWidget* exportButtons(SampleGrid* grid);  // Export PNG and Copy for a grid
void showMessage(QLabel* line, const QString& text, bool error = false);
QString messageOf(const QLabel* line);
}  // namespace ui

}  // namespace generation
