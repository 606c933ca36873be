#pragma once
// Class x style: rows are classes, columns styles, each column one style decoded as every class. The styles are
// random (a count, a temperature, a seed) or those of chosen test images, shown in a row above the classes.
#include "app/generation/DecodedGridTab.h"

class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;
class QStackedWidget;

namespace generation {

class StyleGridTab : public DecodedGridTab {
  Q_OBJECT
 public:
  explicit StyleGridTab(const Context& context, QWidget* parent = nullptr);
  void modelChanged() override;  // without test images, random styles only

 public slots:
  void redraw() override;

 private:
  QComboBox* source_;
  QSpinBox *count_, *seed_;
  QDoubleSpinBox* temperature_;
  QLineEdit* indices_;
  QStackedWidget* sourceStack_;
};

}  // namespace generation
