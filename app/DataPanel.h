#pragma once
// Which data set is open: its name, sizes and classes; buttons to open the bundled MNIST, Fashion-MNIST
// (when Debian's dataset-fashion-mnist is installed) or any folder of IDX files.
#include <QWidget>

class QLabel;
class QPushButton;

class DataPanel : public QWidget {
  Q_OBJECT
 public:
  explicit DataPanel(QWidget* parent = nullptr);
  void showLoading(const QString& folder);
  void showDataset(const QString& folder, int train, int test, const QString& shape, int classes);
  // stillOpen: the folder of the data set that stays open (empty: none).
  void showError(const QString& message, const QString& stillOpen = {});

  static QString bundledMnist();   // datasets/mnist of this checkout, or the installed copy
  static QString fashionMnist();   // empty when not installed

 signals:
  void folderChosen(const QString& folder);

 private:
  QLabel* info_;
  QString shown_;  // the open data set's description
  QPushButton* fashion_;
};
