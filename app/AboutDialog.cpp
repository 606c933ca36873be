#include "app/AboutDialog.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QTextDocument>
#include <QVBoxLayout>

#include "app/AppInfo.h"

AboutDialog::AboutDialog(QWidget* parent) : QDialog(parent) {
  setWindowTitle(tr("About Latentlab"));
  setWindowIcon(latentlabIcon());
  auto* icon = new QLabel;
  icon->setPixmap(latentlabIcon().pixmap(96, 96));
  icon->setAlignment(Qt::AlignTop);

  QString rows;
  for (const LibraryInfo& l : latentlabLibraries())
    rows +=
        QString("<tr><td><b>%1</b></td><td>%2</td><td>%3</td><td>%4</td></tr>")
            .arg(l.name.toHtmlEscaped(), l.version.toHtmlEscaped(), l.licence.toHtmlEscaped(), l.use.toHtmlEscaped());
  body_ = new QLabel(
      tr("<h2>Latentlab %1</h2>"
         "<p>A workbench for the latent space of semi-supervised variational autoencoders: train with a few labels, "
         "label where the model is unsure, project, generate, and hand models to PyTorch and back.</p>"
         "<p>Built with:</p>"
         "<table cellspacing='0' cellpadding='3'>"
         "<tr><th align='left'>library</th><th align='left'>version</th><th align='left'>licence</th>"
         "<th align='left'>for</th></tr>%2</table>"
         "<p>The libraries' licence texts are in /usr/share/doc of their Debian packages.</p>")
          .arg(latentlabVersion().toHtmlEscaped(), rows));
  body_->setTextFormat(Qt::RichText);
  body_->setWordWrap(true);
  body_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  body_->setMinimumWidth(560);

  auto* top = new QHBoxLayout;
  top->addWidget(icon);
  top->addWidget(body_, 1);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(top);
  layout->addWidget(buttons);
}

QString AboutDialog::text() const {
  QTextDocument doc;
  doc.setHtml(body_->text());
  return doc.toPlainText();
}
