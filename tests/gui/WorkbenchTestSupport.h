#pragma once
// What the workbench tests share: application data of their own, and a quick model to train.
#include <QCoreApplication>
#include <QDir>
#include <QSettings>
#include <QStandardPaths>

#include "app/TrainingSettings.h"

// Settings and label sessions (in the application data folder) of the test's own, emptied, so that runs
// never mix with each other or with a user's.
inline void isolateApplicationData(const QString& testName) {
  QStandardPaths::setTestModeEnabled(true);
  QCoreApplication::setOrganizationName("LatentlabTest");
  QCoreApplication::setApplicationName(testName);
  QSettings().clear();
  QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/sessions").removeRecursively();
}

// A small model on the first 2000 training images with 20 labels: an epoch takes about a second.
inline TrainingSettings quickSettings(int epochs) {
  TrainingSettings s;
  s.model.hidden = {64, 32};
  s.model.latent = 8;
  s.model.alpha = 300;
  s.labels = 20;
  s.train.epochs = epochs;
  s.trainSamples = 2000;
  s.supervisedBaseline = false;
  return s;
}
