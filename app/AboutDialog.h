#pragma once
// Help > About Latentlab: the icon, the version, what the program is, and the libraries it is built on with
// their versions and licences (AppInfo.h).
#include <QDialog>

class QLabel;

class AboutDialog : public QDialog {
  Q_OBJECT
 public:
  explicit AboutDialog(QWidget* parent = nullptr);
  // The text shown (for tests): version line and the library table as plain text.
  QString text() const;

 private:
  QLabel* body_;
};
