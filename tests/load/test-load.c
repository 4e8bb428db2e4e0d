/* test-load.c — faults and load on loopback, and nothing lost (issue 9)
 *
 * The server under test is an SlEndpoint on the default main context; its
 * peers are raw non-blocking sockets of this process driven from the same
 * main context (each peer has fd sources), or python3 processes. Every wait
 * is bounded; nothing here asserts a speed: the durations, round-trip
 * latencies and memory figures are printed as TAP comments ("# figure: ...")
 * for docs/performance.md.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE

#include <errno.h>
#include <locale.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib-unix.h>
#include <json-glib/json-glib.h>

#include "sl-codec.h"
#include "sl-endpoint.h"
#include "sl-error.h"
#include "sl-log-export.h"
#include "sl-test-util.h"

#define WAIT_MS  10000
#define LONG_MS  60000

static rlim_t fd_limit;

/* ---- figures and memory ------------------------------------------------- */

static void
figure (const char *format,
        ...) G_GNUC_PRINTF (1, 2);

static void
figure (const char *format,
        ...)
{
  va_list args;
  g_autofree char *text = NULL;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  g_test_message ("figure: %s", text);
}

/* A field of /proc/self/status in kB ("VmRSS", "VmHWM"), or 0. */
static guint64
status_kb (const char *field)
{
  g_autofree char *contents = NULL;
  g_autofree char *key = g_strdup_printf ("\n%s:", field);
  const char *p;

  if (!g_file_get_contents ("/proc/self/status", &contents, NULL, NULL))
    return 0;
  p = strstr (contents, key);
  if (p == NULL)
    return 0;
  return g_ascii_strtoull (p + strlen (key), NULL, 10);
}

/* Returns freed heap to the kernel and resets the peak (VmHWM) to now. */
static guint64
rss_settled_kb (void)
{
  FILE *clear_refs;

  malloc_trim (0);
  clear_refs = fopen ("/proc/self/clear_refs", "w");
  if (clear_refs != NULL)
    {
      fputs ("5", clear_refs);
      fclose (clear_refs);
    }
  return status_kb ("VmRSS");
}

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static gboolean
have_fds (rlim_t needed)
{
  if (fd_limit >= needed)
    return TRUE;

  g_test_skip_printf ("needs %lu file descriptors, RLIMIT_NOFILE allows %lu",
                      (gulong) needed, (gulong) fd_limit);
  return FALSE;
}

/* xorshift64: cheap, reproducible test bytes. */
static void
fill_random (guint64 *state,
             guint8  *data,
             gsize    len)
{
  for (gsize i = 0; i < len; i++)
    {
      if (i % 8 == 0)
        {
          *state ^= *state << 13;
          *state ^= *state >> 7;
          *state ^= *state << 17;
        }
      data[i] = (guint8) (*state >> (8 * (i % 8)));
    }
}

static gboolean
checksums_equal (GChecksum *a,
                 GChecksum *b)
{
  /* Copies: a GChecksum read once can no longer be updated. */
  g_autoptr(GChecksum) x = g_checksum_copy (a);
  g_autoptr(GChecksum) y = g_checksum_copy (b);

  return g_strcmp0 (g_checksum_get_string (x), g_checksum_get_string (y)) == 0;
}

/* ---- raw peers on the main context --------------------------------------- */

typedef struct _Peer Peer;
typedef void (*PeerFunc) (Peer *peer);

struct _Peer
{
  int         fd;
  guint       index;
  guint16     port;           /* our local port: how the server names us */
  gboolean    connected;
  int         connect_errno;
  int         send_errno;
  gboolean    eof;
  int         recv_errno;
  GSource    *in_source;
  GSource    *out_source;
  GByteArray *outq;           /* accepted by peer_send(), not yet in the kernel */
  gboolean    shut_when_sent; /* shutdown(SHUT_WR) once outq is empty */
  gboolean    reading;        /* FALSE: never read (a peer that does not read) */
  guint64     n_sent;
  guint64     n_recv;
  GChecksum  *sent_sum;
  GChecksum  *recv_sum;
  GByteArray *rx;             /* received bytes, when kept */
  PeerFunc    on_connected;
  PeerFunc    on_data;
  PeerFunc    on_drained;     /* outq became empty: a producer adds more */
  gpointer    user_data;
  /* What the server saw of this peer (::received). */
  guint64     server_bytes;
  GChecksum  *server_sum;
};

static void peer_start_reading (Peer *peer);

static void
peer_stop (Peer *peer)
{
  if (peer->in_source != NULL)
    {
      g_source_destroy (peer->in_source);
      g_clear_pointer (&peer->in_source, g_source_unref);
    }
  if (peer->out_source != NULL)
    {
      g_source_destroy (peer->out_source);
      g_clear_pointer (&peer->out_source, g_source_unref);
    }
}

static void
peer_free (Peer *peer)
{
  peer_stop (peer);
  if (peer->fd >= 0)
    close (peer->fd);
  g_byte_array_unref (peer->outq);
  g_clear_pointer (&peer->rx, g_byte_array_unref);
  g_checksum_free (peer->sent_sum);
  g_checksum_free (peer->recv_sum);
  g_checksum_free (peer->server_sum);
  g_free (peer);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Peer, peer_free)

/* Sends what outq holds; FALSE when the socket failed. */
static gboolean
peer_flush (Peer *peer)
{
  while (TRUE)
    {
      while (peer->outq->len > 0)
        {
          gssize n = send (peer->fd, peer->outq->data, peer->outq->len,
                           MSG_NOSIGNAL | MSG_DONTWAIT);

          if (n < 0 && (errno == EAGAIN || errno == EINTR))
            return TRUE;
          if (n < 0)
            {
              peer->send_errno = errno;
              g_byte_array_set_size (peer->outq, 0);
              return FALSE;
            }
          g_byte_array_remove_range (peer->outq, 0, n);
        }

      if (peer->on_drained == NULL)
        break;
      peer->on_drained (peer);
      if (peer->outq->len == 0)
        break;
    }

  if (peer->shut_when_sent)
    {
      peer->shut_when_sent = FALSE;
      shutdown (peer->fd, SHUT_WR);
    }
  return TRUE;
}

static gboolean
peer_out_cb (int          fd,
             GIOCondition condition,
             gpointer     user_data)
{
  Peer *peer = user_data;

  if (!peer->connected)
    {
      int errsv = 0;
      socklen_t len = sizeof errsv;

      if (getsockopt (fd, SOL_SOCKET, SO_ERROR, &errsv, &len) < 0)
        errsv = errno;
      if (errsv == EINPROGRESS || errsv == EAGAIN)
        return G_SOURCE_CONTINUE;
      if (errsv != 0)
        {
          peer->connect_errno = errsv;
          g_clear_pointer (&peer->out_source, g_source_unref);
          return G_SOURCE_REMOVE;
        }
      peer->connected = TRUE;
      peer->port = sl_test_fd_local_port (fd);
      if (peer->reading)
        peer_start_reading (peer);
      if (peer->on_connected != NULL)
        {
          peer->on_connected (peer);
          if (peer->fd < 0 || peer->out_source == NULL)
            return G_SOURCE_REMOVE;
        }
    }

  if (peer_flush (peer) && peer->outq->len > 0)
    return G_SOURCE_CONTINUE;

  g_clear_pointer (&peer->out_source, g_source_unref);
  return G_SOURCE_REMOVE;
}

static void
peer_want_out (Peer *peer)
{
  if (peer->out_source != NULL || peer->fd < 0)
    return;
  peer->out_source = g_unix_fd_source_new (peer->fd, G_IO_OUT | G_IO_ERR | G_IO_HUP);
  g_source_set_callback (peer->out_source, G_SOURCE_FUNC (peer_out_cb), peer, NULL);
  g_source_attach (peer->out_source, NULL);
}

static gboolean
peer_in_cb (int          fd,
            GIOCondition condition,
            gpointer     user_data)
{
  static guint8 buffer[256 * 1024];
  Peer *peer = user_data;
  gboolean go_on = TRUE;

  for (guint i = 0; i < 16 && go_on; i++)
    {
      gssize n = recv (fd, buffer, sizeof buffer, MSG_DONTWAIT);

      if (n > 0)
        {
          peer->n_recv += n;
          g_checksum_update (peer->recv_sum, buffer, n);
          if (peer->rx != NULL)
            g_byte_array_append (peer->rx, buffer, n);
          continue;
        }
      if (n < 0 && (errno == EAGAIN || errno == EINTR))
        break;
      if (n == 0)
        peer->eof = TRUE;
      else
        peer->recv_errno = errno;
      go_on = FALSE;
    }

  if (peer->on_data != NULL)
    peer->on_data (peer);
  if (go_on)
    return G_SOURCE_CONTINUE;

  g_clear_pointer (&peer->in_source, g_source_unref);
  return G_SOURCE_REMOVE;
}

static void
peer_start_reading (Peer *peer)
{
  if (peer->in_source != NULL || peer->fd < 0)
    return;
  peer->in_source = g_unix_fd_source_new (peer->fd, G_IO_IN | G_IO_ERR | G_IO_HUP);
  g_source_set_callback (peer->in_source, G_SOURCE_FUNC (peer_in_cb), peer, NULL);
  g_source_attach (peer->in_source, NULL);
}

/* A non-blocking client whose connect() completes on the main context. */
static Peer *
peer_new (GSocketAddress *address,
          guint           index,
          gboolean        keep_rx)
{
  Peer *peer = g_new0 (Peer, 1);
  struct sockaddr_storage storage;
  gssize len = g_socket_address_get_native_size (address);

  peer->index = index;
  peer->reading = TRUE;
  peer->outq = g_byte_array_new ();
  peer->sent_sum = g_checksum_new (G_CHECKSUM_SHA256);
  peer->recv_sum = g_checksum_new (G_CHECKSUM_SHA256);
  peer->server_sum = g_checksum_new (G_CHECKSUM_SHA256);
  if (keep_rx)
    peer->rx = g_byte_array_new ();

  peer->fd = sl_test_peer_socket (g_socket_address_get_family (address),
                                  G_SOCKET_TYPE_STREAM, NULL);
  g_assert_no_errno (peer->fd);
  g_assert_true (g_socket_address_to_native (address, &storage, sizeof storage, NULL));
  if (connect (peer->fd, (struct sockaddr *) &storage, len) < 0 && errno != EINPROGRESS)
    {
      peer->connect_errno = errno;
      return peer;
    }
  peer_want_out (peer);

  return peer;
}

static void
peer_send (Peer         *peer,
           const void   *data,
           gsize         len)
{
  g_checksum_update (peer->sent_sum, data, len);
  peer->n_sent += len;
  g_byte_array_append (peer->outq, data, len);
  if (peer->connected && peer->out_source == NULL && !peer_flush (peer))
    return;
  if (peer->outq->len > 0)
    peer_want_out (peer);
}

static void
peer_close (Peer *peer)
{
  peer_stop (peer);
  if (peer->fd >= 0)
    g_assert_no_errno (close (peer->fd));
  peer->fd = -1;
}

/* SO_LINGER {1, 0} then close(): RST. */
static void
peer_reset (Peer *peer)
{
  peer_stop (peer);
  if (peer->fd >= 0)
    sl_test_peer_reset (peer->fd);
  peer->fd = -1;
}

/* Bounded waits over a set of peers. */

typedef gboolean (*PeerPredicate) (Peer *peer);

typedef struct
{
  GPtrArray     *peers;
  PeerPredicate  predicate;
} PeersWait;

static gboolean
all_peers (gpointer data)
{
  PeersWait *wait = data;

  for (guint i = 0; i < wait->peers->len; i++)
    if (!wait->predicate (g_ptr_array_index (wait->peers, i)))
      return FALSE;
  return TRUE;
}

static gboolean
wait_all (GPtrArray     *peers,
          PeerPredicate  predicate,
          guint          timeout_ms)
{
  PeersWait wait = { peers, predicate };

  return sl_test_wait_until (all_peers, &wait, timeout_ms);
}

static gboolean
is_connected (Peer *peer)
{
  return peer->connected || peer->connect_errno != 0;
}

static gboolean
got_echo (Peer *peer)
{
  return peer->n_recv >= peer->n_sent || peer->eof || peer->recv_errno != 0;
}

static gboolean
is_finished (Peer *peer)
{
  return peer->connect_errno != 0 || peer->eof || peer->recv_errno != 0 || peer->fd < 0;
}

/* Sends @message and waits for its echo; asserts it came back whole. */
static void
assert_peer_echo (Peer       *peer,
                  const char *message)
{
  g_autoptr(GPtrArray) one = g_ptr_array_new ();
  gsize len = strlen (message);

  g_assert_nonnull (peer->rx);
  g_byte_array_set_size (peer->rx, 0);
  peer->n_recv = peer->n_sent;
  peer_send (peer, message, len);
  g_ptr_array_add (one, peer);
  g_assert_true (wait_all (one, got_echo, WAIT_MS));
  g_assert_cmpint (peer->recv_errno, ==, 0);
  g_assert_false (peer->eof);
  g_assert_cmpmem (peer->rx->data, peer->rx->len, message, len);
}

/* ---- the server under test ------------------------------------------------ */

typedef struct
{
  SlEndpoint *endpoint;
  GHashTable *by_port;     /* guint16 → Peer (borrowed) */
  guint       n_added;
  guint       n_removed;
  guint       n_removed_reset;
  guint       max_open;
  guint64     received_unmatched;
} Server;

static guint16
remote_port (SlConnection *connection)
{
  GSocketAddress *remote = sl_connection_get_remote_address (connection);

  if (!G_IS_INET_SOCKET_ADDRESS (remote))
    return 0;
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (remote));
}

static void
server_added_cb (SlEndpoint   *endpoint,
                 SlConnection *connection,
                 Server       *server)
{
  guint n = g_list_model_get_n_items (sl_endpoint_get_connections (endpoint));

  server->n_added++;
  server->max_open = MAX (server->max_open, n);
}

static void
server_removed_cb (SlEndpoint   *endpoint,
                   SlConnection *connection,
                   Server       *server)
{
  server->n_removed++;
  if (sl_connection_get_state (connection) == SL_CONNECTION_STATE_RESET)
    server->n_removed_reset++;
}

static void
server_received_cb (SlEndpoint   *endpoint,
                    SlConnection *connection,
                    GBytes       *bytes,
                    Server       *server)
{
  Peer *peer = g_hash_table_lookup (server->by_port, GUINT_TO_POINTER (remote_port (connection)));
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  if (peer == NULL)
    {
      server->received_unmatched += len;
      return;
    }
  peer->server_bytes += len;
  g_checksum_update (peer->server_sum, data, len);
}

static SlEndpointConfig *
server_config (SlProtocol  protocol,
               SlReplyMode reply)
{
  SlEndpointConfig *config = sl_test_config_new (protocol, SL_ROLE_SERVER, SL_FAMILY_IPV4,
                                                 "127.0.0.1", 0);

  sl_endpoint_config_set_reply_mode (config, reply);
  sl_endpoint_config_set_backlog (config, 4096);
  return config;
}

static void
server_start (Server           *server,
              SlEndpointConfig *config,
              SlLog            *log)
{
  g_autoptr(GError) error = NULL;

  memset (server, 0, sizeof *server);
  server->endpoint = sl_endpoint_new (config, log);
  if (!sl_test_endpoint_start (server->endpoint, &error))
    sl_test_log_dump (sl_endpoint_get_log (server->endpoint));
  g_assert_no_error (error);
  server->by_port = g_hash_table_new (NULL, NULL);
  g_signal_connect (server->endpoint, "connection-added", G_CALLBACK (server_added_cb), server);
  g_signal_connect (server->endpoint, "connection-removed", G_CALLBACK (server_removed_cb),
                    server);
  g_signal_connect (server->endpoint, "received", G_CALLBACK (server_received_cb), server);
}

static void
server_know (Server *server,
             Peer   *peer)
{
  g_assert_cmpuint (peer->port, !=, 0);
  g_hash_table_insert (server->by_port, GUINT_TO_POINTER (peer->port), peer);
}

static void
server_stop (Server *server)
{
  g_signal_handlers_disconnect_by_data (server->endpoint, server);
  sl_endpoint_stop (server->endpoint);
  sl_test_assert_finalize (g_steal_pointer (&server->endpoint), WAIT_MS);
  g_clear_pointer (&server->by_port, g_hash_table_unref);
}

static guint
n_open (Server *server)
{
  return g_list_model_get_n_items (sl_endpoint_get_connections (server->endpoint));
}

static gboolean
wait_n_open (Server *server,
             guint   n,
             guint   timeout_ms)
{
  return sl_test_wait_n_items (sl_endpoint_get_connections (server->endpoint), n, timeout_ms);
}

static GSocketAddress *
server_address (Server *server)
{
  return sl_endpoint_get_local_address (server->endpoint);
}

/* A fresh client that connects and gets an echo: the server still serves. */
static void
assert_new_client_served (Server     *server,
                          const char *message)
{
  g_autoptr(Peer) peer = peer_new (server_address (server), G_MAXUINT, TRUE);
  g_autoptr(GPtrArray) one = g_ptr_array_new ();

  g_ptr_array_add (one, peer);
  g_assert_true (wait_all (one, is_connected, WAIT_MS));
  g_assert_cmpint (peer->connect_errno, ==, 0);
  assert_peer_echo (peer, message);
}

/* ---- 1. a thousand concurrent clients ------------------------------------ */

#define N_CLIENTS 1000

static gboolean
echo_complete (Peer *peer)
{
  return peer->n_recv >= peer->n_sent || peer->eof || peer->recv_errno != 0;
}

static void
test_thousand_clients (void)
{
  g_autoptr(SlEndpointConfig) config = server_config (SL_PROTOCOL_TCP, SL_REPLY_ECHO);
  g_autoptr(GPtrArray) peers = g_ptr_array_new_with_free_func ((GDestroyNotify) peer_free);
  guint64 state = 0x9e3779b97f4a7c15;
  guint64 total = 0;
  gint64 connect_start, start, connected_at, echoed_at;
  double close_ms;
  GListModel *connections;
  Server server;

  if (!have_fds (2 * N_CLIENTS + 64))
    return;

  server_start (&server, config, NULL);
  connections = sl_endpoint_get_connections (server.endpoint);

  connect_start = g_get_monotonic_time ();
  for (guint i = 0; i < N_CLIENTS; i++)
    g_ptr_array_add (peers, peer_new (server_address (&server), i, TRUE));
  g_assert_true (wait_all (peers, is_connected, LONG_MS));
  g_assert_true (wait_n_open (&server, N_CLIENTS, LONG_MS));
  connected_at = g_get_monotonic_time ();
  for (guint i = 0; i < N_CLIENTS; i++)
    {
      Peer *peer = g_ptr_array_index (peers, i);

      g_assert_cmpint (peer->connect_errno, ==, 0);
      server_know (&server, peer);
    }

  /* Each client sends one message of its own length with binary bytes in it. */
  for (guint i = 0; i < N_CLIENTS; i++)
    {
      Peer *peer = g_ptr_array_index (peers, i);
      gsize len = 16 + (i * 37) % 1000;
      g_autofree guint8 *message = g_malloc (len);

      fill_random (&state, message, len);
      g_snprintf ((char *) message, 16, "client %05u", i);
      peer_send (peer, message, len);
      total += len;
    }
  g_assert_true (wait_all (peers, echo_complete, LONG_MS));
  echoed_at = g_get_monotonic_time ();

  /* Nothing lost, both ways: what each client sent is what the server got
   * (bytes and SHA-256 of ::received) and what came back. */
  for (guint i = 0; i < N_CLIENTS; i++)
    {
      Peer *peer = g_ptr_array_index (peers, i);

      g_assert_cmpint (peer->recv_errno, ==, 0);
      g_assert_false (peer->eof);
      g_assert_cmpuint (peer->n_recv, ==, peer->n_sent);
      g_assert_cmpuint (peer->server_bytes, ==, peer->n_sent);
      g_assert_true (checksums_equal (peer->sent_sum, peer->server_sum));
      g_assert_true (checksums_equal (peer->sent_sum, peer->recv_sum));
    }
  for (guint i = 0; i < g_list_model_get_n_items (connections); i++)
    {
      g_autoptr(SlConnection) connection = g_list_model_get_item (connections, i);
      Peer *peer = g_hash_table_lookup (server.by_port,
                                        GUINT_TO_POINTER (remote_port (connection)));

      g_assert_nonnull (peer);
      g_assert_cmpuint (sl_connection_get_bytes_in (connection), ==, peer->n_sent);
      g_assert_cmpuint (sl_connection_get_bytes_out (connection), ==, peer->n_sent);
      g_assert_cmpuint (sl_connection_get_messages_in (connection), >=, 1);
    }
  g_assert_cmpuint (sl_endpoint_get_bytes_in (server.endpoint), ==, total);
  g_assert_cmpuint (sl_endpoint_get_bytes_out (server.endpoint), ==, total);
  g_assert_cmpuint (server.received_unmatched, ==, 0);

  /* All close: the server closes in turn and its list empties. */
  start = g_get_monotonic_time ();
  for (guint i = 0; i < N_CLIENTS; i++)
    peer_close (g_ptr_array_index (peers, i));
  g_assert_true (wait_n_open (&server, 0, LONG_MS));
  close_ms = ms_since (start);
  g_assert_cmpuint (server.n_added, ==, N_CLIENTS);
  g_assert_cmpuint (server.n_removed, ==, N_CLIENTS);
  g_assert_cmpuint (server.max_open, ==, N_CLIENTS);
  g_assert_cmpint (sl_endpoint_get_state (server.endpoint), ==, SL_ENDPOINT_STATE_LISTENING);

  figure ("1000 clients: connected and listed in %.0f ms, %u echoes (%lu bytes) in %.0f ms, "
          "all closed and removed in %.0f ms; log %lu rows",
          (connected_at - connect_start) / 1000.0, N_CLIENTS, (gulong) total,
          (echoed_at - connected_at) / 1000.0, close_ms,
          (gulong) sl_log_get_n_appended (sl_endpoint_get_log (server.endpoint)));
  server_stop (&server);
}

/* ---- 2. max clients ---------------------------------------------------- */

#define MAX_CLIENTS 64
#define ATTEMPTS    5000
#define BATCH       250

static void
send_x_on_connect (Peer *peer)
{
  peer_send (peer, "x", 1);
}

static void
test_max_clients (void)
{
  g_autoptr(SlEndpointConfig) config = server_config (SL_PROTOCOL_TCP, SL_REPLY_ECHO);
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func ((GDestroyNotify) peer_free);
  g_autoptr(SlLogEntry) refused = NULL;
  g_autofree char *maximum = g_strdup_printf ("%d", MAX_CLIENTS);
  guint n_eof = 0, n_reset = 0, n_other = 0;
  gint64 start;
  double attempts_ms;
  SlLog *log;
  Server server;

  if (!have_fds (MAX_CLIENTS + 2 * BATCH + 64))
    return;

  sl_endpoint_config_set_max_clients (config, MAX_CLIENTS);
  server_start (&server, config, NULL);
  log = sl_endpoint_get_log (server.endpoint);

  /* 64 clients are served and stay. */
  for (guint i = 0; i < MAX_CLIENTS; i++)
    g_ptr_array_add (held, peer_new (server_address (&server), i, TRUE));
  g_assert_true (wait_all (held, is_connected, WAIT_MS));
  g_assert_true (wait_n_open (&server, MAX_CLIENTS, WAIT_MS));
  for (guint i = 0; i < MAX_CLIENTS; i++)
    {
      g_autofree char *message = g_strdup_printf ("held %u", i);

      assert_peer_echo (g_ptr_array_index (held, i), message);
    }

  /* 5,000 more try, 250 at a time; half send a byte at once. */
  start = g_get_monotonic_time ();
  for (guint b = 0; b < ATTEMPTS / BATCH; b++)
    {
      g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) peer_free);

      for (guint i = 0; i < BATCH; i++)
        {
          Peer *peer = peer_new (server_address (&server), i, FALSE);

          if (i % 2 == 1)
            peer->on_connected = send_x_on_connect;
          g_ptr_array_add (batch, peer);
        }
      g_assert_true (wait_all (batch, is_finished, LONG_MS));
      for (guint i = 0; i < BATCH; i++)
        {
          Peer *peer = g_ptr_array_index (batch, i);

          /* Accepted and closed at once: FIN, or RST when our byte was unread. */
          if (peer->eof && peer->n_recv == 0)
            n_eof++;
          else if (peer->recv_errno == ECONNRESET && peer->n_recv == 0)
            n_reset++;
          else
            {
              g_test_message ("attempt %u: connect %d recv %d eof %d got %lu", i,
                              peer->connect_errno, peer->recv_errno, peer->eof,
                              (gulong) peer->n_recv);
              n_other++;
            }
        }
      g_assert_cmpuint (n_open (&server), ==, MAX_CLIENTS);
    }
  attempts_ms = ms_since (start);

  g_assert_cmpuint (n_other, ==, 0);
  g_assert_cmpuint (n_eof + n_reset, ==, ATTEMPTS);
  g_assert_cmpuint (server.max_open, <=, MAX_CLIENTS);
  g_assert_cmpuint (server.n_added, ==, MAX_CLIENTS);
  g_assert_cmpuint (n_open (&server), ==, MAX_CLIENTS);

  /* Each refusal is a row that says why. */
  g_assert_cmpuint (sl_test_log_count (log, SL_LOG_KIND_EVENT, 0,
                                       "client refused: max clients reached", NULL, 0),
                    ==, ATTEMPTS);
  refused = sl_test_log_find (log, 0, SL_LOG_KIND_EVENT, 0, "client refused", NULL, 0, NULL);
  g_assert_nonnull (refused);
  g_assert_true (sl_test_entry_mentions (refused, maximum));
  g_assert_true (sl_test_entry_mentions (refused, "max clients"));
  g_assert_cmpint (sl_endpoint_get_state (server.endpoint), ==, SL_ENDPOINT_STATE_LISTENING);

  /* The served clients are still served, and a freed place is taken. */
  assert_peer_echo (g_ptr_array_index (held, 0), "still served");
  assert_peer_echo (g_ptr_array_index (held, MAX_CLIENTS - 1), "me too");
  peer_close (g_ptr_array_index (held, 0));
  g_assert_true (wait_n_open (&server, MAX_CLIENTS - 1, WAIT_MS));
  assert_new_client_served (&server, "a place was free");
  g_assert_cmpuint (server.max_open, <=, MAX_CLIENTS);

  figure ("max clients 64: 5000 attempts refused in %.0f ms (%u saw FIN, %u RST because "
          "they had sent a byte), at most %u served at once; log %lu rows",
          attempts_ms, n_eof, n_reset, server.max_open,
          (gulong) sl_log_get_n_appended (log));
  server_stop (&server);
}

/* ---- 3. a storm of RST ----------------------------------------------------- */

#define N_RST 500

static void
reset_on_connect (Peer *peer)
{
  peer_reset (peer);
}

static gboolean
bytes_in_reached (gpointer data)
{
  gpointer *args = data;

  return sl_endpoint_get_bytes_in (args[0]) >= *(guint64 *) args[1];
}

static void
test_rst_storm (void)
{
  g_autoptr(SlEndpointConfig) config = server_config (SL_PROTOCOL_TCP, SL_REPLY_ECHO);
  g_autoptr(GPtrArray) peers = g_ptr_array_new_with_free_func ((GDestroyNotify) peer_free);
  g_autoptr(GPtrArray) quick = g_ptr_array_new_with_free_func ((GDestroyNotify) peer_free);
  g_autoptr(GPtrArray) one = g_ptr_array_new ();
  g_autoptr(Peer) bystander = NULL;
  guint8 payload[100];
  guint64 expected;
  gpointer args[2];
  guint n_econnreset;
  gint64 start;
  double storm_ms, quick_ms;
  SlLog *log;
  Server server;

  if (!have_fds (2 * N_RST + 64))
    return;

  server_start (&server, config, NULL);
  log = sl_endpoint_get_log (server.endpoint);
  bystander = peer_new (server_address (&server), 0, TRUE);
  g_ptr_array_add (one, bystander);
  g_assert_true (wait_all (one, is_connected, WAIT_MS));
  assert_peer_echo (bystander, "before the storm");

  for (guint i = 0; i < N_RST; i++)
    g_ptr_array_add (peers, peer_new (server_address (&server), i, FALSE));
  g_assert_true (wait_all (peers, is_connected, LONG_MS));
  g_assert_true (wait_n_open (&server, N_RST + 1, LONG_MS));

  /* Half of them send first (their echo stays unread), then all reset. */
  memset (payload, 'r', sizeof payload);
  for (guint i = 0; i < N_RST; i += 2)
    peer_send (g_ptr_array_index (peers, i), payload, sizeof payload);
  expected = sl_endpoint_get_bytes_in (server.endpoint) + (N_RST / 2) * sizeof payload;
  args[0] = server.endpoint;
  args[1] = &expected;
  g_assert_true (sl_test_wait_until (bytes_in_reached, args, WAIT_MS));

  start = g_get_monotonic_time ();
  for (guint i = 0; i < N_RST; i++)
    peer_reset (g_ptr_array_index (peers, i));
  g_assert_true (wait_n_open (&server, 1, LONG_MS));
  storm_ms = ms_since (start);
  g_assert_cmpuint (server.n_removed, ==, N_RST);
  g_assert_cmpuint (server.n_removed_reset, ==, N_RST);
  n_econnreset = sl_test_log_count (log, SL_LOG_KIND_ERROR, SL_TEST_ANY_CONNECTION, NULL, NULL,
                                    ECONNRESET);
  g_assert_cmpuint (n_econnreset, ==, N_RST);

  /* Clients that reset as soon as connect() returns, before or after accept(). */
  start = g_get_monotonic_time ();
  for (guint i = 0; i < N_RST / 2; i++)
    {
      Peer *peer = peer_new (server_address (&server), i, FALSE);

      peer->on_connected = reset_on_connect;
      g_ptr_array_add (quick, peer);
    }
  g_assert_true (wait_all (quick, is_finished, LONG_MS));
  sl_test_run_for (200);
  g_assert_true (wait_n_open (&server, 1, LONG_MS));
  quick_ms = ms_since (start);
  g_assert_cmpuint (server.n_added - server.n_removed, ==, 1);

  g_assert_cmpint (sl_endpoint_get_state (server.endpoint), ==, SL_ENDPOINT_STATE_LISTENING);
  assert_peer_echo (bystander, "after the storm");
  assert_new_client_served (&server, "new after the storm");

  figure ("RST storm: %u accepted clients reset, all removed (state reset, %u ECONNRESET "
          "rows) in %.0f ms; %u more reset right after connect(): %u of them were accepted "
          "and removed, %.0f ms",
          N_RST, n_econnreset, storm_ms, N_RST / 2, server.n_added - N_RST - 2, quick_ms);
  server_stop (&server);
}

/* ---- 4. slowloris ----------------------------------------------------------- */

#define N_SLOW    20
#define SLOW_TICKS 30

typedef struct
{
  GPtrArray *slow;
  guint      ticks;
  gboolean   done;
  GArray    *latencies_us;  /* gint64 */
  gint64     sent_at;
  guint      seq;
  gboolean   mismatch;
} Slowloris;

static gboolean
slow_tick_cb (gpointer user_data)
{
  Slowloris *s = user_data;

  for (guint i = 0; i < s->slow->len; i++)
    {
      guint8 byte = 'a' + i % 26;

      peer_send (g_ptr_array_index (s->slow, i), &byte, 1);
    }
  if (++s->ticks < SLOW_TICKS)
    return G_SOURCE_CONTINUE;
  s->done = TRUE;
  return G_SOURCE_REMOVE;
}

static void
fast_send_next (Peer *peer)
{
  Slowloris *s = peer->user_data;
  char message[64];

  memset (message, '.', sizeof message);
  g_snprintf (message, sizeof message, "round trip %u", ++s->seq);
  message[strlen (message)] = '.';
  g_byte_array_set_size (peer->rx, 0);
  s->sent_at = g_get_monotonic_time ();
  peer_send (peer, message, sizeof message);
}

static void
fast_data (Peer *peer)
{
  Slowloris *s = peer->user_data;
  gint64 latency;

  if (peer->rx->len < 64)
    return;
  latency = g_get_monotonic_time () - s->sent_at;
  g_array_append_val (s->latencies_us, latency);
  if (peer->rx->len != 64 || strncmp ((char *) peer->rx->data, "round trip ", 11) != 0)
    s->mismatch = TRUE;
  if (!s->done)
    fast_send_next (peer);
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static gboolean
slow_echoed (Peer *peer)
{
  return peer->n_recv >= SLOW_TICKS || peer->eof || peer->recv_errno != 0;
}

static void
test_slowloris (void)
{
  g_autoptr(SlEndpointConfig) config = server_config (SL_PROTOCOL_TCP, SL_REPLY_ECHO);
  g_autoptr(GPtrArray) slow = g_ptr_array_new_with_free_func ((GDestroyNotify) peer_free);
  g_autoptr(GPtrArray) one = g_ptr_array_new ();
  g_autoptr(Peer) fast = NULL;
  g_autoptr(GArray) latencies = g_array_new (FALSE, FALSE, sizeof (gint64));
  Slowloris s = { slow, 0, FALSE, latencies, 0, 0, FALSE };
  guint n;
  Server server;

  server_start (&server, config, NULL);
  for (guint i = 0; i < N_SLOW; i++)
    g_ptr_array_add (slow, peer_new (server_address (&server), i, FALSE));
  fast = peer_new (server_address (&server), N_SLOW, TRUE);
  g_ptr_array_add (one, fast);
  g_assert_true (wait_all (slow, is_connected, WAIT_MS));
  g_assert_true (wait_all (one, is_connected, WAIT_MS));
  g_assert_true (wait_n_open (&server, N_SLOW + 1, WAIT_MS));
  for (guint i = 0; i < N_SLOW; i++)
    server_know (&server, g_ptr_array_index (slow, i));
  server_know (&server, fast);

  /* One byte every 100 ms from each slow client for 3 s, while the fast one
   * makes round trips back to back. */
  g_timeout_add (100, slow_tick_cb, &s);
  fast->user_data = &s;
  fast->on_data = fast_data;
  fast_send_next (fast);
  g_assert_true (sl_test_wait_for_flag (&s.done, 4 * SLOW_TICKS * 100));
  g_assert_true (wait_all (slow, slow_echoed, WAIT_MS));
  g_assert_true (wait_all (one, got_echo, WAIT_MS));

  g_assert_false (s.mismatch);
  g_assert_cmpuint (latencies->len, ==, s.seq);
  g_assert_cmpuint (latencies->len, >=, 1);
  g_assert_cmpint (fast->recv_errno, ==, 0);
  g_assert_true (checksums_equal (fast->sent_sum, fast->recv_sum));
  g_assert_true (checksums_equal (fast->sent_sum, fast->server_sum));
  for (guint i = 0; i < N_SLOW; i++)
    {
      Peer *peer = g_ptr_array_index (slow, i);

      g_assert_cmpuint (peer->n_sent, ==, SLOW_TICKS);
      g_assert_cmpuint (peer->n_recv, ==, SLOW_TICKS);
      g_assert_cmpuint (peer->server_bytes, ==, SLOW_TICKS);
      g_assert_true (checksums_equal (peer->sent_sum, peer->recv_sum));
    }
  g_assert_cmpuint (n_open (&server), ==, N_SLOW + 1);

  g_array_sort (latencies, compare_gint64);
  n = latencies->len;
  figure ("slowloris: 20 clients x 1 byte per 100 ms for 3 s; meanwhile %u echo round trips "
          "of 64 bytes, latency p50 %.3f ms, p99 %.3f ms, max %.3f ms", n,
          g_array_index (latencies, gint64, n / 2) / 1000.0,
          g_array_index (latencies, gint64, MIN (n - 1, n * 99 / 100)) / 1000.0,
          g_array_index (latencies, gint64, n - 1) / 1000.0);
  server_stop (&server);
}

/* ---- 5. a 100 MiB stream into a server whose log is attached ------------- */

#define STREAM_TOTAL (100 * 1024 * 1024)
#define STREAM_CHUNK (64 * 1024)

typedef struct
{
  guint64 produced;
  guint64 total;
  guint64 state;
} Producer;

static void
produce (Peer *peer)
{
  Producer *producer = peer->user_data;
  guint8 chunk[STREAM_CHUNK];
  gsize len = MIN (sizeof chunk, producer->total - producer->produced);

  if (len == 0)
    return;
  fill_random (&producer->state, chunk, len);
  producer->produced += len;
  if (producer->produced == producer->total)
    peer->shut_when_sent = TRUE;
  peer_send (peer, chunk, len);
}

static gboolean
stream_done (Peer *peer)
{
  return peer->eof || peer->recv_errno != 0 || peer->connect_errno != 0 || peer->send_errno != 0;
}

/* Starts @server and streams STREAM_TOTAL random bytes into it from one
 * peer, which then shuts down writing and reads to EOF. Returns the peer
 * when it is done; *@ms is how long the stream took. */
static Peer *
stream_through (Server           *server,
                SlEndpointConfig *config,
                SlLog            *log,
                Producer         *producer,
                double           *ms)
{
  g_autoptr(GPtrArray) one = g_ptr_array_new ();
  Peer *peer;
  gint64 start;

  server_start (server, config, log);
  peer = peer_new (server_address (server), 0, FALSE);
  g_ptr_array_add (one, peer);
  g_assert_true (wait_all (one, is_connected, WAIT_MS));
  server_know (server, peer);

  start = g_get_monotonic_time ();
  peer->user_data = producer;
  peer->on_drained = produce;
  peer_want_out (peer);
  g_assert_true (wait_all (one, stream_done, 150000));
  *ms = ms_since (start);

  return peer;
}

static void
test_stream_100mb (void)
{
  g_autoptr(SlEndpointConfig) config = server_config (SL_PROTOCOL_TCP, SL_REPLY_ECHO);
  g_autoptr(SlLog) log = sl_log_new (0);
  g_autoptr(Peer) peer = NULL;
  g_autoptr(SlLogEntry) marker = NULL;
  g_autofree char *dropped = NULL;
  Producer producer = { 0, STREAM_TOTAL, 0x2545f4914f6cdd1d };
  guint64 rss_before, rss_after, rss_peak, rss_freed;
  double ms;
  Server server;

  /* The peer writes 100 MiB, reads the echo as it comes, then shuts down
   * writing and reads to EOF: the server closes once the peer is done. */
  rss_before = rss_settled_kb ();
  peer = stream_through (&server, config, log, &producer, &ms);
  rss_peak = status_kb ("VmHWM");
  rss_after = status_kb ("VmRSS");

  g_assert_cmpint (peer->send_errno, ==, 0);
  g_assert_cmpint (peer->recv_errno, ==, 0);
  g_assert_true (peer->eof);
  g_assert_cmpuint (peer->n_sent, ==, STREAM_TOTAL);
  g_assert_cmpuint (peer->server_bytes, ==, STREAM_TOTAL);
  g_assert_cmpuint (sl_endpoint_get_bytes_in (server.endpoint), ==, STREAM_TOTAL);
  g_assert_true (checksums_equal (peer->sent_sum, peer->server_sum));
  /* And back: every byte echoed before the server closed. */
  g_assert_cmpuint (sl_endpoint_get_bytes_out (server.endpoint), ==, STREAM_TOTAL);
  g_assert_cmpuint (peer->n_recv, ==, STREAM_TOTAL);
  g_assert_true (checksums_equal (peer->sent_sum, peer->recv_sum));
  g_assert_true (wait_n_open (&server, 0, WAIT_MS));

  /* The log kept at most its cap and says how many rows it dropped. */
  sl_log_flush (log);
  g_assert_cmpuint (sl_log_get_n_dropped (log), >, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), <=,
                    SL_LOG_DEFAULT_MAX_ENTRIES + 1);
  marker = g_list_model_get_item (G_LIST_MODEL (log), 0);
  dropped = g_strdup_printf ("%lu older entries dropped", (gulong) sl_log_get_n_dropped (log));
  g_assert_cmpstr (sl_log_entry_get_summary (marker), ==, dropped);

#ifndef __SANITIZE_ADDRESS__
  /* Bounded by the cap, not by the stream: 100,000 rows of at most bufsize
   * bytes (echo rows share the received bytes) and their overhead. */
  g_assert_cmpuint (rss_peak - rss_before, <=,
                    (SL_LOG_DEFAULT_MAX_ENTRIES * (1024 + 512)) / 1024 + 32 * 1024);
#endif

  figure ("100 MiB stream, echo, log attached (cap %u, bufsize 1024): %.0f ms (%.0f MiB/s "
          "each way), %lu recv() rows appended, %lu dropped (the log says so), "
          "RSS %lu MiB before, peak %lu MiB, %lu MiB at the end with the log full",
          SL_LOG_DEFAULT_MAX_ENTRIES, ms, 100.0 / (ms / 1000.0),
          (gulong) sl_endpoint_get_messages_in (server.endpoint),
          (gulong) sl_log_get_n_dropped (log), (gulong) rss_before / 1024,
          (gulong) rss_peak / 1024, (gulong) rss_after / 1024);
  server_stop (&server);
  g_clear_object (&log);
  rss_freed = rss_settled_kb ();
  figure ("100 MiB stream: RSS %lu MiB once the endpoint and its log are freed",
          (gulong) rss_freed / 1024);
}

/* The same stream with bufsize 65536 and no reply: each row holds up to 64 KiB,
 * so the log's cap in rows alone would allow 100,000 x 64 KiB; its cap in
 * payload bytes (SL_LOG_DEFAULT_MAX_BYTES, 256 MiB) is above this stream, so
 * the log keeps every byte. Measured for the report. */
static void
test_stream_big_bufsize (void)
{
  g_autoptr(SlEndpointConfig) config = server_config (SL_PROTOCOL_TCP, SL_REPLY_NONE);
  g_autoptr(SlLog) log = sl_log_new (0);
  g_autoptr(Peer) peer = NULL;
  Producer producer = { 0, STREAM_TOTAL, 0x5151 };
  guint64 rss_before, rss_peak;
  double ms;
  Server server;

  sl_endpoint_config_set_bufsize (config, 65536);
  rss_before = rss_settled_kb ();
  peer = stream_through (&server, config, log, &producer, &ms);
  rss_peak = status_kb ("VmHWM");

  g_assert_true (peer->eof);
  g_assert_cmpuint (peer->server_bytes, ==, STREAM_TOTAL);
  g_assert_true (checksums_equal (peer->sent_sum, peer->server_sum));
  g_assert_cmpuint (sl_endpoint_get_bytes_in (server.endpoint), ==, STREAM_TOTAL);
  figure ("100 MiB stream, no reply, bufsize 65536: %.0f ms, %lu recv() rows, none dropped "
          "(%lu), the log holds every byte: RSS %lu MiB before, peak %lu MiB",
          ms, (gulong) sl_endpoint_get_messages_in (server.endpoint),
          (gulong) sl_log_get_n_dropped (log), (gulong) rss_before / 1024,
          (gulong) rss_peak / 1024);
  server_stop (&server);
}

/* An echo client that never reads: how much does the server hold for it? */
#define NOREAD_TOTAL (32 * 1024 * 1024)

static gboolean
sender_stalled (gpointer data)
{
  gpointer *args = data;
  Peer *peer = args[0];
  guint64 *last = args[1];
  gint64 *since = args[2];

  if (peer->n_sent != *last || peer->outq->len == 0)
    {
      *last = peer->n_sent;
      *since = g_get_monotonic_time ();
      return peer->send_errno != 0 || (peer->outq->len == 0 && peer->n_sent >= NOREAD_TOTAL);
    }
  return g_get_monotonic_time () - *since > 500 * 1000;
}

static void
test_echo_client_never_reads (void)
{
  g_autoptr(SlEndpointConfig) config = server_config (SL_PROTOCOL_TCP, SL_REPLY_ECHO);
  g_autoptr(SlLog) log = sl_log_new (1000);
  g_autoptr(GPtrArray) one = g_ptr_array_new ();
  g_autoptr(Peer) peer = NULL;
  g_autoptr(Peer) other = NULL;
  Producer producer = { 0, NOREAD_TOTAL, 0x1234567 };
  guint64 rss_before, rss_after, held, last = 0;
  gint64 since = g_get_monotonic_time ();
  gpointer args[3];
  Server server;

  rss_before = rss_settled_kb ();
  server_start (&server, config, log);
  peer = peer_new (server_address (&server), 0, FALSE);
  peer->reading = FALSE;
  g_ptr_array_add (one, peer);
  g_assert_true (wait_all (one, is_connected, WAIT_MS));

  peer->user_data = &producer;
  peer->on_drained = produce;
  peer_want_out (peer);
  args[0] = peer;
  args[1] = &last;
  args[2] = &since;
  g_assert_true (sl_test_wait_until (sender_stalled, args, LONG_MS));
  rss_after = status_kb ("VmHWM");
  held = sl_endpoint_get_bytes_in (server.endpoint) - sl_endpoint_get_bytes_out (server.endpoint);

  figure ("echo client that never reads: it got %lu KiB into the kernel before its send() "
          "blocked; the server read %lu KiB, sent %lu KiB and holds %lu KiB of replies; "
          "RSS %lu MiB before, peak %lu MiB",
          (gulong) (peer->n_sent - peer->outq->len) / 1024,
          (gulong) sl_endpoint_get_bytes_in (server.endpoint) / 1024,
          (gulong) sl_endpoint_get_bytes_out (server.endpoint) / 1024, (gulong) held / 1024,
          (gulong) rss_before / 1024, (gulong) rss_after / 1024);

  /* Flow control, not memory: the server stopped reading (one row says why)
   * and holds at most SL_MAX_QUEUED_BYTES and one recv() more. */
  g_assert_cmpint (peer->send_errno, ==, 0);
  g_assert_cmpuint (peer->outq->len, >, 0);
  g_assert_cmpuint (held, <=, SL_MAX_QUEUED_BYTES + sl_endpoint_config_get_bufsize (config));
  g_assert_cmpuint (sl_test_log_count (log, SL_LOG_KIND_EVENT, SL_TEST_ANY_CONNECTION,
                                       "reading paused", NULL, 0), ==, 1);

  /* The server still serves others meanwhile. */
  assert_new_client_served (&server, "not stuck");

  /* Once the peer reads, everything flows again and nothing was lost. */
  peer_start_reading (peer);
  g_assert_true (wait_all (one, stream_done, LONG_MS));
  g_assert_cmpint (peer->recv_errno, ==, 0);
  g_assert_cmpuint (peer->n_sent, ==, NOREAD_TOTAL);
  g_assert_cmpuint (peer->n_recv, ==, NOREAD_TOTAL);
  g_assert_true (checksums_equal (peer->sent_sum, peer->recv_sum));
  server_stop (&server);
}

/* An echo client sends, shuts down writing, and only then reads: a Python
 * echo server (recv, sendall, until b'') sends every reply before it sees
 * b'', so the client gets back all it sent. */
#define HALF_CLOSE_TOTAL (6 * 1024 * 1024)

typedef struct
{
  Peer       *peer;
  SlEndpoint *endpoint;
  gint64      since;
  guint64     last_sent;
} LateReader;

static gboolean
peer_closed_seen (SlEndpoint *endpoint)
{
  GListModel *connections = sl_endpoint_get_connections (endpoint);
  g_autoptr(SlConnection) connection = g_list_model_get_item (connections, 0);

  return connection == NULL ||
         sl_connection_get_state (connection) == SL_CONNECTION_STATE_PEER_CLOSED;
}

static gboolean
late_reader_cb (gpointer data)
{
  LateReader *late = data;
  Peer *peer = late->peer;

  if (peer->n_sent != late->last_sent)
    {
      late->last_sent = peer->n_sent;
      late->since = g_get_monotonic_time ();
    }
  /* The server saw our FIN, or our send stalled (flow control): read. */
  if ((peer->n_sent == HALF_CLOSE_TOTAL && peer->outq->len == 0 && !peer->shut_when_sent &&
       peer_closed_seen (late->endpoint)) ||
      g_get_monotonic_time () - late->since > 500 * 1000)
    {
      peer_start_reading (peer);
      return TRUE;
    }
  return FALSE;
}

static void
test_half_close_then_read (void)
{
  g_autoptr(SlEndpointConfig) config = server_config (SL_PROTOCOL_TCP, SL_REPLY_ECHO);
  g_autoptr(GPtrArray) one = g_ptr_array_new ();
  g_autoptr(Peer) peer = NULL;
  Producer producer = { 0, HALF_CLOSE_TOTAL, 0x7777 };
  LateReader late = { NULL, NULL, 0, 0 };
  SlLog *log;
  Server server;

  server_start (&server, config, NULL);
  log = sl_endpoint_get_log (server.endpoint);
  peer = peer_new (server_address (&server), 0, FALSE);
  peer->reading = FALSE;
  g_ptr_array_add (one, peer);
  g_assert_true (wait_all (one, is_connected, WAIT_MS));
  server_know (&server, peer);

  peer->user_data = &producer;
  peer->on_drained = produce;
  peer_want_out (peer);
  late.peer = peer;
  late.endpoint = server.endpoint;
  late.since = g_get_monotonic_time ();
  g_assert_true (sl_test_wait_until (late_reader_cb, &late, LONG_MS));
  g_assert_true (wait_all (one, stream_done, LONG_MS));

  if (peer->n_recv != HALF_CLOSE_TOTAL)
    g_test_message ("echo: %lu of %lu bytes came back; unsent data discarded rows: %u",
                    (gulong) peer->n_recv, (gulong) HALF_CLOSE_TOTAL,
                    sl_test_log_count (log, SL_LOG_KIND_EVENT, SL_TEST_ANY_CONNECTION,
                                       "unsent data discarded", NULL, 0));
  g_assert_true (peer->eof);
  g_assert_cmpint (peer->recv_errno, ==, 0);
  g_assert_cmpuint (peer->server_bytes, ==, HALF_CLOSE_TOTAL);
  g_assert_cmpuint (peer->n_recv, ==, HALF_CLOSE_TOTAL);
  g_assert_true (checksums_equal (peer->sent_sum, peer->recv_sum));
  g_assert_cmpuint (sl_test_log_count (log, SL_LOG_KIND_EVENT, SL_TEST_ANY_CONNECTION,
                                       "unsent data discarded", NULL, 0), ==, 0);
  g_assert_true (wait_n_open (&server, 0, WAIT_MS));
  server_stop (&server);
}

/* ---- 8. a UDP flood from many source ports --------------------------------- */

#define UDP_SOURCES   2000
#define UDP_DATAGRAMS 50000
#define UDP_BURST     100

typedef struct
{
  SlEndpoint *endpoint;
  guint64     messages;
} MessagesWait;

static gboolean
messages_in_reached (gpointer data)
{
  MessagesWait *wait = data;

  return sl_endpoint_get_messages_in (wait->endpoint) >= wait->messages;
}

static guint
drain_datagrams (int fd)
{
  char buffer[64];
  guint n = 0;

  while (recv (fd, buffer, sizeof buffer, MSG_DONTWAIT) >= 0)
    n++;
  return n;
}

static SlConnection *
find_peer_connection (SlEndpoint *endpoint,
                      guint16     port)
{
  GListModel *connections = sl_endpoint_get_connections (endpoint);

  for (guint i = 0; i < g_list_model_get_n_items (connections); i++)
    {
      g_autoptr(SlConnection) connection = g_list_model_get_item (connections, i);

      if (remote_port (connection) == port)
        return g_steal_pointer (&connection);
    }
  return NULL;
}

static void
test_udp_flood (void)
{
  g_autoptr(SlEndpointConfig) config = server_config (SL_PROTOCOL_UDP, SL_REPLY_ECHO);
  g_autoptr(GSocketAddress) any = sl_test_loopback_address (G_SOCKET_FAMILY_IPV4, 0);
  g_autoptr(SlConnection) student_before = NULL;
  g_autoptr(SlConnection) student_after = NULL;
  g_autofree int *sources = g_new (int, UDP_SOURCES);
  guint64 total = 0, student_sent = 0, student_got = 0;
  guint64 rss_before, rss_peak;
  MessagesWait wait;
  guint n_forget_rows, peers_at_end;
  int student;
  gint64 start;
  double ms;
  Server server;

  if (!have_fds (UDP_SOURCES + 64))
    return;

  rss_before = rss_settled_kb ();
  server_start (&server, config, NULL);
  wait.endpoint = server.endpoint;
  for (guint i = 0; i < UDP_SOURCES; i++)
    {
      sources[i] = sl_test_peer_socket (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, any);
      g_assert_no_errno (sources[i]);
    }
  student = sl_test_peer_socket (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, any);
  g_assert_no_errno (student);

  /* A student's client sends before the flood and once per burst. */
  g_assert_cmpint (sl_test_peer_sendto (student, "hi", 2, server_address (&server)), ==, 2);
  student_sent++;
  total += 2;
  wait.messages = 1;
  g_assert_true (sl_test_wait_until (messages_in_reached, &wait, WAIT_MS));
  student_before = find_peer_connection (server.endpoint, sl_test_fd_local_port (student));
  g_assert_nonnull (student_before);

  start = g_get_monotonic_time ();
  for (guint d = 0; d < UDP_DATAGRAMS; d++)
    {
      char datagram[32];
      int len = g_snprintf (datagram, sizeof datagram, "flood %u", d);

      g_assert_cmpint (sl_test_peer_sendto (sources[d % UDP_SOURCES], datagram, len,
                                            server_address (&server)), ==, len);
      total += len;
      if ((d + 1) % UDP_BURST == 0)
        {
          g_assert_cmpint (sl_test_peer_sendto (student, "still here", 10,
                                                server_address (&server)), ==, 10);
          student_sent++;
          total += 10;
          /* Paced so that the server's receive buffer never overflows: every
           * datagram must be counted. */
          wait.messages = d + 1 + student_sent;
          g_assert_true (sl_test_wait_until (messages_in_reached, &wait, WAIT_MS));
          student_got += drain_datagrams (student);
        }
    }
  ms = ms_since (start);
  rss_peak = status_kb ("VmHWM");

  g_assert_cmpuint (sl_endpoint_get_messages_in (server.endpoint), ==,
                    UDP_DATAGRAMS + student_sent);
  g_assert_cmpuint (sl_endpoint_get_bytes_in (server.endpoint), ==, total);
  peers_at_end = n_open (&server);
  n_forget_rows = sl_test_log_count (sl_endpoint_get_log (server.endpoint), SL_LOG_KIND_EVENT,
                                     0, "forgotten", NULL, 0);
  figure ("UDP flood: %u datagrams from %u source ports in %.0f ms (paced by %u); peers listed "
          "at most %u, %u at the end, %u peer objects made, %u \"peers forgotten\" rows; RSS %lu "
          "MiB before, peak %lu MiB",
          UDP_DATAGRAMS, UDP_SOURCES, ms, UDP_BURST, server.max_open, peers_at_end,
          server.n_added, n_forget_rows, (gulong) rss_before / 1024, (gulong) rss_peak / 1024);

  /* Bounded: the least recently active peers are forgotten, with a row. */
  g_assert_cmpuint (server.max_open, <=, SL_MAX_DATAGRAM_PEERS);
  g_assert_cmpuint (peers_at_end, <=, SL_MAX_DATAGRAM_PEERS);
  g_assert_cmpuint (n_forget_rows, >=, 1);
  g_assert_cmpuint (server.n_added - server.n_removed, ==, peers_at_end);

  /* The student, active all along, was never forgotten, and got every echo. */
  student_after = find_peer_connection (server.endpoint, sl_test_fd_local_port (student));
  g_assert_true (student_after == student_before);
  g_assert_cmpuint (sl_connection_get_messages_in (student_after), ==, student_sent);
  for (guint i = 0; i < 100 && student_got < student_sent; i++)
    {
      sl_test_run_for (10);
      student_got += drain_datagrams (student);
    }
  g_assert_cmpuint (student_got, ==, student_sent);
  g_assert_cmpint (sl_endpoint_get_state (server.endpoint), ==, SL_ENDPOINT_STATE_LISTENING);

  /* Unpaced: as fast as the sockets take them. The kernel drops what the
   * server's buffer cannot hold (UDP); the server counts what arrived. */
  {
    guint64 before = sl_endpoint_get_messages_in (server.endpoint);
    guint64 last = G_MAXUINT64;
    guint sent = 0;
    char buffer[16];

    start = g_get_monotonic_time ();
    for (guint d = 0; d < UDP_DATAGRAMS; d++)
      if (sl_test_peer_sendto (sources[d % UDP_SOURCES], "burst", 5,
                               server_address (&server)) == 5)
        sent++;
    for (guint i = 0; i < 200 && sl_endpoint_get_messages_in (server.endpoint) != last; i++)
      {
        last = sl_endpoint_get_messages_in (server.endpoint);
        sl_test_run_for (50);
      }
    g_assert_cmpuint (last - before, <=, sent);
    g_assert_cmpuint (last - before, >, 0);
    g_assert_cmpuint (n_open (&server), <=, SL_MAX_DATAGRAM_PEERS);
    g_assert_cmpuint (server.max_open, <=, SL_MAX_DATAGRAM_PEERS);
    figure ("UDP flood unpaced: %u datagrams sent in one loop, %lu received and counted, the "
            "kernel dropped the rest; %.0f ms until quiet; peers listed %u",
            sent, (gulong) (last - before), ms_since (start), n_open (&server));

    /* And serves afterwards. */
    drain_datagrams (student);
    g_assert_cmpint (sl_test_peer_sendto (student, "after", 5, server_address (&server)), ==, 5);
    g_assert_cmpint (sl_test_peer_recvfrom (student, buffer, sizeof buffer, NULL, WAIT_MS), ==, 5);
    g_assert_cmpmem (buffer, 5, "after", 5);
  }

  for (guint i = 0; i < UDP_SOURCES; i++)
    close (sources[i]);
  close (student);
  g_clear_object (&student_before);
  g_clear_object (&student_after);
  server_stop (&server);
}

/* ---- 6. invalid UTF-8, base64 and JSON streams ------------------------------ */

#define INVALID_TOTAL (256 * 1024)

typedef struct
{
  SlEncoding  encoding;
  const char *garbage;    /* what the stream starts and keeps coming back to */
  const char *valid;      /* a valid message in that encoding */
  const char *decoded;    /* part of what the valid message decodes to */
} InvalidCase;

static const InvalidCase invalid_cases[] = {
  { SL_ENCODING_TEXT, "\xff\xfe\xc3\x28 caf\xe9 \xe2\x82", "h\xc3\xa9llo", "h\xc3\xa9llo" },
  { SL_ENCODING_BASE64, "@@ not*base64 !!", "aGVsbG8=", "hello" },
  { SL_ENCODING_JSON, "{\"open\": [1, 2,", "{\"ok\": true}", "\"ok\"" },
};

static void
test_invalid_streams (void)
{
  for (guint c = 0; c < G_N_ELEMENTS (invalid_cases); c++)
    {
      const InvalidCase *test = &invalid_cases[c];
      g_autoptr(SlEndpointConfig) config = server_config (SL_PROTOCOL_TCP, SL_REPLY_ECHO);
      g_autoptr(GPtrArray) peers = g_ptr_array_new_with_free_func ((GDestroyNotify) peer_free);
      g_autoptr(GChecksum) rows_sum = g_checksum_new (G_CHECKSUM_SHA256);
      g_autoptr(GString) first_problem = g_string_new (NULL);
      g_autofree guint8 *stream = g_malloc (INVALID_TOTAL);
      guint64 state = 0xdeadbeef + c;
      guint n_rows = 0, n_undecodable = 0, n_escaped = 0;
      guint64 row_bytes = 0;
      GListModel *model;
      SlLog *log;
      Peer *bad, *good;
      Server server;
      guint conn_id = 0;

      sl_endpoint_config_set_encoding (config, test->encoding);
      server_start (&server, config, NULL);
      log = sl_endpoint_get_log (server.endpoint);

      /* Random bytes with the garbage every 1,000 bytes: no 1,024-byte recv()
       * can be valid in any of the encodings. */
      fill_random (&state, stream, INVALID_TOTAL);
      for (gsize at = 0; at + strlen (test->garbage) < INVALID_TOTAL; at += 1000)
        memcpy (stream + at, test->garbage, strlen (test->garbage));

      bad = peer_new (server_address (&server), 0, FALSE);
      good = peer_new (server_address (&server), 1, TRUE);
      g_ptr_array_add (peers, bad);
      g_ptr_array_add (peers, good);
      g_assert_true (wait_all (peers, is_connected, WAIT_MS));
      g_assert_true (wait_n_open (&server, 2, WAIT_MS));
      server_know (&server, bad);
      server_know (&server, good);

      peer_send (bad, stream, INVALID_TOTAL);
      g_assert_true (wait_all (peers, got_echo, LONG_MS));

      /* Counted and echoed byte for byte. */
      g_assert_cmpint (bad->recv_errno, ==, 0);
      g_assert_cmpuint (bad->server_bytes, ==, INVALID_TOTAL);
      g_assert_cmpuint (bad->n_recv, ==, INVALID_TOTAL);
      g_assert_true (checksums_equal (bad->sent_sum, bad->server_sum));
      g_assert_true (checksums_equal (bad->sent_sum, bad->recv_sum));
      g_assert_cmpuint (sl_endpoint_get_bytes_in (server.endpoint), ==, INVALID_TOTAL);

      /* Every row keeps its bytes; decoding them in the server's encoding
       * fails with a message that says why (the window and the CLI show
       * that message and the raw bytes), or for text shows \xNN escapes. */
      model = G_LIST_MODEL (log);
      sl_log_flush (log);
      for (guint i = 0; i < g_list_model_get_n_items (model); i++)
        {
          g_autoptr(SlLogEntry) entry = g_list_model_get_item (model, i);
          g_autoptr(GError) error = NULL;
          g_autofree char *decoded = NULL;
          GBytes *payload;

          if (sl_log_entry_get_kind (entry) != SL_LOG_KIND_DATA_IN ||
              g_strcmp0 (sl_log_entry_get_peer (entry), NULL) == 0)
            continue;
          payload = sl_log_entry_get_payload (entry);
          g_assert_nonnull (payload);
          if (conn_id == 0)
            conn_id = sl_log_entry_get_connection_id (entry);
          if (sl_log_entry_get_connection_id (entry) != conn_id)
            continue;

          n_rows++;
          row_bytes += g_bytes_get_size (payload);
          g_checksum_update (rows_sum, g_bytes_get_data (payload, NULL),
                             g_bytes_get_size (payload));
          decoded = sl_codec_decode (test->encoding, payload, SL_CODEC_DISPLAY_LIMIT, &error);
          if (decoded == NULL)
            {
              g_assert_error (error, SL_ERROR, SL_ERROR_DECODE);
              g_assert_cmpuint (strlen (error->message), >, 10);
              if (first_problem->len == 0)
                g_string_assign (first_problem, error->message);
              n_undecodable++;
            }
          else if (strstr (decoded, "\\x") != NULL)
            n_escaped++;
        }
      g_assert_cmpuint (row_bytes, ==, INVALID_TOTAL);
      g_assert_true (checksums_equal (rows_sum, bad->sent_sum));
      if (test->encoding == SL_ENCODING_TEXT)
        g_assert_cmpuint (n_escaped, ==, n_rows);
      else
        g_assert_cmpuint (n_undecodable, ==, n_rows);

      /* The server keeps serving: a valid message from another client, and
       * from the one that sent garbage, is echoed and decodes. */
      assert_peer_echo (good, test->valid);
      {
        g_autoptr(SlLogEntry) last = sl_test_log_find (log, 0, SL_LOG_KIND_DATA_IN,
                                                       SL_TEST_ANY_CONNECTION, NULL, NULL, 0,
                                                       NULL);
        g_autoptr(GBytes) valid = g_bytes_new_static (test->valid, strlen (test->valid));
        g_autofree char *decoded = sl_codec_decode (test->encoding, valid, 0, NULL);

        g_assert_nonnull (last);
        g_assert_nonnull (decoded);
        g_assert_nonnull (strstr (decoded, test->decoded));
      }
      bad->rx = g_byte_array_new ();
      assert_peer_echo (bad, test->valid);
      g_assert_cmpuint (n_open (&server), ==, 2);
      g_assert_cmpint (sl_endpoint_get_state (server.endpoint), ==, SL_ENDPOINT_STATE_LISTENING);

      figure ("invalid %s stream: %u KiB in %u recv() rows, all counted and echoed; %u rows "
              "undecodable, %u shown with \\xNN escapes; first message: %s",
              sl_encoding_to_string (test->encoding), INVALID_TOTAL / 1024, n_rows,
              n_undecodable, n_escaped,
              first_problem->len > 0 ? first_problem->str : "(none: text never fails)");
      server_stop (&server);
    }
}

/* ---- 7. the peer vanishes while the app is blocked in recv() -------------- */

#define N_BLOCKED 8

static gboolean
pending_is_set (gpointer data)
{
  return sl_connection_get_pending_call (data) != NULL;
}

/* Checks how a blocked recv() ended: b'' after FIN, ECONNRESET after RST,
 * each with its row, and the connection out of the list. */
static void
assert_recv_ended (SlEndpoint   *endpoint,
                   SlConnection *connection,
                   GAsyncResult *result,
                   gboolean      reset)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = sl_connection_recv_finish (connection, result, &error);
  g_autoptr(SlLogEntry) row = NULL;
  SlLog *log = sl_endpoint_get_log (endpoint);
  guint id = sl_connection_get_id (connection);

  if (reset)
    {
      g_assert_null (bytes);
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, "ECONNRESET"));
      row = sl_test_log_find (log, 0, SL_LOG_KIND_ERROR, id, "recv(", "ConnectionResetError",
                              ECONNRESET, NULL);
      g_assert_nonnull (row);
      g_assert_nonnull (sl_log_entry_get_explanation (row));
      g_assert_cmpint (sl_connection_get_state (connection), ==, SL_CONNECTION_STATE_RESET);
    }
  else
    {
      g_assert_no_error (error);
      g_assert_nonnull (bytes);
      g_assert_cmpuint (g_bytes_get_size (bytes), ==, 0);
      row = sl_test_log_find (log, 0, SL_LOG_KIND_EVENT, id, "recv(", "peer closed", 0, NULL);
      g_assert_nonnull (row);
      g_assert_true (sl_test_entry_mentions (row, "FIN"));
    }
  g_assert_null (sl_connection_get_pending_call (connection));
  g_assert_false (g_list_store_find (G_LIST_STORE (sl_endpoint_get_connections (endpoint)),
                                     connection, NULL));
}

static void
test_blocked_recv_peer_vanishes (void)
{
  g_autoptr(SlEndpointConfig) config = server_config (SL_PROTOCOL_TCP, SL_REPLY_ECHO);
  SlConnection *connections[N_BLOCKED];
  GAsyncResult *results[N_BLOCKED] = { NULL };
  int fds[N_BLOCKED];
  SlEndpoint *endpoint;
  gint64 start;
  double ms;

  sl_endpoint_config_set_io_mode (config, SL_IO_MODE_BLOCKING);
  sl_endpoint_config_set_close_on_eof (config, TRUE);
  endpoint = sl_test_endpoint_new_started (config);

  /* Eight conversations, each with a worker thread blocked in recv(). */
  for (guint i = 0; i < N_BLOCKED; i++)
    {
      fds[i] = sl_test_peer_connect_endpoint (endpoint);
      connections[i] = sl_test_accept (endpoint, WAIT_MS);
      sl_connection_recv_async (connections[i], NULL, sl_test_store_result_cb, &results[i]);
      g_assert_true (sl_test_wait_until (pending_is_set, connections[i], WAIT_MS));
    }
  sl_test_run_for (50);
  for (guint i = 0; i < N_BLOCKED; i++)
    g_assert_null (results[i]);

  /* Half the peers close (FIN), half abort (RST). */
  start = g_get_monotonic_time ();
  for (guint i = 0; i < N_BLOCKED; i++)
    {
      if (i % 2 == 0)
        g_assert_no_errno (close (fds[i]));
      else
        sl_test_peer_reset (fds[i]);
    }
  for (guint i = 0; i < N_BLOCKED; i++)
    {
      g_assert_true (sl_test_wait_for_result (&results[i], WAIT_MS));
      assert_recv_ended (endpoint, connections[i], results[i], i % 2 == 1);
    }
  ms = ms_since (start);
  g_assert_cmpuint (g_list_model_get_n_items (sl_endpoint_get_connections (endpoint)), ==, 0);
  g_assert_cmpint (sl_endpoint_get_state (endpoint), ==, SL_ENDPOINT_STATE_LISTENING);
  figure ("blocked recv(): %u worker threads waiting; their peers closed or reset; all %u "
          "calls ended (b'' or ECONNRESET, each with its row) within %.1f ms",
          N_BLOCKED, N_BLOCKED, ms);

  for (guint i = 0; i < N_BLOCKED; i++)
    {
      g_clear_object (&results[i]);
      g_clear_object (&connections[i]);
    }

  /* The endpoint still accepts and serves. */
  {
    g_autoptr(SlConnection) connection = NULL;
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GBytes) bytes = NULL;
    int fd = sl_test_peer_connect_endpoint (endpoint);
    char echo[4];

    connection = sl_test_accept (endpoint, WAIT_MS);
    g_assert_true (sl_test_peer_send_all (fd, "ping", 4, WAIT_MS));
    sl_connection_recv_async (connection, NULL, sl_test_store_result_cb, &result);
    g_assert_true (sl_test_wait_for_result (&result, WAIT_MS));
    bytes = sl_connection_recv_finish (connection, result, NULL);
    g_assert_nonnull (bytes);
    g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "ping", 4);
    g_assert_cmpuint (sl_test_peer_recv_all (fd, echo, 4, WAIT_MS), ==, 4);
    g_assert_cmpmem (echo, 4, "ping", 4);
    close (fd);
  }

  sl_endpoint_stop (endpoint);
  sl_test_assert_finalize (endpoint, WAIT_MS);
}

/* A python3 peer killed with SIGKILL: the kernel closes its socket, with RST
 * when our echo is still unread there, else with FIN. */
static const char python_peer[] =
  "import socket, sys, time\n"
  "s = socket.create_connection(('127.0.0.1', int(sys.argv[1])))\n"
  "s.sendall(b'x')\n"
  "time.sleep(60)\n";

static void
test_python_peer_killed (void)
{
  const char *python = g_getenv ("SL_PYTHON");

  if (python == NULL)
    python = "/usr/bin/python3";
  if (!g_file_test (python, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip_printf ("%s is not there", python);
      return;
    }

  for (guint echo = 0; echo < 2; echo++)
    {
      g_autoptr(SlEndpointConfig) config = server_config (SL_PROTOCOL_TCP,
                                                          echo ? SL_REPLY_ECHO : SL_REPLY_NONE);
      g_autoptr(GSubprocess) process = NULL;
      g_autoptr(SlConnection) connection = NULL;
      g_autoptr(GAsyncResult) first = NULL;
      g_autoptr(GAsyncResult) second = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *port = NULL;
      SlEndpoint *endpoint;
      gint64 start;

      sl_endpoint_config_set_io_mode (config, SL_IO_MODE_BLOCKING);
      endpoint = sl_test_endpoint_new_started (config);
      port = g_strdup_printf ("%u", sl_endpoint_get_local_port (endpoint));
      process = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, python, "-c", python_peer,
                                  port, NULL);
      g_assert_no_error (error);

      connection = sl_test_accept (endpoint, WAIT_MS);
      sl_connection_recv_async (connection, NULL, sl_test_store_result_cb, &first);
      g_assert_true (sl_test_wait_for_result (&first, WAIT_MS));
      bytes = sl_connection_recv_finish (connection, first, &error);
      g_assert_no_error (error);
      g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "x", 1);

      /* Blocked again; then the peer's process dies. */
      sl_connection_recv_async (connection, NULL, sl_test_store_result_cb, &second);
      g_assert_true (sl_test_wait_until (pending_is_set, connection, WAIT_MS));
      sl_test_run_for (50);
      g_assert_null (second);
      start = g_get_monotonic_time ();
      g_subprocess_force_exit (process);
      g_assert_true (sl_test_wait_for_result (&second, WAIT_MS));
      assert_recv_ended (endpoint, connection, second, echo);
      figure ("python3 peer killed (SIGKILL) while recv() blocked, %s: the call ended after "
              "%.1f ms with %s", echo ? "our echo unread there" : "nothing unread",
              ms_since (start), echo ? "ECONNRESET" : "b''");

      g_subprocess_wait (process, NULL, NULL);
      g_clear_object (&connection);
      sl_endpoint_stop (endpoint);
      sl_test_assert_finalize (endpoint, WAIT_MS);
    }
}

/* ---- 9. nothing lost: an exported JSON log reads back byte for byte ------- */

/* What arrived on one connection, in order, from a log's rows. */
static void
sum_rows (SlLog     *log,
          SlLogKind  kind,
          guint      endpoint_id,
          guint      connection_id,
          GChecksum *sum,
          guint64   *bytes)
{
  GListModel *model = G_LIST_MODEL (log);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(SlLogEntry) entry = g_list_model_get_item (model, i);
      GBytes *payload = sl_log_entry_get_payload (entry);

      if (sl_log_entry_get_kind (entry) != kind || payload == NULL ||
          sl_log_entry_get_endpoint_id (entry) != endpoint_id ||
          sl_log_entry_get_connection_id (entry) != connection_id)
        continue;
      g_checksum_update (sum, g_bytes_get_data (payload, NULL), g_bytes_get_size (payload));
      *bytes += g_bytes_get_size (payload);
    }
}

static void
test_export_binary_session (void)
{
  g_autoptr(SlEndpointConfig) tcp_config = server_config (SL_PROTOCOL_TCP, SL_REPLY_ECHO);
  g_autoptr(SlEndpointConfig) udp_config = server_config (SL_PROTOCOL_UDP, SL_REPLY_ECHO);
  g_autoptr(GSocketAddress) any = sl_test_loopback_address (G_SOCKET_FAMILY_IPV4, 0);
  g_autoptr(SlLog) log = sl_log_new (0);
  g_autoptr(SlLog) imported = NULL;
  g_autoptr(GPtrArray) one = g_ptr_array_new ();
  g_autoptr(Peer) peer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GChecksum) in_sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GChecksum) out_sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *json = NULL;
  g_autofree guint8 *blob = g_malloc (64 * 1024);
  guint8 all[256];
  guint64 state = 0xabcdef, in_bytes = 0, out_bytes = 0;
  guint n, n_payloads = 0, conn_id = 0, tcp_id;
  char buffer[64];
  int udp;
  Server tcp, udp_server;

  server_start (&tcp, tcp_config, log);
  server_start (&udp_server, udp_config, log);
  tcp_id = sl_endpoint_get_id (tcp.endpoint);

  /* TCP: every byte value, NULs, invalid UTF-8, 64 KiB of random bytes. */
  peer = peer_new (server_address (&tcp), 0, FALSE);
  g_ptr_array_add (one, peer);
  g_assert_true (wait_all (one, is_connected, WAIT_MS));
  server_know (&tcp, peer);
  for (guint i = 0; i < 256; i++)
    all[i] = (guint8) i;
  fill_random (&state, blob, 64 * 1024);
  peer_send (peer, all, sizeof all);
  g_assert_true (wait_all (one, got_echo, WAIT_MS));
  peer_send (peer, "\0\0\0\0", 4);
  g_assert_true (wait_all (one, got_echo, WAIT_MS));
  peer_send (peer, "\xff\xfe\xc3\x28\r\n\\'\"", 9);
  g_assert_true (wait_all (one, got_echo, WAIT_MS));
  peer_send (peer, blob, 64 * 1024);
  g_assert_true (wait_all (one, got_echo, WAIT_MS));
  g_assert_true (checksums_equal (peer->sent_sum, peer->recv_sum));

  /* UDP: an empty datagram (a payload of 0 bytes, not none) and binary. */
  udp = sl_test_peer_socket (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, any);
  g_assert_no_errno (udp);
  g_assert_cmpint (sl_test_peer_sendto (udp, "", 0, server_address (&udp_server)), ==, 0);
  g_assert_cmpint (sl_test_peer_recvfrom (udp, buffer, sizeof buffer, NULL, WAIT_MS), ==, 0);
  g_assert_cmpint (sl_test_peer_sendto (udp, all + 250, 6, server_address (&udp_server)), ==, 6);
  g_assert_cmpint (sl_test_peer_recvfrom (udp, buffer, sizeof buffer, NULL, WAIT_MS), ==, 6);
  close (udp);

  /* An error row with an errno, then both stop (close rows). */
  peer_reset (peer);
  g_assert_true (wait_n_open (&tcp, 0, WAIT_MS));
  server_stop (&tcp);
  server_stop (&udp_server);

  json = sl_log_export_json (log);
  imported = sl_log_import_json (json, strlen (json), &error);
  g_assert_no_error (error);
  g_assert_nonnull (imported);

  n = g_list_model_get_n_items (G_LIST_MODEL (log));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (imported)), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SlLogEntry) a = g_list_model_get_item (G_LIST_MODEL (log), i);
      g_autoptr(SlLogEntry) b = g_list_model_get_item (G_LIST_MODEL (imported), i);

      sl_test_assert_same_entry (a, b);
      if (sl_log_entry_get_payload (a) != NULL)
        n_payloads++;
      if (conn_id == 0 && sl_log_entry_get_kind (a) == SL_LOG_KIND_DATA_IN &&
          sl_log_entry_get_endpoint_id (a) == tcp_id)
        conn_id = sl_log_entry_get_connection_id (a);
    }
  g_assert_cmpuint (sl_test_log_count (imported, SL_LOG_KIND_ERROR, SL_TEST_ANY_CONNECTION,
                                       NULL, NULL, ECONNRESET), ==, 1);
  g_assert_cmpuint (sl_test_log_count (imported, SL_LOG_KIND_DATA_IN, SL_TEST_ANY_CONNECTION,
                                       NULL, "b''", 0), >=, 1);

  /* From the file alone: what the peer sent and what it got back. */
  sum_rows (imported, SL_LOG_KIND_DATA_IN, tcp_id, conn_id, in_sum, &in_bytes);
  sum_rows (imported, SL_LOG_KIND_DATA_OUT, tcp_id, conn_id, out_sum, &out_bytes);
  g_assert_cmpuint (in_bytes, ==, peer->n_sent);
  g_assert_cmpuint (out_bytes, ==, peer->n_sent);
  g_assert_true (checksums_equal (in_sum, peer->sent_sum));
  g_assert_true (checksums_equal (out_sum, peer->sent_sum));

  figure ("JSON export of a binary session: %u rows (%u with payloads, %lu bytes each way on "
          "TCP), %lu bytes of JSON, read back equal field by field and byte for byte",
          n, n_payloads, (gulong) in_bytes, (gulong) strlen (json));
}

/* A capped log says how many rows it dropped, also in its export. */
static void
test_export_capped_log (void)
{
  g_autoptr(SlEndpointConfig) config = server_config (SL_PROTOCOL_TCP, SL_REPLY_ECHO);
  g_autoptr(SlLog) log = sl_log_new (100);
  g_autoptr(SlLog) imported = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) one = g_ptr_array_new ();
  g_autoptr(SlLogEntry) marker = NULL;
  g_autoptr(SlLogEntry) first = NULL;
  g_autoptr(Peer) peer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *count = NULL;
  JsonObject *root;
  Server server;

  server_start (&server, config, log);
  peer = peer_new (server_address (&server), 0, TRUE);
  g_ptr_array_add (one, peer);
  g_assert_true (wait_all (one, is_connected, WAIT_MS));
  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *message = g_strdup_printf ("message %u", i);

      assert_peer_echo (peer, message);
    }
  sl_log_flush (log);
  g_assert_cmpuint (sl_log_get_n_dropped (log), >=, 500);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 101);
  count = g_strdup_printf ("%lu older entries dropped", (gulong) sl_log_get_n_dropped (log));
  marker = g_list_model_get_item (G_LIST_MODEL (log), 0);
  g_assert_cmpstr (sl_log_entry_get_summary (marker), ==, count);

  json = sl_log_export_json (log);
  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (root, "dropped"), ==, sl_log_get_n_dropped (log));

  imported = sl_log_import_json (json, strlen (json), &error);
  g_assert_no_error (error);
  first = g_list_model_get_item (G_LIST_MODEL (imported), 0);
  g_assert_cmpstr (sl_log_entry_get_summary (first), ==, count);

  figure ("capped log (100 rows) after 300 echoes: %lu rows dropped, said by its first row "
          "and by \"dropped\" in the JSON export", (gulong) sl_log_get_n_dropped (log));
  server_stop (&server);
}

int
main (int    argc,
      char **argv)
{
  struct rlimit limit;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  /* Many sockets: raise the soft limit of descriptors to the hard one. */
  if (getrlimit (RLIMIT_NOFILE, &limit) == 0)
    {
      limit.rlim_cur = limit.rlim_max;
      if (setrlimit (RLIMIT_NOFILE, &limit) == 0)
        fd_limit = limit.rlim_cur;
    }
  signal (SIGPIPE, SIG_IGN);

  g_test_add_func ("/load/thousand-clients", test_thousand_clients);
  g_test_add_func ("/load/max-clients", test_max_clients);
  g_test_add_func ("/load/rst-storm", test_rst_storm);
  g_test_add_func ("/load/slowloris", test_slowloris);
  g_test_add_func ("/load/stream-100mb", test_stream_100mb);
  g_test_add_func ("/load/stream-big-bufsize", test_stream_big_bufsize);
  g_test_add_func ("/load/echo-client-never-reads", test_echo_client_never_reads);
  g_test_add_func ("/load/half-close-then-read", test_half_close_then_read);
  g_test_add_func ("/load/invalid-streams", test_invalid_streams);
  g_test_add_func ("/load/blocked-recv-peer-vanishes", test_blocked_recv_peer_vanishes);
  g_test_add_func ("/load/python-peer-killed", test_python_peer_killed);
  g_test_add_func ("/load/udp-flood", test_udp_flood);
  g_test_add_func ("/load/export-binary-session", test_export_binary_session);
  g_test_add_func ("/load/export-capped-log", test_export_capped_log);

  return g_test_run ();
}
