#include "app/ModelFileCheck.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>

#include <sys/resource.h>

#include <utility>

namespace {
QString tr(const char* text) { return QCoreApplication::translate("ModelFileCheck", text); }
}  // namespace

QString modelFileChecker() {
  const QDir here(QCoreApplication::applicationDirPath());
  for (const QString& candidate : {here.filePath("latentlab-cli"), here.filePath("../bin/latentlab-cli")}) {
    const QFileInfo info(candidate);
    if (info.isFile() && info.isExecutable()) return info.canonicalFilePath();
  }
  return {};
}

namespace {

ModelFileCheck checkInChild(const QString& mode, const QString& path, int timeoutMs, QString cli,
                            rlim_t memoryBytes = RLIM_INFINITY) {
  ModelFileCheck result;
  if (cli.isEmpty()) cli = modelFileChecker();
  if (cli.isEmpty()) {
    result.error = tr("latentlab-cli was not found beside the application");
    return result;
  }
  QElapsedTimer clock;
  clock.start();
  QProcess child;
  // A damaged local heap can make libhdf5 allocate without end (fuzz_hdf5_data): the child gets a memory bound.
  // Not in sanitizer builds: the child (of the same build) reserves terabytes of shadow address space to start.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  memoryBytes = RLIM_INFINITY;
#endif
  if (memoryBytes != RLIM_INFINITY)
    child.setChildProcessModifier([memoryBytes] {
      const rlimit limit{memoryBytes, memoryBytes};
      setrlimit(RLIMIT_AS, &limit);
    });
  child.start(cli, {"inspect", mode, path});
  if (!child.waitForStarted(10000)) {
    result.error = tr("could not start %1: %2").arg(cli, child.errorString());
    return result;
  }
  result.checked = true;
  const QString name = QFileInfo(path).fileName();
  if (!child.waitForFinished(timeoutMs)) {
    child.kill();
    child.waitForFinished(2000);
    result.error = tr("%1: reading it took longer than %2 s; the file may be damaged").arg(name).arg(timeoutMs / 1000);
  } else if (child.exitStatus() == QProcess::CrashExit) {
    result.error = tr("%1: reading it crashed the checking process; the file is damaged").arg(name);
  } else if (child.exitCode() != 0) {
    result.error = QString::fromUtf8(child.readAllStandardError()).trimmed();
    if (result.error.isEmpty())
      result.error = tr("%1: the check failed (exit code %2)").arg(name).arg(child.exitCode());
  } else {
    result.ok = true;
  }
  result.milliseconds = clock.elapsed();
  return result;
}

}  // namespace

ModelFileCheck checkModelFileInChild(const QString& path, int timeoutMs, QString cli) {
  return checkInChild("--check", path, timeoutMs, std::move(cli));
}

ModelFileCheck checkDataFileInChild(const QString& path, int timeoutMs, QString cli) {
  return checkInChild("--check-data", path, timeoutMs, std::move(cli), rlim_t(4) << 30);  // listing reads no data
}
