#pragma once
// The Generation view: pick a class, move through the style latent, decode. One class picker over five tabs:
//   Sliders           one slider per latent dimension or per principal direction of the test set's posterior
//                     means (+/-3 sd each); the image redecodes while a slider moves, beside the same style
//                     drawn as every class. Random style (seeded, with a temperature) and Reset.
//   Class x style     rows = classes, columns = random styles or the styles of chosen test images.
//   Style transfer    test images' styles decoded as every class, one image per row.
//   Interpolation     between the styles of two test images, linear or spherical, N steps.
//   Latent arithmetic the mean style of one set of images minus another's, added -t and +t times to a style.
// Every grid exports PNG and copies to the clipboard; clicking a decoded cell loads its style and class into
// the sliders. The panel decodes on the GUI thread with a model instance of its own (one decode of the default
// dense model takes well under a millisecond; bench/generation_bench.cpp), never the training worker's.
#include <QVector>
#include <QWidget>
#include <memory>
#include <optional>

#include "app/TrainingWorker.h"  // ModelSnapshot
#include "engine/data/Dataset.h"
#include "engine/generation/StyleBasis.h"
#include "widgets/SampleGrid.h"

namespace latentlab {
class Generator;
}
class QButtonGroup;
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGridLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QSlider;
class QSpinBox;
class QStackedWidget;
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
  QStringList classNames() const { return classNames_; }

  int currentClass() const { return class_; }
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
  SampleGrid* sliderView() const { return image_; }
  SampleGrid* everyClassView() const { return everyClass_; }
  SampleGrid* gridView() const { return grid_; }
  SampleGrid* transferView() const { return transfer_; }
  SampleGrid* interpolationView() const { return interpolation_; }
  SampleGrid* arithmeticView() const { return arithmetic_; }
  const QList<QSlider*>& sliders() const { return sliders_; }
  double lastDecodeMs() const { return lastDecodeMs_; }
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
  QWidget* buildSlidersTab();
  QWidget* buildGridTab();
  QWidget* buildTransferTab();
  QWidget* buildInterpolationTab();
  QWidget* buildArithmeticTab();
  QWidget* exportButtons(SampleGrid* grid);
  void rebuildClassButtons();
  void rebuildSliders();
  void setSliderValues(const latentlab::Vector<float>& s);  // clamped, one decode after
  void drawRandomSliders();
  void updateSliderView();
  void updateAll();
  void enableForData();
  const latentlab::StyleBasis& principalBasis();
  bool hasTestImages() const;
  latentlab::Vector<float> testImage(int index) const;
  latentlab::Matrix<float> testImages(const QVector<int>& indices) const;
  QVector<int> testIndicesOfClass(int k, int limit) const;
  QVector<float> toValues(const latentlab::Matrix<float>& decoded) const;
  void showMessage(QLabel* line, const QString& text, bool error = false);
  void cellClicked(SampleGrid* grid, int row, int column);

  // Model and data.
  ModelSnapshot model_;
  std::shared_ptr<const latentlab::DataSplit> data_;
  std::unique_ptr<latentlab::Generator> generator_;
  QStringList classNames_;
  SampleLayout layout_;
  int class_ = 0;

  // Slider state: values in standard deviations along basis_'s directions.
  latentlab::StyleBasis basis_;
  std::optional<latentlab::StyleBasis> principal_;  // computed when first asked for
  latentlab::Vector<float> values_;
  latentlab::Vector<float> direction_;  // latent arithmetic's A - B, empty until computed for the current sets
  latentlab::Random pick_{7};           // "Random image" picks
  bool randomDrawn_ = false;            // the sliders hold a random draw: a temperature change redraws it
  double lastDecodeMs_ = 0;

  // The styles behind each grid's cells, for clicks: (d x cells), same order as the grid's cells.
  latentlab::Matrix<float> gridZ_, transferZ_, interpolationZ_, arithmeticZ_;
  std::vector<int> gridClass_, transferClass_, interpolationClass_, arithmeticClass_;

  // Widgets.
  QWidget* classBar_;
  QGridLayout* classLayout_;
  QButtonGroup* classGroup_;
  QTabWidget* tabs_;
  QLabel *message_, *gridInfo_, *transferInfo_, *interpolationInfo_, *arithmeticInfo_;
  // Sliders tab.
  SampleGrid *image_, *everyClass_;
  QComboBox* directions_;
  QDoubleSpinBox* temperature_;
  QSpinBox* seed_;
  QWidget* sliderBox_;
  QGridLayout* sliderLayout_;
  QList<QSlider*> sliders_;
  QLabel* timing_;
  // Class x style tab.
  SampleGrid* grid_;
  QComboBox* gridSource_;
  QSpinBox *gridCount_, *gridSeed_;
  QDoubleSpinBox* gridTemperature_;
  QLineEdit* gridIndices_;
  QStackedWidget* gridSourceStack_;
  // Style transfer tab.
  SampleGrid* transfer_;
  QLineEdit* transferIndices_;
  // Interpolation tab.
  SampleGrid* interpolation_;
  QSpinBox *interpA_, *interpB_, *interpSteps_;
  QComboBox* interpKind_;
  QCheckBox* interpEveryClass_;
  // Latent arithmetic tab.
  SampleGrid* arithmetic_;
  QComboBox *arithMode_, *arithClassA_, *arithClassB_;
  QLineEdit *arithSetA_, *arithSetB_;
  QStackedWidget* arithSetStack_;
  QSpinBox* arithBase_;
  QSlider* arithT_;
  QLabel* arithTLabel_;
};
