#pragma once
// The sample under the cursor, floating beside its point over the plot: its image and a line or two about it.
// It never takes the mouse from the plot.
#include <QFrame>

class QLabel;

class HoverTip : public QFrame {
  Q_OBJECT
 public:
  static constexpr int kImageSize = 84;

  explicit HoverTip(QWidget* plot);
  // Beside the point at pixel `at` of the plot, on whichever side has room.
  void showBeside(const QPointF& at, const QImage& image, const QString& text);

 private:
  QLabel *image_, *text_;
};
