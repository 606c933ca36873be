#include <QApplication>
#include <memory>

#include "app/experiments/ReportPlotter.h"
#include "cli/ReportPlots.h"

namespace latentlab::cli {

// A QApplication on the offscreen platform (QCustomPlot is a widget), made on first use: the CLI's other
// commands never start Qt.
const ReportPlotter* reportPlotter() {
  static std::unique_ptr<QApplication> app;
  static ReportPlotter plotter;
  if (!app && !QApplication::instance()) {
    qputenv("QT_QPA_PLATFORM", "offscreen");
    static int argc = 1;
    static char name[] = "latentlab-cli";
    static char* argv[] = {name, nullptr};
    app = std::make_unique<QApplication>(argc, argv);
    plotter = makeReportPlotter();
  }
  return &plotter;
}

}  // namespace latentlab::cli
