/* sl-workspace.c — a saved set of endpoints and the window's layout
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>

#include "sl-codec.h"
#include "sl-error.h"
#include "sl-workspace.h"

/* Deeper JSON than this is refused before json-glib parses it recursively. */
#define MAX_DEPTH 32
/* Integer literals with more digits than this do not fit the fields (json-glib
 * would wrap them around silently). */
#define MAX_INTEGER_DIGITS 18

typedef struct
{
  SlEndpointConfig *config;
  gboolean          running;
} Item;

struct _SlWorkspace
{
  GObject    parent_instance;

  GPtrArray *items; /* of Item */
  gboolean   side_by_side;
  int        selected;
  double     zoom;
};

G_DEFINE_FINAL_TYPE (SlWorkspace, sl_workspace, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_SIDE_BY_SIDE,
  PROP_SELECTED,
  PROP_ZOOM,
  PROP_N_ENDPOINTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
item_free (gpointer data)
{
  Item *item = data;

  g_clear_object (&item->config);
  g_free (item);
}

static void
sl_workspace_finalize (GObject *object)
{
  SlWorkspace *self = SL_WORKSPACE (object);

  g_clear_pointer (&self->items, g_ptr_array_unref);

  G_OBJECT_CLASS (sl_workspace_parent_class)->finalize (object);
}

static void
sl_workspace_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  SlWorkspace *self = SL_WORKSPACE (object);

  switch (prop_id)
    {
    case PROP_SIDE_BY_SIDE:
      g_value_set_boolean (value, self->side_by_side);
      break;
    case PROP_SELECTED:
      g_value_set_int (value, self->selected);
      break;
    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;
    case PROP_N_ENDPOINTS:
      g_value_set_uint (value, self->items->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_workspace_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  SlWorkspace *self = SL_WORKSPACE (object);

  switch (prop_id)
    {
    case PROP_SIDE_BY_SIDE:
      sl_workspace_set_side_by_side (self, g_value_get_boolean (value));
      break;
    case PROP_SELECTED:
      sl_workspace_set_selected (self, g_value_get_int (value));
      break;
    case PROP_ZOOM:
      sl_workspace_set_zoom (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_workspace_class_init (SlWorkspaceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = sl_workspace_finalize;
  object_class->get_property = sl_workspace_get_property;
  object_class->set_property = sl_workspace_set_property;

  properties[PROP_SIDE_BY_SIDE] =
    g_param_spec_boolean ("side-by-side", NULL, NULL, FALSE, flags);
  properties[PROP_SELECTED] =
    g_param_spec_int ("selected", NULL, NULL, -1, G_MAXINT, -1, flags);
  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL, SL_WORKSPACE_ZOOM_MIN, SL_WORKSPACE_ZOOM_MAX, 1.0,
                         flags);
  properties[PROP_N_ENDPOINTS] =
    g_param_spec_uint ("n-endpoints", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sl_workspace_init (SlWorkspace *self)
{
  self->items = g_ptr_array_new_with_free_func (item_free);
  self->selected = -1;
  self->zoom = 1.0;
}

SlWorkspace *
sl_workspace_new (void)
{
  return g_object_new (SL_TYPE_WORKSPACE, NULL);
}

void
sl_workspace_add_endpoint (SlWorkspace      *self,
                           SlEndpointConfig *config,
                           gboolean          running)
{
  Item *item;

  g_return_if_fail (SL_IS_WORKSPACE (self));
  g_return_if_fail (SL_IS_ENDPOINT_CONFIG (config));

  item = g_new0 (Item, 1);
  item->config = sl_endpoint_config_copy (config);
  item->running = !!running;
  g_ptr_array_add (self->items, item);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ENDPOINTS]);
}

guint
sl_workspace_get_n_endpoints (SlWorkspace *self)
{
  g_return_val_if_fail (SL_IS_WORKSPACE (self), 0);

  return self->items->len;
}

SlEndpointConfig *
sl_workspace_get_endpoint_config (SlWorkspace *self,
                                  guint        index)
{
  Item *item;

  g_return_val_if_fail (SL_IS_WORKSPACE (self), NULL);
  g_return_val_if_fail (index < self->items->len, NULL);

  item = g_ptr_array_index (self->items, index);
  return item->config;
}

gboolean
sl_workspace_get_endpoint_running (SlWorkspace *self,
                                   guint        index)
{
  Item *item;

  g_return_val_if_fail (SL_IS_WORKSPACE (self), FALSE);
  g_return_val_if_fail (index < self->items->len, FALSE);

  item = g_ptr_array_index (self->items, index);
  return item->running;
}

gboolean
sl_workspace_get_side_by_side (SlWorkspace *self)
{
  g_return_val_if_fail (SL_IS_WORKSPACE (self), FALSE);

  return self->side_by_side;
}

void
sl_workspace_set_side_by_side (SlWorkspace *self,
                               gboolean     side_by_side)
{
  g_return_if_fail (SL_IS_WORKSPACE (self));

  side_by_side = !!side_by_side;
  if (self->side_by_side == side_by_side)
    return;
  self->side_by_side = side_by_side;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIDE_BY_SIDE]);
}

int
sl_workspace_get_selected (SlWorkspace *self)
{
  g_return_val_if_fail (SL_IS_WORKSPACE (self), -1);

  return self->selected;
}

void
sl_workspace_set_selected (SlWorkspace *self,
                           int          selected)
{
  g_return_if_fail (SL_IS_WORKSPACE (self));

  selected = MAX (selected, -1);
  if (self->selected == selected)
    return;
  self->selected = selected;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

double
sl_workspace_get_zoom (SlWorkspace *self)
{
  g_return_val_if_fail (SL_IS_WORKSPACE (self), 1.0);

  return self->zoom;
}

void
sl_workspace_set_zoom (SlWorkspace *self,
                       double       zoom)
{
  g_return_if_fail (SL_IS_WORKSPACE (self));

  if (isnan (zoom))
    zoom = 1.0;
  zoom = CLAMP (zoom, SL_WORKSPACE_ZOOM_MIN, SL_WORKSPACE_ZOOM_MAX);
  if (self->zoom == zoom)
    return;
  self->zoom = zoom;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
}

/* Writing. */

static JsonNode *
config_to_json (SlEndpointConfig *config)
{
  g_autoptr(GVariant) dict = sl_endpoint_config_to_variant (config);
  g_autoptr(JsonObject) object = json_object_new ();
  GVariantIter iter;
  const char *key;
  GVariant *value;
  JsonNode *node;

  /* Explicit members keep the file readable: {"protocol": "tcp", "port": 8888, …}. */
  g_variant_iter_init (&iter, dict);
  while (g_variant_iter_loop (&iter, "{&sv}", &key, &value))
    {
      if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
        json_object_set_string_member (object, key, g_variant_get_string (value, NULL));
      else if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT32))
        json_object_set_int_member (object, key, g_variant_get_int32 (value));
      else if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
        json_object_set_boolean_member (object, key, g_variant_get_boolean (value));
      else if (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
        json_object_set_double_member (object, key, g_variant_get_double (value));
      else
        g_warn_if_reached ();
    }

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, object);
  return node;
}

char *
sl_workspace_to_data (SlWorkspace *self,
                      gsize       *length)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  char *data;

  g_return_val_if_fail (SL_IS_WORKSPACE (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, SL_WORKSPACE_FORMAT);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, SL_WORKSPACE_VERSION);

  json_builder_set_member_name (builder, "endpoints");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = g_ptr_array_index (self->items, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "config");
      json_builder_add_value (builder, config_to_json (item->config));
      json_builder_set_member_name (builder, "running");
      json_builder_add_boolean_value (builder, item->running);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "layout");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "side-by-side");
  json_builder_add_boolean_value (builder, self->side_by_side);
  json_builder_set_member_name (builder, "selected");
  json_builder_add_int_value (builder, self->selected);
  json_builder_set_member_name (builder, "zoom");
  json_builder_add_double_value (builder, self->zoom);
  json_builder_end_object (builder);

  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  text = json_generator_to_data (generator, NULL);

  data = g_strconcat (text, "\n", NULL);
  if (length != NULL)
    *length = strlen (data);
  return data;
}

/* Reading. */

static gboolean G_GNUC_PRINTF (2, 3)
set_damaged (GError     **error,
             const char  *format,
             ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error_literal (error, SL_ERROR, SL_ERROR_DECODE, message);
  return FALSE;
}

/* Checks what json-glib does not: nesting depth (its parser recurses; the
 * codec's check) and integer literals too long to be read without wrapping
 * around. */
static gboolean
prescan (const char  *data,
         gsize        length,
         GError     **error)
{
  gssize too_deep = sl_codec_json_too_deep (data, length, MAX_DEPTH);
  gboolean in_string = FALSE;

  if (too_deep >= 0)
    return set_damaged (error,
                        _("The file nests lists and objects more than %u levels deep "
                          "(at byte %lu): it is not a workspace saved by "
                          "Socket Lab. Open a workspace file instead."),
                        MAX_DEPTH, (unsigned long) too_deep + 1);

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      if (c == '"')
        in_string = TRUE;
      else if (c == '-' || g_ascii_isdigit (c))
        {
          gsize start = i;
          guint digits = 0;
          gboolean integer = TRUE;

          while (i < length && (g_ascii_isdigit (data[i]) || strchr ("-+.eE", data[i]) != NULL))
            {
              if (g_ascii_isdigit (data[i]))
                digits++;
              else if (data[i] != '-')
                integer = FALSE;
              i++;
            }
          if (integer && digits > MAX_INTEGER_DIGITS)
            {
              g_autofree char *number = g_strndup (data + start, MIN (i - start, 40));

              return set_damaged (error,
                                  _("The number “%s” is too large for any workspace field: "
                                    "the file is damaged. Fix the number or save the workspace "
                                    "again."),
                                  number);
            }
          i--;
        }
    }

  return TRUE;
}

/* json-glib says "<data>:3:7: Parse error: unexpected …";
 * this makes it "line 3, column 7: unexpected …". */
static char *
describe_json_error (const GError *json_error)
{
  const char *message = json_error->message;
  const char *rest;
  char *end;
  guint64 line, column;

  if (!g_str_has_prefix (message, "<data>:"))
    return g_strdup (message);

  rest = message + strlen ("<data>:");
  line = g_ascii_strtoull (rest, &end, 10);
  if (end == rest || *end != ':')
    return g_strdup (rest);
  rest = end + 1;
  column = g_ascii_strtoull (rest, &end, 10);
  if (end == rest || *end != ':')
    return g_strdup (rest);
  rest = end + 1;
  while (*rest == ' ')
    rest++;
  if (g_str_has_prefix (rest, "Parse error: "))
    rest += strlen ("Parse error: ");

  /* Translators: where a JSON syntax error is; the last %s is json-glib's description */
  return g_strdup_printf (_("line %lu, column %lu: %s"),
                          (unsigned long) line, (unsigned long) column, rest);
}

static const char *
json_kind (JsonNode *node)
{
  if (JSON_NODE_HOLDS_NULL (node))
    return "null";
  if (JSON_NODE_HOLDS_OBJECT (node))
    /* Translators: a kind of JSON value, used in "… is an object where …" */
    return _("an object");
  if (JSON_NODE_HOLDS_ARRAY (node))
    return _("a list");
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return _("a string");
    case G_TYPE_BOOLEAN:
      return _("true or false");
    case G_TYPE_INT64:
      return _("a whole number");
    default:
      return _("a number");
    }
}

static gboolean
holds_type (JsonNode *node,
            GType     type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

/* "Endpoint 2: " in front of @message, when @index is not 0. */
static gboolean
set_wrong_type (GError     **error,
                guint        index,
                const char  *field,
                JsonNode    *node,
                const char  *expected)
{
  g_autofree char *message = NULL;

  message = g_strdup_printf (/* Translators: "Field “port” is a string where a whole number is
                              * expected: …" */
                             _("Field “%s” is %s where %s is expected: the file is damaged. Fix "
                               "it or save the workspace again."),
                             field, json_kind (node), expected);
  if (index > 0)
    /* Translators: prefix of an error about one endpoint of a workspace, 1-based */
    return set_damaged (error, _("Endpoint %u: %s"), index, message);
  return set_damaged (error, "%s", message);
}

/* The JSON @node of config field @key as a GVariant of the type of
 * @default_value, or NULL with an error naming the field. */
static GVariant *
value_from_json (const char  *key,
                 GVariant    *default_value,
                 JsonNode    *node,
                 guint        index,
                 GError     **error)
{
  if (g_variant_is_of_type (default_value, G_VARIANT_TYPE_STRING))
    {
      if (holds_type (node, G_TYPE_STRING))
        {
          const char *text = json_node_get_string (node);

          /* json-glib decodes a lone surrogate escape (\ud800) into bytes that are
           * not UTF-8, which no GVariant string may hold. */
          if (g_utf8_validate (text, -1, NULL))
            return g_variant_new_string (text);
          {
            g_autofree char *message =
              g_strdup_printf (_("Field “%s” is not valid text (a \\u escape names half of a "
                                 "surrogate pair alone): the file is damaged. Fix it or save "
                                 "the workspace again."), key);

            if (index > 0)
              set_damaged (error, _("Endpoint %u: %s"), index, message);
            else
              set_damaged (error, "%s", message);
            return NULL;
          }
        }
      set_wrong_type (error, index, key, node, _("a string"));
    }
  else if (g_variant_is_of_type (default_value, G_VARIANT_TYPE_INT32))
    {
      gint64 number;

      if (!holds_type (node, G_TYPE_INT64))
        {
          set_wrong_type (error, index, key, node, _("a whole number"));
          return NULL;
        }
      number = json_node_get_int (node);
      if (number >= G_MININT32 && number <= G_MAXINT32)
        return g_variant_new_int32 ((gint32) number);

      {
        g_autofree char *message =
          g_strdup_printf (_("Field “%s” is %ld, far outside what it allows: "
                             "the file is damaged. Fix it or save the workspace again."),
                           key, (long) number);

        set_damaged (error, _("Endpoint %u: %s"), index, message);
      }
    }
  else if (g_variant_is_of_type (default_value, G_VARIANT_TYPE_BOOLEAN))
    {
      if (holds_type (node, G_TYPE_BOOLEAN))
        return g_variant_new_boolean (json_node_get_boolean (node));
      set_wrong_type (error, index, key, node, _("true or false"));
    }
  else if (g_variant_is_of_type (default_value, G_VARIANT_TYPE_DOUBLE))
    {
      if (!holds_type (node, G_TYPE_DOUBLE) && !holds_type (node, G_TYPE_INT64))
        set_wrong_type (error, index, key, node, _("a number"));
      else if (isfinite (json_node_get_double (node)))
        return g_variant_new_double (json_node_get_double (node));
      else
        {
          g_autofree char *message =
            g_strdup_printf (_("Field “%s” is too large to be a number: the file is damaged. "
                               "Fix it or save the workspace again."),
                             key);

          set_damaged (error, _("Endpoint %u: %s"), index, message);
        }
    }
  else
    g_return_val_if_reached (NULL);

  return NULL;
}

/* A Unix socket path whose folder does not exist on this computer (the file
 * came from another one): not an error of the file; starting says so. */
static gboolean
unix_folder_missing (SlEndpointConfig *config,
                     const GError     *error)
{
  g_autofree char *folder = NULL;

  if (!g_error_matches (error, SL_ERROR, SL_ERROR_INVALID_PATH) ||
      sl_endpoint_config_get_family (config) != SL_FAMILY_UNIX ||
      sl_endpoint_config_get_path (config) == NULL)
    return FALSE;

  folder = g_path_get_dirname (sl_endpoint_config_get_path (config));
  return !g_file_test (folder, G_FILE_TEST_EXISTS);
}

/* The saved config (a JSON object keyed by property names, as to_variant
 * names them) as a new valid config. Keys of the defaults' dictionary give
 * the expected types; missing keys keep the defaults, unknown keys are
 * ignored. */
static SlEndpointConfig *
config_from_json (JsonObject  *object,
                  guint        index,
                  GError     **error)
{
  g_autoptr(SlEndpointConfig) config = sl_endpoint_config_new ();
  g_autoptr(GVariant) defaults = sl_endpoint_config_to_variant (config);
  g_autoptr(GVariant) dict = NULL;
  g_autoptr(GError) local_error = NULL;
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  for (gsize i = 0; i < g_variant_n_children (defaults); i++)
    {
      g_autoptr(GVariant) default_value = NULL;
      const char *key;
      JsonNode *node;
      GVariant *value;

      g_variant_get_child (defaults, i, "{&sv}", &key, &default_value);
      node = json_object_get_member (object, key);
      if (node == NULL)
        continue;

      value = value_from_json (key, default_value, node, index, error);
      if (value == NULL)
        {
          g_variant_builder_clear (&builder);
          return NULL;
        }
      g_variant_builder_add (&builder, "{sv}", key, value);
    }

  dict = g_variant_ref_sink (g_variant_builder_end (&builder));
  if (!sl_endpoint_config_apply_variant (config, dict, &local_error) ||
      (!sl_endpoint_config_validate (config, NULL, &local_error) &&
       !unix_folder_missing (config, local_error)))
    {
      g_set_error (error, local_error->domain, local_error->code,
                   _("Endpoint %u: %s"), index, local_error->message);
      return NULL;
    }

  return g_steal_pointer (&config);
}

static gboolean
parse_root (SlWorkspace  *self,
            JsonNode     *root,
            GError      **error)
{
  JsonObject *object;
  JsonNode *node;
  JsonArray *endpoints;
  gint64 version;
  guint n;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    return set_damaged (error,
                        _("This is JSON, but not a Socket Lab workspace: it is %s, not an "
                          "object with “format”: “%s”. Open a workspace saved by Socket Lab."),
                        json_kind (root), SL_WORKSPACE_FORMAT);
  object = json_node_get_object (root);

  node = json_object_get_member (object, "format");
  if (node == NULL || !holds_type (node, G_TYPE_STRING) ||
      g_strcmp0 (json_node_get_string (node), SL_WORKSPACE_FORMAT) != 0)
    {
      if (node != NULL && holds_type (node, G_TYPE_STRING))
        {
          const char *format = json_node_get_string (node);
          g_autofree char *shown = g_utf8_substring (format, 0,
                                                     MIN (g_utf8_strlen (format, -1), 60));

          return set_damaged (error,
                              _("This JSON file is not a Socket Lab workspace: its “format” is "
                                "“%s”, not “%s”. Open a workspace saved by Socket Lab."),
                              shown, SL_WORKSPACE_FORMAT);
        }
      return set_damaged (error,
                          _("This JSON file is not a Socket Lab workspace: it has no “format”: "
                            "“%s”. Open a workspace saved by Socket Lab."),
                          SL_WORKSPACE_FORMAT);
    }

  node = json_object_get_member (object, "version");
  if (node == NULL)
    return set_damaged (error,
                        _("The workspace has no “version” field: the file is damaged. Add "
                          "\"version\": 1 or save the workspace again."));
  if (!holds_type (node, G_TYPE_INT64))
    return set_wrong_type (error, 0, "version", node, _("a whole number"));
  version = json_node_get_int (node);
  if (version > SL_WORKSPACE_VERSION)
    return set_damaged (error,
                        _("This workspace was made by a newer Socket Lab (format version "
                          "%ld; this one reads version %d). Update Socket Lab "
                          "to open it."),
                        (long) version, SL_WORKSPACE_VERSION);
  if (version < 1)
    return set_damaged (error,
                        _("Workspace version %ld does not exist (versions start "
                          "at 1): the file is damaged. Save the workspace again."),
                        (long) version);

  node = json_object_get_member (object, "endpoints");
  if (node == NULL)
    return set_damaged (error,
                        _("The workspace has no “endpoints” list: the file is damaged. Add "
                          "\"endpoints\": [] or save the workspace again."));
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return set_wrong_type (error, 0, "endpoints", node, _("a list"));
  endpoints = json_node_get_array (node);
  n = json_array_get_length (endpoints);
  if (n > SL_WORKSPACE_MAX_ENDPOINTS)
    return set_damaged (error,
                        _("The workspace lists %u endpoints; Socket Lab opens at most %u. "
                          "Split it into smaller workspaces."),
                        n, SL_WORKSPACE_MAX_ENDPOINTS);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (endpoints, i);
      JsonObject *entry;
      JsonNode *member;
      g_autoptr(SlEndpointConfig) config = NULL;
      gboolean running = FALSE;
      Item *item;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          g_autofree char *message =
            g_strdup_printf (_("It is %s where an object with “config” is expected: the file "
                               "is damaged. Fix it or save the workspace again."),
                             json_kind (element));

          return set_damaged (error, _("Endpoint %u: %s"), i + 1, message);
        }
      entry = json_node_get_object (element);

      member = json_object_get_member (entry, "config");
      if (member == NULL)
        return set_damaged (error, _("Endpoint %u: %s"), i + 1,
                            _("It has no “config”: the file is damaged. Fix it or save the "
                              "workspace again."));
      if (!JSON_NODE_HOLDS_OBJECT (member))
        return set_wrong_type (error, i + 1, "config", member, _("an object"));

      config = config_from_json (json_node_get_object (member), i + 1, error);
      if (config == NULL)
        return FALSE;

      member = json_object_get_member (entry, "running");
      if (member != NULL)
        {
          if (!holds_type (member, G_TYPE_BOOLEAN))
            return set_wrong_type (error, i + 1, "running", member, _("true or false"));
          running = json_node_get_boolean (member);
        }

      item = g_new0 (Item, 1);
      item->config = g_steal_pointer (&config);
      item->running = running;
      g_ptr_array_add (self->items, item);
    }

  node = json_object_get_member (object, "layout");
  if (node != NULL)
    {
      JsonObject *layout;
      JsonNode *member;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return set_wrong_type (error, 0, "layout", node, _("an object"));
      layout = json_node_get_object (node);

      member = json_object_get_member (layout, "side-by-side");
      if (member != NULL)
        {
          if (!holds_type (member, G_TYPE_BOOLEAN))
            return set_wrong_type (error, 0, "side-by-side", member, _("true or false"));
          self->side_by_side = json_node_get_boolean (member);
        }

      member = json_object_get_member (layout, "selected");
      if (member != NULL)
        {
          gint64 selected;

          if (!holds_type (member, G_TYPE_INT64))
            return set_wrong_type (error, 0, "selected", member, _("a whole number"));
          /* An index past the list (e.g. after deleting an endpoint by hand) selects nothing. */
          selected = json_node_get_int (member);
          self->selected = (selected >= 0 && selected < (gint64) n) ? (int) selected : -1;
        }

      member = json_object_get_member (layout, "zoom");
      if (member != NULL)
        {
          double zoom;

          if (!holds_type (member, G_TYPE_DOUBLE) && !holds_type (member, G_TYPE_INT64))
            return set_wrong_type (error, 0, "zoom", member, _("a number"));
          zoom = json_node_get_double (member);
          if (!isfinite (zoom))
            zoom = 1.0;
          self->zoom = CLAMP (zoom, SL_WORKSPACE_ZOOM_MIN, SL_WORKSPACE_ZOOM_MAX);
        }
    }

  return TRUE;
}

SlWorkspace *
sl_workspace_new_from_data (const char  *data,
                            gssize       length,
                            GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(SlWorkspace) self = NULL;
  g_autoptr(GError) json_error = NULL;
  const char *end = NULL;
  gsize size;
  JsonNode *root;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  size = length < 0 ? strlen (data) : (gsize) length;

  if (size > SL_WORKSPACE_MAX_FILE_SIZE)
    {
      set_damaged (error,
                   _("The workspace is %lu bytes long; workspaces are at most "
                     "%d bytes. This is not a workspace saved by Socket Lab."),
                   (unsigned long) size, SL_WORKSPACE_MAX_FILE_SIZE);
      return NULL;
    }

  if (size == 0 || data == NULL)
    {
      set_damaged (error, _("The file is empty: it is not a workspace. Open a workspace saved "
                            "by Socket Lab."));
      return NULL;
    }

  if (!g_utf8_validate_len (data, size, &end))
    {
      set_damaged (error,
                   _("The file is not UTF-8 text (byte %lu is not valid), so it "
                     "is not a workspace. Open a workspace saved by Socket Lab."),
                   (unsigned long) (end - data) + 1);
      return NULL;
    }

  if (!prescan (data, size, error))
    return NULL;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, size, &json_error))
    {
      g_autofree char *where = describe_json_error (json_error);

      set_damaged (error,
                   _("The file is not valid JSON (%s), so it is not a workspace. If you edited "
                     "it, fix it there; otherwise open a workspace saved by Socket Lab."),
                   where);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      set_damaged (error, _("The file is empty: it is not a workspace. Open a workspace saved "
                            "by Socket Lab."));
      return NULL;
    }

  self = sl_workspace_new ();
  if (!parse_root (self, root, error))
    return NULL;

  return g_steal_pointer (&self);
}

/* Files. */

gboolean
sl_workspace_save (SlWorkspace   *self,
                   GFile         *file,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autofree char *data = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length;

  g_return_val_if_fail (SL_IS_WORKSPACE (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  data = sl_workspace_to_data (self, &length);
  if (!g_file_replace_contents (file, data, length, NULL, FALSE, G_FILE_CREATE_NONE, NULL,
                                cancellable, &local_error))
    {
      g_autofree char *name = g_file_get_parse_name (file);

      g_set_error (error, local_error->domain, local_error->code,
                   _("Could not save the workspace to “%s”: %s. Choose another folder or "
                     "file name."),
                   name, local_error->message);
      return FALSE;
    }

  return TRUE;
}

SlWorkspace *
sl_workspace_load (GFile         *file,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GByteArray) data = g_byte_array_new ();
  g_autofree char *name = NULL;
  SlWorkspace *self;
  guint8 buffer[16 * 1024];

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  name = g_file_get_parse_name (file);

  stream = g_file_read (file, cancellable, &local_error);
  if (stream == NULL)
    {
      g_set_error (error, local_error->domain, local_error->code,
                   _("Could not open the workspace “%s”: %s."), name, local_error->message);
      return NULL;
    }

  /* Read at most one byte more than allowed, so a huge file is refused early. */
  for (;;)
    {
      gssize n = g_input_stream_read (G_INPUT_STREAM (stream), buffer, sizeof buffer,
                                      cancellable, &local_error);

      if (n < 0)
        {
          g_set_error (error, local_error->domain, local_error->code,
                       _("Could not read the workspace “%s”: %s."), name, local_error->message);
          return NULL;
        }
      if (n == 0)
        break;
      g_byte_array_append (data, buffer, n);
      if (data->len > SL_WORKSPACE_MAX_FILE_SIZE)
        {
          g_set_error (error, SL_ERROR, SL_ERROR_DECODE,
                       _("“%s” is larger than %d MiB, so it is not a workspace saved by Socket "
                         "Lab (they are a few kilobytes). Open a workspace file instead."),
                       name, SL_WORKSPACE_MAX_FILE_SIZE / (1024 * 1024));
          return NULL;
        }
    }

  self = sl_workspace_new_from_data ((const char *) data->data, data->len, &local_error);
  if (self == NULL)
    {
      g_set_error (error, local_error->domain, local_error->code,
                   /* Translators: the first %s is a file name, the second why it cannot be
                    * opened */
                   _("Cannot open “%s”: %s"), name, local_error->message);
      return NULL;
    }

  return self;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  SlWorkspace *self = sl_workspace_load (task_data, cancellable, &error);

  if (self == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, self, g_object_unref);
}

void
sl_workspace_load_async (GFile               *file,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sl_workspace_load_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, load_thread);
}

SlWorkspace *
sl_workspace_load_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sl_workspace_load_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
