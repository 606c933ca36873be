#include "widgets/FileDialogs.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>

QString dialogStartPath(const QString& suggested) {
  if (!suggested.isEmpty() && QFileInfo(suggested).isAbsolute()) return suggested;
  QString folder = QSettings().value("dialogs/lastFolder").toString();
  if (folder.isEmpty() || !QFileInfo(folder).isDir())
    folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
  if (folder.isEmpty() || !QFileInfo(folder).isDir()) folder = QDir::homePath();
  return suggested.isEmpty() ? folder : QDir(folder).filePath(suggested);
}

void rememberDialogFolder(const QString& chosen, bool isFolder) {
  if (chosen.isEmpty()) return;
  QSettings().setValue("dialogs/lastFolder", isFolder ? chosen : QFileInfo(chosen).absolutePath());
}
