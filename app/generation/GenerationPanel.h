#pragma once
// The Generation view: pick a class, move through the style latent, decode. One class bar over five tabs, each a
// widget of its own in this folder (namespace generation):
//   Sliders           (SlidersTab) one slider per latent dimension or principal direction; the image redecodes
//                     while a slider moves, beside the same style drawn as every class.
//   Class x style     (StyleGridTab) rows = classes, columns = random styles or the styles of chosen test images.
//   Style transfer    (TransferTab) test images' styles decoded as every class, one image per row.
//   Interpolation     (InterpolationTab) between the styles of two test images, linear or spherical, N steps.
//   Latent arithmetic (ArithmeticTab) the mean style of one set of images minus another's, added -t and +t times.
// Every grid exports PNG and copies to the clipboard; clicking a decoded cell loads its style and class into the
// sliders. The panel decodes on the GUI thread with a model instance of its own (built from the model file's
// snapshot), never the training worker's; the tabs share it through a generation::Context.
#include <QVector>
#include <QWidget>
#include <memory>

#include "app/TrainingWorker.h"  // ModelSnapshot
#include "app/generation/Context.h"
#include "engine/generation/Generator.h"
#include "widgets/SampleGrid.h"

namespace generation {
class ArithmeticTab;
class InterpolationTab;
class SlidersTab;
class StyleGridTab;
class TransferTab;
}  // namespace generation
class QButtonGroup;
class QGridLayout;
class QLabel;
class QSlider;
class QTabWidget;

class GenerationPanel : public QWidget {
  Q_OBJECT
 public:
  enum Tab { SlidersTab, GridTab, TransferTab, InterpolationTab, ArithmeticTab };

  explicit GenerationPanel(QWidget* parent = nullptr);
  ~GenerationPanel() override;

  // The model to generate from (null: the panel empties) and the data whose test images lend their styles
  // (may be null, or not fit the model: then only the sliders, random styles and grids of random styles work).
  // classNames: empty takes the model file's, else the data set's, else the class numbers.
  void setModel(ModelSnapshot model, std::shared_ptr<const latentlab::DataSplit> data,
                const QStringList& classNames = {});
  bool hasModel() const { return generator_ != nullptr; }
  QStringList classNames() const { return context_.classNames; }

  int currentClass() const { return context_.currentClass; }
  void setCurrentClass(int k);
  // The z the slider view decodes (d values).
  QVector<float> currentStyle() const;
  // Moves the sliders to z's projection on the current directions (clamped to +/-3 sd).
  void setStyle(const QVector<float>& z);
  // Loads the encoder's mean for test image `index` into the sliders.
  void useStyleOfTestImage(int index);
  void setPrincipalDirections(bool principal);  // the directions the sliders move along
  void showTab(Tab tab);

  // For tests and screenshots.
  SampleGrid* sliderView() const;
  SampleGrid* everyClassView() const;
  SampleGrid* gridView() const;
  SampleGrid* transferView() const;
  SampleGrid* interpolationView() const;
  SampleGrid* arithmeticView() const;
  const QList<QSlider*>& sliders() const;
  double lastDecodeMs() const;
  // The line under a tab's grid (SlidersTab: the panel's own line about the model and data).
  QString message(Tab tab) const;

 public slots:
  void randomStyle();  // next seed, new random sliders
  void resetStyle();   // every slider to 0: the prior's mean, or the test set's mean style
  void updateGrid();
  void updateTransfer();
  void updateInterpolation();
  void updateArithmetic();

 signals:
  void classChanged(int classIndex);
  // The slider view's style changed (slider, random, reset, a clicked cell): z (d values) and the class.
  void styleChanged(const QVector<float>& z, int classIndex);

 private:
  void rebuildClassButtons();
  void updateAll();
  void stylePicked(const latentlab::Vector<float>& z, int classIndex);  // a clicked cell of a tab's grid
  QList<SampleGrid*> views() const;

  // Model and data, shared with the tabs.
  ModelSnapshot model_;
  std::unique_ptr<latentlab::Generator> generator_;
  generation::Context context_;

  // Widgets.
  QWidget* classBar_;
  QGridLayout* classLayout_;
  QButtonGroup* classGroup_;
  QTabWidget* tabs_;
  QLabel* message_;
  generation::SlidersTab* sliders_;
  generation::StyleGridTab* grid_;
  generation::TransferTab* transfer_;
  generation::InterpolationTab* interpolation_;
  generation::ArithmeticTab* arithmetic_;
};
