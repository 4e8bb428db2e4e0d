/* sl-endpoint-config.c — what the form describes, and its validation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gio/gunixsocketaddress.h>

#include "sl-codec.h"
#include "sl-endpoint-config.h"
#include "sl-enum-types.h"
#include "sl-error.h"

/* The kernel's limit for a socket path: sun_path less the terminating NUL. */
#define SUN_PATH_MAX (sizeof (((struct sockaddr_un *) 0)->sun_path) - 1)

#define BACKLOG_MAX          65535
#define BUFSIZE_MAX          (16 * 1024 * 1024)
#define TIMEOUT_MAX          3600.0
#define CONNECT_TIMEOUT_MAX  600.0
#define AUTH_TIMEOUT_MAX     600.0
#define HOST_NAME_MAX_LEN    253
#define HOST_LABEL_MAX_LEN   63

struct _SlEndpointConfig
{
  GObject      parent_instance;

  SlProtocol   protocol;
  SlRole       role;
  SlFamily     family;
  char        *host;
  int          port;
  char        *path;
  char        *local_host;
  int          local_port;
  int          backlog;
  gboolean     reuseaddr;
  int          bufsize;
  int          max_clients;
  SlIoMode     io_mode;
  double       timeout;
  double       connect_timeout;
  SlReplyMode  reply_mode;
  char        *reply_text;
  SlEncoding   encoding;
  gboolean     close_on_eof;
  SlAuthMode   auth;
  char        *salt;
  double       auth_timeout;
};

G_DEFINE_FINAL_TYPE (SlEndpointConfig, sl_endpoint_config, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PROTOCOL,
  PROP_ROLE,
  PROP_FAMILY,
  PROP_HOST,
  PROP_PORT,
  PROP_PATH,
  PROP_LOCAL_HOST,
  PROP_LOCAL_PORT,
  PROP_BACKLOG,
  PROP_REUSEADDR,
  PROP_BUFSIZE,
  PROP_MAX_CLIENTS,
  PROP_IO_MODE,
  PROP_TIMEOUT,
  PROP_CONNECT_TIMEOUT,
  PROP_REPLY_MODE,
  PROP_REPLY_TEXT,
  PROP_ENCODING,
  PROP_CLOSE_ON_EOF,
  PROP_AUTH,
  PROP_SALT,
  PROP_AUTH_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* g_set_str() only exists from GLib 2.76; this is the same contract. */
static gboolean
set_str (char       **str_pointer,
         const char  *new_str)
{
  char *copy;

  if (*str_pointer == new_str || g_strcmp0 (*str_pointer, new_str) == 0)
    return FALSE;

  copy = g_strdup (new_str);
  g_free (*str_pointer);
  *str_pointer = copy;

  return TRUE;
}

static void
sl_endpoint_config_finalize (GObject *object)
{
  SlEndpointConfig *self = (SlEndpointConfig *) object;

  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->local_host, g_free);
  g_clear_pointer (&self->reply_text, g_free);
  g_clear_pointer (&self->salt, g_free);

  G_OBJECT_CLASS (sl_endpoint_config_parent_class)->finalize (object);
}

static void
sl_endpoint_config_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  SlEndpointConfig *self = SL_ENDPOINT_CONFIG (object);

  switch (prop_id)
    {
    case PROP_PROTOCOL:
      g_value_set_enum (value, self->protocol);
      break;
    case PROP_ROLE:
      g_value_set_enum (value, self->role);
      break;
    case PROP_FAMILY:
      g_value_set_enum (value, self->family);
      break;
    case PROP_HOST:
      g_value_set_string (value, self->host);
      break;
    case PROP_PORT:
      g_value_set_int (value, self->port);
      break;
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_LOCAL_HOST:
      g_value_set_string (value, self->local_host);
      break;
    case PROP_LOCAL_PORT:
      g_value_set_int (value, self->local_port);
      break;
    case PROP_BACKLOG:
      g_value_set_int (value, self->backlog);
      break;
    case PROP_REUSEADDR:
      g_value_set_boolean (value, self->reuseaddr);
      break;
    case PROP_BUFSIZE:
      g_value_set_int (value, self->bufsize);
      break;
    case PROP_MAX_CLIENTS:
      g_value_set_int (value, self->max_clients);
      break;
    case PROP_IO_MODE:
      g_value_set_enum (value, self->io_mode);
      break;
    case PROP_TIMEOUT:
      g_value_set_double (value, self->timeout);
      break;
    case PROP_CONNECT_TIMEOUT:
      g_value_set_double (value, self->connect_timeout);
      break;
    case PROP_REPLY_MODE:
      g_value_set_enum (value, self->reply_mode);
      break;
    case PROP_REPLY_TEXT:
      g_value_set_string (value, self->reply_text);
      break;
    case PROP_ENCODING:
      g_value_set_enum (value, self->encoding);
      break;
    case PROP_CLOSE_ON_EOF:
      g_value_set_boolean (value, self->close_on_eof);
      break;
    case PROP_AUTH:
      g_value_set_enum (value, self->auth);
      break;
    case PROP_SALT:
      g_value_set_string (value, self->salt);
      break;
    case PROP_AUTH_TIMEOUT:
      g_value_set_double (value, self->auth_timeout);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_endpoint_config_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  SlEndpointConfig *self = SL_ENDPOINT_CONFIG (object);

  switch (prop_id)
    {
    case PROP_PROTOCOL:
      sl_endpoint_config_set_protocol (self, g_value_get_enum (value));
      break;
    case PROP_ROLE:
      sl_endpoint_config_set_role (self, g_value_get_enum (value));
      break;
    case PROP_FAMILY:
      sl_endpoint_config_set_family (self, g_value_get_enum (value));
      break;
    case PROP_HOST:
      sl_endpoint_config_set_host (self, g_value_get_string (value));
      break;
    case PROP_PORT:
      sl_endpoint_config_set_port (self, g_value_get_int (value));
      break;
    case PROP_PATH:
      sl_endpoint_config_set_path (self, g_value_get_string (value));
      break;
    case PROP_LOCAL_HOST:
      sl_endpoint_config_set_local_host (self, g_value_get_string (value));
      break;
    case PROP_LOCAL_PORT:
      sl_endpoint_config_set_local_port (self, g_value_get_int (value));
      break;
    case PROP_BACKLOG:
      sl_endpoint_config_set_backlog (self, g_value_get_int (value));
      break;
    case PROP_REUSEADDR:
      sl_endpoint_config_set_reuseaddr (self, g_value_get_boolean (value));
      break;
    case PROP_BUFSIZE:
      sl_endpoint_config_set_bufsize (self, g_value_get_int (value));
      break;
    case PROP_MAX_CLIENTS:
      sl_endpoint_config_set_max_clients (self, g_value_get_int (value));
      break;
    case PROP_IO_MODE:
      sl_endpoint_config_set_io_mode (self, g_value_get_enum (value));
      break;
    case PROP_TIMEOUT:
      sl_endpoint_config_set_timeout (self, g_value_get_double (value));
      break;
    case PROP_CONNECT_TIMEOUT:
      sl_endpoint_config_set_connect_timeout (self, g_value_get_double (value));
      break;
    case PROP_REPLY_MODE:
      sl_endpoint_config_set_reply_mode (self, g_value_get_enum (value));
      break;
    case PROP_REPLY_TEXT:
      sl_endpoint_config_set_reply_text (self, g_value_get_string (value));
      break;
    case PROP_ENCODING:
      sl_endpoint_config_set_encoding (self, g_value_get_enum (value));
      break;
    case PROP_CLOSE_ON_EOF:
      sl_endpoint_config_set_close_on_eof (self, g_value_get_boolean (value));
      break;
    case PROP_AUTH:
      sl_endpoint_config_set_auth (self, g_value_get_enum (value));
      break;
    case PROP_SALT:
      sl_endpoint_config_set_salt (self, g_value_get_string (value));
      break;
    case PROP_AUTH_TIMEOUT:
      sl_endpoint_config_set_auth_timeout (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_endpoint_config_class_init (SlEndpointConfigClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = sl_endpoint_config_finalize;
  object_class->get_property = sl_endpoint_config_get_property;
  object_class->set_property = sl_endpoint_config_set_property;

  /* Integer and double properties accept any value so that a form can hold
   * what the user typed; validation explains what is wrong with it. */
  properties[PROP_PROTOCOL] =
    g_param_spec_enum ("protocol", NULL, NULL,
                       SL_TYPE_PROTOCOL, SL_PROTOCOL_TCP, flags);
  properties[PROP_ROLE] =
    g_param_spec_enum ("role", NULL, NULL,
                       SL_TYPE_ROLE, SL_ROLE_SERVER, flags);
  properties[PROP_FAMILY] =
    g_param_spec_enum ("family", NULL, NULL,
                       SL_TYPE_FAMILY, SL_FAMILY_IPV4, flags);
  properties[PROP_HOST] =
    g_param_spec_string ("host", NULL, NULL, "127.0.0.1", flags);
  properties[PROP_PORT] =
    g_param_spec_int ("port", NULL, NULL, G_MININT, G_MAXINT, 8888, flags);
  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, "", flags);
  properties[PROP_LOCAL_HOST] =
    g_param_spec_string ("local-host", NULL, NULL, NULL, flags);
  properties[PROP_LOCAL_PORT] =
    g_param_spec_int ("local-port", NULL, NULL, G_MININT, G_MAXINT, 0, flags);
  properties[PROP_BACKLOG] =
    g_param_spec_int ("backlog", NULL, NULL, G_MININT, G_MAXINT, 5, flags);
  properties[PROP_REUSEADDR] =
    g_param_spec_boolean ("reuseaddr", NULL, NULL, FALSE, flags);
  properties[PROP_BUFSIZE] =
    g_param_spec_int ("bufsize", NULL, NULL, G_MININT, G_MAXINT, 1024, flags);
  properties[PROP_MAX_CLIENTS] =
    g_param_spec_int ("max-clients", NULL, NULL, G_MININT, G_MAXINT,
                      SL_ENDPOINT_CONFIG_DEFAULT_MAX_CLIENTS, flags);
  properties[PROP_IO_MODE] =
    g_param_spec_enum ("io-mode", NULL, NULL,
                       SL_TYPE_IO_MODE, SL_IO_MODE_ASYNC, flags);
  properties[PROP_TIMEOUT] =
    g_param_spec_double ("timeout", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 5.0, flags);
  properties[PROP_CONNECT_TIMEOUT] =
    g_param_spec_double ("connect-timeout", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 5.0, flags);
  properties[PROP_REPLY_MODE] =
    g_param_spec_enum ("reply-mode", NULL, NULL,
                       SL_TYPE_REPLY_MODE, SL_REPLY_UPPER, flags);
  properties[PROP_REPLY_TEXT] =
    g_param_spec_string ("reply-text", NULL, NULL, "", flags);
  properties[PROP_ENCODING] =
    g_param_spec_enum ("encoding", NULL, NULL,
                       SL_TYPE_ENCODING, SL_ENCODING_TEXT, flags);
  properties[PROP_CLOSE_ON_EOF] =
    g_param_spec_boolean ("close-on-eof", NULL, NULL, TRUE, flags);
  properties[PROP_AUTH] =
    g_param_spec_enum ("auth", NULL, NULL,
                       SL_TYPE_AUTH_MODE, SL_AUTH_MODE_NONE, flags);
  properties[PROP_SALT] =
    g_param_spec_string ("salt", NULL, NULL, "", flags);
  properties[PROP_AUTH_TIMEOUT] =
    g_param_spec_double ("auth-timeout", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 10.0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sl_endpoint_config_init (SlEndpointConfig *self)
{
  self->protocol = SL_PROTOCOL_TCP;
  self->role = SL_ROLE_SERVER;
  self->family = SL_FAMILY_IPV4;
  self->host = g_strdup ("127.0.0.1");
  self->port = 8888;
  self->path = g_strdup ("");
  self->local_host = NULL;
  self->local_port = 0;
  self->backlog = 5;
  self->reuseaddr = FALSE;
  self->bufsize = 1024;
  self->max_clients = SL_ENDPOINT_CONFIG_DEFAULT_MAX_CLIENTS;
  self->io_mode = SL_IO_MODE_ASYNC;
  self->timeout = 5.0;
  self->connect_timeout = 5.0;
  self->reply_mode = SL_REPLY_UPPER;
  self->reply_text = g_strdup ("");
  self->encoding = SL_ENCODING_TEXT;
  self->close_on_eof = TRUE;
  self->auth = SL_AUTH_MODE_NONE;
  self->salt = g_strdup ("");
  self->auth_timeout = 10.0;
}

SlEndpointConfig *
sl_endpoint_config_new (void)
{
  return g_object_new (SL_TYPE_ENDPOINT_CONFIG, NULL);
}

SlEndpointConfig *
sl_endpoint_config_copy (SlEndpointConfig *self)
{
  SlEndpointConfig *copy;

  g_return_val_if_fail (SL_IS_ENDPOINT_CONFIG (self), NULL);

  copy = sl_endpoint_config_new ();

  /* Every installed property, so that a property added later is copied too. */
  for (guint i = 1; i < N_PROPS; i++)
    {
      g_auto(GValue) value = G_VALUE_INIT;

      g_value_init (&value, properties[i]->value_type);
      g_object_get_property (G_OBJECT (self), properties[i]->name, &value);
      g_object_set_property (G_OBJECT (copy), properties[i]->name, &value);
    }

  return copy;
}

/* Accessors */

SlProtocol
sl_endpoint_config_get_protocol (SlEndpointConfig *self)
{
  g_return_val_if_fail (SL_IS_ENDPOINT_CONFIG (self), SL_PROTOCOL_TCP);

  return self->protocol;
}

void
sl_endpoint_config_set_protocol (SlEndpointConfig *self,
                                 SlProtocol        protocol)
{
  g_return_if_fail (SL_IS_ENDPOINT_CONFIG (self));
  g_return_if_fail (protocol <= SL_PROTOCOL_UDP);

  if (self->protocol == protocol)
    return;

  self->protocol = protocol;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROTOCOL]);
}

SlRole
sl_endpoint_config_get_role (SlEndpointConfig *self)
{
  g_return_val_if_fail (SL_IS_ENDPOINT_CONFIG (self), SL_ROLE_SERVER);

  return self->role;
}

void
sl_endpoint_config_set_role (SlEndpointConfig *self,
                             SlRole            role)
{
  g_return_if_fail (SL_IS_ENDPOINT_CONFIG (self));
  g_return_if_fail (role <= SL_ROLE_CLIENT);

  if (self->role == role)
    return;

  self->role = role;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROLE]);
}

SlFamily
sl_endpoint_config_get_family (SlEndpointConfig *self)
{
  g_return_val_if_fail (SL_IS_ENDPOINT_CONFIG (self), SL_FAMILY_IPV4);

  return self->family;
}

void
sl_endpoint_config_set_family (SlEndpointConfig *self,
                               SlFamily          family)
{
  g_return_if_fail (SL_IS_ENDPOINT_CONFIG (self));
  g_return_if_fail (family <= SL_FAMILY_UNIX);

  if (self->family == family)
    return;

  self->family = family;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAMILY]);
}

const char *
sl_endpoint_config_get_host (SlEndpointConfig *self)
{
  g_return_val_if_fail (SL_IS_ENDPOINT_CONFIG (self), NULL);

  return self->host;
}

/* host, path and reply-text are never NULL (NULL is stored as ""), so that
 * they can be bound to text entries as they are. */
void
sl_endpoint_config_set_host (SlEndpointConfig *self,
                             const char       *host)
{
  g_return_if_fail (SL_IS_ENDPOINT_CONFIG (self));

  if (set_str (&self->host, host != NULL ? host : ""))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOST]);
}

int
sl_endpoint_config_get_port (SlEndpointConfig *self)
{
  g_return_val_if_fail (SL_IS_ENDPOINT_CONFIG (self), 0);

  return self->port;
}

void
sl_endpoint_config_set_port (SlEndpointConfig *self,
                             int               port)
{
  g_return_if_fail (SL_IS_ENDPOINT_CONFIG (self));

  if (self->port == port)
    return;

  self->port = port;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
}

const char *
sl_endpoint_config_get_path (SlEndpointConfig *self)
{
  g_return_val_if_fail (SL_IS_ENDPOINT_CONFIG (self), NULL);

  return self->path;
}

void
sl_endpoint_config_set_path (SlEndpointConfig *self,
                             const char       *path)
{
  g_return_if_fail (SL_IS_ENDPOINT_CONFIG (self));

  if (set_str (&self->path, path != NULL ? path : ""))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PATH]);
}

const char *
sl_endpoint_config_get_local_host (SlEndpointConfig *self)
{
  g_return_val_if_fail (SL_IS_ENDPOINT_CONFIG (self), NULL);

  return self->local_host;
}

void
sl_endpoint_config_set_local_host (SlEndpointConfig *self,
                                   const char       *local_host)
{
  g_return_if_fail (SL_IS_ENDPOINT_CONFIG (self));

  if (set_str (&self->local_host, local_host))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCAL_HOST]);
}

int
sl_endpoint_config_get_local_port (SlEndpointConfig *self)
{
  g_return_val_if_fail (SL_IS_ENDPOINT_CONFIG (self), 0);

  return self->local_port;
}

void
sl_endpoint_config_set_local_port (SlEndpointConfig *self,
                                   int               local_port)
{
  g_return_if_fail (SL_IS_ENDPOINT_CONFIG (self));

  if (self->local_port == local_port)
    return;

  self->local_port = local_port;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCAL_PORT]);
}

int
sl_endpoint_config_get_backlog (SlEndpointConfig *self)
{
  g_return_val_if_fail (SL_IS_ENDPOINT_CONFIG (self), 0);

  return self->backlog;
}

void
sl_endpoint_config_set_backlog (SlEndpointConfig *self,
                                int               backlog)
{
  g_return_if_fail (SL_IS_ENDPOINT_CONFIG (self));

  if (self->backlog == backlog)
    return;

  self->backlog = backlog;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BACKLOG]);
}

gboolean
sl_endpoint_config_get_reuseaddr (SlEndpointConfig *self)
{
  g_return_val_if_fail (SL_IS_ENDPOINT_CONFIG (self), FALSE);

  return self->reuseaddr;
}

void
sl_endpoint_config_set_reuseaddr (SlEndpointConfig *self,
                                  gboolean          reuseaddr)
{
  g_return_if_fail (SL_IS_ENDPOINT_CONFIG (self));

  reuseaddr = !!reuseaddr;
  if (self->reuseaddr == reuseaddr)
    return;

  self->reuseaddr = reuseaddr;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REUSEADDR]);
}

int
sl_endpoint_config_get_bufsize (SlEndpointConfig *self)
{
  g_return_val_if_fail (SL_IS_ENDPOINT_CONFIG (self), 0);

  return self->bufsize;
}

void
sl_endpoint_config_set_bufsize (SlEndpointConfig *self,
                                int               bufsize)
{
  g_return_if_fail (SL_IS_ENDPOINT_CONFIG (self));

  if (self->bufsize == bufsize)
    return;

  self->bufsize = bufsize;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUFSIZE]);
}

int
sl_endpoint_config_get_max_clients (SlEndpointConfig *self)
{
  g_return_val_if_fail (SL_IS_ENDPOINT_CONFIG (self), 0);

  return self->max_clients;
}

void
sl_endpoint_config_set_max_clients (SlEndpointConfig *self,
                                    int               max_clients)
{
  g_return_if_fail (SL_IS_ENDPOINT_CONFIG (self));

  if (self->max_clients == max_clients)
    return;

  self->max_clients = max_clients;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_CLIENTS]);
}

SlIoMode
sl_endpoint_config_get_io_mode (SlEndpointConfig *self)
{
  g_return_val_if_fail (SL_IS_ENDPOINT_CONFIG (self), SL_IO_MODE_ASYNC);

  return self->io_mode;
}

void
sl_endpoint_config_set_io_mode (SlEndpointConfig *self,
                                SlIoMode          io_mode)
{
  g_return_if_fail (SL_IS_ENDPOINT_CONFIG (self));
  g_return_if_fail (io_mode <= SL_IO_MODE_TIMEOUT);

  if (self->io_mode == io_mode)
    return;

  self->io_mode = io_mode;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IO_MODE]);
}

double
sl_endpoint_config_get_timeout (SlEndpointConfig *self)
{
  g_return_val_if_fail (SL_IS_ENDPOINT_CONFIG (self), 0.0);

  return self->timeout;
}

void
sl_endpoint_config_set_timeout (SlEndpointConfig *self,
                                double            timeout)
{
  g_return_if_fail (SL_IS_ENDPOINT_CONFIG (self));

  if (self->timeout == timeout)
    return;

  self->timeout = timeout;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

double
sl_endpoint_config_get_connect_timeout (SlEndpointConfig *self)
{
  g_return_val_if_fail (SL_IS_ENDPOINT_CONFIG (self), 0.0);

  return self->connect_timeout;
}

void
sl_endpoint_config_set_connect_timeout (SlEndpointConfig *self,
                                        double            timeout)
{
  g_return_if_fail (SL_IS_ENDPOINT_CONFIG (self));

  if (self->connect_timeout == timeout)
    return;

  self->connect_timeout = timeout;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECT_TIMEOUT]);
}

SlReplyMode
sl_endpoint_config_get_reply_mode (SlEndpointConfig *self)
{
  g_return_val_if_fail (SL_IS_ENDPOINT_CONFIG (self), SL_REPLY_NONE);

  return self->reply_mode;
}

void
sl_endpoint_config_set_reply_mode (SlEndpointConfig *self,
                                   SlReplyMode       reply_mode)
{
  g_return_if_fail (SL_IS_ENDPOINT_CONFIG (self));
  g_return_if_fail (reply_mode <= SL_REPLY_FIXED);

  if (self->reply_mode == reply_mode)
    return;

  self->reply_mode = reply_mode;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPLY_MODE]);
}

const char *
sl_endpoint_config_get_reply_text (SlEndpointConfig *self)
{
  g_return_val_if_fail (SL_IS_ENDPOINT_CONFIG (self), NULL);

  return self->reply_text;
}

void
sl_endpoint_config_set_reply_text (SlEndpointConfig *self,
                                   const char       *reply_text)
{
  g_return_if_fail (SL_IS_ENDPOINT_CONFIG (self));

  if (set_str (&self->reply_text, reply_text != NULL ? reply_text : ""))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPLY_TEXT]);
}

SlEncoding
sl_endpoint_config_get_encoding (SlEndpointConfig *self)
{
  g_return_val_if_fail (SL_IS_ENDPOINT_CONFIG (self), SL_ENCODING_TEXT);

  return self->encoding;
}

void
sl_endpoint_config_set_encoding (SlEndpointConfig *self,
                                 SlEncoding        encoding)
{
  g_return_if_fail (SL_IS_ENDPOINT_CONFIG (self));
  g_return_if_fail (encoding <= SL_ENCODING_JSON);

  if (self->encoding == encoding)
    return;

  self->encoding = encoding;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENCODING]);
}

gboolean
sl_endpoint_config_get_close_on_eof (SlEndpointConfig *self)
{
  g_return_val_if_fail (SL_IS_ENDPOINT_CONFIG (self), FALSE);

  return self->close_on_eof;
}

void
sl_endpoint_config_set_close_on_eof (SlEndpointConfig *self,
                                     gboolean          close_on_eof)
{
  g_return_if_fail (SL_IS_ENDPOINT_CONFIG (self));

  close_on_eof = !!close_on_eof;
  if (self->close_on_eof == close_on_eof)
    return;

  self->close_on_eof = close_on_eof;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOSE_ON_EOF]);
}

SlAuthMode
sl_endpoint_config_get_auth (SlEndpointConfig *self)
{
  g_return_val_if_fail (SL_IS_ENDPOINT_CONFIG (self), SL_AUTH_MODE_NONE);

  return self->auth;
}

void
sl_endpoint_config_set_auth (SlEndpointConfig *self,
                             SlAuthMode        auth)
{
  g_return_if_fail (SL_IS_ENDPOINT_CONFIG (self));

  if (self->auth == auth)
    return;

  self->auth = auth;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTH]);
}

const char *
sl_endpoint_config_get_salt (SlEndpointConfig *self)
{
  g_return_val_if_fail (SL_IS_ENDPOINT_CONFIG (self), NULL);

  return self->salt;
}

void
sl_endpoint_config_set_salt (SlEndpointConfig *self,
                             const char       *salt)
{
  g_return_if_fail (SL_IS_ENDPOINT_CONFIG (self));

  if (set_str (&self->salt, salt != NULL ? salt : ""))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SALT]);
}

double
sl_endpoint_config_get_auth_timeout (SlEndpointConfig *self)
{
  g_return_val_if_fail (SL_IS_ENDPOINT_CONFIG (self), 10.0);

  return self->auth_timeout;
}

void
sl_endpoint_config_set_auth_timeout (SlEndpointConfig *self,
                                     double            timeout)
{
  g_return_if_fail (SL_IS_ENDPOINT_CONFIG (self));

  if (self->auth_timeout == timeout)
    return;

  self->auth_timeout = timeout;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTH_TIMEOUT]);
}

/* Host names */

static const char *
example_address (SlFamily family)
{
  return family == SL_FAMILY_IPV6 ? "::1" : "127.0.0.1";
}

/* An IP literal as a socket address; a scoped IPv6 literal ("fe80::1%eth0")
 * keeps its scope id, which link-local addresses need. NULL if @host is not
 * an IP literal. */
static GSocketAddress *
parse_ip_literal (const char *host,
                  guint16     port)
{
  g_autoptr(GInetAddress) address = NULL;

  if (strchr (host, '%') != NULL)
    {
      if (strchr (host, ':') == NULL)
        return NULL;
      return g_inet_socket_address_new_from_string (host, port);
    }

  address = g_inet_address_new_from_string (host);
  if (address == NULL)
    return NULL;

  return g_inet_socket_address_new (address, port);
}

static gboolean
has_suffix_ci (const char *name,
               const char *suffix)
{
  gsize name_len = strlen (name);
  gsize suffix_len = strlen (suffix);

  return name_len >= suffix_len &&
         g_ascii_strcasecmp (name + name_len - suffix_len, suffix) == 0;
}

/* "localhost" and "localhost." (the root-anchored spelling). */
static gboolean
is_localhost (const char *name)
{
  return g_ascii_strcasecmp (name, "localhost") == 0 ||
         g_ascii_strcasecmp (name, "localhost.") == 0;
}

/* A name under the reserved top-level domain "invalid" (RFC 6761 §6.4). */
static gboolean
is_reserved_invalid (const char *name)
{
  return g_ascii_strcasecmp (name, "invalid") == 0 ||
         g_ascii_strcasecmp (name, "invalid.") == 0 ||
         has_suffix_ci (name, ".invalid") ||
         has_suffix_ci (name, ".invalid.");
}

static gboolean
looks_like_ipv4 (const char *host)
{
  gboolean digit = FALSE;

  for (const char *p = host; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        digit = TRUE;
      else if (*p != '.')
        return FALSE;
    }

  return digit;
}

/* "“a”" for a printable character, "\x01" for others. */
static char *
describe_char (char c)
{
  if (g_ascii_isprint (c))
    return g_strdup_printf ("“%c”", c);

  return g_strdup_printf ("\\x%02X", (guchar) c);
}

/* Checks the syntax of a host (an IP literal of @family, or a host name).
 * @what is the translated name of the field ("Host", "Local host"). */
static gboolean
check_host (const char  *what,
            const char  *host,
            SlFamily     family,
            SlError      code,
            GError     **error)
{
  g_autoptr(GSocketAddress) literal = NULL;
  g_autofree char *ascii = NULL;
  const char *name;
  gsize len;

  if (host == NULL || *host == '\0')
    {
      g_set_error (error, SL_ERROR, code,
                   /* Translators: the first %s is "Host" or "Local host"; the second an
                    * address such as 127.0.0.1 */
                   _("%s is empty: enter an IP address such as %s, or a host name such as "
                     "localhost."),
                   what, example_address (family));
      return FALSE;
    }

  for (const char *p = host; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p))
        {
          g_set_error (error, SL_ERROR, code,
                       /* Translators: the first %s is "Host" or "Local host", the second
                        * what the user typed */
                       _("%s “%s” contains a space: remove it (a host name or address never "
                         "has spaces)."),
                       what, host);
          return FALSE;
        }
    }

  if (host[0] == '[')
    {
      g_set_error (error, SL_ERROR, code,
                   _("%s “%s” has brackets: write the IPv6 address without them, e.g. ::1 "
                     "(brackets are only for HOST:PORT addresses such as [::1]:8888)."),
                   what, host);
      return FALSE;
    }

  literal = parse_ip_literal (host, 0);
  if (literal != NULL)
    {
      GSocketFamily literal_family = g_socket_address_get_family (literal);

      if (literal_family == G_SOCKET_FAMILY_IPV4 && family == SL_FAMILY_IPV6)
        {
          g_set_error (error, SL_ERROR, code,
                       _("%s “%s” is an IPv4 address, but the family is IPv6: switch the "
                         "family to IPv4, or use an IPv6 address such as ::1."),
                       what, host);
          return FALSE;
        }
      if (literal_family == G_SOCKET_FAMILY_IPV6 && family == SL_FAMILY_IPV4)
        {
          g_set_error (error, SL_ERROR, code,
                       _("%s “%s” is an IPv6 address, but the family is IPv4: switch the "
                         "family to IPv6, or use an IPv4 address such as 127.0.0.1."),
                       what, host);
          return FALSE;
        }
      return TRUE;
    }

  if (strchr (host, ':') != NULL)
    {
      const char *colon = strchr (host, ':');

      /* "127.0.0.1:8888" typed into the host field */
      if (strchr (colon + 1, ':') == NULL && colon[1] != '\0' &&
          strspn (colon + 1, "0123456789") == strlen (colon + 1))
        {
          g_set_error (error, SL_ERROR, code,
                       _("%s “%s” contains a port: enter only the host here, and the port "
                         "in its own field."),
                       what, host);
          return FALSE;
        }

      g_set_error (error, SL_ERROR, code,
                   _("%s “%s” is not a valid IPv6 address: write groups of hex digits "
                     "separated by colons, where :: stands for zeros, e.g. ::1."),
                   what, host);
      return FALSE;
    }

  if (looks_like_ipv4 (host))
    {
      g_set_error (error, SL_ERROR, code,
                   _("%s “%s” is not a valid IPv4 address: write four numbers from 0 to "
                     "255 separated by dots, e.g. 127.0.0.1."),
                   what, host);
      return FALSE;
    }

  /* International names ("例子.测试") are checked in their ASCII form, as
   * GResolver will look them up. */
  if (g_hostname_is_non_ascii (host))
    {
      ascii = g_hostname_to_ascii (host);
      if (ascii == NULL)
        {
          g_set_error (error, SL_ERROR, code,
                       _("%s “%s” is not a valid international host name: check the "
                         "spelling, or use an IP address such as %s."),
                       what, host, example_address (family));
          return FALSE;
        }
    }
  name = ascii != NULL ? ascii : host;

  /* One trailing dot marks a fully qualified name; it is not part of the length. */
  len = strlen (name);
  if (len > 1 && name[len - 1] == '.')
    len--;

  if (len > HOST_NAME_MAX_LEN)
    {
      g_set_error (error, SL_ERROR, code,
                   _("%s “%s” is %u characters long: a host name may have at most %u."),
                   what, host, (guint) len, (guint) HOST_NAME_MAX_LEN);
      return FALSE;
    }

  for (gsize start = 0; start < len;)
    {
      gsize end = start;

      while (end < len && name[end] != '.')
        end++;

      if (end == start)
        {
          g_set_error (error, SL_ERROR, code,
                       _("%s “%s” has an empty part between dots: remove the extra dot."),
                       what, host);
          return FALSE;
        }
      if (end - start > HOST_LABEL_MAX_LEN)
        {
          g_autofree char *label = g_strndup (name + start, end - start);

          g_set_error (error, SL_ERROR, code,
                       _("%s “%s” has a part of %u characters (“%s”): each part between "
                         "dots may have at most %u."),
                       what, host, (guint) (end - start), label, (guint) HOST_LABEL_MAX_LEN);
          return FALSE;
        }
      for (gsize i = start; i < end; i++)
        {
          char c = name[i];

          /* The underscore is not a host name character (RFC 1123) but it is
           * common in DNS and container names, and getaddrinfo() accepts it. */
          if (!g_ascii_isalnum (c) && c != '-' && c != '_')
            {
              g_autofree char *shown = describe_char (c);

              g_set_error (error, SL_ERROR, code,
                           /* Translators: the third %s is a quoted character */
                           _("%s “%s” contains %s, which is not allowed in a host name: use "
                             "letters, digits, hyphens and dots, or an IP address such as %s."),
                           what, host, shown, example_address (family));
              return FALSE;
            }
        }
      if (name[start] == '-' || name[end - 1] == '-')
        {
          g_set_error (error, SL_ERROR, code,
                       _("%s “%s” has a part that starts or ends with a hyphen: a hyphen may "
                         "only stand between letters or digits."),
                       what, host);
          return FALSE;
        }

      start = end + 1;
    }

  return TRUE;
}

/* Validation */

static gboolean
field_applies (SlEndpointConfig *self,
               SlConfigField     field)
{
  gboolean is_unix = self->family == SL_FAMILY_UNIX;
  gboolean is_client = self->role == SL_ROLE_CLIENT;
  gboolean is_stream = self->protocol == SL_PROTOCOL_TCP;

  switch (field)
    {
    case SL_CONFIG_FIELD_HOST:
    case SL_CONFIG_FIELD_PORT:
      return !is_unix;
    case SL_CONFIG_FIELD_PATH:
      return is_unix;
    case SL_CONFIG_FIELD_LOCAL_HOST:
    case SL_CONFIG_FIELD_LOCAL_PORT:
      return !is_unix && is_client;
    case SL_CONFIG_FIELD_BACKLOG:
    case SL_CONFIG_FIELD_MAX_CLIENTS:
      /* Only stream servers listen() and accept(); elsewhere these are ignored. */
      return is_stream && !is_client;
    case SL_CONFIG_FIELD_BUFSIZE:
      return TRUE;
    case SL_CONFIG_FIELD_TIMEOUT:
      return self->io_mode == SL_IO_MODE_TIMEOUT;
    case SL_CONFIG_FIELD_CONNECT_TIMEOUT:
      return is_stream && is_client;
    case SL_CONFIG_FIELD_REPLY_TEXT:
      return self->reply_mode == SL_REPLY_FIXED;
    case SL_CONFIG_FIELD_AUTH:
    case SL_CONFIG_FIELD_SALT:
    case SL_CONFIG_FIELD_AUTH_TIMEOUT:
      return is_stream && self->auth != SL_AUTH_MODE_NONE;
    case SL_CONFIG_FIELD_NONE:
    default:
      return FALSE;
    }
}

static gboolean
validate_port (SlEndpointConfig  *self,
               GError           **error)
{
  if (self->role == SL_ROLE_SERVER)
    {
      if (self->port < 0 || self->port > G_MAXUINT16)
        {
          g_set_error (error, SL_ERROR, SL_ERROR_INVALID_PORT,
                       _("Port “%d” is out of range: use 0 (any free port) to 65535."),
                       self->port);
          return FALSE;
        }
      return TRUE;
    }

  if (self->port == 0)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_INVALID_PORT,
                   _("Port “0” cannot be used by a client: enter the port the server listens "
                     "on, from 1 to 65535."));
      return FALSE;
    }
  if (self->port < 1 || self->port > G_MAXUINT16)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_INVALID_PORT,
                   _("Port “%d” is out of range: enter the port the server listens on, from 1 "
                     "to 65535."),
                   self->port);
      return FALSE;
    }

  return TRUE;
}

static gboolean
validate_path (SlEndpointConfig  *self,
               GError           **error)
{
  const char *path = self->path;
  g_autofree char *dir = NULL;
  gsize len = strlen (path);
  GStatBuf st;

  if (len == 0)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_INVALID_PATH,
                   _("The socket path is empty: enter a file path such as "
                     "/tmp/socket-lab.sock."));
      return FALSE;
    }

  if (len > SUN_PATH_MAX)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_INVALID_PATH,
                   _("Socket path “%s” is %u bytes long: a Unix socket path may have at most "
                     "%u bytes. Choose a shorter path, e.g. in /tmp."),
                   path, (guint) len, (guint) SUN_PATH_MAX);
      return FALSE;
    }

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *trimmed = g_strdup (path);
      gsize tlen = strlen (trimmed);

      while (tlen > 1 && trimmed[tlen - 1] == '/')
        trimmed[--tlen] = '\0';

      g_set_error (error, SL_ERROR, SL_ERROR_INVALID_PATH,
                   _("Socket path “%s” is a directory: add a file name, e.g. "
                     "%s/socket-lab.sock."),
                   path, strcmp (trimmed, "/") == 0 ? "" : trimmed);
      return FALSE;
    }

  dir = g_path_get_dirname (path);
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      if (g_file_test (dir, G_FILE_TEST_EXISTS))
        g_set_error (error, SL_ERROR, SL_ERROR_INVALID_PATH,
                     _("Socket path “%s” is impossible: “%s” is a file, not a directory. "
                       "Choose a path in a directory such as /tmp."),
                     path, dir);
      else if (self->role == SL_ROLE_SERVER)
        g_set_error (error, SL_ERROR, SL_ERROR_INVALID_PATH,
                     _("Socket path “%s” cannot be created: the directory “%s” does not "
                       "exist. Create it first, or choose a path in an existing directory "
                       "such as /tmp."),
                     path, dir);
      else
        g_set_error (error, SL_ERROR, SL_ERROR_INVALID_PATH,
                     _("Socket path “%s” cannot exist: the directory “%s” does not exist. "
                       "Enter the path the server listens on."),
                     path, dir);
      return FALSE;
    }

  /* bind() fails with EADDRINUSE on any existing file; a plain file is almost
   * certainly not what the student meant to replace. A leftover socket is
   * for the endpoint to deal with. */
  if (self->role == SL_ROLE_SERVER && g_lstat (path, &st) == 0 && !S_ISSOCK (st.st_mode))
    {
      g_set_error (error, SL_ERROR, SL_ERROR_INVALID_PATH,
                   _("Socket path “%s” is an existing file that is not a socket: choose "
                     "another path; a server creates its socket file itself."),
                   path);
      return FALSE;
    }

  return TRUE;
}

static char *
format_seconds (double seconds)
{
  return g_strdup_printf ("%g", seconds);
}

static const char *
encoding_name (SlEncoding encoding)
{
  switch (encoding)
    {
    case SL_ENCODING_TEXT:
      return _("text (UTF-8)");
    case SL_ENCODING_BASE64:
      return "base64";
    case SL_ENCODING_HEX:
      return "hex";
    case SL_ENCODING_JSON:
      return "JSON";
    default:
      return "?";
    }
}

static gboolean
validate_reply_text (SlEndpointConfig  *self,
                     GError           **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;

  if (self->reply_text[0] == '\0')
    {
      g_set_error (error, SL_ERROR, SL_ERROR_INVALID_REPLY,
                   _("The fixed reply is empty: type the reply text, or choose another reply "
                     "mode (an empty reply would send nothing over TCP)."));
      return FALSE;
    }

  bytes = sl_codec_encode (self->encoding, self->reply_text, &local_error);
  if (bytes == NULL)
    {
      /* The codec's message already names the problem, where it is and what to do. */
      g_set_error (error, SL_ERROR, SL_ERROR_INVALID_REPLY,
                   /* Translators: the second %s is a complete sentence explaining the problem */
                   _("Fixed reply “%s” is not valid %s: %s"),
                   self->reply_text, encoding_name (self->encoding),
                   local_error != NULL ? local_error->message : "");
      return FALSE;
    }

  return TRUE;
}

gboolean
sl_endpoint_config_validate_field (SlEndpointConfig  *self,
                                   SlConfigField      field,
                                   GError           **error)
{
  g_autofree char *shown = NULL;

  g_return_val_if_fail (SL_IS_ENDPOINT_CONFIG (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!field_applies (self, field))
    return TRUE;

  switch (field)
    {
    case SL_CONFIG_FIELD_HOST:
      /* Translators: the name of a field, used at the start of error messages */
      return check_host (_("Host"), self->host, self->family, SL_ERROR_INVALID_HOST, error);

    case SL_CONFIG_FIELD_PORT:
      return validate_port (self, error);

    case SL_CONFIG_FIELD_PATH:
      return validate_path (self, error);

    case SL_CONFIG_FIELD_LOCAL_HOST:
      /* Empty means "any address". */
      if (self->local_host == NULL || self->local_host[0] == '\0')
        return TRUE;
      /* Translators: the name of a field, used at the start of error messages */
      return check_host (_("Local host"), self->local_host, self->family,
                         SL_ERROR_INVALID_LOCAL_ADDRESS, error);

    case SL_CONFIG_FIELD_LOCAL_PORT:
      if (self->local_port < 0 || self->local_port > G_MAXUINT16)
        {
          g_set_error (error, SL_ERROR, SL_ERROR_INVALID_LOCAL_ADDRESS,
                       _("Local port “%d” is out of range: use 0 (any free port) to 65535."),
                       self->local_port);
          return FALSE;
        }
      return TRUE;

    case SL_CONFIG_FIELD_BACKLOG:
      /* The kernel silently caps larger values at net.core.somaxconn. */
      if (self->backlog < 1 || self->backlog > BACKLOG_MAX)
        {
          g_set_error (error, SL_ERROR, SL_ERROR_INVALID_BACKLOG,
                       _("Backlog “%d” is out of range: use 1 to 65535 (the tutorials use "
                         "listen(5))."),
                       self->backlog);
          return FALSE;
        }
      return TRUE;

    case SL_CONFIG_FIELD_BUFSIZE:
      if (self->bufsize < 1 || self->bufsize > BUFSIZE_MAX)
        {
          g_set_error (error, SL_ERROR, SL_ERROR_INVALID_BUFSIZE,
                       _("Buffer size “%d” is out of range: use 1 to 16777216 bytes (16 MiB); "
                         "the tutorials use recv(1024)."),
                       self->bufsize);
          return FALSE;
        }
      return TRUE;

    case SL_CONFIG_FIELD_MAX_CLIENTS:
      if (self->max_clients < 0)
        {
          g_set_error (error, SL_ERROR, SL_ERROR_INVALID_MAX_CLIENTS,
                       _("Maximum clients “%d” is negative: use 0 for no limit, or the number "
                         "of clients to serve at once."),
                       self->max_clients);
          return FALSE;
        }
      return TRUE;

    case SL_CONFIG_FIELD_TIMEOUT:
      /* Written so that NaN fails too. */
      if (!(self->timeout > 0.0 && self->timeout <= TIMEOUT_MAX))
        {
          shown = format_seconds (self->timeout);
          g_set_error (error, SL_ERROR, SL_ERROR_INVALID_TIMEOUT,
                       _("Timeout “%s” is out of range: use more than 0 and at most 3600 "
                         "seconds. (settimeout(0) would mean non-blocking: choose the "
                         "non-blocking I/O mode for that.)"),
                       shown);
          return FALSE;
        }
      return TRUE;

    case SL_CONFIG_FIELD_CONNECT_TIMEOUT:
      if (!(self->connect_timeout > 0.0 && self->connect_timeout <= CONNECT_TIMEOUT_MAX))
        {
          shown = format_seconds (self->connect_timeout);
          g_set_error (error, SL_ERROR, SL_ERROR_INVALID_TIMEOUT,
                       _("Connect timeout “%s” is out of range: use more than 0 and at most "
                         "600 seconds."),
                       shown);
          return FALSE;
        }
      return TRUE;

    case SL_CONFIG_FIELD_REPLY_TEXT:
      return validate_reply_text (self, error);

    case SL_CONFIG_FIELD_AUTH:
      if (self->io_mode != SL_IO_MODE_ASYNC)
        {
          g_set_error (error, SL_ERROR, SL_ERROR_INVALID_COMBINATION,
                       _("Authentication needs the async I/O mode in this version: choose the "
                         "async mode, or turn authentication off to call accept() and recv() "
                         "yourself."));
          return FALSE;
        }
      return TRUE;

    case SL_CONFIG_FIELD_SALT:
      if (self->salt[0] == '\0')
        {
          g_set_error (error, SL_ERROR, SL_ERROR_INVALID_COMBINATION,
                       _("The salt is empty: HMAC authentication needs a secret both sides "
                         "know. Enter the same salt as the peer, e.g. SOCKET SERVER as in "
                         "the tutorial."));
          return FALSE;
        }
      return TRUE;

    case SL_CONFIG_FIELD_AUTH_TIMEOUT:
      if (!(self->auth_timeout > 0.0 && self->auth_timeout <= AUTH_TIMEOUT_MAX))
        {
          shown = format_seconds (self->auth_timeout);
          g_set_error (error, SL_ERROR, SL_ERROR_INVALID_TIMEOUT,
                       _("Authentication timeout “%s” is out of range: use more than 0 and at "
                         "most 600 seconds."),
                       shown);
          return FALSE;
        }
      return TRUE;

    case SL_CONFIG_FIELD_NONE:
    default:
      return TRUE;
    }
}

gboolean
sl_endpoint_config_validate (SlEndpointConfig  *self,
                             SlConfigField     *field,
                             GError           **error)
{
  g_return_val_if_fail (SL_IS_ENDPOINT_CONFIG (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* The order of the enumeration is the order of the form. */
  for (SlConfigField f = SL_CONFIG_FIELD_HOST; f <= SL_CONFIG_FIELD_AUTH_TIMEOUT; f++)
    {
      if (!sl_endpoint_config_validate_field (self, f, error))
        {
          if (field != NULL)
            *field = f;
          return FALSE;
        }
    }

  if (field != NULL)
    *field = SL_CONFIG_FIELD_NONE;

  return TRUE;
}

/* Parsing */

gboolean
sl_endpoint_config_parse_port (const char  *text,
                               int         *port,
                               GError     **error)
{
  g_autofree char *trimmed = NULL;
  g_autoptr(GError) local_error = NULL;
  guint64 value = 0;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  trimmed = g_strstrip (g_strdup (text));

  if (trimmed[0] == '\0')
    {
      g_set_error (error, SL_ERROR, SL_ERROR_INVALID_PORT,
                   _("The port is empty: enter a number from 0 to 65535, e.g. 8888."));
      return FALSE;
    }

  if (!g_ascii_string_to_unsigned (trimmed, 10, 0, G_MAXUINT16, &value, &local_error))
    {
      gboolean negative = trimmed[0] == '-' && trimmed[1] != '\0' &&
                          strspn (trimmed + 1, "0123456789") == strlen (trimmed + 1);

      if (negative ||
          g_error_matches (local_error, G_NUMBER_PARSER_ERROR,
                           G_NUMBER_PARSER_ERROR_OUT_OF_BOUNDS))
        g_set_error (error, SL_ERROR, SL_ERROR_INVALID_PORT,
                     _("Port “%s” is out of range: use 0 (any free port) to 65535."),
                     trimmed);
      else
        g_set_error (error, SL_ERROR, SL_ERROR_INVALID_PORT,
                     _("Port “%s” is not a number: enter a number from 0 to 65535, e.g. 8888."),
                     trimmed);
      return FALSE;
    }

  if (port != NULL)
    *port = (int) value;

  return TRUE;
}

static gboolean
split_port (const char  *address,
            const char  *port_text,
            gboolean     bracketed,
            int         *port,
            GError     **error)
{
  if (port_text == NULL || *port_text == '\0')
    {
      if (bracketed)
        g_set_error (error, SL_ERROR, SL_ERROR_INVALID_PORT,
                     _("Address “%s” has no port: write [IPv6]:PORT, e.g. [::1]:8888."),
                     address);
      else
        g_set_error (error, SL_ERROR, SL_ERROR_INVALID_PORT,
                     _("Address “%s” has no port: write HOST:PORT, e.g. 127.0.0.1:8888."),
                     address);
      return FALSE;
    }

  return sl_endpoint_config_parse_port (port_text, port, error);
}

gboolean
sl_endpoint_config_set_address_string (SlEndpointConfig  *self,
                                       const char        *address,
                                       GError           **error)
{
  g_autofree char *text = NULL;
  g_autofree char *host = NULL;
  SlFamily family;
  int port = 0;

  g_return_val_if_fail (SL_IS_ENDPOINT_CONFIG (self), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* A path may legitimately contain spaces and colons: take it whole. */
  if (self->family == SL_FAMILY_UNIX)
    {
      if (*address == '\0')
        {
          g_set_error (error, SL_ERROR, SL_ERROR_INVALID_PATH,
                       _("The socket path is empty: enter a file path such as "
                         "/tmp/socket-lab.sock."));
          return FALSE;
        }
      sl_endpoint_config_set_path (self, address);
      return TRUE;
    }

  text = g_strstrip (g_strdup (address));
  family = self->family;

  if (text[0] == '\0')
    {
      g_set_error (error, SL_ERROR, SL_ERROR_INVALID_HOST,
                   _("The address is empty: write HOST:PORT, e.g. 127.0.0.1:8888."));
      return FALSE;
    }

  if (text[0] == '[')
    {
      const char *close = strchr (text, ']');
      g_autoptr(GSocketAddress) literal = NULL;

      if (close == NULL)
        {
          g_set_error (error, SL_ERROR, SL_ERROR_INVALID_HOST,
                       _("Address “%s” has no closing bracket: write [IPv6]:PORT, e.g. "
                         "[::1]:8888."),
                       text);
          return FALSE;
        }

      host = g_strndup (text + 1, close - text - 1);
      literal = parse_ip_literal (host, 0);
      if (literal == NULL || g_socket_address_get_family (literal) != G_SOCKET_FAMILY_IPV6)
        {
          g_set_error (error, SL_ERROR, SL_ERROR_INVALID_HOST,
                       _("Address “%s”: “%s” in brackets is not an IPv6 address. Brackets "
                         "are for IPv6 addresses only, e.g. [::1]:8888; write other hosts "
                         "without them, e.g. 127.0.0.1:8888."),
                       text, host);
          return FALSE;
        }

      if (close[1] != ':' && close[1] != '\0')
        {
          g_set_error (error, SL_ERROR, SL_ERROR_INVALID_PORT,
                       _("Address “%s” has text after “]” that is not “:PORT”: write "
                         "[IPv6]:PORT, e.g. [::1]:8888."),
                       text);
          return FALSE;
        }
      if (!split_port (text, close[1] == ':' ? close + 2 : NULL, TRUE, &port, error))
        return FALSE;

      family = SL_FAMILY_IPV6;
    }
  else
    {
      const char *colon = strchr (text, ':');
      g_autoptr(GSocketAddress) literal = NULL;

      if (colon == NULL)
        {
          g_set_error (error, SL_ERROR, SL_ERROR_INVALID_PORT,
                       _("Address “%s” has no port: write HOST:PORT, e.g. 127.0.0.1:8888."),
                       text);
          return FALSE;
        }

      /* "::1:8888" is itself a valid IPv6 address: only brackets tell where
       * the address ends, as in URLs. */
      if (strchr (colon + 1, ':') != NULL)
        {
          g_set_error (error, SL_ERROR, SL_ERROR_INVALID_HOST,
                       _("Address “%s” looks like an IPv6 address without brackets: write "
                         "[IPv6]:PORT, e.g. [::1]:8888."),
                       text);
          return FALSE;
        }

      host = g_strndup (text, colon - text);
      if (host[0] == '\0')
        {
          g_set_error (error, SL_ERROR, SL_ERROR_INVALID_HOST,
                       _("Address “%s” has no host: write HOST:PORT, e.g. 127.0.0.1:8888."),
                       text);
          return FALSE;
        }

      if (!split_port (text, colon + 1, FALSE, &port, error))
        return FALSE;

      /* A numeric address says its family; a name keeps the chosen one. */
      literal = parse_ip_literal (host, 0);
      if (literal != NULL && g_socket_address_get_family (literal) == G_SOCKET_FAMILY_IPV4)
        family = SL_FAMILY_IPV4;
    }

  if (!check_host (_("Host"), host, family, SL_ERROR_INVALID_HOST, error))
    return FALSE;

  g_object_freeze_notify (G_OBJECT (self));
  sl_endpoint_config_set_family (self, family);
  sl_endpoint_config_set_host (self, host);
  sl_endpoint_config_set_port (self, port);
  g_object_thaw_notify (G_OBJECT (self));

  return TRUE;
}

/* Resolution */

typedef struct
{
  SlFamily        family;
  char           *host;
  guint16         port;
  gboolean        want_local;
  char           *local_host;
  guint16         local_port;
  GSocketAddress *remote;
  GSocketAddress *local;
} ResolveData;

static void
resolve_data_free (ResolveData *data)
{
  g_free (data->host);
  g_free (data->local_host);
  g_clear_object (&data->remote);
  g_clear_object (&data->local);
  g_free (data);
}

/* The result array holds NULL at index 1 when there is no local bind. */
static void
unref_if_set (gpointer object)
{
  if (object != NULL)
    g_object_unref (object);
}

static GPtrArray *
result_array (GSocketAddress *remote,
              GSocketAddress *local)
{
  GPtrArray *array = g_ptr_array_new_full (2, unref_if_set);

  g_ptr_array_add (array, remote);
  g_ptr_array_add (array, local);

  return array;
}

static GSocketFamily
socket_family (SlFamily family)
{
  return family == SL_FAMILY_IPV6 ? G_SOCKET_FAMILY_IPV6 : G_SOCKET_FAMILY_IPV4;
}

static void
set_not_found_error (GError     **error,
                     const char  *what,
                     const char  *name,
                     SlFamily     family)
{
  if (family == SL_FAMILY_IPV6)
    g_set_error (error, SL_ERROR, SL_ERROR_RESOLVE,
                 /* Translators: the first %s is "Host" or "Local host" */
                 _("%s “%s” could not be found or has no IPv6 address: check the spelling, "
                   "switch the family to IPv4, or use an IP address such as ::1."),
                 what, name);
  else
    g_set_error (error, SL_ERROR, SL_ERROR_RESOLVE,
                 /* Translators: the first %s is "Host" or "Local host" */
                 _("%s “%s” could not be found: check the spelling, or use an IP address such "
                   "as 127.0.0.1."),
                 what, name);
}

/* Resolves @name without asking a name server when that is possible.
 * Returns FALSE when a lookup is needed; otherwise TRUE with *@address set,
 * or with @error set. */
static gboolean
resolve_without_lookup (const char      *what,
                        const char      *name,
                        SlFamily         family,
                        guint16          port,
                        GSocketAddress **address,
                        GError         **error)
{
  g_autoptr(GInetAddress) inet = NULL;

  /* No local host but a local port: the family's any-address. */
  if (name == NULL || name[0] == '\0')
    {
      inet = g_inet_address_new_any (socket_family (family));
      *address = g_inet_socket_address_new (inet, port);
      return TRUE;
    }

  *address = parse_ip_literal (name, port);
  if (*address != NULL)
    {
      if (g_socket_address_get_family (*address) != socket_family (family))
        {
          g_clear_object (address);
          /* validate_field() explains the mismatch. */
          return check_host (what, name, family, SL_ERROR_RESOLVE, error);
        }
      return TRUE;
    }

  /* "localhost" is the loopback address of the chosen family, without asking
   * the resolver: getaddrinfo() may answer ::1 first (or only), and Packet
   * Sender users are surprised when "localhost" turns out to be IPv6 and
   * their IPv4 server is not reached. RFC 6761 §6.3 also lets resolvers
   * answer localhost names themselves. */
  if (is_localhost (name))
    {
      inet = g_inet_address_new_loopback (socket_family (family));
      *address = g_inet_socket_address_new (inet, port);
      return TRUE;
    }

  /* RFC 6761 §6.4: names under ".invalid" never exist and resolver libraries
   * should answer negatively at once. Asking anyway can hang for the resolver
   * timeout (5 s measured with an unreachable name server). */
  if (is_reserved_invalid (name))
    {
      set_not_found_error (error, what, name, family);
      return TRUE;
    }

  return FALSE;
}

static void resolve_next (GTask *task);

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ResolveData *data = g_task_get_task_data (task);
  gboolean is_local = data->remote != NULL;
  const char *name = is_local ? data->local_host : data->host;
  g_autoptr(GError) error = NULL;
  GList *addresses;

  addresses = g_resolver_lookup_by_name_with_flags_finish (G_RESOLVER (object), result, &error);
  if (addresses == NULL)
    {
      /* Translators: the names of fields, used at the start of error messages */
      const char *what = is_local ? _("Local host") : _("Host");

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else if (g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_TEMPORARY_FAILURE))
        g_task_return_new_error (task, SL_ERROR, SL_ERROR_RESOLVE,
                                 _("%s “%s” could not be looked up because no name server "
                                   "answered (is this computer offline?): use an IP address "
                                   "such as %s."),
                                 what, name, example_address (data->family));
      else
        {
          GError *not_found = NULL;

          set_not_found_error (&not_found, what, name, data->family);
          g_task_return_error (task, not_found);
        }
      return;
    }

  for (GList *l = addresses; l != NULL; l = l->next)
    {
      GInetAddress *inet = l->data;

      if (g_inet_address_get_family (inet) != socket_family (data->family))
        continue;

      if (is_local)
        data->local = g_inet_socket_address_new (inet, data->local_port);
      else
        data->remote = g_inet_socket_address_new (inet, data->port);
      break;
    }
  g_resolver_free_addresses (addresses);

  /* The flags ask for the family, so this should not happen. */
  if ((is_local ? data->local : data->remote) == NULL)
    {
      GError *not_found = NULL;

      set_not_found_error (&not_found, is_local ? _("Local host") : _("Host"), name,
                           data->family);
      g_task_return_error (task, not_found);
      return;
    }

  resolve_next (task);
}

static void
resolve_next (GTask *task)
{
  ResolveData *data = g_task_get_task_data (task);

  while (data->remote == NULL || (data->want_local && data->local == NULL))
    {
      gboolean is_local = data->remote != NULL;
      const char *name = is_local ? data->local_host : data->host;
      GSocketAddress **slot = is_local ? &data->local : &data->remote;
      g_autoptr(GResolver) resolver = NULL;
      GError *error = NULL;

      if (resolve_without_lookup (is_local ? _("Local host") : _("Host"), name, data->family,
                                  is_local ? data->local_port : data->port, slot, &error))
        {
          if (error != NULL)
            {
              g_task_return_error (task, error);
              return;
            }
          continue;
        }

      resolver = g_resolver_get_default ();
      g_resolver_lookup_by_name_with_flags_async (resolver, name,
                                                  data->family == SL_FAMILY_IPV6
                                                    ? G_RESOLVER_NAME_LOOKUP_FLAGS_IPV6_ONLY
                                                    : G_RESOLVER_NAME_LOOKUP_FLAGS_IPV4_ONLY,
                                                  g_task_get_cancellable (task),
                                                  lookup_cb, g_object_ref (task));
      return;
    }

  g_task_return_pointer (task,
                         result_array (g_steal_pointer (&data->remote),
                                       g_steal_pointer (&data->local)),
                         (GDestroyNotify) g_ptr_array_unref);
}

void
sl_endpoint_config_resolve_async (SlEndpointConfig    *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ResolveData *data;
  static const SlConfigField fields[] = {
    SL_CONFIG_FIELD_HOST,
    SL_CONFIG_FIELD_PORT,
    SL_CONFIG_FIELD_PATH,
    SL_CONFIG_FIELD_LOCAL_HOST,
    SL_CONFIG_FIELD_LOCAL_PORT,
  };

  g_return_if_fail (SL_IS_ENDPOINT_CONFIG (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sl_endpoint_config_resolve_async);

  if (g_task_return_error_if_cancelled (task))
    return;

  /* The address fields must be valid before they become socket addresses. */
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      GError *error = NULL;

      if (!sl_endpoint_config_validate_field (self, fields[i], &error))
        {
          g_task_return_error (task, error);
          return;
        }
    }

  if (self->family == SL_FAMILY_UNIX)
    {
      g_task_return_pointer (task,
                             result_array (g_unix_socket_address_new (self->path), NULL),
                             (GDestroyNotify) g_ptr_array_unref);
      return;
    }

  /* A snapshot: the form may change while a lookup runs. */
  data = g_new0 (ResolveData, 1);
  data->family = self->family;
  data->host = g_strdup (self->host);
  data->port = (guint16) self->port;
  if (self->role == SL_ROLE_CLIENT)
    {
      gboolean has_local_host = self->local_host != NULL && self->local_host[0] != '\0';

      data->want_local = has_local_host || self->local_port > 0;
      data->local_host = has_local_host ? g_strdup (self->local_host) : NULL;
      data->local_port = (guint16) self->local_port;
    }
  g_task_set_task_data (task, data, (GDestroyNotify) resolve_data_free);

  resolve_next (task);
}

GPtrArray *
sl_endpoint_config_resolve_finish (SlEndpointConfig  *self,
                                   GAsyncResult      *result,
                                   GError           **error)
{
  g_return_val_if_fail (SL_IS_ENDPOINT_CONFIG (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        sl_endpoint_config_resolve_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Display */

/* Python's repr() of a str: single quotes unless the text has a single quote
 * and no double quote; bytes that are not UTF-8 appear as the surrogates that
 * Python's file system decoding (surrogateescape) gives them. */
static void
append_python_str (GString    *out,
                   const char *text,
                   gsize       len)
{
  const char *end = text + len;
  gboolean has_single = memchr (text, '\'', len) != NULL;
  gboolean has_double = memchr (text, '"', len) != NULL;
  char quote = has_single && !has_double ? '"' : '\'';

  g_string_append_c (out, quote);

  for (const char *p = text; p < end;)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_printf (out, "\\udc%02x", (guchar) *p);
          p++;
          continue;
        }

      if (c == '\\' || c == (gunichar) quote)
        g_string_append_printf (out, "\\%c", (char) c);
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\r')
        g_string_append (out, "\\r");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (out, "\\x%02x", c);
      else if (c >= 0x80)
        {
          GUnicodeType type = g_unichar_type (c);
          gboolean printable = type != G_UNICODE_CONTROL &&
                               type != G_UNICODE_FORMAT &&
                               type != G_UNICODE_UNASSIGNED &&
                               type != G_UNICODE_PRIVATE_USE &&
                               type != G_UNICODE_SURROGATE &&
                               type != G_UNICODE_LINE_SEPARATOR &&
                               type != G_UNICODE_PARAGRAPH_SEPARATOR &&
                               type != G_UNICODE_SPACE_SEPARATOR;

          if (printable)
            g_string_append_len (out, p, g_utf8_next_char (p) - p);
          else if (c < 0x100)
            g_string_append_printf (out, "\\x%02x", c);
          else if (c < 0x10000)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_printf (out, "\\U%08x", c);
        }
      else
        g_string_append_c (out, (char) c);

      p = g_utf8_next_char (p);
    }

  g_string_append_c (out, quote);
}

gboolean
sl_endpoint_config_is_exposed (SlEndpointConfig *self)
{
  g_autoptr(GInetAddress) address = NULL;

  g_return_val_if_fail (SL_IS_ENDPOINT_CONFIG (self), FALSE);

  if (self->role != SL_ROLE_SERVER || self->family == SL_FAMILY_UNIX || self->host == NULL)
    return FALSE;
  address = g_inet_address_new_from_string (self->host);

  return address != NULL && g_inet_address_get_is_any (address);
}

char *
sl_endpoint_config_address_text (SlEndpointConfig *self)
{
  g_return_val_if_fail (SL_IS_ENDPOINT_CONFIG (self), NULL);

  if (self->family == SL_FAMILY_UNIX)
    return g_strdup (self->path);
  if (self->family == SL_FAMILY_IPV6)
    return g_strdup_printf ("[%s]:%d", self->host, self->port);
  return g_strdup_printf ("%s:%d", self->host, self->port);
}

char *
sl_python_address (GSocketAddress *address)
{
  g_return_val_if_fail (G_IS_SOCKET_ADDRESS (address), NULL);

  if (G_IS_INET_SOCKET_ADDRESS (address))
    {
      GInetSocketAddress *inet = G_INET_SOCKET_ADDRESS (address);
      g_autofree char *host = g_inet_address_to_string (g_inet_socket_address_get_address (inet));
      guint port = g_inet_socket_address_get_port (inet);

      if (g_socket_address_get_family (address) == G_SOCKET_FAMILY_IPV6)
        /* GLib keeps sin6_flowinfo in network byte order; Python shows ntohl(). */
        return g_strdup_printf ("('%s', %u, %u, %u)", host, port,
                                g_ntohl (g_inet_socket_address_get_flowinfo (inet)),
                                g_inet_socket_address_get_scope_id (inet));

      return g_strdup_printf ("('%s', %u)", host, port);
    }

  if (G_IS_UNIX_SOCKET_ADDRESS (address))
    {
      GUnixSocketAddress *unix_address = G_UNIX_SOCKET_ADDRESS (address);
      const char *path = g_unix_socket_address_get_path (unix_address);
      gsize len = g_unix_socket_address_get_path_len (unix_address);
      GString *out;

      switch (g_unix_socket_address_get_address_type (unix_address))
        {
        case G_UNIX_SOCKET_ADDRESS_PATH:
          out = g_string_new (NULL);
          append_python_str (out, path, len);
          return g_string_free (out, FALSE);

        case G_UNIX_SOCKET_ADDRESS_ABSTRACT:
        case G_UNIX_SOCKET_ADDRESS_ABSTRACT_PADDED:
          {
            /* Linux abstract names (also autobound ones): Python returns
             * them as bytes that start with a NUL byte. */
            g_autofree guint8 *name = g_malloc (len + 1);

            name[0] = '\0';
            memcpy (name + 1, path, len);
            return sl_codec_python_bytes (name, len + 1, 0);
          }

        case G_UNIX_SOCKET_ADDRESS_ANONYMOUS:
        case G_UNIX_SOCKET_ADDRESS_INVALID:
        default:
          /* An unnamed socket (an unbound client): Python prints ''. */
          return g_strdup ("''");
        }
    }

  return g_socket_connectable_to_string (G_SOCKET_CONNECTABLE (address));
}

static char *
format_address (SlEndpointConfig *self)
{
  if (self->family == SL_FAMILY_UNIX)
    return g_strdup (self->path);

  if (strchr (self->host, ':') != NULL)
    return g_strdup_printf ("[%s]:%d", self->host, self->port);

  return g_strdup_printf ("%s:%d", self->host, self->port);
}

char *
sl_endpoint_config_describe (SlEndpointConfig *self)
{
  g_autofree char *address = NULL;
  gboolean is_server;

  g_return_val_if_fail (SL_IS_ENDPOINT_CONFIG (self), NULL);

  address = format_address (self);
  is_server = self->role == SL_ROLE_SERVER;

  /* Whole phrases, so that translators can order the words. */
  if (self->family == SL_FAMILY_UNIX)
    {
      if (self->protocol == SL_PROTOCOL_TCP)
        return is_server
          /* Translators: %s is a file path */
          ? g_strdup_printf (_("Unix stream server %s"), address)
          /* Translators: %s is a file path */
          : g_strdup_printf (_("Unix stream client %s"), address);

      return is_server
        /* Translators: %s is a file path */
        ? g_strdup_printf (_("Unix datagram server %s"), address)
        /* Translators: %s is a file path */
        : g_strdup_printf (_("Unix datagram client %s"), address);
    }

  if (self->protocol == SL_PROTOCOL_TCP)
    return is_server
      /* Translators: %s is an address such as 127.0.0.1:8888 */
      ? g_strdup_printf (_("TCP server %s"), address)
      /* Translators: %s is an address such as 127.0.0.1:8888 */
      : g_strdup_printf (_("TCP client %s"), address);

  return is_server
    /* Translators: %s is an address such as 127.0.0.1:8888 */
    ? g_strdup_printf (_("UDP server %s"), address)
    /* Translators: %s is an address such as 127.0.0.1:8888 */
    : g_strdup_printf (_("UDP client %s"), address);
}

const char *
sl_io_mode_to_string (SlIoMode mode)
{
  switch (mode)
    {
    case SL_IO_MODE_ASYNC:
      return "async";
    case SL_IO_MODE_BLOCKING:
      return "blocking";
    case SL_IO_MODE_NONBLOCKING:
      return "nonblocking";
    case SL_IO_MODE_TIMEOUT:
      return "timeout";
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
sl_reply_mode_to_string (SlReplyMode mode)
{
  switch (mode)
    {
    case SL_REPLY_NONE:
      return "none";
    case SL_REPLY_ECHO:
      return "echo";
    case SL_REPLY_UPPER:
      return "upper";
    case SL_REPLY_FIXED:
      return "fixed";
    default:
      g_return_val_if_reached (NULL);
    }
}

/* Saved form values (GSettings "last-config", saved files) */

/* The GVariant type of one property in the dictionary: enums are saved by
 * nick, so that a reordered enumeration does not change saved values. */
static const GVariantType *
property_variant_type (GParamSpec *pspec)
{
  GType type = pspec->value_type;

  if (type == G_TYPE_INT)
    return G_VARIANT_TYPE_INT32;
  if (type == G_TYPE_BOOLEAN)
    return G_VARIANT_TYPE_BOOLEAN;
  if (type == G_TYPE_DOUBLE)
    return G_VARIANT_TYPE_DOUBLE;

  /* Strings and enums */
  g_assert (type == G_TYPE_STRING || G_TYPE_IS_ENUM (type));
  return G_VARIANT_TYPE_STRING;
}

GVariant *
sl_endpoint_config_to_variant (SlEndpointConfig *self)
{
  GVariantBuilder builder;

  g_return_val_if_fail (SL_IS_ENDPOINT_CONFIG (self), NULL);

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);

  for (guint i = 1; i < N_PROPS; i++)
    {
      GParamSpec *pspec = properties[i];
      g_auto(GValue) value = G_VALUE_INIT;
      GVariant *variant;

      g_value_init (&value, pspec->value_type);
      g_object_get_property (G_OBJECT (self), pspec->name, &value);

      if (G_TYPE_IS_ENUM (pspec->value_type))
        {
          g_autoptr(GEnumClass) enum_class = g_type_class_ref (pspec->value_type);
          GEnumValue *enum_value = g_enum_get_value (enum_class, g_value_get_enum (&value));

          g_assert (enum_value != NULL);
          variant = g_variant_new_string (enum_value->value_nick);
        }
      else if (pspec->value_type == G_TYPE_INT)
        variant = g_variant_new_int32 (g_value_get_int (&value));
      else if (pspec->value_type == G_TYPE_BOOLEAN)
        variant = g_variant_new_boolean (g_value_get_boolean (&value));
      else if (pspec->value_type == G_TYPE_DOUBLE)
        variant = g_variant_new_double (g_value_get_double (&value));
      else
        /* local-host NULL ("any address") is saved as "", which means the same. */
        variant = g_variant_new_string (g_value_get_string (&value) != NULL
                                        ? g_value_get_string (&value) : "");

      g_variant_builder_add (&builder, "{sv}", pspec->name, variant);
    }

  return g_variant_builder_end (&builder);
}

/* A comma-separated list of the nicks of @enum_class, for error messages. */
static char *
enum_nicks (GEnumClass *enum_class)
{
  GString *nicks = g_string_new (NULL);

  for (guint i = 0; i < enum_class->n_values; i++)
    {
      if (i > 0)
        g_string_append (nicks, ", ");
      g_string_append (nicks, enum_class->values[i].value_nick);
    }

  return g_string_free (nicks, FALSE);
}

/* Converts the saved @variant of @pspec into @value (initialized here).
 * FALSE with an error naming the key when the type or nick is wrong. */
static gboolean
value_from_variant (GParamSpec  *pspec,
                    GVariant    *variant,
                    GValue      *value,
                    GError     **error)
{
  const GVariantType *expected = property_variant_type (pspec);

  if (!g_variant_is_of_type (variant, expected))
    {
      g_set_error (error, SL_ERROR, SL_ERROR_INVALID_COMBINATION,
                   /* Translators: the first %s is a setting name such as "port", the others
                    * GVariant type strings such as "i" and "s" */
                   _("Saved setting “%s” has type “%s” where “%s” is expected: the saved "
                     "values are damaged and were not used."),
                   pspec->name, g_variant_get_type_string (variant),
                   g_variant_type_peek_string (expected));
      return FALSE;
    }

  g_value_init (value, pspec->value_type);

  if (G_TYPE_IS_ENUM (pspec->value_type))
    {
      g_autoptr(GEnumClass) enum_class = g_type_class_ref (pspec->value_type);
      const char *nick = g_variant_get_string (variant, NULL);
      GEnumValue *enum_value = g_enum_get_value_by_nick (enum_class, nick);

      if (enum_value == NULL)
        {
          g_autofree char *nicks = enum_nicks (enum_class);

          g_value_unset (value);
          g_set_error (error, SL_ERROR, SL_ERROR_INVALID_COMBINATION,
                       /* Translators: the first %s is a setting name such as "protocol", the
                        * second the saved value, the third a list such as "tcp, udp" */
                       _("Saved setting “%s” is “%s”, which is not one of %s: the saved values "
                         "are damaged and were not used."),
                       pspec->name, nick, nicks);
          return FALSE;
        }
      g_value_set_enum (value, enum_value->value);
    }
  else if (pspec->value_type == G_TYPE_INT)
    g_value_set_int (value, g_variant_get_int32 (variant));
  else if (pspec->value_type == G_TYPE_BOOLEAN)
    g_value_set_boolean (value, g_variant_get_boolean (variant));
  else if (pspec->value_type == G_TYPE_DOUBLE)
    g_value_set_double (value, g_variant_get_double (variant));
  else if (pspec == properties[PROP_LOCAL_HOST] && g_variant_get_size (variant) <= 1)
    /* "" is how to_variant() saves NULL ("any address"). */
    g_value_set_string (value, NULL);
  else
    g_value_set_string (value, g_variant_get_string (variant, NULL));

  return TRUE;
}

gboolean
sl_endpoint_config_apply_variant (SlEndpointConfig  *self,
                                  GVariant          *dict,
                                  GError           **error)
{
  GValue values[N_PROPS] = { G_VALUE_INIT, };
  gboolean ok = TRUE;

  g_return_val_if_fail (SL_IS_ENDPOINT_CONFIG (self), FALSE);
  g_return_val_if_fail (dict != NULL, FALSE);
  g_return_val_if_fail (g_variant_is_of_type (dict, G_VARIANT_TYPE_VARDICT), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* All or nothing: convert every value first, then set them together. */
  for (guint i = 1; i < N_PROPS && ok; i++)
    {
      g_autoptr(GVariant) variant = g_variant_lookup_value (dict, properties[i]->name, NULL);

      if (variant != NULL)
        ok = value_from_variant (properties[i], variant, &values[i], error);
    }

  if (ok)
    {
      g_object_freeze_notify (G_OBJECT (self));
      for (guint i = 1; i < N_PROPS; i++)
        {
          if (G_IS_VALUE (&values[i]))
            g_object_set_property (G_OBJECT (self), properties[i]->name, &values[i]);
        }
      g_object_thaw_notify (G_OBJECT (self));
    }

  for (guint i = 1; i < N_PROPS; i++)
    {
      if (G_IS_VALUE (&values[i]))
        g_value_unset (&values[i]);
    }

  return ok;
}
