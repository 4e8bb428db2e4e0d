/* sl-transfer-bar.h — repeat a message, send a file, save what arrives
 *
 * Three tools under the composer of an endpoint page, each acting on the
 * composer's target (its connection, or the endpoint's first one):
 *   Repeat… — sends the composer's message every N ms, N times or until
 *     stopped ({n} and {time} macros, SlRepeatSend);
 *   Send File… — the bytes of a file with sendall semantics, with progress
 *     and Cancel (SlFileSend);
 *   Save Received… — every later byte of the connection into a file,
 *     byte-exact (SlFileReceive).
 * A status line per running job says what it does, with a Stop button.
 *
 * Signals: ::toast (const char *message) — a job ended or could not start.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "sl-composer.h"
#include "sl-file-transfer.h"
#include "sl-repeat-send.h"

G_BEGIN_DECLS

#define SL_TYPE_TRANSFER_BAR (sl_transfer_bar_get_type ())

G_DECLARE_FINAL_TYPE (SlTransferBar, sl_transfer_bar, SL, TRANSFER_BAR, GtkWidget)

GtkWidget     *sl_transfer_bar_new             (void);
/* The composer whose endpoint, target connection, text and encoding are used. */
void           sl_transfer_bar_set_composer    (SlTransferBar *self,
                                                SlComposer    *composer);
/* Starts repeating the composer's message; FALSE with the reason. */
gboolean       sl_transfer_bar_start_repeat    (SlTransferBar *self,
                                                guint          interval_ms,
                                                guint          count,
                                                GError       **error);
/* Sends @file to the target connection; FALSE with the reason. */
gboolean       sl_transfer_bar_send_file       (SlTransferBar *self,
                                                GFile         *file,
                                                GError       **error);
/* Saves what the target connection receives from now on into @file. */
gboolean       sl_transfer_bar_save_received   (SlTransferBar *self,
                                                GFile         *file,
                                                GError       **error);
/* Stops every running job. */
void           sl_transfer_bar_stop_all        (SlTransferBar *self);
/* The running jobs, or NULL (for tests). */
SlRepeatSend  *sl_transfer_bar_get_repeat      (SlTransferBar *self);
SlFileSend    *sl_transfer_bar_get_file_send   (SlTransferBar *self);
SlFileReceive *sl_transfer_bar_get_file_receive (SlTransferBar *self);

G_END_DECLS
