/* sl-test-util.c — shared helpers for the core tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <glib-unix.h>

#include "sl-test-util.h"

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
sl_test_wait_until (gboolean (*condition) (gpointer data),
                    gpointer   data,
                    guint      timeout_ms)
{
  gboolean expired = FALSE;
  guint id;

  if (condition (data))
    return TRUE;

  id = g_timeout_add (timeout_ms, timeout_cb, &expired);
  while (!expired && !condition (data))
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (id);

  return condition (data);
}

static gboolean
flag_set (gpointer data)
{
  return *(const gboolean *) data;
}

gboolean
sl_test_wait_for_flag (const gboolean *flag,
                       guint           timeout_ms)
{
  return sl_test_wait_until (flag_set, (gpointer) flag, timeout_ms);
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

void
sl_test_run_for (guint ms)
{
  sl_test_wait_until (never, NULL, ms);
}

void
sl_test_store_result_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gboolean
result_set (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

gboolean
sl_test_wait_for_result (GAsyncResult **result,
                         guint          timeout_ms)
{
  return sl_test_wait_until (result_set, result, timeout_ms);
}

static gboolean
fd_ready_cb (int           fd,
             GIOCondition  condition,
             gpointer      user_data)
{
  gboolean *ready = user_data;

  *ready = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
sl_test_wait_fd (int           fd,
                 GIOCondition  condition,
                 guint         timeout_ms)
{
  g_autoptr(GSource) source = NULL;
  gboolean ready = FALSE;

  source = g_unix_fd_source_new (fd, condition | G_IO_ERR | G_IO_HUP);
  g_source_set_callback (source, G_SOURCE_FUNC (fd_ready_cb), &ready, NULL);
  g_source_attach (source, NULL);
  sl_test_wait_for_flag (&ready, timeout_ms);
  g_source_destroy (source);

  return ready;
}

static gboolean
to_native (GSocketAddress          *address,
           struct sockaddr_storage *storage,
           socklen_t               *len)
{
  gssize size = g_socket_address_get_native_size (address);

  if (size < 0 || (gsize) size > sizeof *storage)
    return FALSE;
  if (!g_socket_address_to_native (address, storage, sizeof *storage, NULL))
    return FALSE;
  *len = size;
  return TRUE;
}

int
sl_test_peer_socket (GSocketFamily   family,
                     GSocketType     type,
                     GSocketAddress *address)
{
  struct sockaddr_storage storage;
  socklen_t len;
  int fd;

  if (address != NULL)
    family = g_socket_address_get_family (address);

  fd = socket (family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return -1;

  if (address != NULL)
    {
      if (!to_native (address, &storage, &len) ||
          bind (fd, (struct sockaddr *) &storage, len) < 0)
        {
          int errsv = errno;

          close (fd);
          errno = errsv;
          return -1;
        }
    }

  return fd;
}

int
sl_test_peer_connect (GSocketAddress *address,
                      guint           timeout_ms)
{
  struct sockaddr_storage storage;
  socklen_t len;
  int errsv = 0;
  socklen_t errlen = sizeof errsv;
  int fd;

  if (!to_native (address, &storage, &len))
    {
      errno = EINVAL;
      return -1;
    }

  fd = sl_test_peer_socket (g_socket_address_get_family (address), G_SOCKET_TYPE_STREAM, NULL);
  if (fd < 0)
    return -1;

  if (connect (fd, (struct sockaddr *) &storage, len) < 0)
    {
      if (errno != EINPROGRESS && errno != EAGAIN)
        errsv = errno;
      else if (!sl_test_wait_fd (fd, G_IO_OUT, timeout_ms))
        errsv = ETIMEDOUT;
      else if (getsockopt (fd, SOL_SOCKET, SO_ERROR, &errsv, &errlen) < 0)
        errsv = errno;
    }

  if (errsv != 0)
    {
      close (fd);
      errno = errsv;
      return -1;
    }

  return fd;
}

gboolean
sl_test_peer_send_all (int         fd,
                       const void *data,
                       gsize       len,
                       guint       timeout_ms)
{
  const guint8 *p = data;
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  gsize sent = 0;

  do
    {
      gssize n = send (fd, p + sent, len - sent, MSG_NOSIGNAL);

      if (n >= 0)
        sent += n;
      else if (errno == EAGAIN || errno == EINTR)
        {
          gint64 left = (deadline - g_get_monotonic_time ()) / 1000;

          if (left <= 0 || !sl_test_wait_fd (fd, G_IO_OUT, left))
            {
              errno = ETIMEDOUT;
              return FALSE;
            }
        }
      else
        return FALSE;
    }
  while (sent < len);

  return TRUE;
}

gssize
sl_test_peer_recv (int    fd,
                   void  *buffer,
                   gsize  len,
                   guint  timeout_ms)
{
  gssize n = recv (fd, buffer, len, 0);

  if (n >= 0 || (errno != EAGAIN && errno != EINTR))
    return n;

  if (!sl_test_wait_fd (fd, G_IO_IN, timeout_ms))
    {
      errno = ETIMEDOUT;
      return -1;
    }

  return recv (fd, buffer, len, 0);
}

gsize
sl_test_peer_recv_all (int    fd,
                       void  *buffer,
                       gsize  len,
                       guint  timeout_ms)
{
  guint8 *p = buffer;
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  gsize got = 0;

  while (got < len)
    {
      gint64 left = (deadline - g_get_monotonic_time ()) / 1000;
      gssize n;

      if (left <= 0)
        break;
      n = sl_test_peer_recv (fd, p + got, len - got, left);
      if (n <= 0)
        break;
      got += n;
    }

  return got;
}

gssize
sl_test_peer_sendto (int             fd,
                     const void     *data,
                     gsize           len,
                     GSocketAddress *to)
{
  struct sockaddr_storage storage;
  socklen_t addrlen;

  if (!to_native (to, &storage, &addrlen))
    {
      errno = EINVAL;
      return -1;
    }

  return sendto (fd, data, len, MSG_NOSIGNAL, (struct sockaddr *) &storage, addrlen);
}

static GSocketAddress *
from_native (struct sockaddr_storage *storage,
             socklen_t                len)
{
  /* An unnamed Unix socket has only the family. */
  if (len <= sizeof (sa_family_t))
    return NULL;

  return g_socket_address_new_from_native (storage, len);
}

gssize
sl_test_peer_recvfrom (int              fd,
                       void            *buffer,
                       gsize            len,
                       GSocketAddress **from,
                       guint            timeout_ms)
{
  struct sockaddr_storage storage;
  socklen_t addrlen = sizeof storage;
  gssize n;

  memset (&storage, 0, sizeof storage);
  n = recvfrom (fd, buffer, len, 0, (struct sockaddr *) &storage, &addrlen);
  if (n < 0 && (errno == EAGAIN || errno == EINTR))
    {
      if (!sl_test_wait_fd (fd, G_IO_IN, timeout_ms))
        {
          errno = ETIMEDOUT;
          return -1;
        }
      addrlen = sizeof storage;
      n = recvfrom (fd, buffer, len, 0, (struct sockaddr *) &storage, &addrlen);
    }

  if (n >= 0 && from != NULL)
    *from = from_native (&storage, addrlen);

  return n;
}

void
sl_test_peer_reset (int fd)
{
  struct linger linger = { 1, 0 };

  g_assert_no_errno (setsockopt (fd, SOL_SOCKET, SO_LINGER, &linger, sizeof linger));
  g_assert_no_errno (close (fd));
}

GSocketAddress *
sl_test_fd_local_address (int fd)
{
  struct sockaddr_storage storage;
  socklen_t len = sizeof storage;

  memset (&storage, 0, sizeof storage);
  if (getsockname (fd, (struct sockaddr *) &storage, &len) < 0)
    return NULL;

  return from_native (&storage, len);
}

GSocketAddress *
sl_test_fd_remote_address (int fd)
{
  struct sockaddr_storage storage;
  socklen_t len = sizeof storage;

  memset (&storage, 0, sizeof storage);
  if (getpeername (fd, (struct sockaddr *) &storage, &len) < 0)
    return NULL;

  return from_native (&storage, len);
}

guint16
sl_test_fd_local_port (int fd)
{
  g_autoptr(GSocketAddress) address = sl_test_fd_local_address (fd);

  if (!G_IS_INET_SOCKET_ADDRESS (address))
    return 0;

  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
}

GSocketAddress *
sl_test_loopback_address (GSocketFamily family,
                          guint16       port)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (family);

  return g_inet_socket_address_new (loopback, port);
}

guint16
sl_test_unused_port (GSocketFamily family,
                     GSocketType   type)
{
  g_autoptr(GSocketAddress) any = sl_test_loopback_address (family, 0);
  int fd = sl_test_peer_socket (family, type, any);
  guint16 port;

  g_assert_cmpint (fd, >=, 0);
  port = sl_test_fd_local_port (fd);
  close (fd);

  return port;
}

gboolean
sl_test_ipv6_available (void)
{
  g_autoptr(GSocketAddress) any = sl_test_loopback_address (G_SOCKET_FAMILY_IPV6, 0);
  int fd = sl_test_peer_socket (G_SOCKET_FAMILY_IPV6, G_SOCKET_TYPE_STREAM, any);

  if (fd < 0)
    return FALSE;
  close (fd);

  return TRUE;
}

static gboolean
proc_has_time_wait (const char *file,
                    guint16     port)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (file, &contents, NULL, NULL))
    return FALSE;

  lines = g_strsplit (contents, "\n", -1);
  /* "  sl  local_address rem_address   st ..."; TIME_WAIT is state 06. */
  for (guint i = 1; lines[i] != NULL; i++)
    {
      char local[64], remote[64];
      unsigned int slot, state;
      const char *colon;

      if (sscanf (lines[i], " %u: %63s %63s %x", &slot, local, remote, &state) != 4)
        continue;
      colon = strrchr (local, ':');
      if (state == 0x06 && colon != NULL && g_ascii_strtoull (colon + 1, NULL, 16) == port)
        return TRUE;
    }

  return FALSE;
}

gboolean
sl_test_has_time_wait (guint16 port)
{
  return proc_has_time_wait ("/proc/net/tcp", port) ||
         proc_has_time_wait ("/proc/net/tcp6", port);
}

void
sl_test_remove_tmp_dir (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  if (handle == NULL)
    return;

  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }

  g_assert_no_errno (g_rmdir (dir));
}

typedef struct
{
  GObject *object;
} FinalizeWait;

static gboolean
only_our_ref (gpointer data)
{
  FinalizeWait *wait = data;

  return g_atomic_int_get ((int *) &wait->object->ref_count) == 1;
}

void
sl_test_assert_finalize (gpointer object,
                         guint    timeout_ms)
{
  FinalizeWait wait = { G_OBJECT (object) };

  sl_test_wait_until (only_our_ref, &wait, timeout_ms);
  g_assert_finalize_object (object);
}

static SlLogEntry *
log_find (SlLog      *log,
          guint       from,
          int         kind,
          guint       connection_id,
          const char *summary,
          const char *result,
          int         error_code,
          guint      *position)
{
  GListModel *model = G_LIST_MODEL (log);
  guint n;

  sl_log_flush (log);
  n = g_list_model_get_n_items (model);
  for (guint i = from; i < n; i++)
    {
      g_autoptr(SlLogEntry) entry = g_list_model_get_item (model, i);
      const char *s = sl_log_entry_get_summary (entry);
      const char *r = sl_log_entry_get_result (entry);

      if (kind != SL_TEST_ANY_KIND && (int) sl_log_entry_get_kind (entry) != kind)
        continue;
      if (connection_id != SL_TEST_ANY_CONNECTION &&
          sl_log_entry_get_connection_id (entry) != connection_id)
        continue;
      if (summary != NULL && (s == NULL || strstr (s, summary) == NULL))
        continue;
      if (result != NULL && (r == NULL || strstr (r, result) == NULL))
        continue;
      if (error_code != 0 && sl_log_entry_get_error_code (entry) != error_code)
        continue;

      if (position != NULL)
        *position = i;
      return g_steal_pointer (&entry);
    }

  return NULL;
}

SlLogEntry *
sl_test_log_find (SlLog      *log,
                  guint       from,
                  int         kind,
                  guint       connection_id,
                  const char *summary,
                  const char *result,
                  int         error_code,
                  guint      *position)
{
  return log_find (log, from, kind, connection_id, summary, result, error_code, position);
}

guint
sl_test_log_count (SlLog      *log,
                   int         kind,
                   guint       connection_id,
                   const char *summary,
                   const char *result,
                   int         error_code)
{
  guint count = 0;
  guint position = 0;
  guint from = 0;

  while (TRUE)
    {
      g_autoptr(SlLogEntry) entry = log_find (log, from, kind, connection_id, summary, result,
                                              error_code, &position);

      if (entry == NULL)
        break;
      count++;
      from = position + 1;
    }

  return count;
}

typedef struct
{
  SlLog      *log;
  int         kind;
  guint       connection_id;
  const char *summary;
  const char *result;
  int         error_code;
  SlLogEntry *found;
} LogWait;

static gboolean
log_found (gpointer data)
{
  LogWait *wait = data;

  if (wait->found == NULL)
    wait->found = log_find (wait->log, 0, wait->kind, wait->connection_id, wait->summary,
                            wait->result, wait->error_code, NULL);

  return wait->found != NULL;
}

SlLogEntry *
sl_test_wait_log (SlLog      *log,
                  int         kind,
                  guint       connection_id,
                  const char *summary,
                  const char *result,
                  int         error_code,
                  guint       timeout_ms)
{
  LogWait wait = { log, kind, connection_id, summary, result, error_code, NULL };

  sl_test_wait_until (log_found, &wait, timeout_ms);

  return wait.found;
}

static gboolean
contains_ci (const char *haystack,
             const char *needle)
{
  g_autofree char *h = NULL;
  g_autofree char *n = NULL;

  if (haystack == NULL)
    return FALSE;

  h = g_ascii_strdown (haystack, -1);
  n = g_ascii_strdown (needle, -1);

  return strstr (h, n) != NULL;
}

gboolean
sl_test_entry_mentions (SlLogEntry *entry,
                        const char *text)
{
  return contains_ci (sl_log_entry_get_summary (entry), text) ||
         contains_ci (sl_log_entry_get_result (entry), text) ||
         contains_ci (sl_log_entry_get_explanation (entry), text);
}

gboolean
sl_test_entry_payload_is (SlLogEntry *entry,
                          const char *data,
                          gsize       len)
{
  GBytes *payload = sl_log_entry_get_payload (entry);
  gsize size = 0;
  const guint8 *bytes;

  if (payload == NULL)
    return len == 0;

  bytes = g_bytes_get_data (payload, &size);

  return size == len && (len == 0 || memcmp (bytes, data, len) == 0);
}

SlConnection *
sl_test_accept (SlEndpoint *endpoint,
                guint       timeout_ms)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  SlConnection *connection;

  sl_endpoint_accept_async (endpoint, NULL, sl_test_store_result_cb, &result);
  g_assert_true (sl_test_wait_for_result (&result, timeout_ms));
  connection = sl_endpoint_accept_finish (endpoint, result, &error);
  g_assert_no_error (error);
  g_assert_true (SL_IS_CONNECTION (connection));

  return connection;
}

void
sl_test_assert_same_entry (SlLogEntry *a,
                           SlLogEntry *b)
{
  GBytes *pa = sl_log_entry_get_payload (a);
  GBytes *pb = sl_log_entry_get_payload (b);

  g_assert_cmpint (sl_log_entry_get_kind (a), ==, sl_log_entry_get_kind (b));
  g_assert_cmpint (sl_log_entry_get_wall_time (a), ==, sl_log_entry_get_wall_time (b));
  g_assert_cmpint (sl_log_entry_get_monotonic_time (a), ==, sl_log_entry_get_monotonic_time (b));
  g_assert_cmpuint (sl_log_entry_get_endpoint_id (a), ==, sl_log_entry_get_endpoint_id (b));
  g_assert_cmpuint (sl_log_entry_get_connection_id (a), ==, sl_log_entry_get_connection_id (b));
  g_assert_cmpstr (sl_log_entry_get_peer (a), ==, sl_log_entry_get_peer (b));
  g_assert_cmpstr (sl_log_entry_get_summary (a), ==, sl_log_entry_get_summary (b));
  g_assert_cmpstr (sl_log_entry_get_result (a), ==, sl_log_entry_get_result (b));
  g_assert_cmpint (sl_log_entry_get_error_code (a), ==, sl_log_entry_get_error_code (b));
  g_assert_cmpstr (sl_log_entry_get_error_name (a), ==, sl_log_entry_get_error_name (b));
  g_assert_cmpstr (sl_log_entry_get_explanation (a), ==, sl_log_entry_get_explanation (b));
  g_assert_cmpuint (sl_log_entry_get_size (a), ==, sl_log_entry_get_size (b));

  /* No payload stays no payload; an empty one stays empty. */
  g_assert_true ((pa == NULL) == (pb == NULL));
  if (pa != NULL)
    {
      gsize la, lb;
      const guint8 *da = g_bytes_get_data (pa, &la);
      const guint8 *db = g_bytes_get_data (pb, &lb);

      g_assert_cmpmem (da, la, db, lb);
    }
}

void
sl_test_assert_same_log (SlLog *a,
                         SlLog *b)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (a));

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (b)), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SlLogEntry) ea = g_list_model_get_item (G_LIST_MODEL (a), i);
      g_autoptr(SlLogEntry) eb = g_list_model_get_item (G_LIST_MODEL (b), i);

      sl_test_assert_same_entry (ea, eb);
    }
}

void
sl_test_log_dump (SlLog *log)
{
  GListModel *model = G_LIST_MODEL (log);

  sl_log_flush (log);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(SlLogEntry) entry = g_list_model_get_item (model, i);
      g_autofree char *line = sl_log_entry_format (entry);

      g_test_message ("log[%u] conn %u err %d: %s%s%s", i,
                      sl_log_entry_get_connection_id (entry),
                      sl_log_entry_get_error_code (entry), line,
                      sl_log_entry_get_explanation (entry) != NULL ? " — " : "",
                      sl_log_entry_get_explanation (entry) != NULL
                      ? sl_log_entry_get_explanation (entry) : "");
    }
}

typedef struct
{
  GListModel *model;
  guint       n;
} ItemsWait;

static gboolean
n_items_reached (gpointer data)
{
  ItemsWait *wait = data;

  return g_list_model_get_n_items (wait->model) == wait->n;
}

gboolean
sl_test_wait_n_items (GListModel *model,
                      guint       n,
                      guint       timeout_ms)
{
  ItemsWait wait = { model, n };

  return sl_test_wait_until (n_items_reached, &wait, timeout_ms);
}

static void
received_cb (SlEndpoint   *endpoint,
             SlConnection *connection,
             GBytes       *bytes,
             gpointer      user_data)
{
  GByteArray *into = user_data;
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  g_byte_array_append (into, data, len);
}

void
sl_test_collect_received (SlEndpoint *endpoint,
                          GByteArray *into)
{
  g_signal_connect (endpoint, "received", G_CALLBACK (received_cb), into);
}

typedef struct
{
  GByteArray *array;
  gsize       len;
} BytesWait;

static gboolean
bytes_reached (gpointer data)
{
  BytesWait *wait = data;

  return wait->array->len >= wait->len;
}

gboolean
sl_test_wait_bytes (GByteArray *array,
                    gsize       len,
                    guint       timeout_ms)
{
  BytesWait wait = { array, len };

  return sl_test_wait_until (bytes_reached, &wait, timeout_ms);
}

SlEndpointConfig *
sl_test_config_new (SlProtocol  protocol,
                    SlRole      role,
                    SlFamily    family,
                    const char *address,
                    int         port)
{
  SlEndpointConfig *config = sl_endpoint_config_new ();

  sl_endpoint_config_set_protocol (config, protocol);
  sl_endpoint_config_set_role (config, role);
  sl_endpoint_config_set_family (config, family);
  if (family == SL_FAMILY_UNIX)
    sl_endpoint_config_set_path (config, address);
  else
    {
      sl_endpoint_config_set_host (config, address);
      sl_endpoint_config_set_port (config, port);
    }

  return config;
}

gboolean
sl_test_endpoint_start (SlEndpoint  *endpoint,
                        GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sl_endpoint_start_async (endpoint, NULL, sl_test_store_result_cb, &result);
  g_assert_true (sl_test_wait_for_result (&result, 20000));

  return sl_endpoint_start_finish (endpoint, result, error);
}

SlEndpoint *
sl_test_endpoint_new_started (SlEndpointConfig *config)
{
  g_autoptr(GError) error = NULL;
  SlEndpoint *endpoint = sl_endpoint_new (config, NULL);

  if (!sl_test_endpoint_start (endpoint, &error))
    sl_test_log_dump (sl_endpoint_get_log (endpoint));
  g_assert_no_error (error);

  return endpoint;
}

int
sl_test_peer_connect_endpoint (SlEndpoint *endpoint)
{
  int fd = sl_test_peer_connect (sl_endpoint_get_local_address (endpoint), 5000);

  g_assert_no_errno (fd);

  return fd;
}
