#pragma once
// A data set as the workbench asks for it: the engine's request (engine/data/DataSource.h: an IDX folder, or a
// NumPy, CSV, .ts or HDF5 file with its array names, CSV label column and header, classes file and test split)
// and the number of classes a model of unlabelled data has. Kept in QSettings under data/ so that the next
// start reopens it (data/folder is the path, as it was when only IDX folders opened).
#include <QSettings>
#include <QString>

#include "engine/data/DataSource.h"

struct DataImport {
  latentlab::DataRequest request;
  // Unlabelled data names no classes (unless a classes file does): a model of it has this many, 0..K-1, which
  // the user's labels then give meaning to.
  int unlabelledClasses = 10;

  static DataImport folder(const QString& path);  // an IDX folder (or any path openData detects), defaults
  QString path() const { return QString::fromStdString(request.path); }
  // The choices that differ from the defaults, for people ("x: images, y: none: unlabelled"); empty when none.
  QString options() const;

  void save(QSettings& s) const;
  static DataImport load(const QSettings& s);  // path empty when nothing was saved
};

// Opens it, on any thread: openData, then unlabelled data without class names gets unlabelledClasses (both
// splits). Throws latentlab::Error as openData does.
latentlab::DataSplit openDataImport(const DataImport& import);
