#pragma once
// The clicked sample, in a strip under the plot (docks are wider than they are tall): the sample, its
// reconstruction, a few lines about it and q(y|x) as bars.
#include <QStringList>
#include <QWidget>
#include <vector>

class QCustomPlot;
class QLabel;

class SampleDetails : public QWidget {
  Q_OBJECT
 public:
  static constexpr int kSize = 84;

  explicit SampleDetails(QWidget* parent = nullptr);
  // text: rich text; probs: q(y|x), one bar per class, named by the first letters of names.
  void showSample(const QImage& sample, const QImage& reconstruction, const QString& text,
                  const std::vector<float>& probs, const QStringList& names);
  void clear();  // back to the invitation to click a point
  QString text() const;  // the lines shown (rich text)
  bool showsSample() const;  // false: the invitation to click a point
  QImage reconstructionShown() const;  // as drawn (null when none)

 private:
  QLabel *image_, *reconstruction_, *text_;
  QCustomPlot* bars_;
};
