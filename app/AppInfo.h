#pragma once
// What the workbench says about itself: its version (CMake's project version), its icon (resources/latentlab.qrc)
// and the libraries it is built on, with their licences, for the About box (AboutDialog.h).
#include <QIcon>
#include <QList>
#include <QString>

struct LibraryInfo {
  QString name;
  QString version;  // of the headers it was built with, or what is loaded now
  QString licence;
  QString use;  // what Latentlab uses it for
};

QString latentlabVersion();
// Every size of resources/icons (16 to 512 px), from the application's resources.
QIcon latentlabIcon();
QList<LibraryInfo> latentlabLibraries();
