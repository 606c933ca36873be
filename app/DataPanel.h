#pragma once
// Which data set is open: its name, sizes and classes (or that it is unlabelled); buttons to open the bundled
// MNIST, Fashion-MNIST (when Debian's dataset-fashion-mnist is installed), any folder of IDX files, or a data
// file of the user's own (.npy .npz .csv .tsv .ts .h5 .hdf5), read as the import dialog says (DataImportDialog).
#include <QWidget>
#include <functional>
#include <optional>

#include "app/DataImport.h"

class QLabel;
class QPushButton;

class DataPanel : public QWidget {
  Q_OBJECT
 public:
  explicit DataPanel(QWidget* parent = nullptr);
  void showLoading(const QString& path);
  void showDataset(const DataImport& import, const latentlab::DataSplit& data);
  // stillOpen: the path of the data set that stays open (empty: none).
  void showError(const QString& message, const QString& stillOpen = {});

  // The question asked once a data file is chosen: how to read it (the import dialog); tests answer it instead.
  // start holds the file and the choices shown first; nullopt: cancelled.
  using ImportPrompt = std::function<std::optional<DataImport>(const DataImport& start)>;
  void setImportPrompt(ImportPrompt prompt) { prompt_ = std::move(prompt); }
  // "Open data file...": the file dialog, then openDataFile.
  void chooseDataFile();
  // Asks how to read the file (the last choices for the same file first), then emits importChosen.
  void openDataFile(const QString& path);

  static QString bundledMnist();  // datasets/mnist of this checkout, or the installed copy
  static QString fashionMnist();  // empty when not installed

 signals:
  void folderChosen(const QString& folder);
  void importChosen(const DataImport& import);

 private:
  QLabel* info_;
  QString shown_;  // the open data set's description
  QPushButton* fashion_;
  ImportPrompt prompt_;
  DataImport last_;  // the open (or last opened) data set's request
};
