#pragma once
// Interpolation: the path between the styles of two test images, linear or spherical, in N steps, decoded as the
// picked class (or every class); the two images above its ends.
#include "app/generation/DecodedGridTab.h"

class QCheckBox;
class QComboBox;
class QSpinBox;

namespace generation {

class InterpolationTab : public DecodedGridTab {
  Q_OBJECT
 public:
  explicit InterpolationTab(const Context& context, QWidget* parent = nullptr);
  void modelChanged() override;  // the image indices range over the test set
  void classChanged();           // the picked class changed: redraws unless every class is shown

 public slots:
  void redraw() override;

 private:
  QSpinBox *from_, *to_, *steps_;
  QComboBox* kind_;
  QCheckBox* everyClass_;
};

}  // namespace generation
