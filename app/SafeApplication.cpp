#include "app/SafeApplication.h"

#include <QMessageBox>
#include <QMetaObject>
#include <QPointer>
#include <exception>

bool SafeApplication::notify(QObject* receiver, QEvent* event) {
  QString what;
  try {
    return QApplication::notify(receiver, event);
  } catch (const std::exception& e) {
    what = QString::fromStdString(e.what());
  } catch (...) {
    what = tr("an unknown error");
  }
  qWarning("latentlab: %s", qPrintable(what));
  // Shown from the event loop, not from inside the handler that failed.
  QPointer<QWidget> parent = activeWindow();
  QMetaObject::invokeMethod(
      this,
      [parent, what] {
        auto* box =
            new QMessageBox(QMessageBox::Warning, tr("Latentlab"),
                            tr("That did not work: %1\nThe workbench carries on.").arg(what), QMessageBox::Ok, parent);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->show();
      },
      Qt::QueuedConnection);
  return false;
}
