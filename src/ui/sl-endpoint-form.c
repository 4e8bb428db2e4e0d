/* sl-endpoint-form.c — every field of an endpoint config, validated inline
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "sl-accessible.h"
#include "sl-endpoint-form.h"
#include "sl-enum-types.h"

/* The fields typed as text, indexed by SlConfigField (HOST..REPLY_TEXT). */
#define N_FIELDS (SL_CONFIG_FIELD_REPLY_TEXT + 1)

/* Where a new Unix socket goes when the family is switched to Unix. */
#define DEFAULT_UNIX_PATH "/tmp/socket-lab.sock"

typedef enum
{
  KIND_TEXT,           /* a string property */
  KIND_OPTIONAL_TEXT,  /* a string property where "" is stored as NULL */
  KIND_PORT,           /* an int; messages from sl_endpoint_config_parse_port() */
  KIND_INT,            /* an int */
  KIND_SECONDS,        /* a double */
} FieldKind;

typedef struct
{
  const char *property;
  FieldKind   kind;
  const char *row_id;       /* template children */
  const char *help_id;
  const char *name;         /* the field in parse messages, N_() */
  const char *example;      /* a good value, for parse messages */
  gboolean    empty_is_zero;
} FieldInfo;

static const FieldInfo field_info[N_FIELDS] = {
  [SL_CONFIG_FIELD_HOST] =
    { "host", KIND_TEXT, "host_row", "host_help", NULL, NULL, FALSE },
  [SL_CONFIG_FIELD_PORT] =
    { "port", KIND_PORT, "port_row", "port_help", NULL, NULL, FALSE },
  [SL_CONFIG_FIELD_PATH] =
    { "path", KIND_TEXT, "path_row", "path_help", NULL, NULL, FALSE },
  [SL_CONFIG_FIELD_LOCAL_HOST] =
    { "local-host", KIND_OPTIONAL_TEXT, "local_host_row", "local_host_help", NULL, NULL, FALSE },
  [SL_CONFIG_FIELD_LOCAL_PORT] =
    { "local-port", KIND_INT, "local_port_row", "local_port_help",
      /* Translators: the name of a field, used at the start of error messages */
      N_("Local port"), "0", TRUE },
  [SL_CONFIG_FIELD_BACKLOG] =
    { "backlog", KIND_INT, "backlog_row", "backlog_help",
      /* Translators: the name of a field, used at the start of error messages */
      N_("Backlog"), "5", FALSE },
  [SL_CONFIG_FIELD_BUFSIZE] =
    { "bufsize", KIND_INT, "bufsize_row", "bufsize_help",
      /* Translators: the name of a field, used at the start of error messages */
      N_("Buffer size"), "1024", FALSE },
  [SL_CONFIG_FIELD_MAX_CLIENTS] =
    { "max-clients", KIND_INT, "max_clients_row", "max_clients_help",
      /* Translators: the name of a field, used at the start of error messages */
      N_("Maximum clients"), "0", TRUE },
  [SL_CONFIG_FIELD_TIMEOUT] =
    { "timeout", KIND_SECONDS, "timeout_row", "timeout_help",
      /* Translators: the name of a field, used at the start of error messages */
      N_("Timeout"), "5", FALSE },
  [SL_CONFIG_FIELD_CONNECT_TIMEOUT] =
    { "connect-timeout", KIND_SECONDS, "connect_timeout_row", "connect_timeout_help",
      /* Translators: the name of a field, used at the start of error messages */
      N_("Connect timeout"), "5", FALSE },
  [SL_CONFIG_FIELD_REPLY_TEXT] =
    { "reply-text", KIND_TEXT, "reply_text_row", "reply_text_help", NULL, NULL, FALSE },
};

/* The choices of a combo row, in the order of the enumeration. */
typedef struct
{
  const char *title;
  const char *description;
} Choice;

static const Choice io_mode_choices[] = {
  [SL_IO_MODE_ASYNC] =
    { N_("Async"), N_("Data is picked up as it arrives; nothing ever waits") },
  [SL_IO_MODE_BLOCKING] =
    { N_("Blocking"), N_("You call accept() or recv() and it waits until something comes") },
  [SL_IO_MODE_NONBLOCKING] =
    { N_("Non-blocking"), N_("Calls return at once, with EAGAIN when nothing is there") },
  [SL_IO_MODE_TIMEOUT] =
    { N_("Timeout"), N_("Calls wait at most the timeout below, then raise socket.timeout") },
};

static const Choice reply_choices[] = {
  [SL_REPLY_NONE] =
    { N_("None"), N_("A manual chat: you type every message yourself") },
  [SL_REPLY_ECHO] =
    { N_("Echo"), N_("Sends back exactly what arrived") },
  [SL_REPLY_UPPER] =
    { N_("Uppercase"), N_("Sends back what arrived in capitals, like the tutorials’ server") },
  [SL_REPLY_FIXED] =
    { N_("Fixed Text"), N_("Always sends back the reply text below") },
};

static const Choice encoding_choices[] = {
  [SL_ENCODING_TEXT] =
    { N_("Text (UTF-8)"), N_("Messages are typed and shown as text") },
  [SL_ENCODING_BASE64] =
    { N_("Base64"), N_("Messages are typed and shown as base64, handy for binary data") },
  [SL_ENCODING_HEX] =
    { N_("Hex"), N_("Messages are typed and shown as hex bytes, e.g. 48 69") },
  [SL_ENCODING_JSON] =
    { N_("JSON"), N_("Messages must be valid JSON, e.g. {\"say\": \"hi\"}") },
};

/* In the order of the combo row, which is not the order of SlAuthMode. */
static const Choice auth_choices[] = {
  { N_("None"), N_("No handshake: the conversation starts at once") },
  { N_("HMAC-SHA256"), N_("hmac.new(salt, challenge, 'sha256'): the safer digest") },
  { N_("HMAC-MD5"), N_("As the tutorial’s hmac.new(salt, msg) made before Python 3.8") },
};

static const SlAuthMode auth_positions[] = {
  SL_AUTH_MODE_NONE, SL_AUTH_MODE_HMAC_SHA256, SL_AUTH_MODE_HMAC_MD5,
};

#define N_AUTH_FIELDS (SL_CONFIG_FIELD_AUTH_TIMEOUT - SL_CONFIG_FIELD_AUTH + 1)

struct _SlEndpointForm
{
  GtkWidget            parent_instance;

  SlEndpointConfig    *config;
  gboolean             syncing;  /* writing the config into the widgets */

  char                *parse_errors[N_FIELDS];
  char                *field_errors[N_FIELDS];
  char                *error_message;
  gboolean             valid;

  AdwEntryRow         *entries[N_FIELDS];
  GtkWidget           *help_rows[N_FIELDS];
  GtkLabel            *help_labels[N_FIELDS];
  GtkWidget           *error_icons[N_FIELDS];

  /* Template children */
  AdwPreferencesPage  *page;
  AdwActionRow        *role_row;
  GtkToggleButton     *server_button;
  GtkToggleButton     *client_button;
  AdwActionRow        *protocol_row;
  GtkToggleButton     *tcp_button;
  GtkToggleButton     *udp_button;
  AdwActionRow        *family_row;
  GtkToggleButton     *ipv4_button;
  GtkToggleButton     *ipv6_button;
  GtkToggleButton     *unix_button;
  AdwPreferencesGroup *address_group;
  AdwActionRow        *warning_row;
  GtkButton           *keep_local_button;
  AdwPreferencesGroup *server_group;
  AdwActionRow        *reuseaddr_row;
  GtkSwitch           *reuseaddr_switch;
  AdwPreferencesGroup *client_group;
  AdwPreferencesGroup *io_group;
  AdwComboRow         *io_mode_row;
  AdwActionRow        *close_on_eof_row;
  GtkSwitch           *close_on_eof_switch;
  AdwPreferencesGroup *messages_group;
  AdwComboRow         *reply_row;
  AdwComboRow         *encoding_row;
  AdwPreferencesGroup *auth_group;
  AdwComboRow         *auth_row;
  AdwEntryRow         *salt_row;
  AdwEntryRow         *auth_timeout_row;
  GtkWidget           *auth_help;
  GtkLabel            *auth_help_label;

  char                *auth_timeout_parse_error;
  char                *auth_errors[N_AUTH_FIELDS];
};

G_DEFINE_FINAL_TYPE (SlEndpointForm, sl_endpoint_form, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONFIG,
  PROP_VALID,
  PROP_ERROR_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void sync_all (SlEndpointForm *self);

GtkWidget *
sl_endpoint_form_new (void)
{
  return g_object_new (SL_TYPE_ENDPOINT_FORM, NULL);
}

/* Small helpers */

static gboolean
is_server (SlEndpointForm *self)
{
  return sl_endpoint_config_get_role (self->config) == SL_ROLE_SERVER;
}

static gboolean
is_stream (SlEndpointForm *self)
{
  return sl_endpoint_config_get_protocol (self->config) == SL_PROTOCOL_TCP;
}

static SlFamily
family (SlEndpointForm *self)
{
  return sl_endpoint_config_get_family (self->config);
}

static const char *
loopback_address (SlFamily address_family)
{
  return address_family == SL_FAMILY_IPV6 ? "::1" : "127.0.0.1";
}

static const char *
any_address (SlFamily address_family)
{
  return address_family == SL_FAMILY_IPV6 ? "::" : "0.0.0.0";
}

static SlConfigField
field_for_property (const char *property)
{
  for (SlConfigField f = SL_CONFIG_FIELD_HOST; f < N_FIELDS; f++)
    {
      if (g_str_equal (field_info[f].property, property))
        return f;
    }

  return SL_CONFIG_FIELD_NONE;
}

static void
set_description (GtkWidget  *widget,
                 const char *description)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
}

/* Parsing what is typed into the number fields */

static char *
format_number (SlEndpointForm *self,
               SlConfigField   field)
{
  const FieldInfo *info = &field_info[field];
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  double seconds;
  int number;

  if (info->kind == KIND_SECONDS)
    {
      g_object_get (self->config, info->property, &seconds, NULL);
      return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%g", seconds));
    }

  g_object_get (self->config, info->property, &number, NULL);

  /* "Local port: 0" reads as a port; empty says "nothing chosen". */
  if (number == 0 && field == SL_CONFIG_FIELD_LOCAL_PORT)
    return g_strdup ("");

  return g_strdup_printf ("%d", number);
}

static gboolean
parse_int (SlConfigField   field,
           const char     *text,
           int            *number,
           char          **message)
{
  const FieldInfo *info = &field_info[field];
  g_autofree char *trimmed = g_strstrip (g_strdup (text));
  g_autoptr(GError) error = NULL;
  gint64 value = 0;

  if (trimmed[0] == '\0' && info->empty_is_zero)
    {
      *number = 0;
      return TRUE;
    }

  if (g_ascii_string_to_signed (trimmed, 10, G_MININT, G_MAXINT, &value, &error))
    {
      *number = (int) value;
      return TRUE;
    }

  /* The port messages come from the core, so the form and the command line agree. */
  if (info->kind == KIND_PORT)
    {
      g_autoptr(GError) port_error = NULL;

      if (!sl_endpoint_config_parse_port (text, NULL, &port_error))
        {
          *message = g_strdup (port_error->message);
          return FALSE;
        }
    }

  if (trimmed[0] == '\0')
    /* Translators: the first %s is a field name such as "Backlog", the second a number */
    *message = g_strdup_printf (_("%s is empty: type a number, e.g. %s."),
                                _(info->name), info->example);
  else if (g_error_matches (error, G_NUMBER_PARSER_ERROR, G_NUMBER_PARSER_ERROR_OUT_OF_BOUNDS))
    /* Translators: the first %s is a field name such as "Backlog", the second what the user
     * typed, the third a number */
    *message = g_strdup_printf (_("%s “%s” is far out of range: type a number such as %s."),
                                _(info->name), trimmed, info->example);
  else
    /* Translators: the first %s is a field name such as "Backlog", the second what the user
     * typed, the third a number */
    *message = g_strdup_printf (_("%s “%s” is not a number: type digits only, e.g. %s."),
                                _(info->name), trimmed, info->example);

  return FALSE;
}

static gboolean
parse_seconds (SlConfigField   field,
               const char     *text,
               double         *seconds,
               char          **message)
{
  const FieldInfo *info = &field_info[field];
  g_autofree char *trimmed = g_strstrip (g_strdup (text));
  g_autofree char *dotted = g_strdup (trimmed);
  char *end = NULL;
  double value;

  if (trimmed[0] == '\0')
    {
      /* Translators: %s is a field name such as "Timeout" */
      *message = g_strdup_printf (_("%s is empty: type a number of seconds, e.g. 5 or 0.5."),
                                  _(info->name));
      return FALSE;
    }

  /* A decimal comma is as good as a point. */
  g_strdelimit (dotted, ",", '.');

  value = g_ascii_strtod (dotted, &end);
  if (strspn (dotted, "+-.0123456789") != strlen (dotted) || end == dotted || *end != '\0' ||
      !isfinite (value))
    {
      /* Translators: the first %s is a field name such as "Timeout", the second what the user
       * typed */
      *message = g_strdup_printf (_("%s “%s” is not a number: type a number of seconds, e.g. "
                                    "5 or 0.5."),
                                  _(info->name), trimmed);
      return FALSE;
    }

  *seconds = value;
  return TRUE;
}

/* Help lines and inline errors */

static char *
help_text (SlEndpointForm *self,
           SlConfigField   field)
{
  SlFamily address_family = family (self);

  switch (field)
    {
    case SL_CONFIG_FIELD_HOST:
      if (is_server (self))
        /* Translators: the first %s is 127.0.0.1 or ::1, the second 0.0.0.0 or :: */
        return g_strdup_printf (_("The address to bind() to: %s is this computer only, %s is "
                                  "every network"),
                                loopback_address (address_family), any_address (address_family));
      /* Translators: %s is 127.0.0.1 or ::1 */
      return g_strdup_printf (_("The server’s address or name, e.g. %s or localhost"),
                              loopback_address (address_family));

    case SL_CONFIG_FIELD_PORT:
      if (is_server (self))
        return g_strdup (_("From 0 to 65535 (0 lets the kernel pick a free port); the "
                           "tutorials use 8888"));
      return g_strdup (_("The port the server listens on, from 1 to 65535"));

    case SL_CONFIG_FIELD_PATH:
      if (is_server (self))
        return g_strdup (_("The socket file the server creates, e.g. /tmp/socket-lab.sock"));
      return g_strdup (_("The socket file of the server to connect to"));

    case SL_CONFIG_FIELD_LOCAL_HOST:
      if (is_stream (self))
        return g_strdup (_("bind() the client to this address before connect(); empty lets "
                           "the kernel choose"));
      return g_strdup (_("bind() the client to this address before sendto(); empty lets "
                         "the kernel choose"));

    case SL_CONFIG_FIELD_LOCAL_PORT:
      return g_strdup (_("The client’s own port; empty or 0 lets the kernel pick a free one"));

    case SL_CONFIG_FIELD_BACKLOG:
      return g_strdup (_("How many finished handshakes the kernel queues until accept() takes "
                         "them (listen(5))"));

    case SL_CONFIG_FIELD_BUFSIZE:
      if (is_stream (self))
        return g_strdup (_("The most bytes one recv() takes (recv(1024)); the rest waits for "
                           "the next call"));
      return g_strdup (_("The most bytes one recvfrom() takes (recvfrom(1024)); the rest of a "
                         "longer datagram is lost"));

    case SL_CONFIG_FIELD_MAX_CLIENTS:
      return g_strdup (_("How many clients may be connected at once; 0 means no limit"));

    case SL_CONFIG_FIELD_TIMEOUT:
      return g_strdup (_("How long a call may wait before it gives up (settimeout(5))"));

    case SL_CONFIG_FIELD_CONNECT_TIMEOUT:
      return g_strdup (_("How long connect() may wait for the server to answer"));

    case SL_CONFIG_FIELD_REPLY_TEXT:
      /* Translators: %s is an encoding name such as "Hex" */
      return g_strdup_printf (_("Sent after every message that arrives, written as %s"),
                              _(encoding_choices[sl_endpoint_config_get_encoding (self->config)]
                                  .title));

    case SL_CONFIG_FIELD_NONE:
    default:
      g_return_val_if_reached (NULL);
    }
}

/* Shows @message at @field (NULL: the help line). */
static void
show_field_message (SlEndpointForm *self,
                    SlConfigField   field,
                    const char     *message)
{
  GtkWidget *label = GTK_WIDGET (self->help_labels[field]);
  GtkWidget *entry = GTK_WIDGET (self->entries[field]);
  g_autofree char *help = NULL;

  g_free (self->field_errors[field]);
  self->field_errors[field] = g_strdup (message);

  if (message != NULL)
    {
      gtk_label_set_text (GTK_LABEL (label), message);
      gtk_widget_remove_css_class (label, "dim-label");
      gtk_widget_add_css_class (label, "error");
      gtk_widget_add_css_class (entry, "error");
      gtk_widget_set_tooltip_text (self->error_icons[field], message);
      gtk_widget_set_visible (self->error_icons[field], TRUE);
      set_description (entry, message);
      return;
    }

  help = help_text (self, field);
  gtk_label_set_text (GTK_LABEL (label), help);
  gtk_widget_remove_css_class (label, "error");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_remove_css_class (entry, "error");
  gtk_widget_set_visible (self->error_icons[field], FALSE);
  set_description (entry, help);
}

static void
set_valid (SlEndpointForm *self,
           gboolean        valid,
           const char     *error_message)
{
  if (self->valid != valid)
    {
      self->valid = valid;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALID]);
    }

  if (g_strcmp0 (self->error_message, error_message) != 0)
    {
      g_free (self->error_message);
      self->error_message = g_strdup (error_message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);
    }
}

/* The authentication rows: their problems, shown in the help line under them. */
static void
update_auth_validation (SlEndpointForm  *self,
                        const char     **first)
{
  GtkWidget *rows[N_AUTH_FIELDS] = {
    GTK_WIDGET (self->auth_row), GTK_WIDGET (self->salt_row), GTK_WIDGET (self->auth_timeout_row),
  };
  const char *shown = NULL;

  for (guint i = 0; i < N_AUTH_FIELDS; i++)
    {
      SlConfigField field = SL_CONFIG_FIELD_AUTH + i;
      g_autoptr(GError) error = NULL;
      const char *message = NULL;

      if (gtk_widget_get_visible (GTK_WIDGET (self->auth_group)) &&
          gtk_widget_get_visible (rows[i]))
        {
          if (field == SL_CONFIG_FIELD_AUTH_TIMEOUT && self->auth_timeout_parse_error != NULL)
            message = self->auth_timeout_parse_error;
          else if (!sl_endpoint_config_validate_field (self->config, field, &error))
            message = error->message;
        }

      if (message != self->auth_errors[i])
        {
          g_free (self->auth_errors[i]);
          self->auth_errors[i] = g_strdup (message);
        }
      if (message != NULL)
        gtk_widget_add_css_class (rows[i], "error");
      else
        gtk_widget_remove_css_class (rows[i], "error");
      if (shown == NULL && message != NULL)
        shown = self->auth_errors[i];
    }

  if (shown != NULL)
    {
      gtk_label_set_text (self->auth_help_label, shown);
      gtk_widget_remove_css_class (GTK_WIDGET (self->auth_help_label), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (self->auth_help_label), "error");
      if (*first == NULL)
        *first = shown;
    }
  else
    {
      gtk_label_set_text (self->auth_help_label,
                          _("Both sides need the same digest and salt; a wrong, short or late "
                            "answer closes the connection (“verification fail”). Needs the "
                            "async I/O mode."));
      gtk_widget_remove_css_class (GTK_WIDGET (self->auth_help_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->auth_help_label), "dim-label");
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->salt_row),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  gtk_label_get_text (self->auth_help_label), -1);
}

/* Shows every field's problem at the field, and updates valid and error-message. Fields whose
 * rows are hidden do not apply to this kind of endpoint: they never block it. */
static void
update_validation (SlEndpointForm *self)
{
  g_autoptr(GError) whole_error = NULL;
  const char *first = NULL;
  gboolean valid;

  for (SlConfigField f = SL_CONFIG_FIELD_HOST; f < N_FIELDS; f++)
    {
      g_autoptr(GError) error = NULL;
      const char *message = NULL;

      if (gtk_widget_get_visible (GTK_WIDGET (self->entries[f])))
        {
          if (self->parse_errors[f] != NULL)
            message = self->parse_errors[f];
          else if (!sl_endpoint_config_validate_field (self->config, f, &error))
            message = error->message;
        }

      show_field_message (self, f, message);
      if (first == NULL && message != NULL)
        first = self->field_errors[f];
    }

  update_auth_validation (self, &first);

  valid = first == NULL && sl_endpoint_config_validate (self->config, NULL, &whole_error);
  if (!valid && first == NULL)
    first = whole_error->message;

  set_valid (self, valid, first);
}

/* Rows that apply */

static void
set_field_visible (SlEndpointForm *self,
                   SlConfigField   field,
                   gboolean        visible)
{
  gtk_widget_set_visible (GTK_WIDGET (self->entries[field]), visible);
  gtk_widget_set_visible (self->help_rows[field], visible);
}

static void
update_visibility (SlEndpointForm *self)
{
  gboolean server = is_server (self);
  gboolean stream = is_stream (self);
  gboolean is_unix = family (self) == SL_FAMILY_UNIX;
  SlIoMode io_mode = sl_endpoint_config_get_io_mode (self->config);
  SlReplyMode reply_mode = sl_endpoint_config_get_reply_mode (self->config);

  /* The same rules as the core's validation, so a hidden field never blocks Start. */
  set_field_visible (self, SL_CONFIG_FIELD_HOST, !is_unix);
  set_field_visible (self, SL_CONFIG_FIELD_PORT, !is_unix);
  set_field_visible (self, SL_CONFIG_FIELD_PATH, is_unix);
  set_field_visible (self, SL_CONFIG_FIELD_LOCAL_HOST, !server && !is_unix);
  set_field_visible (self, SL_CONFIG_FIELD_LOCAL_PORT, !server && !is_unix);
  set_field_visible (self, SL_CONFIG_FIELD_BACKLOG, server && stream);
  set_field_visible (self, SL_CONFIG_FIELD_MAX_CLIENTS, server && stream);
  set_field_visible (self, SL_CONFIG_FIELD_TIMEOUT, io_mode == SL_IO_MODE_TIMEOUT);
  set_field_visible (self, SL_CONFIG_FIELD_CONNECT_TIMEOUT, !server && stream);
  set_field_visible (self, SL_CONFIG_FIELD_REPLY_TEXT, reply_mode == SL_REPLY_FIXED);

  /* Link authentication is per connection: UDP has none. */
  gtk_widget_set_visible (GTK_WIDGET (self->auth_group), stream);
  gtk_widget_set_visible (GTK_WIDGET (self->salt_row),
                          sl_endpoint_config_get_auth (self->config) != SL_AUTH_MODE_NONE);
  gtk_widget_set_visible (GTK_WIDGET (self->auth_timeout_row),
                          sl_endpoint_config_get_auth (self->config) != SL_AUTH_MODE_NONE);

  /* SO_REUSEADDR is about a server's port (TIME_WAIT); Unix sockets have none. */
  gtk_widget_set_visible (GTK_WIDGET (self->reuseaddr_row), server && !is_unix);
  /* A datagram socket has no end of stream. */
  gtk_widget_set_visible (GTK_WIDGET (self->close_on_eof_row), stream);

  gtk_widget_set_visible (GTK_WIDGET (self->server_group), server && (stream || !is_unix));
  gtk_widget_set_visible (GTK_WIDGET (self->client_group), !server && (stream || !is_unix));

  adw_preferences_group_set_title (self->address_group,
                                   server ? _("Address") : _("Server Address"));
}

static void
update_warning (SlEndpointForm *self)
{
  gboolean exposed = sl_endpoint_config_is_exposed (self->config);
  g_autofree char *advice = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->warning_row), exposed);
  if (!exposed)
    return;

  /* Translators: %s is 127.0.0.1 or ::1 */
  advice = g_strdup_printf (_("Use %s to keep it on this computer."),
                            loopback_address (family (self)));
  adw_action_row_set_subtitle (self->warning_row, advice);
}

static void
set_row_subtitle (AdwActionRow *row,
                  GtkWidget    *described,
                  const char   *subtitle)
{
  adw_action_row_set_subtitle (row, subtitle);
  set_description (described, subtitle);
}

static void
update_subtitles (SlEndpointForm *self)
{
  gboolean server = is_server (self);
  gboolean stream = is_stream (self);
  const char *text;

  if (server)
    text = stream ? _("Waits for clients: bind(), listen() and accept()")
                  : _("Waits for datagrams: bind() and recvfrom()");
  else
    text = stream ? _("Connects to a server: connect()")
                  : _("Sends datagrams to a server: sendto()");
  set_row_subtitle (self->role_row, GTK_WIDGET (self->role_row), text);

  if (family (self) == SL_FAMILY_UNIX)
    text = stream ? _("A stream of bytes over a connection (SOCK_STREAM)")
                  : _("Separate messages without a connection (SOCK_DGRAM)");
  else
    text = stream ? _("A reliable stream of bytes over a connection (SOCK_STREAM)")
                  : _("Separate messages without a connection; some may get lost (SOCK_DGRAM)");
  set_row_subtitle (self->protocol_row, GTK_WIDGET (self->protocol_row), text);

  switch (family (self))
    {
    case SL_FAMILY_IPV6:
      text = _("Addresses such as ::1 (AF_INET6)");
      break;
    case SL_FAMILY_UNIX:
      text = _("A socket file on this computer (AF_UNIX)");
      break;
    case SL_FAMILY_IPV4:
    default:
      text = _("Addresses such as 127.0.0.1 (AF_INET)");
      break;
    }
  set_row_subtitle (self->family_row, GTK_WIDGET (self->family_row), text);

  set_row_subtitle (ADW_ACTION_ROW (self->io_mode_row), GTK_WIDGET (self->io_mode_row),
                    _(io_mode_choices[sl_endpoint_config_get_io_mode (self->config)]
                        .description));
  set_row_subtitle (ADW_ACTION_ROW (self->reply_row), GTK_WIDGET (self->reply_row),
                    _(reply_choices[sl_endpoint_config_get_reply_mode (self->config)]
                        .description));
  set_row_subtitle (ADW_ACTION_ROW (self->encoding_row), GTK_WIDGET (self->encoding_row),
                    _(encoding_choices[sl_endpoint_config_get_encoding (self->config)]
                        .description));

  for (guint i = 0; i < G_N_ELEMENTS (auth_positions); i++)
    if (auth_positions[i] == sl_endpoint_config_get_auth (self->config))
      set_row_subtitle (ADW_ACTION_ROW (self->auth_row), GTK_WIDGET (self->auth_row),
                        _(auth_choices[i].description));

  set_row_subtitle (self->reuseaddr_row, GTK_WIDGET (self->reuseaddr_switch),
                    _("Lets a restarted server bind() its port again at once, while old "
                      "connections still wait in TIME_WAIT"));
  set_row_subtitle (self->close_on_eof_row, GTK_WIDGET (self->close_on_eof_switch),
                    _("When recv() returns b'' (the peer closed), close() too; off leaves the "
                      "connection half-open (CLOSE_WAIT)"));
}

/* Config → widgets */

static void
sync_entry (SlEndpointForm *self,
            SlConfigField   field,
            gboolean        force)
{
  const FieldInfo *info = &field_info[field];
  GtkEditable *editable = GTK_EDITABLE (self->entries[field]);
  const char *text = gtk_editable_get_text (editable);
  g_autofree char *value = NULL;

  switch (info->kind)
    {
    case KIND_TEXT:
    case KIND_OPTIONAL_TEXT:
      g_object_get (self->config, info->property, &value, NULL);
      if (value == NULL)
        value = g_strdup ("");
      break;

    case KIND_PORT:
    case KIND_INT:
    case KIND_SECONDS:
    default:
      /* What is typed stays as typed ("08", "2.50") while it means the config's value. */
      if (!force && self->parse_errors[field] == NULL)
        {
          g_autofree char *ignored = NULL;
          double seconds = 0.0;
          double current = 0.0;
          int number = 0;
          int current_number = 0;

          if (info->kind == KIND_SECONDS)
            {
              g_object_get (self->config, info->property, &current, NULL);
              if (parse_seconds (field, text, &seconds, &ignored) && seconds == current)
                return;
            }
          else
            {
              g_object_get (self->config, info->property, &current_number, NULL);
              if (parse_int (field, text, &number, &ignored) && number == current_number)
                return;
            }
        }
      value = format_number (self, field);
      break;
    }

  g_clear_pointer (&self->parse_errors[field], g_free);

  if (g_strcmp0 (text, value) != 0)
    {
      self->syncing = TRUE;
      gtk_editable_set_text (editable, value);
      self->syncing = FALSE;
    }
}

static void
sync_widgets (SlEndpointForm *self,
              const char     *property)
{
  SlConfigField field = field_for_property (property);

  if (field != SL_CONFIG_FIELD_NONE)
    {
      sync_entry (self, field, FALSE);
      return;
    }

  self->syncing = TRUE;

  if (g_str_equal (property, "role"))
    gtk_toggle_button_set_active (is_server (self) ? self->server_button : self->client_button,
                                  TRUE);
  else if (g_str_equal (property, "protocol"))
    gtk_toggle_button_set_active (is_stream (self) ? self->tcp_button : self->udp_button, TRUE);
  else if (g_str_equal (property, "family"))
    {
      switch (family (self))
        {
        case SL_FAMILY_IPV6:
          gtk_toggle_button_set_active (self->ipv6_button, TRUE);
          break;
        case SL_FAMILY_UNIX:
          gtk_toggle_button_set_active (self->unix_button, TRUE);
          break;
        case SL_FAMILY_IPV4:
        default:
          gtk_toggle_button_set_active (self->ipv4_button, TRUE);
          break;
        }
    }
  else if (g_str_equal (property, "reuseaddr"))
    gtk_switch_set_active (self->reuseaddr_switch,
                           sl_endpoint_config_get_reuseaddr (self->config));
  else if (g_str_equal (property, "close-on-eof"))
    gtk_switch_set_active (self->close_on_eof_switch,
                           sl_endpoint_config_get_close_on_eof (self->config));
  else if (g_str_equal (property, "io-mode"))
    adw_combo_row_set_selected (self->io_mode_row, sl_endpoint_config_get_io_mode (self->config));
  else if (g_str_equal (property, "reply-mode"))
    adw_combo_row_set_selected (self->reply_row,
                                sl_endpoint_config_get_reply_mode (self->config));
  else if (g_str_equal (property, "encoding"))
    adw_combo_row_set_selected (self->encoding_row,
                                sl_endpoint_config_get_encoding (self->config));
  else if (g_str_equal (property, "auth"))
    {
      for (guint i = 0; i < G_N_ELEMENTS (auth_positions); i++)
        if (auth_positions[i] == sl_endpoint_config_get_auth (self->config))
          adw_combo_row_set_selected (self->auth_row, i);
    }
  else if (g_str_equal (property, "salt"))
    {
      if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->salt_row)),
                     sl_endpoint_config_get_salt (self->config)) != 0)
        gtk_editable_set_text (GTK_EDITABLE (self->salt_row),
                               sl_endpoint_config_get_salt (self->config));
    }
  else if (g_str_equal (property, "auth-timeout"))
    {
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];
      g_autofree char *typed =
        g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->auth_timeout_row)));
      double seconds = sl_endpoint_config_get_auth_timeout (self->config);
      char *end = NULL;

      /* What the user is typing ("1." or "1,5") stays as long as it means the same. */
      g_strdelimit (typed, ",", '.');
      if (typed[0] == '\0' || g_ascii_strtod (typed, &end) != seconds || *end != '\0')
        {
          g_clear_pointer (&self->auth_timeout_parse_error, g_free);
          g_ascii_formatd (buffer, sizeof buffer, "%g", seconds);
          gtk_editable_set_text (GTK_EDITABLE (self->auth_timeout_row), buffer);
        }
    }

  self->syncing = FALSE;
}

static void
refresh (SlEndpointForm *self)
{
  update_visibility (self);
  update_subtitles (self);
  update_warning (self);
  update_validation (self);
}

static void
config_notify_cb (SlEndpointForm *self,
                  GParamSpec     *pspec,
                  GObject        *config)
{
  sync_widgets (self, pspec->name);
  refresh (self);
}

static void
sync_all (SlEndpointForm *self)
{
  static const char * const others[] = {
    "role", "protocol", "family", "reuseaddr", "close-on-eof", "io-mode", "reply-mode",
    "encoding", "auth", "salt", "auth-timeout",
  };

  for (SlConfigField f = SL_CONFIG_FIELD_HOST; f < N_FIELDS; f++)
    sync_entry (self, f, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    sync_widgets (self, others[i]);

  refresh (self);
}

/* Widgets → config */

static void
entry_changed_cb (GtkEditable    *editable,
                  SlEndpointForm *self)
{
  SlConfigField field = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (editable), "sl-field"));
  const FieldInfo *info = &field_info[field];
  const char *text = gtk_editable_get_text (editable);
  g_autofree char *message = NULL;
  double seconds = 0.0;
  int number = 0;

  if (self->syncing)
    return;

  g_clear_pointer (&self->parse_errors[field], g_free);

  switch (info->kind)
    {
    case KIND_TEXT:
      g_object_set (self->config, info->property, text, NULL);
      break;

    case KIND_OPTIONAL_TEXT:
      g_object_set (self->config, info->property, text[0] != '\0' ? text : NULL, NULL);
      break;

    case KIND_PORT:
    case KIND_INT:
      if (parse_int (field, text, &number, &message))
        g_object_set (self->config, info->property, number, NULL);
      else
        self->parse_errors[field] = g_steal_pointer (&message);
      break;

    case KIND_SECONDS:
    default:
      if (parse_seconds (field, text, &seconds, &message))
        g_object_set (self->config, info->property, seconds, NULL);
      else
        self->parse_errors[field] = g_steal_pointer (&message);
      break;
    }

  /* A parse error changes nothing in the config, so nothing else refreshes. */
  update_validation (self);
}

static void
role_toggled_cb (GtkToggleButton *button,
                 SlEndpointForm  *self)
{
  SlRole role;
  SlReplyMode reply_mode;

  if (self->syncing || !gtk_toggle_button_get_active (button))
    return;

  role = gtk_toggle_button_get_active (self->server_button) ? SL_ROLE_SERVER : SL_ROLE_CLIENT;
  reply_mode = sl_endpoint_config_get_reply_mode (self->config);

  g_object_freeze_notify (G_OBJECT (self->config));
  sl_endpoint_config_set_role (self->config, role);
  /* A client answering by itself would ping-pong with an echo server forever; the
   * tutorials' clients type their messages (as socket-lab-cli does). */
  if (role == SL_ROLE_CLIENT && (reply_mode == SL_REPLY_ECHO || reply_mode == SL_REPLY_UPPER))
    sl_endpoint_config_set_reply_mode (self->config, SL_REPLY_NONE);
  g_object_thaw_notify (G_OBJECT (self->config));
}

static void
protocol_toggled_cb (GtkToggleButton *button,
                     SlEndpointForm  *self)
{
  if (self->syncing || !gtk_toggle_button_get_active (button))
    return;

  sl_endpoint_config_set_protocol (self->config,
                                   gtk_toggle_button_get_active (self->tcp_button)
                                     ? SL_PROTOCOL_TCP : SL_PROTOCOL_UDP);
}

static void
family_toggled_cb (GtkToggleButton *button,
                   SlEndpointForm  *self)
{
  SlFamily old_family;
  SlFamily new_family;
  const char *host;

  if (self->syncing || !gtk_toggle_button_get_active (button))
    return;

  old_family = family (self);
  host = sl_endpoint_config_get_host (self->config);

  if (gtk_toggle_button_get_active (self->ipv6_button))
    new_family = SL_FAMILY_IPV6;
  else if (gtk_toggle_button_get_active (self->unix_button))
    new_family = SL_FAMILY_UNIX;
  else
    new_family = SL_FAMILY_IPV4;

  g_object_freeze_notify (G_OBJECT (self->config));

  /* Carry the meaning of the address over: this computer stays this computer. */
  if (old_family != SL_FAMILY_UNIX && new_family != SL_FAMILY_UNIX && old_family != new_family)
    {
      if (g_strcmp0 (host, loopback_address (old_family)) == 0)
        sl_endpoint_config_set_host (self->config, loopback_address (new_family));
      else if (g_strcmp0 (host, any_address (old_family)) == 0)
        sl_endpoint_config_set_host (self->config, any_address (new_family));
    }

  if (new_family == SL_FAMILY_UNIX && sl_endpoint_config_get_path (self->config)[0] == '\0')
    sl_endpoint_config_set_path (self->config, DEFAULT_UNIX_PATH);

  sl_endpoint_config_set_family (self->config, new_family);

  g_object_thaw_notify (G_OBJECT (self->config));
}

static void
switch_active_cb (GtkSwitch      *sw,
                  GParamSpec     *pspec,
                  SlEndpointForm *self)
{
  if (self->syncing)
    return;

  if (sw == self->reuseaddr_switch)
    sl_endpoint_config_set_reuseaddr (self->config, gtk_switch_get_active (sw));
  else
    sl_endpoint_config_set_close_on_eof (self->config, gtk_switch_get_active (sw));
}

static void
combo_selected_cb (AdwComboRow    *row,
                   GParamSpec     *pspec,
                   SlEndpointForm *self)
{
  guint selected = adw_combo_row_get_selected (row);

  if (self->syncing || selected == GTK_INVALID_LIST_POSITION)
    return;

  if (row == self->io_mode_row)
    sl_endpoint_config_set_io_mode (self->config, selected);
  else if (row == self->reply_row)
    sl_endpoint_config_set_reply_mode (self->config, selected);
  else
    sl_endpoint_config_set_encoding (self->config, selected);
}

static void
auth_selected_cb (AdwComboRow    *row,
                  GParamSpec     *pspec,
                  SlEndpointForm *self)
{
  guint selected = adw_combo_row_get_selected (row);

  if (self->syncing || selected >= G_N_ELEMENTS (auth_positions))
    return;
  sl_endpoint_config_set_auth (self->config, auth_positions[selected]);
}

static void
salt_changed_cb (GtkEditable    *editable,
                 SlEndpointForm *self)
{
  if (self->syncing)
    return;
  sl_endpoint_config_set_salt (self->config, gtk_editable_get_text (editable));
}

static void
auth_timeout_changed_cb (GtkEditable    *editable,
                         SlEndpointForm *self)
{
  g_autofree char *text = NULL;
  char *end = NULL;
  double value;

  if (self->syncing)
    return;

  text = g_strstrip (g_strdup (gtk_editable_get_text (editable)));
  g_strdelimit (text, ",", '.');
  value = g_ascii_strtod (text, &end);
  g_clear_pointer (&self->auth_timeout_parse_error, g_free);
  if (text[0] == '\0' || end == text || *end != '\0' || !isfinite (value) ||
      strspn (text, "+-.0123456789") != strlen (text))
    {
      /* Translators: %s is what the user typed */
      self->auth_timeout_parse_error =
        g_strdup_printf (_("Authentication timeout “%s” is not a number: type a number of "
                           "seconds, e.g. 10."),
                         text);
      refresh (self);
      return;
    }

  self->syncing = TRUE;
  sl_endpoint_config_set_auth_timeout (self->config, value);
  self->syncing = FALSE;
  refresh (self);
}

static void
keep_local_clicked_cb (SlEndpointForm *self)
{
  sl_endpoint_config_set_host (self->config, loopback_address (family (self)));
}

/* Combo rows whose popup explains each choice */

static void
choice_check_cb (AdwComboRow *row,
                 GParamSpec  *pspec,
                 GtkListItem *list_item)
{
  GtkWidget *check = g_object_get_data (G_OBJECT (list_item), "sl-check");

  gtk_widget_set_opacity (check,
                          adw_combo_row_get_selected (row) == gtk_list_item_get_position (list_item)
                            ? 1.0 : 0.0);
}

static void
choice_setup_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *description = gtk_label_new (NULL);
  GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");

  gtk_label_set_xalign (GTK_LABEL (title), 0.0);
  gtk_label_set_xalign (GTK_LABEL (description), 0.0);
  gtk_label_set_wrap (GTK_LABEL (description), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (description), 36);
  gtk_widget_add_css_class (description, "caption");
  gtk_widget_add_css_class (description, "dim-label");
  gtk_widget_set_hexpand (labels, TRUE);
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);

  gtk_box_append (GTK_BOX (labels), title);
  gtk_box_append (GTK_BOX (labels), description);
  gtk_box_append (GTK_BOX (box), labels);
  gtk_box_append (GTK_BOX (box), check);

  g_object_set_data (G_OBJECT (list_item), "sl-title", title);
  g_object_set_data (G_OBJECT (list_item), "sl-description", description);
  g_object_set_data (G_OBJECT (list_item), "sl-check", check);
  gtk_list_item_set_child (list_item, box);
}

static void
choice_bind_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                AdwComboRow              *row)
{
  const Choice *choices = g_object_get_data (G_OBJECT (factory), "sl-choices");
  guint position = gtk_list_item_get_position (list_item);
  GtkLabel *title = g_object_get_data (G_OBJECT (list_item), "sl-title");
  GtkLabel *description = g_object_get_data (G_OBJECT (list_item), "sl-description");

  gtk_label_set_text (title, _(choices[position].title));
  gtk_label_set_text (description, _(choices[position].description));

  g_signal_connect_object (row, "notify::selected", G_CALLBACK (choice_check_cb), list_item, 0);
  choice_check_cb (row, NULL, list_item);
}

static void
choice_unbind_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  AdwComboRow              *row)
{
  g_signal_handlers_disconnect_by_func (row, choice_check_cb, list_item);
}

static void
setup_choices (AdwComboRow  *row,
               const Choice *choices,
               guint         n_choices)
{
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  for (guint i = 0; i < n_choices; i++)
    gtk_string_list_append (model, _(choices[i].title));

  g_object_set_data (G_OBJECT (factory), "sl-choices", (gpointer) choices);
  g_signal_connect (factory, "setup", G_CALLBACK (choice_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (choice_bind_cb), row);
  g_signal_connect (factory, "unbind", G_CALLBACK (choice_unbind_cb), row);

  adw_combo_row_set_model (row, G_LIST_MODEL (model));
  adw_combo_row_set_list_factory (row, factory);
}

/* The text fields */

static void
setup_field (SlEndpointForm *self,
             SlConfigField   field)
{
  const FieldInfo *info = &field_info[field];
  GtkWidget *label;
  GtkWidget *icon;

  self->entries[field] = ADW_ENTRY_ROW (gtk_widget_get_template_child (GTK_WIDGET (self),
                                                                       SL_TYPE_ENDPOINT_FORM,
                                                                       info->row_id));
  self->help_rows[field] = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (self),
                                                                      SL_TYPE_ENDPOINT_FORM,
                                                                      info->help_id));
  g_assert (ADW_IS_ENTRY_ROW (self->entries[field]));
  g_assert (ADW_IS_PREFERENCES_ROW (self->help_rows[field]));

  /* The help line under the field; it turns into the field's error message. */
  label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_set_margin_top (label, 0);
  gtk_widget_set_margin_bottom (label, 8);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (self->help_rows[field]), label);
  /* Lets the style sheet draw field and help line as one row. */
  gtk_widget_add_css_class (GTK_WIDGET (self->entries[field]), "sl-has-help");
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self->help_rows[field]), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (self->help_rows[field]), FALSE);
  gtk_widget_set_focusable (self->help_rows[field], FALSE);
  self->help_labels[field] = GTK_LABEL (label);

  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->entries[field]),
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, label, NULL,
                                  -1);

  /* Colour is not the only sign of a problem. */
  icon = gtk_image_new_from_icon_name ("dialog-error-symbolic");
  gtk_widget_add_css_class (icon, "error");
  gtk_widget_set_visible (icon, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Error"),
                                  -1);
  adw_entry_row_add_suffix (self->entries[field], icon);
  self->error_icons[field] = icon;

  g_object_set_data (G_OBJECT (self->entries[field]), "sl-field", GINT_TO_POINTER (field));
  g_signal_connect (self->entries[field], "changed", G_CALLBACK (entry_changed_cb), self);
}

/* GObject */

static void
sl_endpoint_form_dispose (GObject *object)
{
  SlEndpointForm *self = SL_ENDPOINT_FORM (object);

  /* From here on no widget writes into the config, and the config updates no widget. */
  self->syncing = TRUE;
  if (self->config != NULL)
    g_signal_handlers_disconnect_by_func (self->config, config_notify_cb, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), SL_TYPE_ENDPOINT_FORM);

  g_clear_object (&self->config);

  G_OBJECT_CLASS (sl_endpoint_form_parent_class)->dispose (object);
}

static void
sl_endpoint_form_finalize (GObject *object)
{
  SlEndpointForm *self = SL_ENDPOINT_FORM (object);

  for (guint i = 0; i < N_FIELDS; i++)
    {
      g_free (self->parse_errors[i]);
      g_free (self->field_errors[i]);
    }
  g_free (self->error_message);
  g_free (self->auth_timeout_parse_error);
  for (guint i = 0; i < N_AUTH_FIELDS; i++)
    g_free (self->auth_errors[i]);

  G_OBJECT_CLASS (sl_endpoint_form_parent_class)->finalize (object);
}

static void
sl_endpoint_form_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SlEndpointForm *self = SL_ENDPOINT_FORM (object);

  switch (prop_id)
    {
    case PROP_CONFIG:
      g_value_set_object (value, self->config);
      break;

    case PROP_VALID:
      g_value_set_boolean (value, self->valid);
      break;

    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_endpoint_form_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  SlEndpointForm *self = SL_ENDPOINT_FORM (object);

  switch (prop_id)
    {
    case PROP_CONFIG:
      sl_endpoint_form_set_config (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_endpoint_form_class_init (SlEndpointFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sl_endpoint_form_dispose;
  object_class->finalize = sl_endpoint_form_finalize;
  object_class->get_property = sl_endpoint_form_get_property;
  object_class->set_property = sl_endpoint_form_set_property;

  properties[PROP_CONFIG] =
    g_param_spec_object ("config", NULL, NULL,
                         SL_TYPE_ENDPOINT_CONFIG,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_VALID] =
    g_param_spec_boolean ("valid", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ERROR_MESSAGE] =
    g_param_spec_string ("error-message", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/socketlab/SocketLab/"
                                               "sl-endpoint-form.ui");

  gtk_widget_class_bind_template_child (widget_class, SlEndpointForm, page);
  gtk_widget_class_bind_template_child (widget_class, SlEndpointForm, role_row);
  gtk_widget_class_bind_template_child (widget_class, SlEndpointForm, server_button);
  gtk_widget_class_bind_template_child (widget_class, SlEndpointForm, client_button);
  gtk_widget_class_bind_template_child (widget_class, SlEndpointForm, protocol_row);
  gtk_widget_class_bind_template_child (widget_class, SlEndpointForm, tcp_button);
  gtk_widget_class_bind_template_child (widget_class, SlEndpointForm, udp_button);
  gtk_widget_class_bind_template_child (widget_class, SlEndpointForm, family_row);
  gtk_widget_class_bind_template_child (widget_class, SlEndpointForm, ipv4_button);
  gtk_widget_class_bind_template_child (widget_class, SlEndpointForm, ipv6_button);
  gtk_widget_class_bind_template_child (widget_class, SlEndpointForm, unix_button);
  gtk_widget_class_bind_template_child (widget_class, SlEndpointForm, address_group);
  gtk_widget_class_bind_template_child (widget_class, SlEndpointForm, warning_row);
  gtk_widget_class_bind_template_child (widget_class, SlEndpointForm, keep_local_button);
  gtk_widget_class_bind_template_child (widget_class, SlEndpointForm, server_group);
  gtk_widget_class_bind_template_child (widget_class, SlEndpointForm, reuseaddr_row);
  gtk_widget_class_bind_template_child (widget_class, SlEndpointForm, reuseaddr_switch);
  gtk_widget_class_bind_template_child (widget_class, SlEndpointForm, client_group);
  gtk_widget_class_bind_template_child (widget_class, SlEndpointForm, io_group);
  gtk_widget_class_bind_template_child (widget_class, SlEndpointForm, io_mode_row);
  gtk_widget_class_bind_template_child (widget_class, SlEndpointForm, close_on_eof_row);
  gtk_widget_class_bind_template_child (widget_class, SlEndpointForm, close_on_eof_switch);
  gtk_widget_class_bind_template_child (widget_class, SlEndpointForm, messages_group);
  gtk_widget_class_bind_template_child (widget_class, SlEndpointForm, reply_row);
  gtk_widget_class_bind_template_child (widget_class, SlEndpointForm, encoding_row);
  gtk_widget_class_bind_template_child (widget_class, SlEndpointForm, auth_group);
  gtk_widget_class_bind_template_child (widget_class, SlEndpointForm, auth_row);
  gtk_widget_class_bind_template_child (widget_class, SlEndpointForm, salt_row);
  gtk_widget_class_bind_template_child (widget_class, SlEndpointForm, auth_timeout_row);
  gtk_widget_class_bind_template_child (widget_class, SlEndpointForm, auth_help);
  gtk_widget_class_bind_template_child (widget_class, SlEndpointForm, auth_help_label);

  /* The entry rows and their help rows are found by name from field_info. */
  for (SlConfigField f = SL_CONFIG_FIELD_HOST; f < N_FIELDS; f++)
    {
      gtk_widget_class_bind_template_child_full (widget_class, field_info[f].row_id, FALSE, 0);
      gtk_widget_class_bind_template_child_full (widget_class, field_info[f].help_id, FALSE, 0);
    }
}

static void
sl_endpoint_form_init (SlEndpointForm *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  sl_accessible_own_labels (GTK_WIDGET (self));

  for (SlConfigField f = SL_CONFIG_FIELD_HOST; f < N_FIELDS; f++)
    setup_field (self, f);

  setup_choices (self->io_mode_row, io_mode_choices, G_N_ELEMENTS (io_mode_choices));
  setup_choices (self->reply_row, reply_choices, G_N_ELEMENTS (reply_choices));
  setup_choices (self->encoding_row, encoding_choices, G_N_ELEMENTS (encoding_choices));
  setup_choices (self->auth_row, auth_choices, G_N_ELEMENTS (auth_choices));
  g_signal_connect (self->auth_row, "notify::selected", G_CALLBACK (auth_selected_cb), self);
  g_signal_connect (self->salt_row, "changed", G_CALLBACK (salt_changed_cb), self);
  g_signal_connect (self->auth_timeout_row, "changed", G_CALLBACK (auth_timeout_changed_cb),
                    self);

  g_signal_connect (self->server_button, "toggled", G_CALLBACK (role_toggled_cb), self);
  g_signal_connect (self->client_button, "toggled", G_CALLBACK (role_toggled_cb), self);
  g_signal_connect (self->tcp_button, "toggled", G_CALLBACK (protocol_toggled_cb), self);
  g_signal_connect (self->udp_button, "toggled", G_CALLBACK (protocol_toggled_cb), self);
  g_signal_connect (self->ipv4_button, "toggled", G_CALLBACK (family_toggled_cb), self);
  g_signal_connect (self->ipv6_button, "toggled", G_CALLBACK (family_toggled_cb), self);
  g_signal_connect (self->unix_button, "toggled", G_CALLBACK (family_toggled_cb), self);
  g_signal_connect (self->reuseaddr_switch, "notify::active", G_CALLBACK (switch_active_cb),
                    self);
  g_signal_connect (self->close_on_eof_switch, "notify::active", G_CALLBACK (switch_active_cb),
                    self);
  g_signal_connect (self->io_mode_row, "notify::selected", G_CALLBACK (combo_selected_cb), self);
  g_signal_connect (self->reply_row, "notify::selected", G_CALLBACK (combo_selected_cb), self);
  g_signal_connect (self->encoding_row, "notify::selected", G_CALLBACK (combo_selected_cb),
                    self);
  g_signal_connect_swapped (self->keep_local_button, "clicked",
                            G_CALLBACK (keep_local_clicked_cb), self);

  {
    g_autoptr(SlEndpointConfig) config = sl_endpoint_config_new ();

    sl_endpoint_form_set_config (self, config);
  }
}

/* Public API */

SlEndpointConfig *
sl_endpoint_form_get_config (SlEndpointForm *self)
{
  g_return_val_if_fail (SL_IS_ENDPOINT_FORM (self), NULL);

  return self->config;
}

void
sl_endpoint_form_set_config (SlEndpointForm   *self,
                             SlEndpointConfig *config)
{
  g_return_if_fail (SL_IS_ENDPOINT_FORM (self));
  g_return_if_fail (SL_IS_ENDPOINT_CONFIG (config));

  if (self->config == config)
    return;

  if (self->config != NULL)
    g_signal_handlers_disconnect_by_func (self->config, config_notify_cb, self);
  g_set_object (&self->config, config);
  g_signal_connect_object (self->config, "notify", G_CALLBACK (config_notify_cb), self,
                           G_CONNECT_SWAPPED);

  sync_all (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONFIG]);
}

gboolean
sl_endpoint_form_get_valid (SlEndpointForm *self)
{
  g_return_val_if_fail (SL_IS_ENDPOINT_FORM (self), FALSE);

  return self->valid;
}

const char *
sl_endpoint_form_get_error_message (SlEndpointForm *self)
{
  g_return_val_if_fail (SL_IS_ENDPOINT_FORM (self), NULL);

  return self->error_message;
}

const char *
sl_endpoint_form_get_field_error (SlEndpointForm *self,
                                  SlConfigField   field)
{
  g_return_val_if_fail (SL_IS_ENDPOINT_FORM (self), NULL);

  if (field >= SL_CONFIG_FIELD_AUTH && field <= SL_CONFIG_FIELD_AUTH_TIMEOUT)
    return self->auth_errors[field - SL_CONFIG_FIELD_AUTH];
  if (field <= SL_CONFIG_FIELD_NONE || field >= N_FIELDS)
    return NULL;

  return self->field_errors[field];
}
