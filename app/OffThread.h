#pragma once
// Work off the GUI thread with its answer back on it, written once for the window and the panels.
//   runOffThread(receiver, work, done [, where]): work() runs on another thread; done(result, error) then runs
//     on the GUI thread, unless receiver was destroyed meanwhile (the answer is dropped). error is the what() of
//     a std::exception thrown by work (result then default-constructed), empty when it returned. A work
//     returning void gets done(error). OwnThread (the default) starts a thread for it, so that reading or
//     writing a file never queues behind a computation; Pool queues it on the global thread pool, for the
//     panels' jobs.
//   postToGui(guard, f): from the work, f() on the GUI thread while the guarded object lives (progress, a map
//     as it forms). Take the guard, a QPointer, on the GUI thread before the work starts.
// Qt 6.4 copies what it queues: work, done, f and results must be copyable (share large or move-only results
// through a std::shared_ptr).
#include <QCoreApplication>
#include <QMetaObject>
#include <QPointer>
#include <QString>
#include <QThread>
#include <QThreadPool>
#include <exception>
#include <type_traits>
#include <utility>

enum class OffThread { OwnThread, Pool };

template <typename T, typename F>
void postToGui(const QPointer<T>& guard, F f) {
  QMetaObject::invokeMethod(
      qApp,
      [guard, f = std::move(f)]() mutable {
        if (guard) f();
      },
      Qt::QueuedConnection);
}

template <typename Work, typename Done>
void runOffThread(QObject* receiver, Work work, Done done, OffThread where = OffThread::OwnThread) {
  auto task = [guard = QPointer<QObject>(receiver), work = std::move(work), done = std::move(done)]() mutable {
    using Result = std::invoke_result_t<Work&>;
    QString error;
    if constexpr (std::is_void_v<Result>) {
      try {
        work();
      } catch (const std::exception& e) {
        error = QString::fromStdString(e.what());
      }
      postToGui(guard, [done = std::move(done), error]() mutable { done(error); });
    } else {
      Result result{};
      try {
        result = work();
      } catch (const std::exception& e) {
        error = QString::fromStdString(e.what());
      }
      postToGui(guard, [done = std::move(done), result = std::move(result), error]() mutable {
        done(std::move(result), error);
      });
    }
  };
  if (where == OffThread::Pool) {
    QThreadPool::globalInstance()->start(std::move(task));
    return;
  }
  QThread* thread = QThread::create(std::move(task));
  QObject::connect(thread, &QThread::finished, thread, &QObject::deleteLater);
  thread->start();
}
