#include <QApplication>

#include "app/experiments/ReportPlotter.h"
#include "cli/ReportPlots.h"

namespace latentlab::cli {

// A QApplication on the offscreen platform (QCustomPlot is a widget), made on first use: the CLI's other
// commands never start Qt. It lives until the process ends: destroyed among the other static objects at exit,
// after Qt's own, it crashed.
const ReportPlotter* reportPlotter() {
  static QApplication* app = nullptr;
  static ReportPlotter plotter;
  if (!app && !QApplication::instance()) {
    qputenv("QT_QPA_PLATFORM", "offscreen");
    static int argc = 1;
    static char name[] = "latentlab-cli";
    static char* argv[] = {name, nullptr};
    app = new QApplication(argc, argv);
    plotter = makeReportPlotter();
  }
  return &plotter;
}

}  // namespace latentlab::cli
