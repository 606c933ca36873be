#include "app/AppInfo.h"

#include <H5public.h>
#include <qcustomplot.h>
#include <zlib.h>

#include <Eigen/Core>
#include <QtGlobal>

#include "engine/core/GemmBackend.h"

// Resources compiled into the static latentlab_app library are registered here, outside any namespace: a static
// library's own initialiser would be dropped by the linker.
static void initResources() { Q_INIT_RESOURCE(latentlab); }

QString latentlabVersion() { return QStringLiteral(LATENTLAB_VERSION); }

QIcon latentlabIcon() {
  static const bool once = (initResources(), true);
  Q_UNUSED(once);
  QIcon icon;
  for (int size : {16, 32, 48, 64, 128, 256, 512})
    icon.addFile(QString(":/icons/latentlab-%1.png").arg(size), QSize(size, size));
  return icon;
}

QList<LibraryInfo> latentlabLibraries() {
  using latentlab::GemmBackend;
  auto loaded = [](GemmBackend b) {
    return latentlab::gemmBackendAvailable(b) ? QString::fromStdString(latentlab::gemmBackendVersion(b))
                                              : QObject::tr("not installed (optional)");
  };
  return {
      {"Qt", QString(qVersion()), "GNU LGPL v3", QObject::tr("the workbench's windows")},
      {"QCustomPlot", QCUSTOMPLOT_VERSION_STR, "GNU GPL v3", QObject::tr("plots")},
      {"Eigen", QString("%1.%2.%3").arg(EIGEN_WORLD_VERSION).arg(EIGEN_MAJOR_VERSION).arg(EIGEN_MINOR_VERSION),
       "MPL 2.0", QObject::tr("matrices and products")},
      {"HDF5", QString("%1.%2.%3").arg(H5_VERS_MAJOR).arg(H5_VERS_MINOR).arg(H5_VERS_RELEASE),
       QObject::tr("BSD-style (HDF5 licence)"), QObject::tr("model files and HDF5 data")},
      {"zlib", ZLIB_VERSION, QObject::tr("zlib licence"), QObject::tr("compressed IDX files, .npz, PNG sprites")},
      {"BLIS", loaded(GemmBackend::Blis), "BSD 3-clause", QObject::tr("products, loaded at run time when installed")},
      {"OpenBLAS", loaded(GemmBackend::OpenBlas), "BSD 3-clause",
       QObject::tr("products, loaded at run time when installed")},
  };
}
