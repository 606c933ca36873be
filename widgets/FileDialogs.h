#pragma once
// Where file dialogs start: the folder last used in any of them, else the user's documents folder (never the
// working folder, which is the source tree when the workbench runs from a build).
#include <QString>

// A path for a dialog's start: `suggested` (a file name, or a full path that is kept) in that folder.
QString dialogStartPath(const QString& suggested);
// Remembers the folder of a chosen file (or the folder itself); an empty path (cancelled) is ignored.
void rememberDialogFolder(const QString& chosen, bool isFolder = false);
