#pragma once
// The workbench's QApplication: an exception that reaches the event loop (a slot that threw) is reported in a
// message box and the workbench carries on, instead of std::terminate taking the window and the user's work
// with it. The window's actions catch what they can foresee themselves; this is the net under them.
#include <QApplication>

class SafeApplication : public QApplication {
 public:
  using QApplication::QApplication;
  bool notify(QObject* receiver, QEvent* event) override;
};
