/* sl-error.c — the Socket Lab error domain and errno explanations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>

#include "sl-error.h"

G_DEFINE_QUARK (sl-error-quark, sl_error)

const char *
sl_errno_name (int errsv)
{
  const char *name;

  if (errsv == 0)
    return NULL;

  name = strerrorname_np (errsv);
  return name != NULL ? name : "EUNKNOWN";
}

const char *
sl_errno_explain (int errsv)
{
  switch (errsv)
    {
    case EADDRINUSE:
      return _("Another socket already uses this address and port (perhaps a server still "
               "running, or a connection in TIME_WAIT). Stop the other server, choose another "
               "port, or turn on SO_REUSEADDR.");
    case EADDRNOTAVAIL:
      return _("This machine has no such address. Bind to 127.0.0.1, ::1 or an address of "
               "one of this machine's interfaces.");
    case EACCES:
      return _("Permission denied. Ports below 1024 need administrator rights: use a port "
               "from 1024 to 65535.");
    case ECONNREFUSED:
      return _("Nobody is listening at that address and port: the peer answered with RST. "
               "Start the server first, and check the host and port.");
    case ECONNRESET:
      return _("The peer reset the connection (RST): it closed abruptly, for example a "
               "program was killed or closed with unread data. This connection is over.");
    case EPIPE:
      return _("Broken pipe: you wrote to a connection the peer has already closed. Check "
               "whether recv() returned b'' before sending.");
    case ETIMEDOUT:
      return _("The call waited for the whole timeout and nothing happened.");
    case EAGAIN:
      return _("Nothing is ready yet, so the non-blocking call returned at once "
               "(BlockingIOError). Try again later, or wait with select()/poll().");
    case EINPROGRESS:
      return _("The non-blocking connect has started; the result comes when the socket "
               "becomes writable.");
    case EHOSTUNREACH:
      return _("No route to that host. Check the address and the network.");
    case ENETUNREACH:
      return _("The network of that address is unreachable from this machine.");
    case ENOTCONN:
      return _("The socket is not connected. Connect first, or use sendto() for UDP.");
    case EMSGSIZE:
      return _("The message is larger than one datagram can carry. Send less at a time.");
    case ENOENT:
      return _("No socket file exists at that path. Start the Unix server first, and check "
               "the path.");
    case EINVAL:
      return _("The call's arguments do not fit this socket's state (for example listen() "
               "before bind(), or an address of the wrong family).");
    case EMFILE:
    case ENFILE:
      return _("Too many open files: the process has run out of file descriptors. Close "
               "connections or raise the limit (ulimit -n).");
    case EAFNOSUPPORT:
      return _("This address family is not supported here (for example IPv6 disabled).");
    case ECANCELED:
      return _("You cancelled the call before it finished.");
    default:
      return _("The system call failed; see the error name for details.");
    }
}

static const char *
python_exception (int errsv)
{
  switch (errsv)
    {
    case ECONNREFUSED:
      return "ConnectionRefusedError";
    case ECONNRESET:
      return "ConnectionResetError";
    case ECONNABORTED:
      return "ConnectionAbortedError";
    case EPIPE:
    case ESHUTDOWN:
      return "BrokenPipeError";
    case EAGAIN:
    case EINPROGRESS:
    case EALREADY:
      return "BlockingIOError";
    case ENOENT:
      return "FileNotFoundError";
    case EACCES:
    case EPERM:
      return "PermissionError";
    case EINTR:
      return "InterruptedError";
    default:
      return "OSError";
    }
}

char *
sl_errno_python (int errsv)
{
  if (errsv == ETIMEDOUT)
    return g_strdup ("TimeoutError: timed out");
  if (errsv == ECANCELED)
    return g_strdup ("cancelled");

  return g_strdup_printf ("%s: [Errno %d] %s (%s)",
                          python_exception (errsv), errsv, strerror (errsv),
                          sl_errno_name (errsv));
}

void
sl_set_errno_error (GError     **error,
                    int          errsv,
                    const char  *call)
{
  g_autofree char *python = sl_errno_python (errsv);

  /* Translators: a failed socket call: the Python call, what Python raised, then a
   * sentence that explains it, e.g. "server.bind(('127.0.0.1', 8888)) → OSError: … .
   * Another socket already uses …". */
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
               _("%s → %s. %s"), call, python, sl_errno_explain (errsv));
}
