#pragma once
// How to read a data file the user chose (Data dock, "Open data file..."): for an .npz or HDF5 file the X array
// and the y array (or none: unlabelled) among the file's arrays (listArrays, read from headers only); for CSV
// the label column (auto, none, last, an index or a header name) and the header line (auto, yes, no); for every
// file an optional classes file, the test split (a fraction held out, or a second file) and the number of
// classes a model of unlabelled data has. It only asks: the Data dock opens the answer (DataImport).
#include <QDialog>

#include "app/DataImport.h"

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;

class DataImportDialog : public QDialog {
  Q_OBJECT
 public:
  // start: the file (start.request.path) and the choices to show first (the last ones for the same file).
  explicit DataImportDialog(const DataImport& start, QWidget* parent = nullptr);

  DataImport dataImport() const;
  // The arrays of an .npz or HDF5 file as listed (empty for other files, or when the file could not be read).
  QStringList arrays() const { return arrays_; }
  // Chooses X and y by name ("none": unlabelled, "": the engine's default); false when the file has no such array.
  bool selectArrays(const QString& x, const QString& y);
  QString problem() const { return problem_; }  // why the file's arrays could not be listed; empty when fine

 private:
  QWidget* arraysGroup(const std::vector<latentlab::ArrayInfo>& list, const latentlab::DataRequest& r);
  QWidget* csvGroup(const latentlab::DataRequest& r);
  QWidget* commonGroup(const DataImport& start, bool singleFile);
  QLineEdit* fileField(QLineEdit* edit, const QString& title, const QString& filter, QWidget** row);

  DataImport start_;
  latentlab::DataFormat format_ = latentlab::DataFormat::Npy;
  QStringList arrays_;
  QString problem_;
  QComboBox *x_ = nullptr, *y_ = nullptr, *layout_ = nullptr, *labelColumn_ = nullptr, *header_ = nullptr;
  QLineEdit *classes_ = nullptr, *testFile_ = nullptr, *yFile_ = nullptr;
  QDoubleSpinBox* testFraction_ = nullptr;
  QSpinBox* unlabelledClasses_ = nullptr;
};
