/* sl-ui-test-util.h — shared helpers for the in-process GTK tests (tests/ui)
 *
 * tests/ui/meson.build links only sl-ui-test-util.c into the UI tests, so that file also
 * compiles tests/sl-test-util.c: every sl_test_* helper of sl-test-util.h (bounded waits,
 * raw non-blocking peer sockets that keep the main context running, log searches) is
 * available here as well. All waits are bounded; none asserts a duration.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "sl-test-util.h"

G_BEGIN_DECLS

/* A generous bound for every wait: it only stops a broken test from hanging. */
#define SL_UI_TEST_WAIT_MS 10000

/* g_test_init() and, when there is an X display, gtk_init(). Call first in main(). */
void          sl_ui_test_init              (int              *argc,
                                            char           ***argv);
/* TRUE when GTK was initialized; otherwise marks the current test skipped and returns
 * FALSE. Start every test with `if (!sl_ui_test_have_display ()) return;`. */
gboolean      sl_ui_test_have_display      (void);

/* A new GtkWindow (@width × @height) holding @child, presented and drawn once. Close it
 * with sl_ui_test_close_window(). */
GtkWindow    *sl_ui_test_show              (GtkWidget        *child,
                                            int               width,
                                            int               height);
/* Destroys @window and runs the main context briefly so disposal callbacks run. */
void          sl_ui_test_close_window      (GtkWindow        *window);

/* A config on 127.0.0.1, port 0 (servers) or @port (clients), in @io_mode. */
SlEndpointConfig *sl_ui_test_config        (SlProtocol        protocol,
                                            SlRole            role,
                                            SlIoMode          io_mode,
                                            int               port);
/* A server on 127.0.0.1:0, started (listening or bound); asserts success. */
SlEndpoint   *sl_ui_test_start_server      (SlProtocol        protocol,
                                            SlIoMode          io_mode);
/* A client of the same protocol connected to @server (TCP: connected; UDP: bound with
 * @server as its peer); asserts success. */
SlEndpoint   *sl_ui_test_start_client      (SlEndpoint       *server,
                                            SlIoMode          io_mode);

/* A raw TCP peer connected to @server; waits (bounded, asserting) until the server lists
 * one more connection. In a manual I/O mode nothing is accepted until accept() is called,
 * so use sl_test_peer_connect_endpoint() there. */
int           sl_ui_test_peer_connect      (SlEndpoint       *server);
/* A raw UDP peer on 127.0.0.1 that sent @hello to @server; waits (bounded, asserting)
 * until the server lists one more peer (async mode only, as above). */
int           sl_ui_test_udp_peer          (SlEndpoint       *server,
                                            const char       *hello);

/* The first descendant of @root (or @root) that is a @type and whose text — button
 * label (without its mnemonic underscore), label text, editable text or tooltip —
 * contains @text (NULL: any). Not necessarily visible. NULL when none. */
GtkWidget    *sl_ui_test_find              (GtkWidget        *root,
                                            GType             type,
                                            const char       *text);
/* Like sl_ui_test_find() but asserts that the widget exists. */
GtkWidget    *sl_ui_test_get               (GtkWidget        *root,
                                            GType             type,
                                            const char       *text);
/* Iterates until sl_ui_test_find() finds a widget (bounded); returns it or NULL. Lists
 * create their rows when they lay out, so use this to see new rows. */
GtkWidget    *sl_ui_test_wait_find         (GtkWidget        *root,
                                            GType             type,
                                            const char       *text,
                                            guint             timeout_ms);
/* Asserts @button is visible and sensitive, then clicks it (::clicked at once for a
 * GtkButton, which also activates its action; gtk_widget_activate() otherwise). */
void          sl_ui_test_click             (GtkWidget        *button);
/* Emits GtkEventControllerKey::key-pressed for @keyval on the key controllers of
 * @widget, capture phase first, until one handles it (as a key press targeting @widget
 * would; ancestors are not involved). TRUE when one handled it. */
gboolean      sl_ui_test_press_key         (GtkWidget        *widget,
                                            guint             keyval,
                                            GdkModifierType   state);

/* Iterates until the GtkLabel @label's text contains @text (bounded); returns whether it
 * does. */
gboolean      sl_ui_test_wait_label        (GtkWidget        *label,
                                            const char       *text,
                                            guint             timeout_ms);
/* Iterates until @widget's visibility on screen (gtk_widget_get_mapped) is @mapped. */
gboolean      sl_ui_test_wait_mapped       (GtkWidget        *widget,
                                            gboolean          mapped,
                                            guint             timeout_ms);

/* One ::items-changed of a list model, as recorded by sl_ui_test_record_changes(). */
typedef struct
{
  guint position, removed, added;
} SlUiTestChange;

/* Appends every ::items-changed of @model to @changes (a GArray of SlUiTestChange). */
void          sl_ui_test_record_changes    (GListModel       *model,
                                            GArray           *changes);
/* Appends @n new plain GObjects to @store. */
void          sl_ui_test_append_objects    (GListStore       *store,
                                            guint             n);

/* Renders @widget as it is drawn now into a PNG file (for looking at it). */
gboolean      sl_ui_test_save_png          (GtkWidget        *widget,
                                            const char       *path);

G_END_DECLS
