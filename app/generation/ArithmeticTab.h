#pragma once
// Latent arithmetic: the mean style of one set of test images (A: a class, or chosen indices) minus another's (B),
// added -t and +t times to a style (a test image's, or the prior's mean), each row decoded as every class.
#include "app/generation/DecodedGridTab.h"

class QComboBox;
class QLineEdit;
class QSlider;
class QSpinBox;
class QStackedWidget;

namespace generation {

class ArithmeticTab : public DecodedGridTab {
  Q_OBJECT
 public:
  explicit ArithmeticTab(const Context& context, QWidget* parent = nullptr);
  void modelChanged() override;  // the class lists, the base image's range; the direction is computed anew

 public slots:
  void redraw() override;

 private:
  void invalidate();  // the sets changed: the direction is computed again

  QComboBox *mode_, *classA_, *classB_;
  QLineEdit *setA_, *setB_;
  QStackedWidget* setStack_;
  QSpinBox* base_;
  QSlider* t_;
  QLabel* tLabel_;
  latentlab::Vector<float> direction_;  // (d) A - B, empty until computed for the current sets
};

}  // namespace generation
