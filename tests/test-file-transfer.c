/* test-file-transfer.c — files sent and saved over real loopback connections
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "sl-error.h"
#include "sl-file-transfer.h"
#include "sl-test-util.h"

#define WAIT_MS 5000
#define BIG_WAIT_MS 60000

typedef struct
{
  gboolean  done;
  GError   *error;
} Finished;

static void
finished_cb (GObject      *object,
             const GError *error,
             Finished     *finished)
{
  g_assert_false (finished->done);
  finished->done = TRUE;
  finished->error = error != NULL ? g_error_copy (error) : NULL;
}

static void
finished_clear (Finished *finished)
{
  g_clear_error (&finished->error);
  finished->done = FALSE;
}

/* A new temporary file of @size random bytes (seeded by the test's seed). */
static GFile *
random_file (gsize size)
{
  g_autoptr(GFileIOStream) io = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint32 *data = g_malloc ((size + 3) / 4 * 4);
  GFile *file;

  for (gsize i = 0; i < (size + 3) / 4; i++)
    data[i] = g_test_rand_int ();

  file = g_file_new_tmp ("sl-file-send-XXXXXX", &io, &error);
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (io)),
                                            data, size, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_io_stream_close (G_IO_STREAM (io), NULL, &error));
  return file;
}

static GFile *
tmp_path_file (void)
{
  g_autoptr(GFileIOStream) io = NULL;
  GFile *file = g_file_new_tmp ("sl-file-receive-XXXXXX", &io, NULL);

  g_io_stream_close (G_IO_STREAM (io), NULL, NULL);
  return file;
}

static GBytes *
file_bytes (GFile *file)
{
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(GMappedFile) mapped = g_mapped_file_new (path, FALSE, NULL);

  g_assert_nonnull (mapped);
  return g_mapped_file_get_bytes (mapped);
}

static char *
sha256_of (GBytes *bytes)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, size);
}

static gboolean
is_done (gpointer data)
{
  return ((Finished *) data)->done;
}

static SlEndpoint *
tcp_server (int bufsize)
{
  g_autoptr(SlEndpointConfig) config = sl_test_config_new (SL_PROTOCOL_TCP, SL_ROLE_SERVER,
                                                           SL_FAMILY_IPV4, "127.0.0.1", 0);

  sl_endpoint_config_set_reply_mode (config, SL_REPLY_NONE);
  sl_endpoint_config_set_bufsize (config, bufsize);
  return sl_test_endpoint_new_started (config);
}

static SlConnection *
first_connection (SlEndpoint *endpoint)
{
  g_assert_true (sl_test_wait_n_items (sl_endpoint_get_connections (endpoint), 1, WAIT_MS));
  return g_list_model_get_item (sl_endpoint_get_connections (endpoint), 0);
}

/* Largest (handed − sent) seen: the bound on the connection's queue. */
static void
track_queue_cb (SlFileSend *send,
                GParamSpec *pspec,
                guint64    *max_queued)
{
  guint64 queued = sl_file_send_get_handed (send) - sl_file_send_get_sent (send);

  *max_queued = MAX (*max_queued, queued);
}

/* The test: a 50 MB file from an app TCP client to an app TCP server
 * in the same process, saved there by SlFileReceive; SHA-256 at both ends. */
static void
test_app_to_app (void)
{
  const gsize size = 50 * 1000 * 1000;
  g_autoptr(GFile) source = random_file (size);
  g_autoptr(GFile) target = tmp_path_file ();
  g_autoptr(SlEndpoint) server = tcp_server (65536);
  g_autoptr(SlEndpointConfig) client_config = NULL;
  g_autoptr(SlEndpoint) client = NULL;
  g_autoptr(SlConnection) client_connection = NULL;
  g_autoptr(SlConnection) server_connection = NULL;
  g_autoptr(SlFileSend) send = NULL;
  g_autoptr(SlFileReceive) receive = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) sent_bytes = NULL;
  g_autoptr(GBytes) received_bytes = NULL;
  g_autofree char *sent_sum = NULL;
  g_autofree char *received_sum = NULL;
  Finished send_finished = { 0, };
  Finished receive_finished = { 0, };
  guint64 max_queued = 0;

  client_config = sl_test_config_new (SL_PROTOCOL_TCP, SL_ROLE_CLIENT, SL_FAMILY_IPV4,
                                      "127.0.0.1", sl_endpoint_get_local_port (server));
  sl_endpoint_config_set_reply_mode (client_config, SL_REPLY_NONE);
  client = sl_test_endpoint_new_started (client_config);
  client_connection = first_connection (client);
  server_connection = first_connection (server);

  receive = sl_file_receive_new (server, server_connection, target, &error);
  g_assert_no_error (error);
  g_assert_true (sl_file_receive_get_running (receive));
  g_signal_connect (receive, "finished", G_CALLBACK (finished_cb), &receive_finished);

  send = sl_file_send_new (client_connection, source);
  g_signal_connect (send, "finished", G_CALLBACK (finished_cb), &send_finished);
  g_signal_connect (send, "notify::handed", G_CALLBACK (track_queue_cb), &max_queued);
  g_assert_true (sl_file_send_start (send, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (sl_file_send_get_running (send));

  g_assert_true (sl_test_wait_until (is_done, &send_finished, BIG_WAIT_MS));
  g_assert_no_error (send_finished.error);
  g_assert_false (sl_file_send_get_running (send));
  g_assert_cmpuint (sl_file_send_get_total (send), ==, size);
  g_assert_cmpuint (sl_file_send_get_handed (send), ==, size);
  g_assert_cmpuint (sl_file_send_get_sent (send), ==, size);
  /* Memory stayed bounded: never more than the limit plus one chunk queued. */
  g_assert_cmpuint (max_queued, <=, SL_FILE_SEND_MAX_QUEUED + SL_FILE_SEND_CHUNK_SIZE);

  /* The client closes; the server closes in turn (close-on-eof), which ends the receive. */
  g_assert_true (sl_connection_close (client_connection, &error));
  g_assert_true (sl_test_wait_until (is_done, &receive_finished, BIG_WAIT_MS));
  g_assert_no_error (receive_finished.error);
  g_assert_false (sl_file_receive_get_running (receive));
  g_assert_cmpuint (sl_file_receive_get_bytes_received (receive), ==, size);
  g_assert_cmpuint (sl_file_receive_get_bytes_written (receive), ==, size);

  sent_bytes = file_bytes (source);
  received_bytes = file_bytes (target);
  sent_sum = sha256_of (sent_bytes);
  received_sum = sha256_of (received_bytes);
  g_assert_cmpstr (received_sum, ==, sent_sum);
  g_assert_true (g_bytes_equal (sent_bytes, received_bytes));

  finished_clear (&send_finished);
  finished_clear (&receive_finished);
  sl_endpoint_stop (client);
  sl_endpoint_stop (server);
  g_file_delete (source, NULL, NULL);
  g_file_delete (target, NULL, NULL);
}

static void
count_cb (GObject    *object,
          GParamSpec *pspec,
          guint      *count)
{
  (*count)++;
}

/* Server → raw peer, which reads while the sender waits on the queue. */
static void
test_to_raw_peer (void)
{
  const gsize size = 3 * 1000 * 1000 + 17;
  g_autoptr(GFile) source = random_file (size);
  g_autoptr(SlEndpoint) server = tcp_server (1024);
  g_autoptr(SlConnection) connection = NULL;
  g_autoptr(SlFileSend) send = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) expected = NULL;
  g_autofree guint8 *buffer = g_malloc (size + 1);
  Finished finished = { 0, };
  guint64 max_queued = 0;
  guint n_sent_notify = 0;
  gsize got;
  int peer;

  peer = sl_test_peer_connect_endpoint (server);
  connection = first_connection (server);

  send = sl_file_send_new (connection, source);
  g_signal_connect (send, "notify::sent", G_CALLBACK (count_cb), &n_sent_notify);
  g_assert_true (sl_file_send_get_connection (send) == connection);
  g_assert_true (sl_file_send_get_file (send) == source);
  g_signal_connect (send, "finished", G_CALLBACK (finished_cb), &finished);
  g_signal_connect (send, "notify::handed", G_CALLBACK (track_queue_cb), &max_queued);
  g_assert_true (sl_file_send_start (send, NULL, &error));

  got = sl_test_peer_recv_all (peer, buffer, size, BIG_WAIT_MS);
  g_assert_cmpuint (got, ==, size);
  g_assert_true (sl_test_wait_until (is_done, &finished, WAIT_MS));
  g_assert_no_error (finished.error);
  g_assert_cmpuint (sl_file_send_get_sent (send), ==, size);
  g_assert_cmpuint (sl_file_send_get_total (send), ==, size);
  g_assert_cmpuint (max_queued, <=, SL_FILE_SEND_MAX_QUEUED + SL_FILE_SEND_CHUNK_SIZE);
  /* Progress is told as it goes (a progress bar follows "sent"), not only at the end. */
  g_assert_cmpuint (n_sent_notify, >, 10);

  expected = file_bytes (source);
  g_assert_cmpmem (buffer, got, g_bytes_get_data (expected, NULL), size);

  /* Nothing more than the file. */
  sl_test_run_for (50);
  g_assert_cmpint (recv (peer, buffer, 1, MSG_DONTWAIT), ==, -1);
  g_assert_cmpint (errno, ==, EAGAIN);

  /* Sent again on the same connection: the counts start over. */
  finished_clear (&finished);
  g_assert_true (sl_file_send_start (send, NULL, &error));
  got = sl_test_peer_recv_all (peer, buffer, size, BIG_WAIT_MS);
  g_assert_cmpuint (got, ==, size);
  g_assert_true (sl_test_wait_until (is_done, &finished, WAIT_MS));
  g_assert_no_error (finished.error);
  g_assert_cmpuint (sl_file_send_get_sent (send), ==, size);

  finished_clear (&finished);
  sl_test_assert_finalize (g_steal_pointer (&send), WAIT_MS);
  close (peer);
  sl_endpoint_stop (server);
  g_file_delete (source, NULL, NULL);
}

static gboolean
handed_some (gpointer data)
{
  return sl_file_send_get_handed (data) > 0 && sl_file_send_get_sent (data) > 0;
}

/* Cancelling stops reading; bytes already handed over still reach the peer. */
static void
test_cancel (gconstpointer use_cancellable)
{
  const gsize size = 20 * 1000 * 1000;
  g_autoptr(GFile) source = random_file (size);
  g_autoptr(SlEndpoint) server = tcp_server (1024);
  g_autoptr(SlConnection) connection = NULL;
  g_autoptr(SlFileSend) send = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GBytes) expected = NULL;
  g_autofree guint8 *buffer = g_malloc (size);
  Finished finished = { 0, };
  guint64 handed;
  gsize got;
  int peer;

  peer = sl_test_peer_connect_endpoint (server);
  connection = first_connection (server);

  /* The peer does not read: the queue fills and the sender waits. */
  send = sl_file_send_new (connection, source);
  g_signal_connect (send, "finished", G_CALLBACK (finished_cb), &finished);
  g_assert_true (sl_file_send_start (send, cancellable, NULL));
  g_assert_true (sl_test_wait_until (handed_some, send, WAIT_MS));
  sl_test_run_for (100);
  g_assert_true (sl_file_send_get_running (send));
  g_assert_false (finished.done);

  if (GPOINTER_TO_INT (use_cancellable))
    g_cancellable_cancel (cancellable);
  else
    sl_file_send_cancel (send);
  g_assert_true (sl_test_wait_until (is_done, &finished, WAIT_MS));
  g_assert_error (finished.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_nonnull (strstr (finished.error->message, "still sent"));
  g_assert_false (sl_file_send_get_running (send));

  handed = sl_file_send_get_handed (send);
  g_assert_cmpuint (handed, >, 0);
  g_assert_cmpuint (handed, <, size);

  /* Nothing more is read from the file … */
  sl_test_run_for (50);
  g_assert_cmpuint (sl_file_send_get_handed (send), ==, handed);

  /* … and what was handed over arrives, in full and in order, and no more. */
  got = sl_test_peer_recv_all (peer, buffer, handed, WAIT_MS);
  g_assert_cmpuint (got, ==, handed);
  expected = file_bytes (source);
  g_assert_cmpmem (buffer, got, g_bytes_get_data (expected, NULL), handed);
  sl_test_run_for (50);
  g_assert_cmpint (recv (peer, buffer, 1, MSG_DONTWAIT), ==, -1);
  g_assert_cmpint (errno, ==, EAGAIN);

  finished_clear (&finished);
  close (peer);
  sl_endpoint_stop (server);
  g_file_delete (source, NULL, NULL);
}

static void
test_missing_file (void)
{
  g_autoptr(GFile) missing = g_file_new_for_path ("/nonexistent-sl-dir/lesson.bin");
  g_autoptr(SlEndpoint) server = tcp_server (1024);
  g_autoptr(SlConnection) connection = NULL;
  g_autoptr(SlFileSend) send = NULL;
  g_autoptr(GError) error = NULL;
  Finished finished = { 0, };
  int peer;

  peer = sl_test_peer_connect_endpoint (server);
  connection = first_connection (server);

  send = sl_file_send_new (connection, missing);
  g_signal_connect (send, "finished", G_CALLBACK (finished_cb), &finished);
  g_assert_true (sl_file_send_start (send, NULL, &error));
  g_assert_true (sl_test_wait_until (is_done, &finished, WAIT_MS));
  g_assert_error (finished.error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_test_message ("%s", finished.error->message);
  g_assert_nonnull (strstr (finished.error->message,
                            "Could not read the file “/nonexistent-sl-dir/lesson.bin”"));
  g_assert_nonnull (strstr (finished.error->message, "Pick another file"));
  g_assert_cmpuint (sl_file_send_get_handed (send), ==, 0);
  finished_clear (&finished);

  /* A folder is not a file. */
  {
    g_autoptr(GFile) folder = g_file_new_for_path (g_get_tmp_dir ());
    g_autoptr(SlFileSend) send_folder = sl_file_send_new (connection, folder);

    g_signal_connect (send_folder, "finished", G_CALLBACK (finished_cb), &finished);
    g_assert_true (sl_file_send_start (send_folder, NULL, NULL));
    g_assert_true (sl_test_wait_until (is_done, &finished, WAIT_MS));
    g_assert_error (finished.error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY);
    finished_clear (&finished);
  }

  close (peer);
  sl_endpoint_stop (server);
}

static void
test_refused (void)
{
  g_autoptr(GFile) source = random_file (100);
  g_autoptr(GSocketAddress) any = sl_test_loopback_address (G_SOCKET_FAMILY_IPV4, 0);
  int listener = sl_test_peer_socket (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, any);
  int udp_peer = sl_test_peer_socket (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, any);
  g_autoptr(SlEndpointConfig) config = NULL;
  g_autoptr(SlEndpoint) client = NULL;
  g_autoptr(SlEndpoint) udp = NULL;
  g_autoptr(SlConnection) connection = NULL;
  g_autoptr(SlFileSend) send = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();

  /* Non-blocking I/O: one send() may take part of a chunk; refused. */
  g_assert_cmpint (listen (listener, 1), ==, 0);
  config = sl_test_config_new (SL_PROTOCOL_TCP, SL_ROLE_CLIENT, SL_FAMILY_IPV4, "127.0.0.1",
                               sl_test_fd_local_port (listener));
  sl_endpoint_config_set_io_mode (config, SL_IO_MODE_NONBLOCKING);
  client = sl_test_endpoint_new_started (config);
  connection = first_connection (client);
  send = sl_file_send_new (connection, source);
  g_assert_false (sl_file_send_start (send, NULL, &error));
  g_assert_error (error, SL_ERROR, SL_ERROR_INVALID_COMBINATION);
  g_assert_nonnull (strstr (error->message, "non-blocking"));
  g_assert_nonnull (strstr (error->message, "async or blocking"));
  g_assert_false (sl_file_send_get_running (send));
  g_clear_error (&error);
  g_clear_object (&send);

  /* Closed connection. */
  g_assert_true (sl_connection_close (connection, NULL));
  send = sl_file_send_new (connection, source);
  g_assert_false (sl_file_send_start (send, NULL, &error));
  g_assert_error (error, SL_ERROR, SL_ERROR_NOT_CONNECTED);
  g_clear_error (&error);
  g_clear_object (&send);
  g_clear_object (&connection);

  /* UDP. */
  g_clear_object (&config);
  config = sl_test_config_new (SL_PROTOCOL_UDP, SL_ROLE_CLIENT, SL_FAMILY_IPV4, "127.0.0.1",
                               sl_test_fd_local_port (udp_peer));
  udp = sl_test_endpoint_new_started (config);
  connection = first_connection (udp);
  send = sl_file_send_new (connection, source);
  g_assert_false (sl_file_send_start (send, NULL, &error));
  g_assert_error (error, SL_ERROR, SL_ERROR_INVALID_COMBINATION);
  g_assert_nonnull (strstr (error->message, "UDP"));
  g_clear_error (&error);

  /* An already cancelled cancellable. */
  g_clear_object (&send);
  g_cancellable_cancel (cancelled);
  {
    g_autoptr(SlEndpoint) server = tcp_server (1024);
    g_autoptr(SlConnection) server_connection = NULL;
    int peer = sl_test_peer_connect_endpoint (server);

    server_connection = first_connection (server);
    send = sl_file_send_new (server_connection, source);
    g_assert_false (sl_file_send_start (send, cancelled, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&error);
    close (peer);
    sl_endpoint_stop (server);
  }

  close (listener);
  close (udp_peer);
  sl_endpoint_stop (client);
  sl_endpoint_stop (udp);
  g_file_delete (source, NULL, NULL);
}

/* The peer resets the connection while the file is on its way. */
static void
test_connection_lost (void)
{
  const gsize size = 20 * 1000 * 1000;
  g_autoptr(GFile) source = random_file (size);
  g_autoptr(SlEndpoint) server = tcp_server (1024);
  g_autoptr(SlConnection) connection = NULL;
  g_autoptr(SlFileSend) send = NULL;
  Finished finished = { 0, };
  int peer;

  peer = sl_test_peer_connect_endpoint (server);
  connection = first_connection (server);

  send = sl_file_send_new (connection, source);
  g_signal_connect (send, "finished", G_CALLBACK (finished_cb), &finished);
  g_assert_true (sl_file_send_start (send, NULL, NULL));
  g_assert_true (sl_test_wait_until (handed_some, send, WAIT_MS));

  sl_test_peer_reset (peer);
  g_assert_true (sl_test_wait_until (is_done, &finished, WAIT_MS));
  g_assert_error (finished.error, SL_ERROR, SL_ERROR_NOT_CONNECTED);
  g_assert_nonnull (strstr (finished.error->message, "The connection closed after"));
  g_assert_cmpuint (sl_file_send_get_sent (send), <, size);

  finished_clear (&finished);
  sl_endpoint_stop (server);
  g_file_delete (source, NULL, NULL);
}

typedef struct
{
  SlConnection *connection;
  guint64       n;
} BytesIn;

static gboolean
has_bytes_in (gpointer data)
{
  BytesIn *wait = data;

  return sl_connection_get_bytes_in (wait->connection) >= wait->n;
}

static gboolean
wait_bytes_in (SlConnection *connection,
                             guint64       n,
                             guint         timeout_ms)
{
  BytesIn wait = { connection, n };

  return sl_test_wait_until (has_bytes_in, &wait, timeout_ms);
}

static gboolean
received_at_least_5 (gpointer data)
{
  return sl_file_receive_get_bytes_written (data) >= 5;
}

/* Stop by hand: what arrived before is in the file; what comes after is not. */
static void
test_receive_stop (void)
{
  g_autoptr(GFile) target = tmp_path_file ();
  g_autoptr(SlEndpoint) server = tcp_server (1024);
  g_autoptr(SlConnection) connection = NULL;
  g_autoptr(SlFileReceive) receive = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) contents = NULL;
  Finished finished = { 0, };
  int peer;

  peer = sl_test_peer_connect_endpoint (server);
  connection = first_connection (server);

  /* Bytes before the receive starts are not saved. */
  g_assert_true (sl_test_peer_send_all (peer, "early", 5, WAIT_MS));
  g_assert_true (wait_bytes_in (connection, 5, WAIT_MS));

  receive = sl_file_receive_new (server, connection, target, &error);
  g_assert_no_error (error);
  g_assert_true (sl_file_receive_get_endpoint (receive) == server);
  g_assert_true (sl_file_receive_get_connection (receive) == connection);
  g_assert_true (sl_file_receive_get_file (receive) == target);
  g_signal_connect (receive, "finished", G_CALLBACK (finished_cb), &finished);

  g_assert_true (sl_test_peer_send_all (peer, "hello\0world", 11, WAIT_MS));
  g_assert_true (sl_test_wait_until (received_at_least_5, receive, WAIT_MS));
  g_assert_true (wait_bytes_in (connection, 16, WAIT_MS));

  sl_file_receive_stop (receive);
  g_assert_true (sl_test_wait_until (is_done, &finished, WAIT_MS));
  g_assert_no_error (finished.error);
  g_assert_cmpuint (sl_file_receive_get_bytes_written (receive), ==, 11);

  /* Later bytes are not written. */
  g_assert_true (sl_test_peer_send_all (peer, "late", 4, WAIT_MS));
  g_assert_true (wait_bytes_in (connection, 20, WAIT_MS));
  sl_file_receive_stop (receive);

  contents = file_bytes (target);
  g_assert_cmpmem (g_bytes_get_data (contents, NULL), g_bytes_get_size (contents),
                   "hello\0world", 11);

  finished_clear (&finished);
  sl_test_assert_finalize (g_steal_pointer (&receive), WAIT_MS);
  close (peer);
  sl_endpoint_stop (server);
  g_file_delete (target, NULL, NULL);
}

static void
test_receive_cannot_create (void)
{
  g_autoptr(GFile) target = g_file_new_for_path ("/nonexistent-sl-dir/saved.bin");
  g_autoptr(SlEndpoint) server = tcp_server (1024);
  g_autoptr(SlConnection) connection = NULL;
  g_autoptr(SlFileReceive) receive = NULL;
  g_autoptr(GError) error = NULL;
  int peer;

  peer = sl_test_peer_connect_endpoint (server);
  connection = first_connection (server);

  receive = sl_file_receive_new (server, connection, target, &error);
  g_assert_null (receive);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "Could not create “/nonexistent-sl-dir/saved.bin”"));

  close (peer);
  sl_endpoint_stop (server);
}

/* A write error (the file size limit, as a full disk would) is reported with
 * what the file holds; nothing is lost silently. */
static void
test_receive_write_error (void)
{
  const gsize limit = 100 * 1000;
  const gsize size = 300 * 1000;
  g_autoptr(GFile) target = tmp_path_file ();
  g_autoptr(SlEndpoint) server = tcp_server (65536);
  g_autoptr(SlConnection) connection = NULL;
  g_autoptr(SlFileReceive) receive = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *data = g_malloc0 (size);
  Finished finished = { 0, };
  struct rlimit old_limit, new_limit;
  void (*old_handler) (int);
  int peer;

  peer = sl_test_peer_connect_endpoint (server);
  connection = first_connection (server);

  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &old_limit), ==, 0);
  if (old_limit.rlim_max != RLIM_INFINITY && old_limit.rlim_max < limit)
    {
      g_test_skip ("file size limit already lower than the test's");
      close (peer);
      sl_endpoint_stop (server);
      return;
    }
  old_handler = signal (SIGXFSZ, SIG_IGN);
  new_limit = old_limit;
  new_limit.rlim_cur = limit;
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &new_limit), ==, 0);

  receive = sl_file_receive_new (server, connection, target, &error);
  g_assert_no_error (error);
  g_signal_connect (receive, "finished", G_CALLBACK (finished_cb), &finished);
  g_assert_true (sl_test_peer_send_all (peer, data, size, WAIT_MS));
  g_assert_true (sl_test_wait_until (is_done, &finished, WAIT_MS));

  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &old_limit), ==, 0);
  signal (SIGXFSZ, old_handler);

  g_assert_nonnull (finished.error);
  g_test_message ("%s", finished.error->message);
  g_assert_nonnull (strstr (finished.error->message, "Writing “"));
  g_assert_cmpuint (sl_file_receive_get_bytes_written (receive), <=, limit);
  g_assert_false (sl_file_receive_get_running (receive));
  {
    g_autofree char *holds = g_strdup_printf ("The file holds the first %" G_GUINT64_FORMAT
                                              " bytes",
                                              sl_file_receive_get_bytes_written (receive));

    g_assert_nonnull (strstr (finished.error->message, holds));
  }

  finished_clear (&finished);
  close (peer);
  sl_endpoint_stop (server);
  g_file_delete (target, NULL, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/file-transfer/app-to-app-50mb", test_app_to_app);
  g_test_add_func ("/file-transfer/to-raw-peer", test_to_raw_peer);
  g_test_add_data_func ("/file-transfer/cancel", GINT_TO_POINTER (FALSE), test_cancel);
  g_test_add_data_func ("/file-transfer/cancellable", GINT_TO_POINTER (TRUE), test_cancel);
  g_test_add_func ("/file-transfer/missing-file", test_missing_file);
  g_test_add_func ("/file-transfer/refused", test_refused);
  g_test_add_func ("/file-transfer/connection-lost", test_connection_lost);
  g_test_add_func ("/file-transfer/receive-stop", test_receive_stop);
  g_test_add_func ("/file-transfer/receive-cannot-create", test_receive_cannot_create);
  g_test_add_func ("/file-transfer/receive-write-error", test_receive_write_error);

  return g_test_run ();
}
