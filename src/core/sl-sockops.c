/* sl-sockops.c — the thin system-call layer under the engine
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE

#include <errno.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "sl-engine.h"

GSocket *
sl_sockops_socket (int  domain,
                   int  type,
                   int *errsv)
{
  g_autoptr(GError) error = NULL;
  GSocket *gsocket;
  int fd;

  fd = socket (domain, type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0)
    {
      *errsv = errno;
      return NULL;
    }

  gsocket = g_socket_new_from_fd (fd, &error);
  if (gsocket == NULL)
    {
      close (fd);
      *errsv = EINVAL;
      return NULL;
    }

  *errsv = 0;
  return gsocket;
}

int
sl_sockops_setsockopt_int (GSocket *socket,
                           int      level,
                           int      option,
                           int      value)
{
  if (setsockopt (g_socket_get_fd (socket), level, option, &value, sizeof value) < 0)
    return errno;
  return 0;
}

static gboolean
to_native (GSocketAddress          *address,
           struct sockaddr_storage *storage,
           socklen_t               *len)
{
  gssize size = g_socket_address_get_native_size (address);

  if (size < 0 || (gsize) size > sizeof *storage)
    return FALSE;
  if (!g_socket_address_to_native (address, storage, size, NULL))
    return FALSE;
  *len = size;
  return TRUE;
}

int
sl_sockops_bind (GSocket        *socket,
                 GSocketAddress *address)
{
  struct sockaddr_storage storage;
  socklen_t len;

  if (!to_native (address, &storage, &len))
    return EINVAL;
  if (bind (g_socket_get_fd (socket), (struct sockaddr *) &storage, len) < 0)
    return errno;
  return 0;
}

int
sl_sockops_bind_unix_autobind (GSocket *socket)
{
  struct sockaddr_un sun = { .sun_family = AF_UNIX };

  /* An address of just the family asks Linux for a unique abstract name. */
  if (bind (g_socket_get_fd (socket), (struct sockaddr *) &sun, sizeof (sa_family_t)) < 0)
    return errno;
  return 0;
}

int
sl_sockops_listen (GSocket *socket,
                   int      backlog)
{
  if (listen (g_socket_get_fd (socket), backlog) < 0)
    return errno;
  return 0;
}

int
sl_sockops_connect (GSocket        *socket,
                    GSocketAddress *address)
{
  struct sockaddr_storage storage;
  socklen_t len;

  if (!to_native (address, &storage, &len))
    return EINVAL;
  if (connect (g_socket_get_fd (socket), (struct sockaddr *) &storage, len) < 0)
    return errno;
  return 0;
}

int
sl_sockops_get_so_error (GSocket *socket)
{
  int value = 0;
  socklen_t len = sizeof value;

  if (getsockopt (g_socket_get_fd (socket), SOL_SOCKET, SO_ERROR, &value, &len) < 0)
    return errno;
  return value;
}

static GSocketAddress *
from_native (struct sockaddr_storage *storage,
             socklen_t                len)
{
  if (len == 0)
    return NULL;
  return g_socket_address_new_from_native (storage, len);
}

GSocket *
sl_sockops_accept (GSocket         *listener,
                   GSocketAddress **peer,
                   int             *errsv)
{
  struct sockaddr_storage storage;
  socklen_t len = sizeof storage;
  GSocket *socket;
  int fd;

  do
    fd = accept4 (g_socket_get_fd (listener), (struct sockaddr *) &storage, &len,
                  SOCK_CLOEXEC | SOCK_NONBLOCK);
  while (fd < 0 && errno == EINTR);

  if (fd < 0)
    {
      *errsv = errno;
      return NULL;
    }

  socket = g_socket_new_from_fd (fd, NULL);
  if (socket == NULL)
    {
      close (fd);
      *errsv = EINVAL;
      return NULL;
    }

  *peer = from_native (&storage, len);
  *errsv = 0;
  return socket;
}

gssize
sl_sockops_recv (GSocket *socket,
                 guint8  *buffer,
                 gsize    size,
                 int     *errsv)
{
  gssize n;

  do
    n = recv (g_socket_get_fd (socket), buffer, size, MSG_DONTWAIT);
  while (n < 0 && errno == EINTR);

  *errsv = n < 0 ? errno : 0;
  return n;
}

gssize
sl_sockops_recvfrom (GSocket         *socket,
                     guint8          *buffer,
                     gsize            size,
                     GSocketAddress **from,
                     gsize           *real_size,
                     int             *errsv)
{
  struct sockaddr_storage storage;
  socklen_t len = sizeof storage;
  gssize n;

  do
    n = recvfrom (g_socket_get_fd (socket), buffer, size, MSG_DONTWAIT | MSG_TRUNC,
                  (struct sockaddr *) &storage, &len);
  while (n < 0 && errno == EINTR);

  if (n < 0)
    {
      *errsv = errno;
      *from = NULL;
      *real_size = 0;
      return -1;
    }

  *errsv = 0;
  *from = from_native (&storage, len);
  *real_size = n;
  return MIN ((gsize) n, size);
}

gssize
sl_sockops_send (GSocket      *socket,
                 const guint8 *data,
                 gsize         size,
                 int          *errsv)
{
  gssize n;

  /* MSG_NOSIGNAL: a peer that has gone away must give EPIPE, not kill us. */
  do
    n = send (g_socket_get_fd (socket), data, size, MSG_DONTWAIT | MSG_NOSIGNAL);
  while (n < 0 && errno == EINTR);

  *errsv = n < 0 ? errno : 0;
  return n;
}

gssize
sl_sockops_sendto (GSocket        *socket,
                   const guint8   *data,
                   gsize           size,
                   GSocketAddress *to,
                   int            *errsv)
{
  struct sockaddr_storage storage;
  socklen_t len;
  gssize n;

  if (!to_native (to, &storage, &len))
    {
      *errsv = EINVAL;
      return -1;
    }

  do
    n = sendto (g_socket_get_fd (socket), data, size, MSG_DONTWAIT | MSG_NOSIGNAL,
                (struct sockaddr *) &storage, len);
  while (n < 0 && errno == EINTR);

  *errsv = n < 0 ? errno : 0;
  return n;
}

int
sl_sockops_shutdown_write (GSocket *socket)
{
  if (shutdown (g_socket_get_fd (socket), SHUT_WR) < 0)
    return errno;
  return 0;
}

int
sl_sockops_set_linger_zero (GSocket *socket)
{
  struct linger linger = { .l_onoff = 1, .l_linger = 0 };

  if (setsockopt (g_socket_get_fd (socket), SOL_SOCKET, SO_LINGER, &linger, sizeof linger) < 0)
    return errno;
  return 0;
}

int
sl_sockops_close (GSocket *socket)
{
  g_autoptr(GError) error = NULL;

  if (g_socket_is_closed (socket))
    return 0;
  if (!g_socket_close (socket, &error))
    return EIO;
  return 0;
}

GSocketAddress *
sl_sockops_local_address (GSocket *socket)
{
  struct sockaddr_storage storage;
  socklen_t len = sizeof storage;

  if (getsockname (g_socket_get_fd (socket), (struct sockaddr *) &storage, &len) < 0)
    return NULL;
  return from_native (&storage, len);
}

gsize
sl_sockops_bytes_unread (GSocket *socket)
{
  int n = 0;

  if (ioctl (g_socket_get_fd (socket), FIONREAD, &n) < 0 || n < 0)
    return 0;
  return n;
}

/* GLib 2.74 takes a source's descriptors out of the poll set while it is
 * dispatched and puts them back after, unless the source may recurse; each of
 * the two wakes the main context through its eventfd: two write()s, a read()
 * and one more poll() for every message. The engine never iterates a main
 * context from inside its callbacks, so its sources may recurse and keep their
 * descriptors polled. */
GSource *
sl_sockops_watch (GSocket           *socket,
                  GIOCondition       condition,
                  GMainContext      *context,
                  GSocketSourceFunc  callback,
                  gpointer           user_data)
{
  GSource *source = g_socket_create_source (socket, condition, NULL);

  g_source_set_can_recurse (source, TRUE);
  g_source_set_callback (source, (GSourceFunc) G_CALLBACK (callback), user_data, NULL);
  g_source_attach (source, context);
  return source;
}

int
sl_sockops_wait (GSocket      *socket,
                 GIOCondition  condition,
                 gint64        timeout_us,
                 GCancellable *cancellable)
{
  struct pollfd fds[2] = { { 0 } };
  gint64 deadline = timeout_us < 0 ? -1 : g_get_monotonic_time () + timeout_us;
  nfds_t n_fds = 1;
  GPollFD pollfd;
  int result = 0;

  /* A plain poll() on the descriptor and the cancellable's wake-up fd: GSocket
   * itself is not documented as safe to use from two threads at once. */
  fds[0].fd = g_socket_get_fd (socket);
  fds[0].events = (condition & G_IO_IN ? POLLIN : 0) | (condition & G_IO_OUT ? POLLOUT : 0);
  if (cancellable != NULL && g_cancellable_make_pollfd (cancellable, &pollfd))
    {
      fds[1].fd = pollfd.fd;
      fds[1].events = POLLIN;
      n_fds = 2;
    }

  for (;;)
    {
      int wait_ms = -1;
      int n;

      if (g_cancellable_is_cancelled (cancellable))
        {
          result = ECANCELED;
          break;
        }
      if (deadline >= 0)
        {
          gint64 left = deadline - g_get_monotonic_time ();

          if (left <= 0)
            {
              result = ETIMEDOUT;
              break;
            }
          wait_ms = (int) MIN ((left + 999) / 1000, G_MAXINT);
        }

      n = poll (fds, n_fds, wait_ms);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          result = errno;
          break;
        }
      if (n_fds == 2 && fds[1].revents != 0)
        {
          result = ECANCELED;
          break;
        }
      if (fds[0].revents != 0)
        {
          result = 0;
          break;
        }
    }

  if (n_fds == 2)
    g_cancellable_release_fd (cancellable);
  return result;
}

static void
forward_cancel_cb (GCancellable *user,
                   GCancellable *pending)
{
  /* May run in whichever thread cancels; GCancellable is thread-safe. */
  g_cancellable_cancel (pending);
}

void
sl_cancel_link_set (SlCancelLink *link,
                    GCancellable *user,
                    GCancellable *pending)
{
  sl_cancel_link_clear (link);
  if (user == NULL)
    return;
  link->user = g_object_ref (user);
  link->handler = g_cancellable_connect (user, G_CALLBACK (forward_cancel_cb),
                                         g_object_ref (pending), g_object_unref);
}

void
sl_cancel_link_clear (SlCancelLink *link)
{
  if (link->user == NULL)
    return;
  g_cancellable_disconnect (link->user, link->handler);
  link->handler = 0;
  g_clear_object (&link->user);
}
