#pragma once
// The Sliders tab: one slider per latent dimension or per principal direction of the test images' posterior
// means (+/-3 sd each); the image of the picked class redecodes while a slider moves, beside the same style drawn
// as every class. Random style (seeded, with a temperature) and Reset. The decode runs on the GUI thread: one
// image of the default dense model takes well under a millisecond (bench/generation_bench.cpp).
#include <QList>
#include <QVector>
#include <QWidget>
#include <optional>

#include "app/generation/Context.h"
#include "engine/generation/StyleBasis.h"

class QComboBox;
class QDoubleSpinBox;
class QGridLayout;
class QLabel;
class QSlider;
class QSpinBox;
class SampleGrid;

namespace generation {

class SlidersTab : public QWidget {
  Q_OBJECT
 public:
  explicit SlidersTab(const Context& context, QWidget* parent = nullptr);

  // A new model or data set (the context holds them): new directions and sliders, all at 0.
  void modelChanged();
  QVector<float> currentStyle() const;  // the z decoded (d values)
  // Moves the sliders to z's projection on the current directions (clamped to +/-3 sd).
  void showStyle(const QVector<float>& z);
  void showStyle(const latentlab::Vector<float>& z);
  void useStyleOfTestImage(int index);  // the encoder's mean for test image `index`
  void setPrincipalDirections(bool principal);

  SampleGrid* imageView() const { return image_; }
  SampleGrid* everyClassView() const { return everyClass_; }
  const QList<QSlider*>& sliders() const { return sliders_; }
  double lastDecodeMs() const { return lastDecodeMs_; }

 public slots:
  void randomStyle();  // next seed, new random sliders
  void resetStyle();   // every slider to 0: the prior's mean, or the test set's mean style
  void drawRandomSliders();
  void redraw();  // decodes the style as the picked class, and as every class

 signals:
  void styleChanged(const QVector<float>& z, int classIndex);
  void classClicked(int classIndex);  // a class in the every-class strip

 private:
  void rebuildSliders();
  void setSliderValues(const latentlab::Vector<float>& s);  // clamped, one decode after
  const latentlab::StyleBasis& principalBasis();

  const Context& context_;
  SampleGrid *image_, *everyClass_;
  QComboBox* directions_;
  QDoubleSpinBox* temperature_;
  QSpinBox* seed_;
  QWidget* sliderBox_;
  QGridLayout* sliderLayout_;
  QList<QSlider*> sliders_;
  QLabel* timing_;

  // Slider state: values in standard deviations along basis_'s directions.
  latentlab::StyleBasis basis_;
  std::optional<latentlab::StyleBasis> principal_;  // computed when first asked for
  latentlab::Vector<float> values_;
  bool randomDrawn_ = false;  // the sliders hold a random draw: a temperature change redraws it
  double lastDecodeMs_ = 0;
};

}  // namespace generation
