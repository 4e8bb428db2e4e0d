/* test-config.c — tests for SlEndpointConfig
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <math.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <glib/gstdio.h>
#include <gio/gunixsocketaddress.h>

#include "sl-endpoint-config.h"
#include "sl-enum-types.h"
#include "sl-error.h"
#include "sl-test-util.h"

#define RESOLVE_TIMEOUT_MS 10000

/* A private directory for Unix socket paths, made in main(). */
static char *tmpdir;

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("“%s” does not contain “%s”", haystack, needle);
}

/* Properties */

static void
test_defaults (void)
{
  SlEndpointConfig *config = sl_endpoint_config_new ();
  g_autofree GParamSpec **pspecs = NULL;
  guint n_pspecs = 0;

  g_assert_cmpint (sl_endpoint_config_get_protocol (config), ==, SL_PROTOCOL_TCP);
  g_assert_cmpint (sl_endpoint_config_get_role (config), ==, SL_ROLE_SERVER);
  g_assert_cmpint (sl_endpoint_config_get_family (config), ==, SL_FAMILY_IPV4);
  g_assert_cmpstr (sl_endpoint_config_get_host (config), ==, "127.0.0.1");
  g_assert_cmpint (sl_endpoint_config_get_port (config), ==, 8888);
  g_assert_cmpstr (sl_endpoint_config_get_path (config), ==, "");
  g_assert_null (sl_endpoint_config_get_local_host (config));
  g_assert_cmpint (sl_endpoint_config_get_local_port (config), ==, 0);
  g_assert_cmpint (sl_endpoint_config_get_backlog (config), ==, 5);
  g_assert_false (sl_endpoint_config_get_reuseaddr (config));
  g_assert_cmpint (sl_endpoint_config_get_bufsize (config), ==, 1024);
  g_assert_cmpint (sl_endpoint_config_get_max_clients (config), ==,
                   SL_ENDPOINT_CONFIG_DEFAULT_MAX_CLIENTS);
  g_assert_cmpint (sl_endpoint_config_get_io_mode (config), ==, SL_IO_MODE_ASYNC);
  g_assert_cmpfloat (sl_endpoint_config_get_timeout (config), ==, 5.0);
  g_assert_cmpfloat (sl_endpoint_config_get_connect_timeout (config), ==, 5.0);
  g_assert_cmpint (sl_endpoint_config_get_reply_mode (config), ==, SL_REPLY_UPPER);
  g_assert_cmpstr (sl_endpoint_config_get_reply_text (config), ==, "");
  g_assert_cmpint (sl_endpoint_config_get_encoding (config), ==, SL_ENCODING_TEXT);
  g_assert_true (sl_endpoint_config_get_close_on_eof (config));

  /* Every property: the documented flags, and the value equals the pspec default. */
  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (config), &n_pspecs);
  g_assert_cmpuint (n_pspecs, ==, 22); /* 19 + auth, salt, auth-timeout (issue 5) */
  for (guint i = 0; i < n_pspecs; i++)
    {
      g_auto(GValue) value = G_VALUE_INIT;

      g_test_message ("property %s", pspecs[i]->name);
      g_assert_cmpint (pspecs[i]->flags & G_PARAM_READWRITE, ==, G_PARAM_READWRITE);
      g_assert_true (pspecs[i]->flags & G_PARAM_EXPLICIT_NOTIFY);
      g_assert_cmpint (pspecs[i]->flags & G_PARAM_STATIC_STRINGS, ==, G_PARAM_STATIC_STRINGS);

      g_value_init (&value, pspecs[i]->value_type);
      g_object_get_property (G_OBJECT (config), pspecs[i]->name, &value);
      g_assert_true (g_param_value_defaults (pspecs[i], &value));
    }

  g_assert_finalize_object (config);
}

static void
test_enum_types (void)
{
  SlEndpointConfig *config = sl_endpoint_config_new ();
  GObjectClass *klass = G_OBJECT_GET_CLASS (config);
  SlProtocol protocol;
  SlIoMode io_mode;

  g_assert_true (g_object_class_find_property (klass, "protocol")->value_type == SL_TYPE_PROTOCOL);
  g_assert_true (g_object_class_find_property (klass, "role")->value_type == SL_TYPE_ROLE);
  g_assert_true (g_object_class_find_property (klass, "family")->value_type == SL_TYPE_FAMILY);
  g_assert_true (g_object_class_find_property (klass, "io-mode")->value_type == SL_TYPE_IO_MODE);
  g_assert_true (g_object_class_find_property (klass, "reply-mode")->value_type ==
                 SL_TYPE_REPLY_MODE);
  g_assert_true (g_object_class_find_property (klass, "encoding")->value_type ==
                 SL_TYPE_ENCODING);

  g_object_set (config,
                "protocol", SL_PROTOCOL_UDP,
                "io-mode", SL_IO_MODE_TIMEOUT,
                "timeout", 2.5,
                NULL);
  g_object_get (config, "protocol", &protocol, "io-mode", &io_mode, NULL);
  g_assert_cmpint (protocol, ==, SL_PROTOCOL_UDP);
  g_assert_cmpint (io_mode, ==, SL_IO_MODE_TIMEOUT);
  g_assert_cmpfloat (sl_endpoint_config_get_timeout (config), ==, 2.5);

  g_assert_finalize_object (config);
}

/* Sets @value to something different from its current content. */
static void
make_different (GParamSpec *pspec,
                GValue     *value)
{
  GType type = G_VALUE_TYPE (value);

  if (type == G_TYPE_INT)
    g_value_set_int (value, g_value_get_int (value) + 1);
  else if (type == G_TYPE_DOUBLE)
    g_value_set_double (value, g_value_get_double (value) + 1.5);
  else if (type == G_TYPE_BOOLEAN)
    g_value_set_boolean (value, !g_value_get_boolean (value));
  else if (type == G_TYPE_STRING)
    {
      g_autofree char *changed = g_strconcat (g_value_get_string (value) != NULL
                                                ? g_value_get_string (value) : "",
                                              "x", NULL);
      g_value_set_string (value, changed);
    }
  else if (G_TYPE_IS_ENUM (type))
    {
      g_autoptr(GEnumClass) enum_class = g_type_class_ref (type);

      g_value_set_enum (value, (g_value_get_enum (value) + 1) % enum_class->n_values);
    }
  else
    g_assert_not_reached ();
}

typedef struct
{
  guint       count;
  GParamSpec *last;
} NotifyCount;

static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           gpointer    user_data)
{
  NotifyCount *counter = user_data;

  counter->count++;
  counter->last = pspec;
}

static void
test_notify_only_on_change (void)
{
  SlEndpointConfig *config = sl_endpoint_config_new ();
  g_autofree GParamSpec **pspecs = NULL;
  NotifyCount counter = { 0, NULL };
  guint n_pspecs = 0;

  g_signal_connect (config, "notify", G_CALLBACK (notify_cb), &counter);

  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (config), &n_pspecs);
  for (guint i = 0; i < n_pspecs; i++)
    {
      g_auto(GValue) value = G_VALUE_INIT;

      g_test_message ("property %s", pspecs[i]->name);
      g_value_init (&value, pspecs[i]->value_type);
      g_object_get_property (G_OBJECT (config), pspecs[i]->name, &value);

      /* The same value (for strings: an equal copy) notifies nothing. */
      counter.count = 0;
      g_object_set_property (G_OBJECT (config), pspecs[i]->name, &value);
      g_assert_cmpuint (counter.count, ==, 0);

      make_different (pspecs[i], &value);
      g_object_set_property (G_OBJECT (config), pspecs[i]->name, &value);
      g_assert_cmpuint (counter.count, ==, 1);
      g_assert_true (counter.last == pspecs[i]);

      g_object_set_property (G_OBJECT (config), pspecs[i]->name, &value);
      g_assert_cmpuint (counter.count, ==, 1);
    }

  /* The C setters directly. */
  counter.count = 0;
  sl_endpoint_config_set_port (config, 9000);
  sl_endpoint_config_set_port (config, 9000);
  g_assert_cmpuint (counter.count, ==, 1);

  counter.count = 0;
  sl_endpoint_config_set_host (config, "::1");
  sl_endpoint_config_set_host (config, "::1");
  g_assert_cmpuint (counter.count, ==, 1);

  /* A NULL host, path or reply text is stored as "". */
  counter.count = 0;
  sl_endpoint_config_set_host (config, NULL);
  g_assert_cmpstr (sl_endpoint_config_get_host (config), ==, "");
  sl_endpoint_config_set_host (config, "");
  g_assert_cmpuint (counter.count, ==, 1);

  /* local-host really is NULL or a string. */
  sl_endpoint_config_set_local_host (config, "127.0.0.1");
  counter.count = 0;
  sl_endpoint_config_set_local_host (config, NULL);
  g_assert_null (sl_endpoint_config_get_local_host (config));
  sl_endpoint_config_set_local_host (config, NULL);
  g_assert_cmpuint (counter.count, ==, 1);

  /* Booleans compare as truth values. */
  sl_endpoint_config_set_reuseaddr (config, TRUE);
  counter.count = 0;
  sl_endpoint_config_set_reuseaddr (config, 2);
  g_assert_cmpuint (counter.count, ==, 0);

  g_assert_finalize_object (config);
}

static void
test_copy (void)
{
  SlEndpointConfig *config = sl_endpoint_config_new ();
  SlEndpointConfig *copy;
  g_autofree GParamSpec **pspecs = NULL;
  guint n_pspecs = 0;

  /* Every property away from its default, so that a forgotten one shows. */
  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (config), &n_pspecs);
  for (guint i = 0; i < n_pspecs; i++)
    {
      g_auto(GValue) value = G_VALUE_INIT;

      g_value_init (&value, pspecs[i]->value_type);
      g_object_get_property (G_OBJECT (config), pspecs[i]->name, &value);
      make_different (pspecs[i], &value);
      g_object_set_property (G_OBJECT (config), pspecs[i]->name, &value);
      g_assert_false (g_param_value_defaults (pspecs[i], &value));
    }

  copy = sl_endpoint_config_copy (config);
  g_assert_true (copy != config);

  for (guint i = 0; i < n_pspecs; i++)
    {
      g_auto(GValue) a = G_VALUE_INIT;
      g_auto(GValue) b = G_VALUE_INIT;

      g_test_message ("property %s", pspecs[i]->name);
      g_value_init (&a, pspecs[i]->value_type);
      g_value_init (&b, pspecs[i]->value_type);
      g_object_get_property (G_OBJECT (config), pspecs[i]->name, &a);
      g_object_get_property (G_OBJECT (copy), pspecs[i]->name, &b);
      g_assert_cmpint (g_param_values_cmp (pspecs[i], &a, &b), ==, 0);
    }

  /* Strings are copies, not shared. */
  g_assert_true (sl_endpoint_config_get_host (copy) != sl_endpoint_config_get_host (config));
  sl_endpoint_config_set_host (copy, "10.0.0.1");
  g_assert_cmpstr (sl_endpoint_config_get_host (config), ==, "127.0.0.1x");

  g_assert_finalize_object (copy);
  g_assert_finalize_object (config);
}

/* Validation: one case per error */

typedef struct
{
  const char    *name;
  /* Makes the config invalid; returns the bad value the message must quote. */
  char        *(*setup) (SlEndpointConfig *config);
  SlConfigField  field;
  SlError        code;
  const char    *also;  /* more text the message must contain, or NULL */
} InvalidCase;

static char *
setup_port_server_range (SlEndpointConfig *config)
{
  sl_endpoint_config_set_port (config, 70000);
  return g_strdup ("“70000”");
}

static char *
setup_port_server_negative (SlEndpointConfig *config)
{
  sl_endpoint_config_set_port (config, -1);
  return g_strdup ("“-1”");
}

static char *
setup_port_client_zero (SlEndpointConfig *config)
{
  sl_endpoint_config_set_role (config, SL_ROLE_CLIENT);
  sl_endpoint_config_set_port (config, 0);
  return g_strdup ("“0”");
}

static char *
setup_port_client_range (SlEndpointConfig *config)
{
  sl_endpoint_config_set_role (config, SL_ROLE_CLIENT);
  sl_endpoint_config_set_port (config, 65536);
  return g_strdup ("“65536”");
}

static char *
setup_host_empty (SlEndpointConfig *config)
{
  sl_endpoint_config_set_host (config, "");
  return g_strdup ("empty");
}

static char *
setup_host_space (SlEndpointConfig *config)
{
  sl_endpoint_config_set_host (config, "exa mple.com");
  return g_strdup ("“exa mple.com”");
}

static char *
setup_host_trailing_space (SlEndpointConfig *config)
{
  sl_endpoint_config_set_host (config, "127.0.0.1 ");
  return g_strdup ("“127.0.0.1 ”");
}

static char *
setup_host_bad_char (SlEndpointConfig *config)
{
  sl_endpoint_config_set_host (config, "a/b.example");
  return g_strdup ("“a/b.example”");
}

static char *
setup_host_control_char (SlEndpointConfig *config)
{
  sl_endpoint_config_set_host (config, "a\001b");
  return g_strdup ("\\x01");
}

static char *
setup_host_label_long (SlEndpointConfig *config)
{
  g_autofree char *label = g_strnfill (64, 'a');
  char *host = g_strconcat (label, ".example", NULL);

  sl_endpoint_config_set_host (config, host);
  return host;
}

static char *
setup_host_name_long (SlEndpointConfig *config)
{
  g_autofree char *label = g_strnfill (50, 'b');
  char *host = g_strjoin (".", label, label, label, label, label, "example", NULL);

  g_assert_cmpuint (strlen (host), ==, 262);
  sl_endpoint_config_set_host (config, host);
  return host;
}

static char *
setup_host_empty_label (SlEndpointConfig *config)
{
  sl_endpoint_config_set_host (config, "www..example");
  return g_strdup ("“www..example”");
}

static char *
setup_host_hyphen (SlEndpointConfig *config)
{
  sl_endpoint_config_set_host (config, "-www.example");
  return g_strdup ("“-www.example”");
}

static char *
setup_host_ipv4_with_ipv6 (SlEndpointConfig *config)
{
  sl_endpoint_config_set_family (config, SL_FAMILY_IPV6);
  sl_endpoint_config_set_host (config, "127.0.0.1");
  return g_strdup ("“127.0.0.1”");
}

static char *
setup_host_ipv6_with_ipv4 (SlEndpointConfig *config)
{
  sl_endpoint_config_set_host (config, "::1");
  return g_strdup ("“::1”");
}

static char *
setup_host_bad_ipv4 (SlEndpointConfig *config)
{
  sl_endpoint_config_set_host (config, "256.1.1.1");
  return g_strdup ("“256.1.1.1”");
}

static char *
setup_host_bad_ipv6 (SlEndpointConfig *config)
{
  sl_endpoint_config_set_family (config, SL_FAMILY_IPV6);
  sl_endpoint_config_set_host (config, "1:2:3:4:5:6:7:8:9");
  return g_strdup ("“1:2:3:4:5:6:7:8:9”");
}

static char *
setup_host_with_port (SlEndpointConfig *config)
{
  sl_endpoint_config_set_host (config, "127.0.0.1:8888");
  return g_strdup ("“127.0.0.1:8888”");
}

static char *
setup_host_brackets (SlEndpointConfig *config)
{
  sl_endpoint_config_set_family (config, SL_FAMILY_IPV6);
  sl_endpoint_config_set_host (config, "[::1]");
  return g_strdup ("“[::1]”");
}

static char *
setup_path_empty (SlEndpointConfig *config)
{
  sl_endpoint_config_set_family (config, SL_FAMILY_UNIX);
  sl_endpoint_config_set_path (config, "");
  return g_strdup ("empty");
}

static char *
setup_path_too_long (SlEndpointConfig *config)
{
  g_autofree char *name = NULL;
  char *path;

  /* 108 bytes: one more than sun_path can hold with its NUL. */
  name = g_strnfill (108 - strlen (tmpdir) - 1, 'p');
  path = g_build_filename (tmpdir, name, NULL);
  g_assert_cmpuint (strlen (path), ==, 108);

  sl_endpoint_config_set_family (config, SL_FAMILY_UNIX);
  sl_endpoint_config_set_path (config, path);
  return path;
}

static char *
setup_path_dir_missing_server (SlEndpointConfig *config)
{
  g_autofree char *path = g_build_filename (tmpdir, "missing", "s.sock", NULL);

  sl_endpoint_config_set_family (config, SL_FAMILY_UNIX);
  sl_endpoint_config_set_path (config, path);
  return g_strdup_printf ("“%s/missing”", tmpdir);
}

static char *
setup_path_dir_missing_client (SlEndpointConfig *config)
{
  g_autofree char *path = g_build_filename (tmpdir, "missing", "s.sock", NULL);

  sl_endpoint_config_set_family (config, SL_FAMILY_UNIX);
  sl_endpoint_config_set_role (config, SL_ROLE_CLIENT);
  sl_endpoint_config_set_path (config, path);
  return g_strdup_printf ("“%s/missing”", tmpdir);
}

static char *
setup_path_is_directory (SlEndpointConfig *config)
{
  sl_endpoint_config_set_family (config, SL_FAMILY_UNIX);
  sl_endpoint_config_set_path (config, tmpdir);
  return g_strdup_printf ("“%s”", tmpdir);
}

static char *
make_plain_file (void)
{
  char *file = g_build_filename (tmpdir, "plain-file", NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (file, "not a socket", -1, &error);
  g_assert_no_error (error);

  return file;
}

static char *
setup_path_parent_is_file (SlEndpointConfig *config)
{
  g_autofree char *file = make_plain_file ();
  g_autofree char *path = g_build_filename (file, "s.sock", NULL);

  sl_endpoint_config_set_family (config, SL_FAMILY_UNIX);
  sl_endpoint_config_set_path (config, path);
  return g_strdup_printf ("“%s”", file);
}

static char *
setup_path_existing_file (SlEndpointConfig *config)
{
  g_autofree char *file = make_plain_file ();

  sl_endpoint_config_set_family (config, SL_FAMILY_UNIX);
  sl_endpoint_config_set_path (config, file);
  return g_strdup_printf ("“%s”", file);
}

static char *
setup_local_host_invalid (SlEndpointConfig *config)
{
  sl_endpoint_config_set_role (config, SL_ROLE_CLIENT);
  sl_endpoint_config_set_local_host (config, "my laptop");
  return g_strdup ("“my laptop”");
}

static char *
setup_local_host_family (SlEndpointConfig *config)
{
  sl_endpoint_config_set_role (config, SL_ROLE_CLIENT);
  sl_endpoint_config_set_local_host (config, "::1");
  return g_strdup ("“::1”");
}

static char *
setup_local_port_range (SlEndpointConfig *config)
{
  sl_endpoint_config_set_role (config, SL_ROLE_CLIENT);
  sl_endpoint_config_set_local_port (config, 70000);
  return g_strdup ("“70000”");
}

static char *
setup_local_port_negative (SlEndpointConfig *config)
{
  sl_endpoint_config_set_role (config, SL_ROLE_CLIENT);
  sl_endpoint_config_set_local_port (config, -5);
  return g_strdup ("“-5”");
}

static char *
setup_backlog_zero (SlEndpointConfig *config)
{
  sl_endpoint_config_set_backlog (config, 0);
  return g_strdup ("“0”");
}

static char *
setup_backlog_too_big (SlEndpointConfig *config)
{
  sl_endpoint_config_set_backlog (config, 65536);
  return g_strdup ("“65536”");
}

static char *
setup_bufsize_zero (SlEndpointConfig *config)
{
  sl_endpoint_config_set_bufsize (config, 0);
  return g_strdup ("“0”");
}

static char *
setup_bufsize_too_big (SlEndpointConfig *config)
{
  sl_endpoint_config_set_bufsize (config, 16 * 1024 * 1024 + 1);
  return g_strdup ("“16777217”");
}

static char *
setup_max_clients_negative (SlEndpointConfig *config)
{
  sl_endpoint_config_set_max_clients (config, -1);
  return g_strdup ("“-1”");
}

static char *
setup_timeout_zero (SlEndpointConfig *config)
{
  sl_endpoint_config_set_io_mode (config, SL_IO_MODE_TIMEOUT);
  sl_endpoint_config_set_timeout (config, 0.0);
  return g_strdup ("“0”");
}

static char *
setup_timeout_negative (SlEndpointConfig *config)
{
  sl_endpoint_config_set_io_mode (config, SL_IO_MODE_TIMEOUT);
  sl_endpoint_config_set_timeout (config, -2.5);
  return g_strdup ("“-2.5”");
}

static char *
setup_timeout_too_big (SlEndpointConfig *config)
{
  sl_endpoint_config_set_io_mode (config, SL_IO_MODE_TIMEOUT);
  sl_endpoint_config_set_timeout (config, 3600.5);
  return g_strdup ("“3600.5”");
}

static char *
setup_timeout_nan (SlEndpointConfig *config)
{
  sl_endpoint_config_set_io_mode (config, SL_IO_MODE_TIMEOUT);
  sl_endpoint_config_set_timeout (config, NAN);
  return g_strdup ("“nan”");
}

static char *
setup_connect_timeout_zero (SlEndpointConfig *config)
{
  sl_endpoint_config_set_role (config, SL_ROLE_CLIENT);
  sl_endpoint_config_set_connect_timeout (config, 0.0);
  return g_strdup ("“0”");
}

static char *
setup_connect_timeout_too_big (SlEndpointConfig *config)
{
  sl_endpoint_config_set_role (config, SL_ROLE_CLIENT);
  sl_endpoint_config_set_connect_timeout (config, 601.0);
  return g_strdup ("“601”");
}

static char *
setup_reply_empty (SlEndpointConfig *config)
{
  sl_endpoint_config_set_reply_mode (config, SL_REPLY_FIXED);
  sl_endpoint_config_set_reply_text (config, "");
  return g_strdup ("empty");
}

static char *
setup_reply_bad_hex (SlEndpointConfig *config)
{
  sl_endpoint_config_set_reply_mode (config, SL_REPLY_FIXED);
  sl_endpoint_config_set_encoding (config, SL_ENCODING_HEX);
  sl_endpoint_config_set_reply_text (config, "4g");
  return g_strdup ("“4g”");
}

static char *
setup_reply_bad_json (SlEndpointConfig *config)
{
  sl_endpoint_config_set_reply_mode (config, SL_REPLY_FIXED);
  sl_endpoint_config_set_encoding (config, SL_ENCODING_JSON);
  sl_endpoint_config_set_reply_text (config, "{\"oops\": ");
  return g_strdup ("“{\"oops\": ”");
}

static const InvalidCase invalid_cases[] = {
  { "port-server-range", setup_port_server_range,
    SL_CONFIG_FIELD_PORT, SL_ERROR_INVALID_PORT, "0 (any free port) to 65535" },
  { "port-server-negative", setup_port_server_negative,
    SL_CONFIG_FIELD_PORT, SL_ERROR_INVALID_PORT, "65535" },
  { "port-client-zero", setup_port_client_zero,
    SL_CONFIG_FIELD_PORT, SL_ERROR_INVALID_PORT, "1 to 65535" },
  { "port-client-range", setup_port_client_range,
    SL_CONFIG_FIELD_PORT, SL_ERROR_INVALID_PORT, "1 to 65535" },
  { "host-empty", setup_host_empty,
    SL_CONFIG_FIELD_HOST, SL_ERROR_INVALID_HOST, "127.0.0.1" },
  { "host-space", setup_host_space,
    SL_CONFIG_FIELD_HOST, SL_ERROR_INVALID_HOST, "space" },
  { "host-trailing-space", setup_host_trailing_space,
    SL_CONFIG_FIELD_HOST, SL_ERROR_INVALID_HOST, "space" },
  { "host-bad-char", setup_host_bad_char,
    SL_CONFIG_FIELD_HOST, SL_ERROR_INVALID_HOST, "“/”" },
  { "host-control-char", setup_host_control_char,
    SL_CONFIG_FIELD_HOST, SL_ERROR_INVALID_HOST, "letters, digits, hyphens" },
  { "host-label-too-long", setup_host_label_long,
    SL_CONFIG_FIELD_HOST, SL_ERROR_INVALID_HOST, "at most 63" },
  { "host-name-too-long", setup_host_name_long,
    SL_CONFIG_FIELD_HOST, SL_ERROR_INVALID_HOST, "at most 253" },
  { "host-empty-label", setup_host_empty_label,
    SL_CONFIG_FIELD_HOST, SL_ERROR_INVALID_HOST, "dot" },
  { "host-hyphen", setup_host_hyphen,
    SL_CONFIG_FIELD_HOST, SL_ERROR_INVALID_HOST, "hyphen" },
  { "host-ipv4-with-family-ipv6", setup_host_ipv4_with_ipv6,
    SL_CONFIG_FIELD_HOST, SL_ERROR_INVALID_HOST, "switch the family to IPv4" },
  { "host-ipv6-with-family-ipv4", setup_host_ipv6_with_ipv4,
    SL_CONFIG_FIELD_HOST, SL_ERROR_INVALID_HOST, "switch the family to IPv6" },
  { "host-bad-ipv4", setup_host_bad_ipv4,
    SL_CONFIG_FIELD_HOST, SL_ERROR_INVALID_HOST, "0 to 255" },
  { "host-bad-ipv6", setup_host_bad_ipv6,
    SL_CONFIG_FIELD_HOST, SL_ERROR_INVALID_HOST, "not a valid IPv6 address" },
  { "host-with-port", setup_host_with_port,
    SL_CONFIG_FIELD_HOST, SL_ERROR_INVALID_HOST, "port" },
  { "host-brackets", setup_host_brackets,
    SL_CONFIG_FIELD_HOST, SL_ERROR_INVALID_HOST, "without them" },
  { "path-empty", setup_path_empty,
    SL_CONFIG_FIELD_PATH, SL_ERROR_INVALID_PATH, "/tmp/" },
  { "path-too-long", setup_path_too_long,
    SL_CONFIG_FIELD_PATH, SL_ERROR_INVALID_PATH, "is 108 bytes long: a Unix socket path may "
                                                 "have at most 107 bytes" },
  { "path-dir-missing-server", setup_path_dir_missing_server,
    SL_CONFIG_FIELD_PATH, SL_ERROR_INVALID_PATH, "does not exist" },
  { "path-dir-missing-client", setup_path_dir_missing_client,
    SL_CONFIG_FIELD_PATH, SL_ERROR_INVALID_PATH, "server listens on" },
  { "path-is-directory", setup_path_is_directory,
    SL_CONFIG_FIELD_PATH, SL_ERROR_INVALID_PATH, "socket-lab.sock" },
  { "path-parent-is-file", setup_path_parent_is_file,
    SL_CONFIG_FIELD_PATH, SL_ERROR_INVALID_PATH, "not a directory" },
  { "path-existing-file", setup_path_existing_file,
    SL_CONFIG_FIELD_PATH, SL_ERROR_INVALID_PATH, "not a socket" },
  { "local-host-invalid", setup_local_host_invalid,
    SL_CONFIG_FIELD_LOCAL_HOST, SL_ERROR_INVALID_LOCAL_ADDRESS, "Local host" },
  { "local-host-family", setup_local_host_family,
    SL_CONFIG_FIELD_LOCAL_HOST, SL_ERROR_INVALID_LOCAL_ADDRESS, "switch the family" },
  { "local-port-range", setup_local_port_range,
    SL_CONFIG_FIELD_LOCAL_PORT, SL_ERROR_INVALID_LOCAL_ADDRESS, "Local port" },
  { "local-port-negative", setup_local_port_negative,
    SL_CONFIG_FIELD_LOCAL_PORT, SL_ERROR_INVALID_LOCAL_ADDRESS, "0 (any free port)" },
  { "backlog-zero", setup_backlog_zero,
    SL_CONFIG_FIELD_BACKLOG, SL_ERROR_INVALID_BACKLOG, "1 to 65535" },
  { "backlog-too-big", setup_backlog_too_big,
    SL_CONFIG_FIELD_BACKLOG, SL_ERROR_INVALID_BACKLOG, "1 to 65535" },
  { "bufsize-zero", setup_bufsize_zero,
    SL_CONFIG_FIELD_BUFSIZE, SL_ERROR_INVALID_BUFSIZE, "16 MiB" },
  { "bufsize-too-big", setup_bufsize_too_big,
    SL_CONFIG_FIELD_BUFSIZE, SL_ERROR_INVALID_BUFSIZE, "16 MiB" },
  { "max-clients-negative", setup_max_clients_negative,
    SL_CONFIG_FIELD_MAX_CLIENTS, SL_ERROR_INVALID_MAX_CLIENTS, "0 for no limit" },
  { "timeout-zero", setup_timeout_zero,
    SL_CONFIG_FIELD_TIMEOUT, SL_ERROR_INVALID_TIMEOUT, "non-blocking" },
  { "timeout-negative", setup_timeout_negative,
    SL_CONFIG_FIELD_TIMEOUT, SL_ERROR_INVALID_TIMEOUT, "3600" },
  { "timeout-too-big", setup_timeout_too_big,
    SL_CONFIG_FIELD_TIMEOUT, SL_ERROR_INVALID_TIMEOUT, "at most 3600 seconds" },
  { "timeout-nan", setup_timeout_nan,
    SL_CONFIG_FIELD_TIMEOUT, SL_ERROR_INVALID_TIMEOUT, "3600" },
  { "connect-timeout-zero", setup_connect_timeout_zero,
    SL_CONFIG_FIELD_CONNECT_TIMEOUT, SL_ERROR_INVALID_TIMEOUT, "600" },
  { "connect-timeout-too-big", setup_connect_timeout_too_big,
    SL_CONFIG_FIELD_CONNECT_TIMEOUT, SL_ERROR_INVALID_TIMEOUT, "at most 600 seconds" },
  { "reply-empty", setup_reply_empty,
    SL_CONFIG_FIELD_REPLY_TEXT, SL_ERROR_INVALID_REPLY, "choose another reply mode" },
  { "reply-bad-hex", setup_reply_bad_hex,
    SL_CONFIG_FIELD_REPLY_TEXT, SL_ERROR_INVALID_REPLY, "is not valid hex: " },
  { "reply-bad-json", setup_reply_bad_json,
    SL_CONFIG_FIELD_REPLY_TEXT, SL_ERROR_INVALID_REPLY, "is not valid JSON: " },
};

static void
test_invalid (gconstpointer data)
{
  const InvalidCase *c = data;
  SlEndpointConfig *config = sl_endpoint_config_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) field_error = NULL;
  g_autofree char *bad_value = NULL;
  SlConfigField field = SL_CONFIG_FIELD_NONE;

  bad_value = c->setup (config);

  g_assert_false (sl_endpoint_config_validate (config, &field, &error));
  g_assert_error (error, SL_ERROR, (int) c->code);
  g_test_message ("message: %s", error->message);
  g_assert_cmpint (field, ==, c->field);
  assert_contains (error->message, bad_value);
  if (c->also != NULL)
    assert_contains (error->message, c->also);

  /* The single-field check gives the same error. */
  g_assert_false (sl_endpoint_config_validate_field (config, c->field, &field_error));
  g_assert_error (field_error, SL_ERROR, (int) c->code);
  g_assert_cmpstr (field_error->message, ==, error->message);

  g_assert_finalize_object (config);
}

static void
test_invalid_exact_messages (void)
{
  SlEndpointConfig *config = sl_endpoint_config_new ();
  g_autoptr(GError) error = NULL;

  sl_endpoint_config_set_port (config, 70000);
  g_assert_false (sl_endpoint_config_validate (config, NULL, &error));
  g_assert_cmpstr (error->message, ==,
                   "Port “70000” is out of range: use 0 (any free port) to 65535.");
  g_clear_error (&error);

  sl_endpoint_config_set_port (config, 8888);
  sl_endpoint_config_set_family (config, SL_FAMILY_UNIX);
  sl_endpoint_config_set_path (config, "");
  g_assert_false (sl_endpoint_config_validate (config, NULL, &error));
  g_assert_cmpstr (error->message, ==,
                   "The socket path is empty: enter a file path such as /tmp/socket-lab.sock.");

  g_assert_finalize_object (config);
}

static void
assert_valid (SlEndpointConfig *config)
{
  g_autoptr(GError) error = NULL;
  SlConfigField field = SL_CONFIG_FIELD_PORT;

  if (!sl_endpoint_config_validate (config, &field, &error))
    g_error ("unexpected validation error: %s", error->message);
  g_assert_cmpint (field, ==, SL_CONFIG_FIELD_NONE);

  for (SlConfigField f = SL_CONFIG_FIELD_NONE; f <= SL_CONFIG_FIELD_REPLY_TEXT; f++)
    {
      g_assert_true (sl_endpoint_config_validate_field (config, f, &error));
      g_assert_no_error (error);
    }
}

static void
test_valid_hosts (void)
{
  const struct {
    SlFamily family;
    const char *host;
  } hosts[] = {
    { SL_FAMILY_IPV4, "127.0.0.1" },
    { SL_FAMILY_IPV4, "0.0.0.0" },
    { SL_FAMILY_IPV4, "localhost" },
    { SL_FAMILY_IPV4, "LOCALHOST." },
    { SL_FAMILY_IPV4, "example.com" },
    { SL_FAMILY_IPV4, "example.com." },
    { SL_FAMILY_IPV4, "my_host" },
    { SL_FAMILY_IPV4, "a-b.c-d.example" },
    { SL_FAMILY_IPV4, "例子.测试" },
    { SL_FAMILY_IPV4, "no.such.host.invalid" },
    { SL_FAMILY_IPV6, "::1" },
    { SL_FAMILY_IPV6, "::" },
    { SL_FAMILY_IPV6, "::ffff:127.0.0.1" },
    { SL_FAMILY_IPV6, "fe80::1%lo" },
    { SL_FAMILY_IPV6, "localhost" },
  };
  g_autofree char *label63 = g_strnfill (63, 'c');
  g_autofree char *name253 = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (hosts); i++)
    {
      SlEndpointConfig *config = sl_endpoint_config_new ();

      g_test_message ("host %s", hosts[i].host);
      sl_endpoint_config_set_family (config, hosts[i].family);
      sl_endpoint_config_set_host (config, hosts[i].host);
      assert_valid (config);

      /* The same as a client, and as a client's local host. */
      sl_endpoint_config_set_role (config, SL_ROLE_CLIENT);
      sl_endpoint_config_set_local_host (config, hosts[i].host);
      assert_valid (config);

      g_assert_finalize_object (config);
    }

  /* The limits themselves are allowed: 63-character parts, 253 characters. */
  name253 = g_strjoin (".", label63, label63, label63, label63, NULL);
  name253[253] = '\0';
  g_assert_cmpuint (strlen (name253), ==, 253);
  {
    SlEndpointConfig *config = sl_endpoint_config_new ();

    sl_endpoint_config_set_host (config, name253);
    assert_valid (config);
    g_assert_finalize_object (config);
  }
}

static void
test_valid_limits (void)
{
  SlEndpointConfig *config = sl_endpoint_config_new ();

  assert_valid (config);

  sl_endpoint_config_set_port (config, 0);
  sl_endpoint_config_set_backlog (config, 1);
  sl_endpoint_config_set_bufsize (config, 1);
  assert_valid (config);

  sl_endpoint_config_set_port (config, 65535);
  sl_endpoint_config_set_backlog (config, 65535);
  sl_endpoint_config_set_bufsize (config, 16 * 1024 * 1024);
  sl_endpoint_config_set_max_clients (config, 100);
  sl_endpoint_config_set_io_mode (config, SL_IO_MODE_TIMEOUT);
  sl_endpoint_config_set_timeout (config, 3600.0);
  assert_valid (config);

  sl_endpoint_config_set_timeout (config, 0.001);
  sl_endpoint_config_set_role (config, SL_ROLE_CLIENT);
  sl_endpoint_config_set_port (config, 1);
  sl_endpoint_config_set_connect_timeout (config, 600.0);
  sl_endpoint_config_set_local_port (config, 65535);
  assert_valid (config);

  sl_endpoint_config_set_reply_mode (config, SL_REPLY_FIXED);
  sl_endpoint_config_set_reply_text (config, "thanks");
  assert_valid (config);

  sl_endpoint_config_set_encoding (config, SL_ENCODING_HEX);
  sl_endpoint_config_set_reply_text (config, "48 69");
  assert_valid (config);

  sl_endpoint_config_set_encoding (config, SL_ENCODING_JSON);
  sl_endpoint_config_set_reply_text (config, "{\"ok\": true}");
  assert_valid (config);

  g_assert_finalize_object (config);
}

/* Fields that do not apply to a configuration are ignored, not rejected. */
static void
test_valid_ignored_fields (void)
{
  SlEndpointConfig *config = sl_endpoint_config_new ();
  g_autofree char *path = g_build_filename (tmpdir, "ignored.sock", NULL);

  /* Backlog and max clients only matter for stream servers. */
  sl_endpoint_config_set_protocol (config, SL_PROTOCOL_UDP);
  sl_endpoint_config_set_backlog (config, 0);
  sl_endpoint_config_set_max_clients (config, -1);
  assert_valid (config);

  sl_endpoint_config_set_protocol (config, SL_PROTOCOL_TCP);
  sl_endpoint_config_set_role (config, SL_ROLE_CLIENT);
  assert_valid (config);

  /* The connect timeout only matters for stream clients. */
  sl_endpoint_config_set_connect_timeout (config, 0.0);
  sl_endpoint_config_set_protocol (config, SL_PROTOCOL_UDP);
  assert_valid (config);
  sl_endpoint_config_set_backlog (config, 5);
  sl_endpoint_config_set_max_clients (config, 0);
  sl_endpoint_config_set_protocol (config, SL_PROTOCOL_TCP);
  sl_endpoint_config_set_role (config, SL_ROLE_SERVER);
  assert_valid (config);
  sl_endpoint_config_set_connect_timeout (config, 5.0);

  /* The local address only matters for clients. */
  sl_endpoint_config_set_local_host (config, "bad host");
  sl_endpoint_config_set_local_port (config, 70000);
  assert_valid (config);
  sl_endpoint_config_set_local_host (config, NULL);
  sl_endpoint_config_set_local_port (config, 0);

  /* The timeout only matters in timeout mode. */
  sl_endpoint_config_set_timeout (config, 0.0);
  for (SlIoMode mode = SL_IO_MODE_ASYNC; mode < SL_IO_MODE_TIMEOUT; mode++)
    {
      sl_endpoint_config_set_io_mode (config, mode);
      assert_valid (config);
    }

  /* The reply text only matters for fixed replies. */
  sl_endpoint_config_set_encoding (config, SL_ENCODING_HEX);
  sl_endpoint_config_set_reply_text (config, "zz");
  for (SlReplyMode mode = SL_REPLY_NONE; mode < SL_REPLY_FIXED; mode++)
    {
      sl_endpoint_config_set_reply_mode (config, mode);
      assert_valid (config);
    }

  /* Unix sockets have no host and port; IP sockets no path. */
  sl_endpoint_config_set_host (config, "");
  sl_endpoint_config_set_port (config, -1);
  sl_endpoint_config_set_family (config, SL_FAMILY_UNIX);
  sl_endpoint_config_set_path (config, path);
  assert_valid (config);
  sl_endpoint_config_set_role (config, SL_ROLE_CLIENT);
  sl_endpoint_config_set_local_port (config, -1);
  assert_valid (config);

  sl_endpoint_config_set_family (config, SL_FAMILY_IPV4);
  sl_endpoint_config_set_host (config, "127.0.0.1");
  sl_endpoint_config_set_port (config, 80);
  sl_endpoint_config_set_local_port (config, 0);
  sl_endpoint_config_set_path (config, "");
  assert_valid (config);

  g_assert_finalize_object (config);
}

static void
test_valid_unix_paths (void)
{
  SlEndpointConfig *config = sl_endpoint_config_new ();
  g_autofree char *path = g_build_filename (tmpdir, "server.sock", NULL);
  g_autofree char *name = g_strnfill (107 - strlen (tmpdir) - 1, 'q');
  g_autofree char *longest = g_build_filename (tmpdir, name, NULL);
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GError) error = NULL;

  sl_endpoint_config_set_family (config, SL_FAMILY_UNIX);
  sl_endpoint_config_set_path (config, path);
  assert_valid (config);

  /* 107 bytes is the most sun_path holds. */
  g_assert_cmpuint (strlen (longest), ==, 107);
  sl_endpoint_config_set_path (config, longest);
  assert_valid (config);

  /* A client's socket file need not exist yet (the server may start later). */
  sl_endpoint_config_set_role (config, SL_ROLE_CLIENT);
  sl_endpoint_config_set_path (config, path);
  assert_valid (config);

  /* A socket left by an earlier server is for the endpoint to handle, not a form error. */
  socket = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_DEFAULT, &error);
  g_assert_no_error (error);
  address = g_unix_socket_address_new (path);
  g_assert_true (g_socket_bind (socket, address, FALSE, &error));
  g_assert_no_error (error);
  sl_endpoint_config_set_role (config, SL_ROLE_SERVER);
  assert_valid (config);
  g_socket_close (socket, NULL);
  g_unlink (path);

  /* A relative path lives in the current directory, which exists. */
  sl_endpoint_config_set_path (config, "relative-socket-lab-test.sock");
  assert_valid (config);

  g_assert_finalize_object (config);
}

static void
test_validate_order (void)
{
  SlEndpointConfig *config = sl_endpoint_config_new ();
  g_autoptr(GError) error = NULL;
  SlConfigField field = SL_CONFIG_FIELD_NONE;

  sl_endpoint_config_set_host (config, "");
  sl_endpoint_config_set_port (config, 70000);
  sl_endpoint_config_set_bufsize (config, 0);
  sl_endpoint_config_set_reply_mode (config, SL_REPLY_FIXED);

  g_assert_false (sl_endpoint_config_validate (config, &field, &error));
  g_assert_cmpint (field, ==, SL_CONFIG_FIELD_HOST);
  g_assert_error (error, SL_ERROR, SL_ERROR_INVALID_HOST);
  g_clear_error (&error);

  sl_endpoint_config_set_host (config, "127.0.0.1");
  g_assert_false (sl_endpoint_config_validate (config, &field, &error));
  g_assert_cmpint (field, ==, SL_CONFIG_FIELD_PORT);
  g_clear_error (&error);

  sl_endpoint_config_set_port (config, 1);
  g_assert_false (sl_endpoint_config_validate (config, &field, &error));
  g_assert_cmpint (field, ==, SL_CONFIG_FIELD_BUFSIZE);
  g_clear_error (&error);

  sl_endpoint_config_set_bufsize (config, 1);
  g_assert_false (sl_endpoint_config_validate (config, &field, &error));
  g_assert_cmpint (field, ==, SL_CONFIG_FIELD_REPLY_TEXT);
  g_clear_error (&error);

  /* @field and @error are optional. */
  g_assert_false (sl_endpoint_config_validate (config, NULL, NULL));
  sl_endpoint_config_set_reply_text (config, "ok");
  g_assert_true (sl_endpoint_config_validate (config, NULL, NULL));

  g_assert_finalize_object (config);
}

/* Parsing */

static void
test_parse_port (void)
{
  const struct {
    const char *text;
    int port;
  } good[] = {
    { "0", 0 },
    { "8888", 8888 },
    { "65535", 65535 },
    { " 80", 80 },
    { "443 ", 443 },
    { "\t22\n", 22 },
    { "007", 7 },
  };
  const struct {
    const char *text;
    const char *quoted;
    const char *what;
  } bad[] = {
    { "", NULL, "empty" },
    { "   ", NULL, "empty" },
    { "abc", "“abc”", "not a number" },
    { "12ab", "“12ab”", "not a number" },
    { "+5", "“+5”", "not a number" },
    { "0x10", "“0x10”", "not a number" },
    { "8 8", "“8 8”", "not a number" },
    { "-1", "“-1”", "out of range" },
    { "70000", "“70000”", "out of range" },
    { " 65536 ", "“65536”", "out of range" },
    { "99999999999999999999999", "“99999999999999999999999”", "out of range" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      int port = -1;

      g_assert_true (sl_endpoint_config_parse_port (good[i].text, &port, &error));
      g_assert_no_error (error);
      g_assert_cmpint (port, ==, good[i].port);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      int port = 1234;

      g_test_message ("port “%s”", bad[i].text);
      g_assert_false (sl_endpoint_config_parse_port (bad[i].text, &port, &error));
      g_assert_error (error, SL_ERROR, SL_ERROR_INVALID_PORT);
      g_test_message ("message: %s", error->message);
      g_assert_cmpint (port, ==, 1234);
      if (bad[i].quoted != NULL)
        assert_contains (error->message, bad[i].quoted);
      assert_contains (error->message, bad[i].what);
      assert_contains (error->message, "65535");
    }

  /* @port is optional. */
  g_assert_true (sl_endpoint_config_parse_port ("1", NULL, NULL));
}

static void
test_address_string_valid (void)
{
  const struct {
    SlFamily start_family;
    const char *address;
    SlFamily family;
    const char *host;
    int port;
  } cases[] = {
    { SL_FAMILY_IPV4, "127.0.0.1:8888", SL_FAMILY_IPV4, "127.0.0.1", 8888 },
    { SL_FAMILY_IPV4, "127.0.0.1:0", SL_FAMILY_IPV4, "127.0.0.1", 0 },
    { SL_FAMILY_IPV4, "[::1]:8888", SL_FAMILY_IPV6, "::1", 8888 },
    { SL_FAMILY_IPV4, "[fe80::1%lo]:80", SL_FAMILY_IPV6, "fe80::1%lo", 80 },
    { SL_FAMILY_IPV6, "10.0.0.1:80", SL_FAMILY_IPV4, "10.0.0.1", 80 },
    { SL_FAMILY_IPV4, "localhost:8888", SL_FAMILY_IPV4, "localhost", 8888 },
    { SL_FAMILY_IPV6, "localhost:8888", SL_FAMILY_IPV6, "localhost", 8888 },
    { SL_FAMILY_IPV4, "  example.com:65535\n", SL_FAMILY_IPV4, "example.com", 65535 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      SlEndpointConfig *config = sl_endpoint_config_new ();
      g_autoptr(GError) error = NULL;

      g_test_message ("address “%s”", cases[i].address);
      sl_endpoint_config_set_family (config, cases[i].start_family);
      g_assert_true (sl_endpoint_config_set_address_string (config, cases[i].address, &error));
      g_assert_no_error (error);
      g_assert_cmpint (sl_endpoint_config_get_family (config), ==, cases[i].family);
      g_assert_cmpstr (sl_endpoint_config_get_host (config), ==, cases[i].host);
      g_assert_cmpint (sl_endpoint_config_get_port (config), ==, cases[i].port);
      assert_valid (config);

      g_assert_finalize_object (config);
    }
}

static void
test_address_string_notify (void)
{
  SlEndpointConfig *config = sl_endpoint_config_new ();
  NotifyCount counter = { 0, NULL };

  g_signal_connect (config, "notify", G_CALLBACK (notify_cb), &counter);

  /* family, host and port change: one notification each. */
  g_assert_true (sl_endpoint_config_set_address_string (config, "[::1]:9000", NULL));
  g_assert_cmpuint (counter.count, ==, 3);

  counter.count = 0;
  g_assert_true (sl_endpoint_config_set_address_string (config, "[::1]:9000", NULL));
  g_assert_cmpuint (counter.count, ==, 0);

  g_assert_true (sl_endpoint_config_set_address_string (config, "[::1]:9001", NULL));
  g_assert_cmpuint (counter.count, ==, 1);
  g_assert_true (counter.last == g_object_class_find_property (G_OBJECT_GET_CLASS (config),
                                                                "port"));

  g_assert_finalize_object (config);
}

static void
test_address_string_unix (void)
{
  SlEndpointConfig *config = sl_endpoint_config_new ();
  g_autoptr(GError) error = NULL;

  sl_endpoint_config_set_family (config, SL_FAMILY_UNIX);

  /* For Unix sockets the whole string is the path, colons and spaces included. */
  g_assert_true (sl_endpoint_config_set_address_string (config, "/tmp/my lab:1.sock", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (sl_endpoint_config_get_path (config), ==, "/tmp/my lab:1.sock");
  g_assert_cmpstr (sl_endpoint_config_get_host (config), ==, "127.0.0.1");
  g_assert_cmpint (sl_endpoint_config_get_port (config), ==, 8888);
  g_assert_cmpint (sl_endpoint_config_get_family (config), ==, SL_FAMILY_UNIX);

  g_assert_false (sl_endpoint_config_set_address_string (config, "", &error));
  g_assert_error (error, SL_ERROR, SL_ERROR_INVALID_PATH);
  g_assert_cmpstr (sl_endpoint_config_get_path (config), ==, "/tmp/my lab:1.sock");

  g_assert_finalize_object (config);
}

static void
test_address_string_invalid (void)
{
  const struct {
    SlFamily family;
    const char *address;
    SlError code;
    const char *needle;
  } cases[] = {
    { SL_FAMILY_IPV4, "127.0.0.1", SL_ERROR_INVALID_PORT, "“127.0.0.1” has no port" },
    { SL_FAMILY_IPV4, "localhost", SL_ERROR_INVALID_PORT, "“localhost” has no port" },
    { SL_FAMILY_IPV4, "127.0.0.1:", SL_ERROR_INVALID_PORT, "“127.0.0.1:” has no port" },
    { SL_FAMILY_IPV4, "127.0.0.1:abc", SL_ERROR_INVALID_PORT, "“abc” is not a number" },
    { SL_FAMILY_IPV4, "127.0.0.1:70000", SL_ERROR_INVALID_PORT, "“70000” is out of range" },
    { SL_FAMILY_IPV4, "127.0.0.1:-1", SL_ERROR_INVALID_PORT, "“-1” is out of range" },
    { SL_FAMILY_IPV4, "::1:8888", SL_ERROR_INVALID_HOST, "“::1:8888” looks like an IPv6" },
    { SL_FAMILY_IPV6, "::1", SL_ERROR_INVALID_HOST, "“::1” looks like an IPv6" },
    { SL_FAMILY_IPV6, "fe80::1:80", SL_ERROR_INVALID_HOST, "“fe80::1:80” looks like" },
    { SL_FAMILY_IPV4, "[::1:8888", SL_ERROR_INVALID_HOST, "“[::1:8888” has no closing bracket" },
    { SL_FAMILY_IPV4, "[::1]", SL_ERROR_INVALID_PORT, "“[::1]” has no port: write [IPv6]:PORT" },
    { SL_FAMILY_IPV4, "[::1]8888", SL_ERROR_INVALID_PORT, "“[::1]8888” has text after" },
    { SL_FAMILY_IPV4, "[127.0.0.1]:80", SL_ERROR_INVALID_HOST, "“127.0.0.1” in brackets" },
    { SL_FAMILY_IPV4, "[localhost]:80", SL_ERROR_INVALID_HOST, "“localhost” in brackets" },
    { SL_FAMILY_IPV4, ":8888", SL_ERROR_INVALID_HOST, "“:8888” has no host" },
    { SL_FAMILY_IPV4, "exa mple:80", SL_ERROR_INVALID_HOST, "“exa mple” contains a space" },
    { SL_FAMILY_IPV4, "bad/host:80", SL_ERROR_INVALID_HOST, "“bad/host” contains “/”" },
    { SL_FAMILY_IPV4, "300.1.1.1:80", SL_ERROR_INVALID_HOST, "“300.1.1.1” is not a valid IPv4" },
    { SL_FAMILY_IPV4, "", SL_ERROR_INVALID_HOST, "empty" },
    { SL_FAMILY_IPV4, "  ", SL_ERROR_INVALID_HOST, "empty" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      SlEndpointConfig *config = sl_endpoint_config_new ();
      g_autoptr(GError) error = NULL;
      NotifyCount counter = { 0, NULL };

      g_test_message ("address “%s”", cases[i].address);
      sl_endpoint_config_set_family (config, cases[i].family);
      sl_endpoint_config_set_host (config, "192.0.2.1");
      sl_endpoint_config_set_port (config, 4242);
      g_signal_connect (config, "notify", G_CALLBACK (notify_cb), &counter);

      g_assert_false (sl_endpoint_config_set_address_string (config, cases[i].address, &error));
      g_assert_error (error, SL_ERROR, (int) cases[i].code);
      g_test_message ("message: %s", error->message);
      assert_contains (error->message, cases[i].needle);

      /* A failed parse changes nothing. */
      g_assert_cmpuint (counter.count, ==, 0);
      g_assert_cmpint (sl_endpoint_config_get_family (config), ==, cases[i].family);
      g_assert_cmpstr (sl_endpoint_config_get_host (config), ==, "192.0.2.1");
      g_assert_cmpint (sl_endpoint_config_get_port (config), ==, 4242);

      g_assert_finalize_object (config);
    }

  {
    SlEndpointConfig *config = sl_endpoint_config_new ();
    g_autoptr(GError) error = NULL;

    g_assert_false (sl_endpoint_config_set_address_string (config, "127.0.0.1", &error));
    g_assert_cmpstr (error->message, ==,
                     "Address “127.0.0.1” has no port: write HOST:PORT, e.g. 127.0.0.1:8888.");
    g_assert_finalize_object (config);
  }
}

/* Resolution */

static GPtrArray *
resolve (SlEndpointConfig  *config,
         GCancellable      *cancellable,
         GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sl_endpoint_config_resolve_async (config, cancellable, sl_test_store_result_cb, &result);
  /* Even an immediate answer arrives through the main loop. */
  g_assert_null (result);
  g_assert_true (sl_test_wait_for_result (&result, RESOLVE_TIMEOUT_MS));

  return sl_endpoint_config_resolve_finish (config, result, error);
}

/* Resolves @config and checks index 0 as Python prints it, and index 1. */
static void
assert_resolves_to (SlEndpointConfig *config,
                    const char       *remote,
                    const char       *local)
{
  g_autoptr(GPtrArray) addresses = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *shown = NULL;

  addresses = resolve (config, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (addresses);
  g_assert_cmpuint (addresses->len, ==, 2);

  g_assert_true (G_IS_SOCKET_ADDRESS (addresses->pdata[0]));
  shown = sl_python_address (addresses->pdata[0]);
  g_assert_cmpstr (shown, ==, remote);

  if (local == NULL)
    g_assert_null (addresses->pdata[1]);
  else
    {
      g_autofree char *local_shown = NULL;

      g_assert_true (G_IS_INET_SOCKET_ADDRESS (addresses->pdata[1]));
      local_shown = sl_python_address (addresses->pdata[1]);
      g_assert_cmpstr (local_shown, ==, local);
    }
}

static void
test_resolve_numeric (void)
{
  SlEndpointConfig *config = sl_endpoint_config_new ();

  assert_resolves_to (config, "('127.0.0.1', 8888)", NULL);

  sl_endpoint_config_set_role (config, SL_ROLE_CLIENT);
  sl_endpoint_config_set_port (config, 9000);
  assert_resolves_to (config, "('127.0.0.1', 9000)", NULL);

  sl_endpoint_config_set_family (config, SL_FAMILY_IPV6);
  sl_endpoint_config_set_host (config, "::1");
  assert_resolves_to (config, "('::1', 9000, 0, 0)", NULL);

  sl_endpoint_config_set_role (config, SL_ROLE_SERVER);
  sl_endpoint_config_set_port (config, 0);
  sl_endpoint_config_set_host (config, "::");
  assert_resolves_to (config, "('::', 0, 0, 0)", NULL);

  g_assert_finalize_object (config);
}

static void
test_resolve_localhost (void)
{
  SlEndpointConfig *config = sl_endpoint_config_new ();

  sl_endpoint_config_set_host (config, "localhost");
  assert_resolves_to (config, "('127.0.0.1', 8888)", NULL);

  sl_endpoint_config_set_host (config, "LocalHost.");
  sl_endpoint_config_set_role (config, SL_ROLE_CLIENT);
  assert_resolves_to (config, "('127.0.0.1', 8888)", NULL);

  sl_endpoint_config_set_family (config, SL_FAMILY_IPV6);
  sl_endpoint_config_set_host (config, "localhost");
  assert_resolves_to (config, "('::1', 8888, 0, 0)", NULL);

  sl_endpoint_config_set_role (config, SL_ROLE_SERVER);
  assert_resolves_to (config, "('::1', 8888, 0, 0)", NULL);

  g_assert_finalize_object (config);
}

static void
test_resolve_unix (void)
{
  SlEndpointConfig *config = sl_endpoint_config_new ();
  g_autofree char *path = g_build_filename (tmpdir, "resolve.sock", NULL);
  g_autofree char *expected = g_strdup_printf ("'%s'", path);
  g_autoptr(GPtrArray) addresses = NULL;
  g_autoptr(GError) error = NULL;

  sl_endpoint_config_set_family (config, SL_FAMILY_UNIX);
  sl_endpoint_config_set_path (config, path);
  assert_resolves_to (config, expected, NULL);

  sl_endpoint_config_set_role (config, SL_ROLE_CLIENT);
  sl_endpoint_config_set_local_port (config, 1234);
  addresses = resolve (config, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (G_IS_UNIX_SOCKET_ADDRESS (addresses->pdata[0]));
  g_assert_cmpstr (g_unix_socket_address_get_path (addresses->pdata[0]), ==, path);
  g_assert_cmpint (g_unix_socket_address_get_address_type (addresses->pdata[0]), ==,
                   G_UNIX_SOCKET_ADDRESS_PATH);
  g_assert_null (addresses->pdata[1]);

  g_assert_finalize_object (config);
}

static void
test_resolve_local_bind (void)
{
  SlEndpointConfig *config = sl_endpoint_config_new ();

  sl_endpoint_config_set_role (config, SL_ROLE_CLIENT);

  /* A local port alone binds to the family's any-address. */
  sl_endpoint_config_set_local_port (config, 5555);
  assert_resolves_to (config, "('127.0.0.1', 8888)", "('0.0.0.0', 5555)");

  sl_endpoint_config_set_local_host (config, "");
  assert_resolves_to (config, "('127.0.0.1', 8888)", "('0.0.0.0', 5555)");

  sl_endpoint_config_set_local_host (config, "127.0.0.1");
  sl_endpoint_config_set_local_port (config, 0);
  assert_resolves_to (config, "('127.0.0.1', 8888)", "('127.0.0.1', 0)");

  sl_endpoint_config_set_local_host (config, "localhost");
  assert_resolves_to (config, "('127.0.0.1', 8888)", "('127.0.0.1', 0)");

  sl_endpoint_config_set_family (config, SL_FAMILY_IPV6);
  sl_endpoint_config_set_host (config, "::1");
  sl_endpoint_config_set_local_host (config, NULL);
  sl_endpoint_config_set_local_port (config, 6000);
  assert_resolves_to (config, "('::1', 8888, 0, 0)", "('::', 6000, 0, 0)");

  sl_endpoint_config_set_local_host (config, "localhost");
  assert_resolves_to (config, "('::1', 8888, 0, 0)", "('::1', 6000, 0, 0)");

  /* No local host and port 0: no local bind. */
  sl_endpoint_config_set_local_host (config, NULL);
  sl_endpoint_config_set_local_port (config, 0);
  assert_resolves_to (config, "('::1', 8888, 0, 0)", NULL);

  /* Servers ignore the local fields. */
  sl_endpoint_config_set_role (config, SL_ROLE_SERVER);
  sl_endpoint_config_set_local_host (config, "::1");
  sl_endpoint_config_set_local_port (config, 7000);
  assert_resolves_to (config, "('::1', 8888, 0, 0)", NULL);

  g_assert_finalize_object (config);
}

static void
test_resolve_not_found (void)
{
  SlEndpointConfig *config = sl_endpoint_config_new ();
  g_autoptr(GPtrArray) addresses = NULL;
  g_autoptr(GError) error = NULL;

  sl_endpoint_config_set_role (config, SL_ROLE_CLIENT);
  sl_endpoint_config_set_host (config, "no.such.host.invalid");
  addresses = resolve (config, NULL, &error);
  g_assert_null (addresses);
  g_assert_error (error, SL_ERROR, SL_ERROR_RESOLVE);
  g_assert_cmpstr (error->message, ==,
                   "Host “no.such.host.invalid” could not be found: check the spelling, or use "
                   "an IP address such as 127.0.0.1.");
  g_clear_error (&error);

  sl_endpoint_config_set_family (config, SL_FAMILY_IPV6);
  sl_endpoint_config_set_host (config, "NO.SUCH.HOST.INVALID.");
  addresses = resolve (config, NULL, &error);
  g_assert_null (addresses);
  g_assert_error (error, SL_ERROR, SL_ERROR_RESOLVE);
  assert_contains (error->message, "“NO.SUCH.HOST.INVALID.”");
  assert_contains (error->message, "::1");
  g_clear_error (&error);

  /* The local host is named as such. */
  sl_endpoint_config_set_host (config, "::1");
  sl_endpoint_config_set_local_host (config, "me.invalid");
  addresses = resolve (config, NULL, &error);
  g_assert_null (addresses);
  g_assert_error (error, SL_ERROR, SL_ERROR_RESOLVE);
  assert_contains (error->message, "Local host “me.invalid”");

  g_assert_finalize_object (config);
}

/* A name from /etc/hosts goes through GResolver for real without a network. */
static void
test_resolve_hosts_file (void)
{
  SlEndpointConfig *config = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GPtrArray) addresses = NULL;
  g_autoptr(GPtrArray) expected = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *got = NULL;

  if (!g_file_get_contents ("/etc/hosts", &contents, NULL, NULL))
    {
      g_test_skip ("no /etc/hosts");
      return;
    }

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) words = NULL;
      g_autoptr(GInetAddress) inet = NULL;
      char *hash = strchr (lines[i], '#');

      if (hash != NULL)
        *hash = '\0';
      words = g_strsplit_set (g_strstrip (lines[i]), " \t", -1);
      if (words[0] == NULL || (inet = g_inet_address_new_from_string (words[0])) == NULL ||
          g_inet_address_get_family (inet) != G_SOCKET_FAMILY_IPV4)
        continue;

      for (guint j = 1; words[j] != NULL; j++)
        {
          if (words[j][0] == '\0' || g_ascii_strncasecmp (words[j], "localhost", 9) == 0 ||
              g_str_has_suffix (words[j], ".invalid"))
            continue;
          if (name == NULL)
            name = g_strdup (words[j]);
          if (g_ascii_strcasecmp (words[j], name) == 0)
            g_ptr_array_add (expected, g_strdup (words[0]));
        }
    }

  if (name == NULL)
    {
      g_test_skip ("/etc/hosts names no IPv4 host other than localhost");
      return;
    }

  config = sl_endpoint_config_new ();
  sl_endpoint_config_set_role (config, SL_ROLE_CLIENT);
  sl_endpoint_config_set_host (config, name);
  if (!sl_endpoint_config_validate (config, NULL, NULL))
    {
      g_test_skip ("the first /etc/hosts name is not a valid host name");
      g_assert_finalize_object (config);
      return;
    }

  addresses = resolve (config, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (G_IS_INET_SOCKET_ADDRESS (addresses->pdata[0]));
  g_assert_cmpint (g_inet_socket_address_get_port (addresses->pdata[0]), ==, 8888);
  got = g_inet_address_to_string (g_inet_socket_address_get_address (addresses->pdata[0]));
  g_test_message ("%s → %s", name, got);
  g_assert_true (g_ptr_array_find_with_equal_func (expected, got, g_str_equal, NULL));

  g_assert_finalize_object (config);
}

static void
test_resolve_invalid_config (void)
{
  SlEndpointConfig *config = sl_endpoint_config_new ();
  g_autoptr(GPtrArray) addresses = NULL;
  g_autoptr(GError) error = NULL;

  sl_endpoint_config_set_host (config, "bad host");
  addresses = resolve (config, NULL, &error);
  g_assert_null (addresses);
  g_assert_error (error, SL_ERROR, SL_ERROR_INVALID_HOST);
  g_clear_error (&error);

  sl_endpoint_config_set_host (config, "127.0.0.1");
  sl_endpoint_config_set_port (config, 70000);
  addresses = resolve (config, NULL, &error);
  g_assert_error (error, SL_ERROR, SL_ERROR_INVALID_PORT);
  g_clear_error (&error);

  sl_endpoint_config_set_port (config, 1);
  sl_endpoint_config_set_role (config, SL_ROLE_CLIENT);
  sl_endpoint_config_set_local_port (config, 70000);
  addresses = resolve (config, NULL, &error);
  g_assert_error (error, SL_ERROR, SL_ERROR_INVALID_LOCAL_ADDRESS);
  g_clear_error (&error);

  sl_endpoint_config_set_family (config, SL_FAMILY_UNIX);
  sl_endpoint_config_set_path (config, "");
  addresses = resolve (config, NULL, &error);
  g_assert_error (error, SL_ERROR, SL_ERROR_INVALID_PATH);

  g_assert_finalize_object (config);
}

static void
test_resolve_cancelled (void)
{
  SlEndpointConfig *config = sl_endpoint_config_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) addresses = NULL;
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  addresses = resolve (config, cancellable, &error);
  g_assert_null (addresses);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  g_assert_finalize_object (config);
}

/* The resolved addresses work with real sockets. */
static void
test_resolve_binds (void)
{
  SlEndpointConfig *config = sl_endpoint_config_new ();
  const SlFamily families[] = { SL_FAMILY_IPV4, SL_FAMILY_IPV6, SL_FAMILY_UNIX };
  g_autofree char *path = g_build_filename (tmpdir, "bind.sock", NULL);

  sl_endpoint_config_set_port (config, 0);
  sl_endpoint_config_set_host (config, "localhost");
  sl_endpoint_config_set_path (config, path);

  for (guint i = 0; i < G_N_ELEMENTS (families); i++)
    {
      g_autoptr(GPtrArray) addresses = NULL;
      g_autoptr(GSocket) socket = NULL;
      g_autoptr(GSocketAddress) bound = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *shown = NULL;
      g_autofree char *expected = NULL;

      sl_endpoint_config_set_family (config, families[i]);
      addresses = resolve (config, NULL, &error);
      g_assert_no_error (error);

      socket = g_socket_new (g_socket_address_get_family (addresses->pdata[0]),
                             G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, &error);
      if (socket == NULL && families[i] == SL_FAMILY_IPV6)
        {
          g_test_message ("no IPv6 here: %s", error->message);
          continue;
        }
      g_assert_no_error (error);
      if (!g_socket_bind (socket, addresses->pdata[0], FALSE, &error) &&
          families[i] == SL_FAMILY_IPV6)
        {
          /* ::1 may be unavailable (IPv6 disabled): not this unit's concern. */
          g_test_message ("cannot bind ::1: %s", error->message);
          continue;
        }
      g_assert_no_error (error);

      bound = g_socket_get_local_address (socket, &error);
      g_assert_no_error (error);
      shown = sl_python_address (bound);
      if (families[i] == SL_FAMILY_IPV4)
        expected = g_strdup_printf ("('127.0.0.1', %u)",
                                    g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
      else if (families[i] == SL_FAMILY_IPV6)
        expected = g_strdup_printf ("('::1', %u, 0, 0)",
                                    g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
      else
        expected = g_strdup_printf ("'%s'", path);
      g_assert_cmpstr (shown, ==, expected);

      g_socket_close (socket, NULL);
    }

  g_unlink (path);
  g_assert_finalize_object (config);
}

/* Display */

static void
assert_python (GSocketAddress *address,
               const char     *expected)
{
  g_autofree char *shown = sl_python_address (address);

  g_assert_cmpstr (shown, ==, expected);
  g_object_unref (address);
}

static GSocketAddress *
inet (const char *host,
      guint16     port)
{
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (host);

  return g_inet_socket_address_new (address, port);
}

static void
test_python_address (void)
{
  struct sockaddr_in6 native;

  assert_python (inet ("127.0.0.1", 8888), "('127.0.0.1', 8888)");
  assert_python (inet ("0.0.0.0", 0), "('0.0.0.0', 0)");
  assert_python (inet ("::1", 8888), "('::1', 8888, 0, 0)");
  assert_python (inet ("::ffff:10.0.0.1", 1), "('::ffff:10.0.0.1', 1, 0, 0)");

  /* What accept() gives: flowinfo and scope id straight from the kernel's
   * sockaddr_in6 (Python prints ntohl(sin6_flowinfo)). */
  memset (&native, 0, sizeof native);
  native.sin6_family = AF_INET6;
  native.sin6_port = htons (4242);
  native.sin6_flowinfo = htonl (5);
  native.sin6_scope_id = 2;
  g_assert_cmpint (inet_pton (AF_INET6, "fe80::1", &native.sin6_addr), ==, 1);
  assert_python (g_socket_address_new_from_native (&native, sizeof native),
                 "('fe80::1', 4242, 5, 2)");

  assert_python (g_unix_socket_address_new ("/tmp/x.sock"), "'/tmp/x.sock'");
  assert_python (g_unix_socket_address_new ("/tmp/it's"), "\"/tmp/it's\"");
  assert_python (g_unix_socket_address_new ("/tmp/a\"b'c"), "'/tmp/a\"b\\'c'");
  assert_python (g_unix_socket_address_new ("/tmp/a\\b\nc"), "'/tmp/a\\\\b\\nc'");
  assert_python (g_unix_socket_address_new ("/tmp/套接字"), "'/tmp/套接字'");
  assert_python (g_unix_socket_address_new ("/tmp/\xff"), "'/tmp/\\udcff'");
  assert_python (g_unix_socket_address_new_with_type ("", 0, G_UNIX_SOCKET_ADDRESS_ANONYMOUS),
                 "''");
  /* Linux abstract names: Python returns bytes with a leading NUL. */
  assert_python (g_unix_socket_address_new_with_type ("lab", -1,
                                                      G_UNIX_SOCKET_ADDRESS_ABSTRACT),
                 "b'\\x00lab'");
}

/* Real Unix sockets: the server's bound path, and an unbound client as accept() sees it. */
static void
test_python_address_unix_sockets (void)
{
  g_autofree char *path = g_build_filename (tmpdir, "python.sock", NULL);
  g_autofree char *expected = g_strdup_printf ("'%s'", path);
  g_autoptr(GSocketAddress) address = g_unix_socket_address_new (path);
  g_autoptr(GSocket) server = NULL;
  g_autoptr(GSocket) client = NULL;
  g_autoptr(GSocket) conn = NULL;
  g_autoptr(GSocketAddress) server_local = NULL;
  g_autoptr(GSocketAddress) peer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *shown_server = NULL;
  g_autofree char *shown_peer = NULL;

  server = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (server, address, FALSE, &error));
  g_assert_true (g_socket_listen (server, &error));
  g_assert_no_error (error);

  client = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_DEFAULT, &error);
  g_assert_no_error (error);
  /* A Unix connect() completes at once while the backlog has room. */
  g_assert_true (g_socket_connect (client, address, NULL, &error));
  g_assert_no_error (error);
  conn = g_socket_accept (server, NULL, &error);
  g_assert_no_error (error);

  server_local = g_socket_get_local_address (server, &error);
  g_assert_no_error (error);
  shown_server = sl_python_address (server_local);
  g_assert_cmpstr (shown_server, ==, expected);

  peer = g_socket_get_remote_address (conn, &error);
  g_assert_no_error (error);
  shown_peer = sl_python_address (peer);
  g_assert_cmpstr (shown_peer, ==, "''");

  g_socket_close (conn, NULL);
  g_socket_close (client, NULL);
  g_socket_close (server, NULL);
  g_unlink (path);
}

static void
test_describe (void)
{
  SlEndpointConfig *config = sl_endpoint_config_new ();
  const struct {
    SlProtocol protocol;
    SlRole role;
    SlFamily family;
    const char *host;
    int port;
    const char *expected;
  } cases[] = {
    { SL_PROTOCOL_TCP, SL_ROLE_SERVER, SL_FAMILY_IPV4, "127.0.0.1", 8888,
      "TCP server 127.0.0.1:8888" },
    { SL_PROTOCOL_TCP, SL_ROLE_CLIENT, SL_FAMILY_IPV4, "localhost", 80,
      "TCP client localhost:80" },
    { SL_PROTOCOL_UDP, SL_ROLE_CLIENT, SL_FAMILY_IPV6, "::1", 9000,
      "UDP client [::1]:9000" },
    { SL_PROTOCOL_UDP, SL_ROLE_SERVER, SL_FAMILY_IPV6, "localhost", 9000,
      "UDP server localhost:9000" },
    { SL_PROTOCOL_TCP, SL_ROLE_SERVER, SL_FAMILY_UNIX, NULL, 0,
      "Unix stream server /tmp/s" },
    { SL_PROTOCOL_TCP, SL_ROLE_CLIENT, SL_FAMILY_UNIX, NULL, 0,
      "Unix stream client /tmp/s" },
    { SL_PROTOCOL_UDP, SL_ROLE_SERVER, SL_FAMILY_UNIX, NULL, 0,
      "Unix datagram server /tmp/s" },
    { SL_PROTOCOL_UDP, SL_ROLE_CLIENT, SL_FAMILY_UNIX, NULL, 0,
      "Unix datagram client /tmp/s" },
  };

  sl_endpoint_config_set_path (config, "/tmp/s");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *described = NULL;

      sl_endpoint_config_set_protocol (config, cases[i].protocol);
      sl_endpoint_config_set_role (config, cases[i].role);
      sl_endpoint_config_set_family (config, cases[i].family);
      if (cases[i].host != NULL)
        {
          sl_endpoint_config_set_host (config, cases[i].host);
          sl_endpoint_config_set_port (config, cases[i].port);
        }
      described = sl_endpoint_config_describe (config);
      g_assert_cmpstr (described, ==, cases[i].expected);
    }

  g_assert_finalize_object (config);
}

static void
test_to_string (void)
{
  g_assert_cmpstr (sl_io_mode_to_string (SL_IO_MODE_ASYNC), ==, "async");
  g_assert_cmpstr (sl_io_mode_to_string (SL_IO_MODE_BLOCKING), ==, "blocking");
  g_assert_cmpstr (sl_io_mode_to_string (SL_IO_MODE_NONBLOCKING), ==, "nonblocking");
  g_assert_cmpstr (sl_io_mode_to_string (SL_IO_MODE_TIMEOUT), ==, "timeout");

  g_assert_cmpstr (sl_reply_mode_to_string (SL_REPLY_NONE), ==, "none");
  g_assert_cmpstr (sl_reply_mode_to_string (SL_REPLY_ECHO), ==, "echo");
  g_assert_cmpstr (sl_reply_mode_to_string (SL_REPLY_UPPER), ==, "upper");
  g_assert_cmpstr (sl_reply_mode_to_string (SL_REPLY_FIXED), ==, "fixed");
}

/* Saved form values (a{sv}) */

/* Asserts that every property of @a equals the one of @b. */
static void
assert_configs_equal (SlEndpointConfig *a,
                      SlEndpointConfig *b)
{
  g_autofree GParamSpec **pspecs = NULL;
  guint n_pspecs = 0;

  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (a), &n_pspecs);
  for (guint i = 0; i < n_pspecs; i++)
    {
      g_auto(GValue) value_a = G_VALUE_INIT;
      g_auto(GValue) value_b = G_VALUE_INIT;

      g_test_message ("property %s", pspecs[i]->name);
      g_value_init (&value_a, pspecs[i]->value_type);
      g_value_init (&value_b, pspecs[i]->value_type);
      g_object_get_property (G_OBJECT (a), pspecs[i]->name, &value_a);
      g_object_get_property (G_OBJECT (b), pspecs[i]->name, &value_b);
      g_assert_cmpint (g_param_values_cmp (pspecs[i], &value_a, &value_b), ==, 0);
    }
}

static void
test_variant_round_trip (void)
{
  SlEndpointConfig *config = sl_endpoint_config_new ();
  SlEndpointConfig *restored = sl_endpoint_config_new ();
  g_autoptr(GVariant) dict = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree GParamSpec **pspecs = NULL;
  NotifyCount counter = { 0, NULL };
  guint n_pspecs = 0;
  const char *nick = NULL;
  gint32 port = 0;
  double timeout = 0.0;
  gboolean reuseaddr = FALSE;

  /* Every property away from its default, so that a forgotten one shows. */
  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (config), &n_pspecs);
  for (guint i = 0; i < n_pspecs; i++)
    {
      g_auto(GValue) value = G_VALUE_INIT;

      g_value_init (&value, pspecs[i]->value_type);
      g_object_get_property (G_OBJECT (config), pspecs[i]->name, &value);
      make_different (pspecs[i], &value);
      g_object_set_property (G_OBJECT (config), pspecs[i]->name, &value);
    }
  /* A config a student would make, on top. */
  g_object_set (config,
                "protocol", SL_PROTOCOL_UDP,
                "role", SL_ROLE_CLIENT,
                "family", SL_FAMILY_IPV6,
                "host", "::1",
                "port", 9999,
                "io-mode", SL_IO_MODE_NONBLOCKING,
                "timeout", 2.5,
                "reply-mode", SL_REPLY_FIXED,
                "reply-text", "48 69",
                "encoding", SL_ENCODING_HEX,
                NULL);

  dict = g_variant_ref_sink (sl_endpoint_config_to_variant (config));
  g_assert_true (g_variant_is_of_type (dict, G_VARIANT_TYPE_VARDICT));
  g_assert_cmpuint (g_variant_n_children (dict), ==, n_pspecs);

  /* Keys are property names; enums are saved by nick. */
  g_assert_true (g_variant_lookup (dict, "protocol", "&s", &nick));
  g_assert_cmpstr (nick, ==, "udp");
  g_assert_true (g_variant_lookup (dict, "role", "&s", &nick));
  g_assert_cmpstr (nick, ==, "client");
  g_assert_true (g_variant_lookup (dict, "family", "&s", &nick));
  g_assert_cmpstr (nick, ==, "ipv6");
  g_assert_true (g_variant_lookup (dict, "io-mode", "&s", &nick));
  g_assert_cmpstr (nick, ==, "nonblocking");
  g_assert_true (g_variant_lookup (dict, "reply-mode", "&s", &nick));
  g_assert_cmpstr (nick, ==, "fixed");
  g_assert_true (g_variant_lookup (dict, "encoding", "&s", &nick));
  g_assert_cmpstr (nick, ==, "hex");
  g_assert_true (g_variant_lookup (dict, "host", "&s", &nick));
  g_assert_cmpstr (nick, ==, "::1");
  g_assert_true (g_variant_lookup (dict, "port", "i", &port));
  g_assert_cmpint (port, ==, 9999);
  g_assert_true (g_variant_lookup (dict, "timeout", "d", &timeout));
  g_assert_cmpfloat (timeout, ==, 2.5);
  g_assert_true (g_variant_lookup (dict, "reuseaddr", "b", &reuseaddr));
  g_assert_true (reuseaddr);

  /* Applied at once: one notify per changed property, none twice. */
  g_signal_connect (restored, "notify", G_CALLBACK (notify_cb), &counter);
  g_assert_true (sl_endpoint_config_apply_variant (restored, dict, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counter.count, ==, n_pspecs);
  assert_configs_equal (config, restored);

  /* Applying the same values again changes nothing. */
  counter.count = 0;
  g_assert_true (sl_endpoint_config_apply_variant (restored, dict, &error));
  g_assert_cmpuint (counter.count, ==, 0);

  g_assert_finalize_object (restored);
  g_assert_finalize_object (config);
}

/* local-host NULL ("any address") is saved as "" and restored as NULL. */
static void
test_variant_local_host_null (void)
{
  SlEndpointConfig *config = sl_endpoint_config_new ();
  SlEndpointConfig *restored = sl_endpoint_config_new ();
  g_autoptr(GVariant) dict = NULL;
  g_autoptr(GVariant) with_local = NULL;
  g_autoptr(GError) error = NULL;
  const char *local_host = NULL;

  dict = g_variant_ref_sink (sl_endpoint_config_to_variant (config));
  g_assert_true (g_variant_lookup (dict, "local-host", "&s", &local_host));
  g_assert_cmpstr (local_host, ==, "");

  sl_endpoint_config_set_local_host (restored, "127.0.0.2");
  g_assert_true (sl_endpoint_config_apply_variant (restored, dict, &error));
  g_assert_no_error (error);
  g_assert_null (sl_endpoint_config_get_local_host (restored));
  assert_configs_equal (config, restored);

  sl_endpoint_config_set_local_host (config, "127.0.0.3");
  with_local = g_variant_ref_sink (sl_endpoint_config_to_variant (config));
  g_assert_true (sl_endpoint_config_apply_variant (restored, with_local, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (sl_endpoint_config_get_local_host (restored), ==, "127.0.0.3");

  g_assert_finalize_object (restored);
  g_assert_finalize_object (config);
}

static GVariant *
parse_dict (const char *text)
{
  g_autoptr(GError) error = NULL;
  GVariant *dict;

  dict = g_variant_parse (G_VARIANT_TYPE_VARDICT, text, NULL, NULL, &error);
  g_assert_no_error (error);

  return g_variant_ref_sink (dict);
}

static void
test_variant_unknown_key (void)
{
  SlEndpointConfig *config = sl_endpoint_config_new ();
  g_autoptr(GVariant) dict = NULL;
  g_autoptr(GVariant) empty = NULL;
  g_autoptr(GError) error = NULL;

  /* A key from a newer or older version is ignored; the others apply. */
  dict = parse_dict ("{'port': <9000>, 'colour': <'blue'>, 'proxy': <@a{sv} {}>, "
                     "'role': <'client'>}");
  g_assert_true (sl_endpoint_config_apply_variant (config, dict, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sl_endpoint_config_get_port (config), ==, 9000);
  g_assert_cmpint (sl_endpoint_config_get_role (config), ==, SL_ROLE_CLIENT);
  g_assert_cmpstr (sl_endpoint_config_get_host (config), ==, "127.0.0.1");

  /* The schema's default value: nothing changes. */
  empty = parse_dict ("@a{sv} {}");
  g_assert_true (sl_endpoint_config_apply_variant (config, empty, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sl_endpoint_config_get_port (config), ==, 9000);

  g_assert_finalize_object (config);
}

typedef struct
{
  const char *name;
  const char *dict;
  const char *key;     /* the message names it */
  const char *detail;  /* and this */
} BadVariantCase;

static const BadVariantCase bad_variant_cases[] = {
  { "string-for-int", "{'host': <'10.0.0.1'>, 'port': <'8888'>}", "“port”", "“s”" },
  { "int64-for-int", "{'host': <'10.0.0.1'>, 'port': <int64 8888>}", "“port”", "“x”" },
  { "int-for-double", "{'host': <'10.0.0.1'>, 'timeout': <5>}", "“timeout”", "“d”" },
  { "int-for-boolean", "{'reuseaddr': <1>, 'host': <'10.0.0.1'>}", "“reuseaddr”", "“b”" },
  { "int-for-enum", "{'host': <'10.0.0.1'>, 'protocol': <1>}", "“protocol”", "“i”" },
  { "int-for-string", "{'host': <10>, 'port': <9000>}", "“host”", "“i”" },
  { "unknown-nick", "{'port': <9000>, 'protocol': <'sctp'>}", "“protocol”", "“sctp”" },
  { "enum-name-not-nick", "{'port': <9000>, 'io-mode': <'SL_IO_MODE_TIMEOUT'>}", "“io-mode”",
    "async, blocking, nonblocking, timeout" },
  { "last-key-bad", "{'port': <9000>, 'host': <'::1'>, 'encoding': <'utf-16'>}", "“encoding”",
    "“utf-16”" },
};

static void
test_variant_bad (gconstpointer data)
{
  const BadVariantCase *bad = data;
  SlEndpointConfig *config = sl_endpoint_config_new ();
  g_autoptr(SlEndpointConfig) before = sl_endpoint_config_new ();
  g_autoptr(GVariant) dict = parse_dict (bad->dict);
  g_autoptr(GError) error = NULL;
  NotifyCount counter = { 0, NULL };

  g_signal_connect (config, "notify", G_CALLBACK (notify_cb), &counter);

  g_assert_false (sl_endpoint_config_apply_variant (config, dict, &error));
  g_assert_error (error, SL_ERROR, SL_ERROR_INVALID_COMBINATION);
  g_test_message ("%s", error->message);
  assert_contains (error->message, bad->key);
  assert_contains (error->message, bad->detail);

  /* Nothing at all changed, not even the good keys. */
  g_assert_cmpuint (counter.count, ==, 0);
  assert_configs_equal (before, config);

  g_assert_finalize_object (config);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  tmpdir = g_dir_make_tmp ("sl-test-config-XXXXXX", &error);
  g_assert_no_error (error);
  /* The path-length cases need room below 107 bytes. */
  g_assert_cmpuint (strlen (tmpdir), <, 80);

  g_test_add_func ("/config/defaults", test_defaults);
  g_test_add_func ("/config/enum-types", test_enum_types);
  g_test_add_func ("/config/notify-only-on-change", test_notify_only_on_change);
  g_test_add_func ("/config/copy", test_copy);

  for (guint i = 0; i < G_N_ELEMENTS (invalid_cases); i++)
    {
      g_autofree char *name = g_strconcat ("/config/invalid/", invalid_cases[i].name, NULL);

      g_test_add_data_func (name, &invalid_cases[i], test_invalid);
    }
  g_test_add_func ("/config/invalid/exact-messages", test_invalid_exact_messages);
  g_test_add_func ("/config/valid/hosts", test_valid_hosts);
  g_test_add_func ("/config/valid/limits", test_valid_limits);
  g_test_add_func ("/config/valid/ignored-fields", test_valid_ignored_fields);
  g_test_add_func ("/config/valid/unix-paths", test_valid_unix_paths);
  g_test_add_func ("/config/validate/order", test_validate_order);

  g_test_add_func ("/config/parse-port", test_parse_port);
  g_test_add_func ("/config/address-string/valid", test_address_string_valid);
  g_test_add_func ("/config/address-string/notify", test_address_string_notify);
  g_test_add_func ("/config/address-string/unix", test_address_string_unix);
  g_test_add_func ("/config/address-string/invalid", test_address_string_invalid);

  g_test_add_func ("/config/resolve/numeric", test_resolve_numeric);
  g_test_add_func ("/config/resolve/localhost", test_resolve_localhost);
  g_test_add_func ("/config/resolve/unix", test_resolve_unix);
  g_test_add_func ("/config/resolve/local-bind", test_resolve_local_bind);
  g_test_add_func ("/config/resolve/not-found", test_resolve_not_found);
  g_test_add_func ("/config/resolve/hosts-file", test_resolve_hosts_file);
  g_test_add_func ("/config/resolve/invalid-config", test_resolve_invalid_config);
  g_test_add_func ("/config/resolve/cancelled", test_resolve_cancelled);
  g_test_add_func ("/config/resolve/binds", test_resolve_binds);

  g_test_add_func ("/config/python-address", test_python_address);
  g_test_add_func ("/config/python-address/unix-sockets", test_python_address_unix_sockets);
  g_test_add_func ("/config/describe", test_describe);
  g_test_add_func ("/config/to-string", test_to_string);

  g_test_add_func ("/config/variant/round-trip", test_variant_round_trip);
  g_test_add_func ("/config/variant/local-host-null", test_variant_local_host_null);
  g_test_add_func ("/config/variant/unknown-key", test_variant_unknown_key);
  for (guint i = 0; i < G_N_ELEMENTS (bad_variant_cases); i++)
    {
      g_autofree char *name = g_strconcat ("/config/variant/bad/", bad_variant_cases[i].name,
                                           NULL);

      g_test_add_data_func (name, &bad_variant_cases[i], test_variant_bad);
    }

  ret = g_test_run ();

  {
    g_autofree char *file = g_build_filename (tmpdir, "plain-file", NULL);

    g_unlink (file);
  }
  g_rmdir (tmpdir);
  g_free (tmpdir);

  return ret;
}
