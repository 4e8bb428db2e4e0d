/* sl-error.h — the Socket Lab error domain and errno explanations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SL_ERROR (sl_error_quark ())

typedef enum
{
  SL_ERROR_INVALID_HOST,
  SL_ERROR_INVALID_PORT,
  SL_ERROR_INVALID_PATH,
  SL_ERROR_INVALID_BACKLOG,
  SL_ERROR_INVALID_BUFSIZE,
  SL_ERROR_INVALID_MAX_CLIENTS,
  SL_ERROR_INVALID_TIMEOUT,
  SL_ERROR_INVALID_REPLY,
  SL_ERROR_INVALID_LOCAL_ADDRESS,
  SL_ERROR_INVALID_COMBINATION,
  SL_ERROR_RESOLVE,       /* the host name could not be resolved */
  SL_ERROR_DECODE,        /* bytes or text not valid in the chosen encoding */
  SL_ERROR_NOT_CONNECTED, /* an action that needs an open connection */
  SL_ERROR_BUSY,          /* a blocking call is already pending */
} SlError;

GQuark       sl_error_quark          (void);

const char  *sl_errno_name           (int          errsv);
const char  *sl_errno_explain        (int          errsv);
/* Sets a G_IO_ERROR (code from g_io_error_from_errno()) whose message names
 * the call, the errno name and what it means for a student. */
void         sl_set_errno_error      (GError     **error,
                                      int          errsv,
                                      const char  *call);
/* What Python raises for @errsv: "ConnectionResetError: [Errno 104] Connection
 * reset by peer"; ETIMEDOUT from a socket timeout gives "TimeoutError: timed out". */
char        *sl_errno_python         (int          errsv);

G_END_DECLS
