// latentlab: the Qt workbench over the engine.
//   latentlab [--data PATH] [--model FILE] [--show DOCK] [--screenshot FILE [--after-ms N] [--train]]
// --screenshot starts the window (training with the saved settings when --train is given), grabs it to a
// PNG after N milliseconds (default 3000) and exits: for documentation and tests.
#include <QApplication>
#include <QCommandLineParser>
#include <QDockWidget>
#include <QTimer>

#include "app/AppInfo.h"
#include "app/MainWindow.h"
#include "app/SafeApplication.h"
#include "app/TrainingDashboard.h"

int main(int argc, char** argv) {
  SafeApplication app(argc, argv);
  QApplication::setOrganizationName("Latentlab");
  QApplication::setApplicationName("Latentlab");
  QApplication::setApplicationVersion(latentlabVersion());
  QApplication::setWindowIcon(latentlabIcon());
  QGuiApplication::setDesktopFileName("latentlab");  // resources/latentlab.desktop, for the shell's icon

  QCommandLineParser parser;
  parser.setApplicationDescription("Workbench for semi-supervised variational autoencoders");
  parser.addHelpOption();
  parser.addVersionOption();
  QCommandLineOption data("data", "Open this data set: an IDX folder or a data file (default options).", "PATH");
  QCommandLineOption shot("screenshot", "Grab the window to a PNG and exit.", "FILE");
  QCommandLineOption after("after-ms", "Milliseconds before the screenshot (default 3000).", "N", "3000");
  QCommandLineOption train("train", "Start training with the saved settings once the data is loaded.");
  QCommandLineOption model("model", "Open this model file once the data is loaded.", "FILE");
  QCommandLineOption show("show", "Raise this dock (its title, e.g. Labelling).", "DOCK");
  QCommandLineOption size("size", "Window size WxH (default 1280x800 for screenshots).", "WxH", "1280x800");
  parser.addOptions({data, shot, after, train, model, show, size});
  parser.process(app);

  MainWindow window;
  if (parser.isSet(data)) window.openDataset(parser.value(data));
  if (parser.isSet(train))
    QObject::connect(&window, &MainWindow::datasetLoaded, &window, [&window] { window.startTraining(); });
  if (parser.isSet(model))
    QObject::connect(&window, &MainWindow::datasetLoaded, &window,
                     [&window, path = parser.value(model)] { window.openModel(path); }, Qt::SingleShotConnection);
  if (parser.isSet(show))
    for (QDockWidget* d : window.findChildren<QDockWidget*>())
      if (d->windowTitle().compare(parser.value(show), Qt::CaseInsensitive) == 0) {
        d->show();
        d->raise();
      }
  if (parser.isSet(shot) || parser.isSet(size)) {
    const QStringList wh = parser.value(size).split('x');
    if (wh.size() == 2) window.resize(wh[0].toInt(), wh[1].toInt());
  }
  window.show();
  if (parser.isSet(shot)) {
    const QString file = parser.value(shot);
    QTimer::singleShot(parser.value(after).toInt(), &window, [&window, file] {
      const bool ok = window.grab().save(file);
      window.controller()->stopAndWait(2000);
      QCoreApplication::exit(ok ? 0 : 1);
    });
  }
  return app.exec();
}
