/* test-workspace.c — saved workspaces: round trips, errors, corrupt files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <glib/gstdio.h>

#include "sl-error.h"
#include "sl-test-util.h"
#include "sl-workspace.h"

/* Three valid configs that together give every property a value other than
 * its default (checked by test_every_property_covered). */
static SlEndpointConfig *
config_tcp_server (void)
{
  SlEndpointConfig *config = sl_endpoint_config_new ();

  sl_endpoint_config_set_host (config, "127.0.0.2");
  sl_endpoint_config_set_port (config, 9999);
  sl_endpoint_config_set_backlog (config, 17);
  sl_endpoint_config_set_reuseaddr (config, TRUE);
  sl_endpoint_config_set_bufsize (config, 4096);
  sl_endpoint_config_set_max_clients (config, 3);
  sl_endpoint_config_set_connect_timeout (config, 7.25);
  sl_endpoint_config_set_reply_mode (config, SL_REPLY_FIXED);
  sl_endpoint_config_set_reply_text (config,
                                     "{\"h\xc3\xa9llo\": [\"\xe4\xbd\xa0\", \"a\\\\tb\"]}\n");
  sl_endpoint_config_set_encoding (config, SL_ENCODING_JSON);
  sl_endpoint_config_set_close_on_eof (config, FALSE);
  sl_endpoint_config_set_auth (config, SL_AUTH_MODE_HMAC_SHA256);
  sl_endpoint_config_set_salt (config, "s\xe2\x82\xaclt");
  sl_endpoint_config_set_auth_timeout (config, 3.5);
  return config;
}

static SlEndpointConfig *
config_udp_client (void)
{
  SlEndpointConfig *config = sl_endpoint_config_new ();

  sl_endpoint_config_set_protocol (config, SL_PROTOCOL_UDP);
  sl_endpoint_config_set_role (config, SL_ROLE_CLIENT);
  sl_endpoint_config_set_family (config, SL_FAMILY_IPV6);
  sl_endpoint_config_set_host (config, "::1");
  sl_endpoint_config_set_port (config, 1234);
  sl_endpoint_config_set_local_host (config, "::1");
  sl_endpoint_config_set_local_port (config, 4321);
  sl_endpoint_config_set_io_mode (config, SL_IO_MODE_TIMEOUT);
  sl_endpoint_config_set_timeout (config, 0.1);
  sl_endpoint_config_set_reply_mode (config, SL_REPLY_NONE);
  sl_endpoint_config_set_encoding (config, SL_ENCODING_HEX);
  return config;
}

static SlEndpointConfig *
config_unix_server (void)
{
  SlEndpointConfig *config = sl_endpoint_config_new ();

  sl_endpoint_config_set_family (config, SL_FAMILY_UNIX);
  sl_endpoint_config_set_path (config, "/tmp/\xe5\xb7\xa5.sock");
  sl_endpoint_config_set_io_mode (config, SL_IO_MODE_BLOCKING);
  sl_endpoint_config_set_reply_mode (config, SL_REPLY_ECHO);
  sl_endpoint_config_set_encoding (config, SL_ENCODING_BASE64);
  return config;
}

static SlWorkspace *
sample_workspace (void)
{
  SlWorkspace *workspace = sl_workspace_new ();
  g_autoptr(SlEndpointConfig) a = config_tcp_server ();
  g_autoptr(SlEndpointConfig) b = config_udp_client ();
  g_autoptr(SlEndpointConfig) c = config_unix_server ();

  sl_workspace_add_endpoint (workspace, a, TRUE);
  sl_workspace_add_endpoint (workspace, b, FALSE);
  sl_workspace_add_endpoint (workspace, c, TRUE);
  sl_workspace_set_side_by_side (workspace, TRUE);
  sl_workspace_set_selected (workspace, 2);
  sl_workspace_set_zoom (workspace, 1.7);
  return workspace;
}

static void
assert_same_config (SlEndpointConfig *a,
                    SlEndpointConfig *b)
{
  g_autoptr(GVariant) va = sl_endpoint_config_to_variant (a);
  g_autoptr(GVariant) vb = sl_endpoint_config_to_variant (b);

  if (!g_variant_equal (va, vb))
    {
      g_autofree char *sa = g_variant_print (va, TRUE);
      g_autofree char *sb = g_variant_print (vb, TRUE);

      g_test_message ("expected %s", sa);
      g_test_message ("got      %s", sb);
    }
  g_assert_true (g_variant_equal (va, vb));
}

static void
assert_same_workspace (SlWorkspace *a,
                       SlWorkspace *b)
{
  g_assert_cmpuint (sl_workspace_get_n_endpoints (a), ==, sl_workspace_get_n_endpoints (b));
  for (guint i = 0; i < sl_workspace_get_n_endpoints (a); i++)
    {
      assert_same_config (sl_workspace_get_endpoint_config (a, i),
                          sl_workspace_get_endpoint_config (b, i));
      g_assert_cmpint (sl_workspace_get_endpoint_running (a, i), ==,
                       sl_workspace_get_endpoint_running (b, i));
    }
  g_assert_cmpint (sl_workspace_get_side_by_side (a), ==, sl_workspace_get_side_by_side (b));
  g_assert_cmpint (sl_workspace_get_selected (a), ==, sl_workspace_get_selected (b));
  g_assert_cmpfloat (sl_workspace_get_zoom (a), ==, sl_workspace_get_zoom (b));
}

/* Parses @data, asserting failure with an SL_ERROR of @code whose message contains @needle. */
static void
assert_refused (const char *data,
                gssize      length,
                int         code,
                const char *needle)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlWorkspace) workspace = sl_workspace_new_from_data (data, length, &error);

  g_assert_null (workspace);
  g_assert_nonnull (error);
  g_test_message ("refused: %s", error->message);
  if (code >= 0)
    g_assert_error (error, SL_ERROR, code);
  if (needle != NULL && strstr (error->message, needle) == NULL)
    g_error ("“%s” not found in “%s”", needle, error->message);
}

/* A minimal valid file around @endpoints (JSON text of the list). */
static char *
with_endpoints (const char *endpoints)
{
  return g_strdup_printf ("{\"format\": \"socket-lab-workspace\", \"version\": 1, "
                          "\"endpoints\": %s}", endpoints);
}

static void
test_every_property_covered (void)
{
  g_autoptr(SlEndpointConfig) defaults = sl_endpoint_config_new ();
  g_autoptr(GVariant) vd = sl_endpoint_config_to_variant (defaults);
  SlEndpointConfig *configs[3] = { config_tcp_server (), config_udp_client (),
                                   config_unix_server () };
  guint n_props = 0;
  g_autofree GParamSpec **pspecs =
    g_object_class_list_properties (G_OBJECT_GET_CLASS (defaults), &n_props);

  /* to_variant writes every property. */
  g_assert_cmpuint (g_variant_n_children (vd), ==, n_props);

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GError) error = NULL;

      sl_endpoint_config_validate (configs[i], NULL, &error);
      g_assert_no_error (error);
    }

  for (gsize k = 0; k < g_variant_n_children (vd); k++)
    {
      g_autoptr(GVariant) default_value = NULL;
      const char *key;
      gboolean changed = FALSE;

      g_variant_get_child (vd, k, "{&sv}", &key, &default_value);
      for (guint i = 0; i < 3 && !changed; i++)
        {
          g_autoptr(GVariant) v = sl_endpoint_config_to_variant (configs[i]);
          g_autoptr(GVariant) value = g_variant_lookup_value (v, key, NULL);

          changed = !g_variant_equal (value, default_value);
        }
      if (!changed)
        g_error ("no sample config sets “%s” to a value other than its default", key);
    }

  for (guint i = 0; i < 3; i++)
    g_object_unref (configs[i]);
}

static void
test_round_trip (void)
{
  g_autoptr(SlWorkspace) workspace = sample_workspace ();
  g_autoptr(SlWorkspace) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *again = NULL;
  gsize length;

  data = sl_workspace_to_data (workspace, &length);
  g_assert_cmpuint (length, ==, strlen (data));
  g_assert_true (g_str_has_suffix (data, "}\n"));
  /* Human-readable: field names and enum nicks, one member per line. */
  g_assert_nonnull (strstr (data, "\"format\" : \"socket-lab-workspace\""));
  g_assert_nonnull (strstr (data, "\"version\" : 1"));
  g_assert_nonnull (strstr (data, "\"protocol\" : \"udp\""));
  g_assert_nonnull (strstr (data, "\"port\" : 9999"));
  g_assert_nonnull (strstr (data, "\"io-mode\" : \"timeout\""));
  g_assert_nonnull (strstr (data, "\"running\" : true"));
  g_assert_nonnull (strstr (data, "\"side-by-side\" : true"));

  loaded = sl_workspace_new_from_data (data, length, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  assert_same_workspace (workspace, loaded);

  /* Writing the loaded workspace gives the same text. */
  again = sl_workspace_to_data (loaded, NULL);
  g_assert_cmpstr (again, ==, data);

  /* NUL-terminated length. */
  g_clear_object (&loaded);
  loaded = sl_workspace_new_from_data (data, -1, &error);
  g_assert_no_error (error);
  assert_same_workspace (workspace, loaded);
}

static void
test_every_property_round_trips (void)
{
  SlEndpointConfig *configs[3] = { config_tcp_server (), config_udp_client (),
                                   config_unix_server () };

  /* Each config alone, so a field lost in one would show. */
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(SlWorkspace) workspace = sl_workspace_new ();
      g_autoptr(SlWorkspace) loaded = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *data = NULL;
      g_autoptr(GVariant) variant = sl_endpoint_config_to_variant (configs[i]);
      GVariantIter iter;
      const char *key;
      GVariant *value;

      sl_workspace_add_endpoint (workspace, configs[i], i == 1);
      data = sl_workspace_to_data (workspace, NULL);

      /* Every property is in the file by name. */
      g_variant_iter_init (&iter, variant);
      while (g_variant_iter_loop (&iter, "{&sv}", &key, &value))
        {
          g_autofree char *member = g_strdup_printf ("\"%s\" :", key);

          g_assert_nonnull (strstr (data, member));
        }

      loaded = sl_workspace_new_from_data (data, -1, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (sl_workspace_get_n_endpoints (loaded), ==, 1);
      assert_same_config (configs[i], sl_workspace_get_endpoint_config (loaded, 0));
      g_assert_cmpint (sl_workspace_get_endpoint_running (loaded, 0), ==, i == 1);
      g_object_unref (configs[i]);
    }
}

static void
test_add_copies (void)
{
  g_autoptr(SlWorkspace) workspace = sl_workspace_new ();
  g_autoptr(SlEndpointConfig) config = config_tcp_server ();

  g_assert_cmpuint (sl_workspace_get_n_endpoints (workspace), ==, 0);
  g_assert_cmpint (sl_workspace_get_selected (workspace), ==, -1);
  g_assert_cmpfloat (sl_workspace_get_zoom (workspace), ==, 1.0);
  g_assert_false (sl_workspace_get_side_by_side (workspace));

  sl_workspace_add_endpoint (workspace, config, TRUE);
  sl_endpoint_config_set_port (config, 1);
  g_assert_cmpint (sl_endpoint_config_get_port (sl_workspace_get_endpoint_config (workspace, 0)),
                   ==, 9999);
  g_assert_true (sl_workspace_get_endpoint_running (workspace, 0));

  /* Zoom is kept within the app's range. */
  sl_workspace_set_zoom (workspace, 10.0);
  g_assert_cmpfloat (sl_workspace_get_zoom (workspace), ==, SL_WORKSPACE_ZOOM_MAX);
  sl_workspace_set_zoom (workspace, 0.0);
  g_assert_cmpfloat (sl_workspace_get_zoom (workspace), ==, SL_WORKSPACE_ZOOM_MIN);

  g_assert_finalize_object (g_steal_pointer (&workspace));
}

static void
test_empty_workspace (void)
{
  g_autoptr(SlWorkspace) workspace = sl_workspace_new ();
  g_autoptr(SlWorkspace) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data = sl_workspace_to_data (workspace, NULL);

  loaded = sl_workspace_new_from_data (data, -1, &error);
  g_assert_no_error (error);
  assert_same_workspace (workspace, loaded);
}

static void
test_save_load (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sl-workspace-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) missing = NULL;
  g_autoptr(SlWorkspace) workspace = sample_workspace ();
  g_autoptr(SlWorkspace) loaded = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *data = NULL;

  g_assert_no_error (error);
  path = g_build_filename (dir, "demo" SL_WORKSPACE_SUFFIX, NULL);
  file = g_file_new_for_path (path);

  g_assert_true (sl_workspace_save (workspace, file, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  data = sl_workspace_to_data (workspace, NULL);
  g_assert_cmpstr (contents, ==, data);

  loaded = sl_workspace_load (file, NULL, &error);
  g_assert_no_error (error);
  assert_same_workspace (workspace, loaded);
  g_clear_object (&loaded);

  sl_workspace_load_async (file, NULL, sl_test_store_result_cb, &result);
  g_assert_true (sl_test_wait_for_result (&result, 5000));
  loaded = sl_workspace_load_finish (result, &error);
  g_assert_no_error (error);
  assert_same_workspace (workspace, loaded);
  g_clear_object (&loaded);
  g_clear_object (&result);

  /* Saving over it replaces it. */
  sl_workspace_set_zoom (workspace, 0.75);
  g_assert_true (sl_workspace_save (workspace, file, NULL, &error));
  loaded = sl_workspace_load (file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (sl_workspace_get_zoom (loaded), ==, 0.75);
  g_clear_object (&loaded);

  /* A missing file names itself. */
  {
    g_autoptr(GFile) parent = g_file_get_parent (file);

    missing = g_file_get_child (parent, "missing.socketlab");
  }
  loaded = sl_workspace_load (missing, NULL, &error);
  g_assert_null (loaded);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "missing.socketlab"));
  g_clear_error (&error);

  sl_workspace_load_async (missing, NULL, sl_test_store_result_cb, &result);
  g_assert_true (sl_test_wait_for_result (&result, 5000));
  g_assert_null (sl_workspace_load_finish (result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Saving into a missing folder fails with the name. */
  {
    g_autofree char *bad_path = g_build_filename (dir, "no-such-dir", "x.socketlab", NULL);
    g_autoptr(GFile) bad = g_file_new_for_path (bad_path);

    g_assert_false (sl_workspace_save (workspace, bad, NULL, &error));
    g_assert_nonnull (error);
    g_assert_nonnull (strstr (error->message, "no-such-dir"));
    g_clear_error (&error);
  }

  sl_test_remove_tmp_dir (dir);
}

static void
test_file_too_large (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sl-workspace-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "huge.socketlab", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  gsize size = SL_WORKSPACE_MAX_FILE_SIZE + 1;
  g_autofree char *data = g_malloc (size);
  g_autoptr(SlWorkspace) loaded = NULL;

  /* Valid JSON in form (spaces) so only the size is wrong. */
  memset (data, ' ', size);
  data[0] = '{';
  data[size - 1] = '}';
  g_assert_true (g_file_set_contents (path, data, size, NULL));

  loaded = sl_workspace_load (file, NULL, &error);
  g_assert_null (loaded);
  g_assert_error (error, SL_ERROR, SL_ERROR_DECODE);
  g_assert_nonnull (strstr (error->message, "larger than 4 MiB"));
  g_assert_nonnull (strstr (error->message, "huge.socketlab"));
  g_clear_error (&error);

  assert_refused (data, size, SL_ERROR_DECODE, "at most");

  sl_test_remove_tmp_dir (dir);
}

static void
test_errors (void)
{
  g_autofree char *many = NULL;
  GString *list = g_string_new ("[");

  /* Not JSON: json-glib's line and column. */
  assert_refused ("{\n  \"format\": \"socket-lab-workspace\",\n  version: 1}", -1,
                  SL_ERROR_DECODE, "not valid JSON (line 2, column");
  assert_refused ("", 0, SL_ERROR_DECODE, "empty");
  assert_refused ("   \n", -1, SL_ERROR_DECODE, "empty");
  assert_refused ("[1, 2]", -1, SL_ERROR_DECODE, "not a Socket Lab workspace");
  assert_refused ("\"socket-lab-workspace\"", -1, SL_ERROR_DECODE, "not a Socket Lab workspace");

  /* A lone surrogate escape is not text (it crashed the window once). */
  assert_refused ("{\"format\": \"socket-lab-workspace\", \"version\": 1, \"endpoints\": "
                  "[{\"config\": {\"reply-text\": \"a\\ud800b\"}}]}", -1, SL_ERROR_DECODE,
                  "Endpoint 1: Field “reply-text” is not valid text");

  /* Format. */
  assert_refused ("{\"version\": 1, \"endpoints\": []}", -1, SL_ERROR_DECODE,
                  "has no “format”");
  assert_refused ("{\"format\": \"gnome-builder\", \"version\": 1, \"endpoints\": []}", -1,
                  SL_ERROR_DECODE, "its “format” is “gnome-builder”");
  assert_refused ("{\"format\": 7, \"version\": 1, \"endpoints\": []}", -1,
                  SL_ERROR_DECODE, "has no “format”");

  /* Version. */
  assert_refused ("{\"format\": \"socket-lab-workspace\", \"version\": 2, \"endpoints\": []}",
                  -1, SL_ERROR_DECODE, "made by a newer Socket Lab (format version 2");
  assert_refused ("{\"format\": \"socket-lab-workspace\", \"version\": 2, \"endpoints\": []}",
                  -1, SL_ERROR_DECODE, "Update Socket Lab");
  assert_refused ("{\"format\": \"socket-lab-workspace\", \"version\": 0, \"endpoints\": []}",
                  -1, SL_ERROR_DECODE, "version 0 does not exist");
  assert_refused ("{\"format\": \"socket-lab-workspace\", \"version\": \"1\", \"endpoints\": []}",
                  -1, SL_ERROR_DECODE, "Field “version” is a string where a whole number");
  assert_refused ("{\"format\": \"socket-lab-workspace\", \"version\": 1.5, \"endpoints\": []}",
                  -1, SL_ERROR_DECODE, "Field “version” is a number where a whole number");
  assert_refused ("{\"format\": \"socket-lab-workspace\", \"endpoints\": []}",
                  -1, SL_ERROR_DECODE, "no “version”");

  /* Endpoints. */
  assert_refused ("{\"format\": \"socket-lab-workspace\", \"version\": 1}",
                  -1, SL_ERROR_DECODE, "no “endpoints”");
  assert_refused ("{\"format\": \"socket-lab-workspace\", \"version\": 1, \"endpoints\": {}}",
                  -1, SL_ERROR_DECODE, "Field “endpoints” is an object where a list");

  {
    g_autofree char *d1 = with_endpoints ("[{\"config\": {}}, 3]");
    g_autofree char *d2 = with_endpoints ("[{\"running\": true}]");
    g_autofree char *d3 = with_endpoints ("[{\"config\": [1]}]");
    g_autofree char *d4 = with_endpoints ("[{\"config\": {}}, {\"config\": {\"port\": \"8888\"}}]");
    g_autofree char *d5 = with_endpoints ("[{\"config\": {\"protocol\": \"sctp\"}}]");
    g_autofree char *d6 = with_endpoints ("[{\"config\": {}}, {\"config\": {\"port\": 70000}}]");
    g_autofree char *d7 = with_endpoints ("[{\"config\": {\"reuseaddr\": 1}}]");
    g_autofree char *d8 = with_endpoints ("[{\"config\": {\"timeout\": \"5\"}}]");
    g_autofree char *d9 = with_endpoints ("[{\"config\": {}, \"running\": \"yes\"}]");
    g_autofree char *d10 = with_endpoints ("[{\"config\": {\"port\": 99999999999}}]");
    g_autofree char *d11 = with_endpoints ("[{\"config\": {\"host\": null}}]");
    g_autofree char *d12 = with_endpoints ("[{\"config\": {\"bufsize\": 0}}]");

    assert_refused (d1, -1, SL_ERROR_DECODE,
                    "Endpoint 2: It is a whole number where an object");
    assert_refused (d2, -1, SL_ERROR_DECODE,
                    "Endpoint 1: It has no “config”");
    assert_refused (d3, -1, SL_ERROR_DECODE,
                    "Endpoint 1: Field “config” is a list where an object");
    assert_refused (d4, -1, SL_ERROR_DECODE,
                    "Endpoint 2: Field “port” is a string where a whole number");
    assert_refused (d5, -1, SL_ERROR_INVALID_COMBINATION, "Endpoint 1: ");
    assert_refused (d5, -1, -1, "sctp");
    /* The config's own validation, with its own error code. */
    assert_refused (d6, -1, SL_ERROR_INVALID_PORT, "Endpoint 2: ");
    assert_refused (d6, -1, -1, "70000");
    assert_refused (d7, -1, SL_ERROR_DECODE,
                    "Endpoint 1: Field “reuseaddr” is a whole number where true or false");
    assert_refused (d8, -1, SL_ERROR_DECODE,
                    "Endpoint 1: Field “timeout” is a string where a number");
    assert_refused (d9, -1, SL_ERROR_DECODE,
                    "Endpoint 1: Field “running” is a string");
    assert_refused (d10, -1, SL_ERROR_DECODE,
                    "Endpoint 1: Field “port” is 99999999999, far outside");
    assert_refused (d11, -1, SL_ERROR_DECODE, "Field “host” is null where a string");
    assert_refused (d12, -1, SL_ERROR_INVALID_BUFSIZE, "Endpoint 1: ");
  }

  /* Too many endpoints. */
  for (guint i = 0; i <= SL_WORKSPACE_MAX_ENDPOINTS; i++)
    g_string_append_printf (list, "%s{\"config\": {}}", i > 0 ? ", " : "");
  g_string_append (list, "]");
  many = with_endpoints (list->str);
  assert_refused (many, -1, SL_ERROR_DECODE, "lists 65 endpoints; Socket Lab opens at most 64");
  g_string_free (list, TRUE);

  /* Layout. */
  {
    g_autofree char *l1 = g_strdup ("{\"format\": \"socket-lab-workspace\", \"version\": 1, "
                                    "\"endpoints\": [], \"layout\": []}");
    g_autofree char *l2 = g_strdup ("{\"format\": \"socket-lab-workspace\", \"version\": 1, "
                                    "\"endpoints\": [], \"layout\": {\"zoom\": \"big\"}}");
    g_autofree char *l3 = g_strdup ("{\"format\": \"socket-lab-workspace\", \"version\": 1, "
                                    "\"endpoints\": [], \"layout\": {\"selected\": true}}");
    g_autofree char *l4 = g_strdup ("{\"format\": \"socket-lab-workspace\", \"version\": 1, "
                                    "\"endpoints\": [], \"layout\": {\"side-by-side\": 0}}");

    assert_refused (l1, -1, SL_ERROR_DECODE, "Field “layout” is a list where an object");
    assert_refused (l2, -1, SL_ERROR_DECODE, "Field “zoom” is a string where a number");
    assert_refused (l3, -1, SL_ERROR_DECODE, "Field “selected” is true or false where a whole");
    assert_refused (l4, -1, SL_ERROR_DECODE, "Field “side-by-side” is a whole number");
  }
}

static void
test_corrupt_inputs (void)
{
  g_autoptr(SlWorkspace) workspace = sample_workspace ();
  g_autofree char *data = NULL;
  gsize length;
  GString *deep = g_string_new ("{\"format\": \"socket-lab-workspace\", \"version\": 1, "
                                "\"endpoints\": [], \"x\": ");

  data = sl_workspace_to_data (workspace, &length);

  /* Every truncation fails cleanly (the last byte is the newline: cutting
   * it leaves a valid file). */
  for (gsize cut = 0; cut < length - 1; cut++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SlWorkspace) loaded = sl_workspace_new_from_data (data, cut, &error);

      g_assert_null (loaded);
      g_assert_error (error, SL_ERROR, SL_ERROR_DECODE);
    }

  /* Invalid UTF-8 anywhere, and a NUL byte. */
  {
    g_autofree char *bad = g_strdup (data);
    char *at = strstr (bad, "127.0.0.2");

    at[0] = '\xff';
    assert_refused (bad, length, SL_ERROR_DECODE, "not UTF-8");
    at[0] = '\0';
    assert_refused (bad, length, SL_ERROR_DECODE, "not UTF-8");
  }
  assert_refused ("{\"format\": \"socket-lab-workspace\xc3\", \"version\": 1}", -1,
                  SL_ERROR_DECODE, "byte 33 is not valid");

  /* Deep nesting is refused before parsing (json-glib recurses). */
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  assert_refused (deep->str, deep->len, SL_ERROR_DECODE, "more than 32 levels deep");
  g_string_free (deep, TRUE);

  /* Nested garbage at a valid depth is ignored where unknown, refused where known. */
  {
    g_autofree char *d = g_strdup ("{\"format\": \"socket-lab-workspace\", \"version\": 1, "
                                   "\"endpoints\": [{\"config\": {\"host\": {\"a\": [[[{}]]]}}}]}");

    assert_refused (d, -1, SL_ERROR_DECODE, "Field “host” is an object where a string");
  }

  /* Huge numbers. */
  assert_refused ("{\"format\": \"socket-lab-workspace\", \"version\": 99999999999999999999999, "
                  "\"endpoints\": []}", -1, SL_ERROR_DECODE, "too large");
  assert_refused ("{\"format\": \"socket-lab-workspace\", \"version\": -99999999999999999999999, "
                  "\"endpoints\": []}", -1, SL_ERROR_DECODE, "too large");
  assert_refused ("{\"format\": \"socket-lab-workspace\", \"version\": 9223372036854775807, "
                  "\"endpoints\": []}", -1, SL_ERROR_DECODE, "too large");
  {
    g_autofree char *d1 = with_endpoints ("[{\"config\": {\"timeout\": 1e999}}]");
    g_autofree char *d2 = with_endpoints ("[{\"config\": {\"io-mode\": \"timeout\", "
                                          "\"timeout\": 1e300}}]");

    /* inf is not a number a field can hold; 1e300 is, and validation refuses it. */
    assert_refused (d1, -1, SL_ERROR_DECODE, "Field “timeout” is too large");
    assert_refused (d2, -1, -1, "Endpoint 1: ");
  }

  /* Random byte flips never crash; each result is a workspace or an error. */
  for (guint round = 0; round < 2000; round++)
    {
      g_autofree char *mutated = g_memdup2 (data, length);
      g_autoptr(GError) error = NULL;
      g_autoptr(SlWorkspace) loaded = NULL;
      guint flips = g_test_rand_int_range (1, 4);

      for (guint f = 0; f < flips; f++)
        mutated[g_test_rand_int_range (0, length)] = (char) g_test_rand_int_range (0, 256);
      loaded = sl_workspace_new_from_data (mutated, length, &error);
      g_assert_true ((loaded == NULL) != (error == NULL));
    }
}

static void
test_forward_compatible (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlWorkspace) loaded = NULL;
  SlEndpointConfig *config;
  const char *data =
    "{\"format\": \"socket-lab-workspace\", \"version\": 1, \"made-by\": \"Socket Lab 2\","
    " \"endpoints\": [{\"config\": {\"protocol\": \"udp\", \"port\": 7000, \"colour\": \"red\"},"
    "                  \"note\": {\"any\": [1, 2]}}],"
    " \"layout\": {\"zoom\": 2, \"selected\": 5, \"panes\": 3}, \"extra\": null}";

  /* Unknown keys at every level are ignored; a config lists only what differs
   * from the defaults; "running" defaults to false; a selection past the list
   * selects nothing; an integer zoom is fine. */
  loaded = sl_workspace_new_from_data (data, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sl_workspace_get_n_endpoints (loaded), ==, 1);
  config = sl_workspace_get_endpoint_config (loaded, 0);
  g_assert_cmpint (sl_endpoint_config_get_protocol (config), ==, SL_PROTOCOL_UDP);
  g_assert_cmpint (sl_endpoint_config_get_port (config), ==, 7000);
  g_assert_cmpstr (sl_endpoint_config_get_host (config), ==, "127.0.0.1");
  g_assert_false (sl_workspace_get_endpoint_running (loaded, 0));
  g_assert_cmpint (sl_workspace_get_selected (loaded), ==, -1);
  g_assert_cmpfloat (sl_workspace_get_zoom (loaded), ==, 2.0);
  g_assert_false (sl_workspace_get_side_by_side (loaded));
  g_clear_object (&loaded);

  /* A Unix socket's folder that does not exist on this computer is not an
   * error of the file: starting the endpoint will say so. */
  loaded = sl_workspace_new_from_data ("{\"format\": \"socket-lab-workspace\", \"version\": 1, "
                                       "\"endpoints\": [{\"config\": {\"family\": \"unix\", "
                                       "\"path\": \"/nonexistent-sl-dir/s.sock\"}}]}",
                                       -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sl_endpoint_config_get_path (sl_workspace_get_endpoint_config (loaded, 0)),
                   ==, "/nonexistent-sl-dir/s.sock");
  g_clear_object (&loaded);

  /* Out-of-range zoom is clamped. */
  loaded = sl_workspace_new_from_data ("{\"format\": \"socket-lab-workspace\", \"version\": 1, "
                                       "\"endpoints\": [], \"layout\": {\"zoom\": 1e300}}",
                                       -1, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (sl_workspace_get_zoom (loaded), ==, SL_WORKSPACE_ZOOM_MAX);
}

/* The seeds of the fuzz corpus are files this parser must handle: they either
 * load or give an error, and the valid ones load. */
static void
test_corpus_seeds (void)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "fuzz", "corpus", "workspace", NULL);
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0, valid = 0;

  if (handle == NULL)
    {
      g_test_skip ("no corpus directory");
      return;
    }

  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(GError) error = NULL;
      g_autoptr(SlWorkspace) loaded = sl_workspace_load (file, NULL, &error);

      g_assert_true ((loaded == NULL) != (error == NULL));
      if (g_str_has_prefix (name, "valid-"))
        {
          g_assert_no_error (error);
          valid++;
        }
      n++;
    }
  g_assert_cmpuint (n, >=, 8);
  g_assert_cmpuint (valid, >=, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/workspace/every-property-covered", test_every_property_covered);
  g_test_add_func ("/workspace/round-trip", test_round_trip);
  g_test_add_func ("/workspace/every-property-round-trips", test_every_property_round_trips);
  g_test_add_func ("/workspace/add-copies", test_add_copies);
  g_test_add_func ("/workspace/empty", test_empty_workspace);
  g_test_add_func ("/workspace/save-load", test_save_load);
  g_test_add_func ("/workspace/file-too-large", test_file_too_large);
  g_test_add_func ("/workspace/errors", test_errors);
  g_test_add_func ("/workspace/corrupt-inputs", test_corrupt_inputs);
  g_test_add_func ("/workspace/forward-compatible", test_forward_compatible);
  g_test_add_func ("/workspace/corpus-seeds", test_corpus_seeds);

  return g_test_run ();
}
