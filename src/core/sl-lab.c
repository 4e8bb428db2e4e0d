/* sl-lab.c — guided labs: the lab file parser and the run that ticks steps
 *
 * A lab file is a GKeyFile (see docs/lab-format.md). Parsing is strict: an
 * unknown group or key, a bad value or a check that cannot be understood is
 * an error naming its line, so a teacher's typo never makes a step that can
 * never tick.
 *
 * A run watches a GListModel of SlEndpoint and the log of each. Every new log
 * row gets a sequence number and a snapshot of its endpoint (config and live
 * counters) and is kept in a bounded history; the current step's checks are
 * fed the rows in order (from an idle callback, so no signal of ours is ever
 * emitted from inside the engine), and endpoint checks look at the endpoints
 * whenever something changed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>

#include "sl-lab.h"

#include "sl-codec.h"
#include "sl-endpoint.h"
#include "sl-enum-types.h"
#include "sl-error.h"
#include "sl-tcp-state.h"

#define MAX_STEPS        30
#define MAX_ALTERNATIVES 8
#define MAX_CONDITIONS   24
#define MAX_SUGGESTIONS  4
#define HISTORY_MAX      4096
#define HISTORY_MAX_BYTES (16 * 1024 * 1024) /* payloads kept alive by the history */
#define PROGRESS_PREFIX  "socketlab-lab-progress:1:"

/* ---- the check language -------------------------------------------------- */

typedef enum
{
  OP_EQ,
  OP_NE,
  OP_GE,
  OP_LE,
  OP_GT,
  OP_LT,
  OP_MATCH,
} Op;

typedef enum
{
  /* Log rows only. */
  COND_KIND,
  COND_CALL,
  COND_ERROR,
  COND_BYTES,
  COND_PAYLOAD,
  COND_PAYLOAD_IS,
  COND_SUMMARY,
  COND_RESULT,
  COND_TCP_STATE,
  COND_TCP_STATE_FROM,
  COND_COUNT,
  COND_CONNECTIONS,
  COND_SAME_AS,
  COND_UPPER_OF,
  COND_PART_OF,
  COND_JOINS,
  COND_SAME_CALL,
  COND_OTHER_CONNECTION,
  /* Endpoint settings. */
  COND_PROTOCOL,
  COND_ROLE,
  COND_FAMILY,
  COND_IO_MODE,
  COND_REPLY,
  COND_ENCODING,
  COND_AUTH,
  COND_REUSEADDR,
  COND_CLOSE_ON_EOF,
  COND_BUFSIZE,
  COND_BACKLOG,
  COND_MAX_CLIENTS,
  /* Endpoint live values. */
  COND_STATE,
  COND_N_CONNECTIONS,
  COND_ACCEPT_QUEUE,
  COND_BYTES_IN,
  COND_BYTES_OUT,
  COND_MESSAGES_IN,
  COND_MESSAGES_OUT,
  COND_PENDING,
} CondId;

typedef enum
{
  VALUE_ENUM,      /* nicks of an enum type, comma-separated alternatives */
  VALUE_NUMBER,
  VALUE_BOOLEAN,
  VALUE_NAME,      /* Python identifiers (call names), comma-separated */
  VALUE_ERRNO,     /* errno names, none or any */
  VALUE_TCP_STATE, /* LISTEN, ESTABLISHED … */
  VALUE_ENCODING,  /* text, base64, hex, json */
  VALUE_TEXT,      /* exact text (=) or a regular expression (~=) */
  VALUE_STEP,      /* an earlier step's number */
} ValueType;

typedef struct
{
  const char *name;
  CondId      id;
  ValueType   type;
  GType     (*enum_type) (void);
  gboolean    log_only;
} CondInfo;

static const CondInfo conditions[] = {
  { "kind", COND_KIND, VALUE_ENUM, sl_log_kind_get_type, TRUE },
  { "call", COND_CALL, VALUE_NAME, NULL, TRUE },
  { "error", COND_ERROR, VALUE_ERRNO, NULL, TRUE },
  { "bytes", COND_BYTES, VALUE_NUMBER, NULL, TRUE },
  { "payload", COND_PAYLOAD, VALUE_TEXT, NULL, TRUE },
  { "payload-is", COND_PAYLOAD_IS, VALUE_ENCODING, NULL, TRUE },
  { "summary", COND_SUMMARY, VALUE_TEXT, NULL, TRUE },
  { "result", COND_RESULT, VALUE_TEXT, NULL, TRUE },
  { "tcp-state", COND_TCP_STATE, VALUE_TCP_STATE, NULL, TRUE },
  { "tcp-state-from", COND_TCP_STATE_FROM, VALUE_TCP_STATE, NULL, TRUE },
  { "count", COND_COUNT, VALUE_NUMBER, NULL, TRUE },
  { "connections", COND_CONNECTIONS, VALUE_NUMBER, NULL, TRUE },
  { "same-as", COND_SAME_AS, VALUE_STEP, NULL, TRUE },
  { "upper-of", COND_UPPER_OF, VALUE_STEP, NULL, TRUE },
  { "part-of", COND_PART_OF, VALUE_STEP, NULL, TRUE },
  { "joins", COND_JOINS, VALUE_STEP, NULL, TRUE },
  { "same-call", COND_SAME_CALL, VALUE_STEP, NULL, TRUE },
  { "other-connection", COND_OTHER_CONNECTION, VALUE_STEP, NULL, TRUE },
  { "protocol", COND_PROTOCOL, VALUE_ENUM, sl_protocol_get_type, FALSE },
  { "role", COND_ROLE, VALUE_ENUM, sl_role_get_type, FALSE },
  { "family", COND_FAMILY, VALUE_ENUM, sl_family_get_type, FALSE },
  { "io-mode", COND_IO_MODE, VALUE_ENUM, sl_io_mode_get_type, FALSE },
  { "reply", COND_REPLY, VALUE_ENUM, sl_reply_mode_get_type, FALSE },
  { "encoding", COND_ENCODING, VALUE_ENUM, sl_encoding_get_type, FALSE },
  { "auth", COND_AUTH, VALUE_ENUM, sl_auth_mode_get_type, FALSE },
  { "reuseaddr", COND_REUSEADDR, VALUE_BOOLEAN, NULL, FALSE },
  { "close-on-eof", COND_CLOSE_ON_EOF, VALUE_BOOLEAN, NULL, FALSE },
  { "bufsize", COND_BUFSIZE, VALUE_NUMBER, NULL, FALSE },
  { "backlog", COND_BACKLOG, VALUE_NUMBER, NULL, FALSE },
  { "max-clients", COND_MAX_CLIENTS, VALUE_NUMBER, NULL, FALSE },
  { "state", COND_STATE, VALUE_ENUM, sl_endpoint_state_get_type, FALSE },
  { "n-connections", COND_N_CONNECTIONS, VALUE_NUMBER, NULL, FALSE },
  { "accept-queue", COND_ACCEPT_QUEUE, VALUE_NUMBER, NULL, FALSE },
  { "bytes-in", COND_BYTES_IN, VALUE_NUMBER, NULL, FALSE },
  { "bytes-out", COND_BYTES_OUT, VALUE_NUMBER, NULL, FALSE },
  { "messages-in", COND_MESSAGES_IN, VALUE_NUMBER, NULL, FALSE },
  { "messages-out", COND_MESSAGES_OUT, VALUE_NUMBER, NULL, FALSE },
  { "pending", COND_PENDING, VALUE_NAME, NULL, FALSE },
};

typedef struct
{
  const CondInfo *info;
  Op              op;
  gint64          number;  /* numbers, booleans, step indexes (0-based) */
  GStrv           values;  /* names, nicks, errno names, exact text */
  GRegex         *regex;
} Cond;

typedef struct
{
  gboolean   endpoint;     /* an endpoint check; else a log check */
  GPtrArray *conds;        /* Cond */
  guint      count_min;
  guint      connections_min;
} Alt;

typedef struct
{
  char             *title;
  char             *instructions;
  char             *hint;
  char             *check;
  gboolean          since_start;
  GPtrArray        *alts;        /* Alt */
  GPtrArray        *suggestions; /* SlEndpointConfig */
} Step;

struct _SlLab
{
  gatomicrefcount  ref_count;
  char            *id;
  char            *title;
  char            *goal;
  char            *why;
  char            *tutorial;
  GPtrArray       *steps;        /* Step */
  gboolean         pending_in_log; /* a log check uses pending= */
};

G_DEFINE_BOXED_TYPE (SlLab, sl_lab, sl_lab_ref, sl_lab_unref)

static void
cond_free (Cond *cond)
{
  g_strfreev (cond->values);
  g_clear_pointer (&cond->regex, g_regex_unref);
  g_free (cond);
}

static void
alt_free (Alt *alt)
{
  g_ptr_array_unref (alt->conds);
  g_free (alt);
}

static void
step_free (Step *step)
{
  g_free (step->title);
  g_free (step->instructions);
  g_free (step->hint);
  g_free (step->check);
  g_clear_pointer (&step->alts, g_ptr_array_unref);
  g_clear_pointer (&step->suggestions, g_ptr_array_unref);
  g_free (step);
}

SlLab *
sl_lab_ref (SlLab *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
sl_lab_unref (SlLab *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->id);
  g_free (self->title);
  g_free (self->goal);
  g_free (self->why);
  g_free (self->tutorial);
  g_ptr_array_unref (self->steps);
  g_free (self);
}

/* ---- errors with line numbers --------------------------------------------- */

static void
set_error (GError     **error,
           guint        line,
           const char  *format,
           ...) G_GNUC_PRINTF (3, 4);

static void
set_error (GError     **error,
           guint        line,
           const char  *format,
           ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (line > 0)
    /* Translators: the prefix of every lab file error; %u is a line number. */
    g_set_error (error, SL_ERROR, SL_ERROR_DECODE, _("line %u: %s"), line, message);
  else
    g_set_error_literal (error, SL_ERROR, SL_ERROR_DECODE, message);
}

/* One line of the file with its number; the text excludes the newline and a
 * trailing '\r'. */
typedef struct
{
  const char *text;
  gsize       len;
  guint       number;
} Line;

static gboolean
next_line (const char **cursor,
           const char  *end,
           Line        *line)
{
  const char *start = *cursor;
  const char *newline;

  if (start >= end)
    return FALSE;

  newline = memchr (start, '\n', end - start);
  line->text = start;
  line->len = (newline != NULL ? newline : end) - start;
  line->number++;
  *cursor = newline != NULL ? newline + 1 : end;
  if (line->len > 0 && line->text[line->len - 1] == '\r')
    line->len--;
  return TRUE;
}

static void
trim (const char **text,
      gsize       *len)
{
  while (*len > 0 && g_ascii_isspace ((*text)[0]))
    {
      (*text)++;
      (*len)--;
    }
  while (*len > 0 && g_ascii_isspace ((*text)[*len - 1]))
    (*len)--;
}

/* The line of "[group]" (@key NULL) or of "key=" in that group, or 0. */
static guint
find_line (const char *data,
           gsize       len,
           const char *group,
           const char *key)
{
  const char *cursor = data;
  const char *end = data + len;
  gboolean in_group = FALSE;
  Line line = { 0, };

  while (next_line (&cursor, end, &line))
    {
      const char *text = line.text;
      gsize n = line.len;

      trim (&text, &n);
      if (n == 0 || text[0] == '#')
        continue;
      if (text[0] == '[')
        {
          in_group = n >= 2 && text[n - 1] == ']' && strlen (group) == n - 2 &&
                     strncmp (text + 1, group, n - 2) == 0;
          if (in_group && key == NULL)
            return line.number;
          continue;
        }
      if (in_group && key != NULL)
        {
          const char *equals = memchr (text, '=', n);
          gsize key_len;

          if (equals == NULL)
            continue;
          key_len = equals - text;
          while (key_len > 0 && g_ascii_isspace (text[key_len - 1]))
            key_len--;
          if (key_len == strlen (key) && strncmp (text, key, key_len) == 0)
            return line.number;
        }
    }
  return 0;
}

static gboolean
is_key_name (const char *text,
             gsize       len)
{
  gsize i = 0;

  while (i < len && (g_ascii_isalnum (text[i]) || text[i] == '-'))
    i++;
  if (i == 0)
    return FALSE;
  if (i == len)
    return TRUE;
  if (text[i] != '[' || text[len - 1] != ']' || len - i < 3)
    return FALSE;
  for (i++; i < len - 1; i++)
    if (!g_ascii_isalnum (text[i]) && strchr ("_@.-", text[i]) == NULL)
      return FALSE;
  return TRUE;
}

/* Checks the shape of every line before GKeyFile reads the text, so that a
 * syntax error has its line number, and refuses duplicates (GKeyFile merges
 * them silently). */
static gboolean
check_syntax (const char  *data,
              gsize        len,
              GError     **error)
{
  g_autoptr(GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *group = NULL;
  const char *cursor = data;
  const char *end = data + len;
  Line line = { 0, };

  while (next_line (&cursor, end, &line))
    {
      const char *text = line.text;
      gsize n = line.len;

      if (memchr (text, '\0', n) != NULL)
        {
          set_error (error, line.number,
                     _("the file contains a NUL byte: a lab file is plain UTF-8 text. Open it "
                       "in a text editor and save it as text."));
          return FALSE;
        }
      if (!g_utf8_validate (text, n, NULL))
        {
          set_error (error, line.number,
                     _("the text is not valid UTF-8. Save the file with the UTF-8 encoding."));
          return FALSE;
        }

      trim (&text, &n);
      if (n == 0 || text[0] == '#')
        continue;

      if (text[0] == '[')
        {
          g_autofree char *name = NULL;

          if (n < 3 || text[n - 1] != ']' || memchr (text + 1, '[', n - 2) != NULL ||
              memchr (text + 1, ']', n - 2) != NULL)
            {
              g_autofree char *shown = g_strndup (text, n);

              set_error (error, line.number,
                         _("“%s” is not a group header. Write a group as [Lab] or "
                           "[Step 1] on a line of its own."),
                         shown);
              return FALSE;
            }
          name = g_strndup (text + 1, n - 2);
          if (g_hash_table_contains (groups, name))
            {
              set_error (error, line.number,
                         _("the group [%s] appears twice. Merge the two into one."), name);
              return FALSE;
            }
          g_hash_table_add (groups, g_strdup (name));
          g_hash_table_remove_all (keys);
          g_free (group);
          group = g_steal_pointer (&name);
          continue;
        }

      {
        const char *equals = memchr (text, '=', n);
        g_autofree char *key = NULL;
        gsize key_len;

        if (equals == NULL)
          {
            g_autofree char *shown = g_utf8_make_valid (text, MIN (n, 60));

            set_error (error, line.number,
                       _("“%s” is not a Key=value line. Every line is a [Group], a Key=value "
                         "pair, a # comment or empty; continue long texts with \\n instead of "
                         "a new line."),
                       shown);
            return FALSE;
          }
        key_len = equals - text;
        while (key_len > 0 && g_ascii_isspace (text[key_len - 1]))
          key_len--;
        key = g_strndup (text, key_len);
        if (!is_key_name (text, key_len))
          {
            set_error (error, line.number,
                       _("“%s” is not a valid key name. Keys are letters, digits and '-', "
                         "optionally followed by a locale such as [zh_CN]."),
                       key);
            return FALSE;
          }
        if (group == NULL)
          {
            set_error (error, line.number,
                       _("the key “%s” comes before any group. A lab file starts with "
                         "[Lab]."),
                       key);
            return FALSE;
          }
        if (g_hash_table_contains (keys, key))
          {
            set_error (error, line.number,
                       _("the key “%s” appears twice in [%s]. Keep one of them."), key, group);
            return FALSE;
          }
        g_hash_table_add (keys, g_steal_pointer (&key));
      }
    }

  return TRUE;
}

/* ---- parsing the check language ------------------------------------------ */

static char *
join_condition_names (gboolean endpoint)
{
  GString *names = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (conditions); i++)
    {
      if (endpoint && conditions[i].log_only)
        continue;
      if (names->len > 0)
        g_string_append (names, ", ");
      g_string_append (names, conditions[i].name);
    }
  return g_string_free (names, FALSE);
}

static char *
join_enum_nicks (GType type)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GString *nicks = g_string_new (NULL);

  for (guint i = 0; i < klass->n_values; i++)
    {
      if (nicks->len > 0)
        g_string_append (nicks, ", ");
      g_string_append (nicks, klass->values[i].value_nick);
    }
  return g_string_free (nicks, FALSE);
}

static gboolean
is_errno_name (const char *name)
{
  for (int i = 1; i < 200; i++)
    {
      const char *known = strerrorname_np (i);

      if (known != NULL && strcmp (known, name) == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
is_tcp_state_name (const char *name)
{
  for (int state = SL_TCP_STATE_CLOSED; state <= SL_TCP_STATE_TIME_WAIT; state++)
    if (g_ascii_strcasecmp (sl_tcp_state_to_string (state), name) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
is_identifier (const char *name)
{
  if (name[0] == '\0' || g_ascii_isdigit (name[0]))
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_')
      return FALSE;
  return TRUE;
}

/* Splits a Check= value into tokens: whitespace separates them; "…" quotes
 * (anywhere in a token) keep spaces, with \" and \\ inside. */
static GPtrArray *
tokenize (const char  *text,
          guint        line,
          GError     **error)
{
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);
  const char *p = text;

  for (;;)
    {
      g_autoptr(GString) token = NULL;

      while (g_ascii_isspace (*p))
        p++;
      if (*p == '\0')
        break;

      token = g_string_new (NULL);
      while (*p != '\0' && !g_ascii_isspace (*p))
        {
          if (*p != '"')
            {
              g_string_append_c (token, *p++);
              continue;
            }
          for (p++; *p != '"'; p++)
            {
              if (*p == '\0')
                {
                  set_error (error, line,
                             _("Check= has a quote \" that is never closed. Close it, or write "
                               "\\\" for a quote inside a value."));
                  return NULL;
                }
              if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
                p++;
              g_string_append_c (token, *p);
            }
          p++;
        }
      g_ptr_array_add (tokens, g_string_free (g_steal_pointer (&token), FALSE));
    }

  return g_steal_pointer (&tokens);
}

static const CondInfo *
find_condition (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (conditions); i++)
    if (strcmp (conditions[i].name, name) == 0)
      return &conditions[i];
  return NULL;
}

static gboolean
parse_number (const char *text,
              gint64     *number)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT32, &value, NULL))
    return FALSE;
  *number = (gint64) value;
  return TRUE;
}

static Cond *
parse_condition (const char  *token,
                 gboolean     endpoint,
                 guint        step_index,
                 GPtrArray   *steps,
                 guint        line,
                 GError     **error)
{
  static const struct { const char *text; Op op; } ops[] = {
    { "~=", OP_MATCH }, { "!=", OP_NE }, { ">=", OP_GE }, { "<=", OP_LE },
    { "=", OP_EQ }, { ">", OP_GT }, { "<", OP_LT },
  };
  g_autofree char *name = NULL;
  const char *value = NULL;
  const char *op_text = NULL;
  const CondInfo *info;
  gsize name_len = 0;
  Cond *cond;
  Op op = OP_EQ;

  while (g_ascii_isalnum (token[name_len]) || token[name_len] == '-')
    name_len++;
  name = g_strndup (token, name_len);

  for (guint i = 0; i < G_N_ELEMENTS (ops); i++)
    if (g_str_has_prefix (token + name_len, ops[i].text))
      {
        op = ops[i].op;
        op_text = ops[i].text;
        value = token + name_len + strlen (op_text);
        break;
      }

  info = name_len > 0 ? find_condition (name) : NULL;
  if (info == NULL)
    {
      g_autofree char *known = join_condition_names (endpoint);

      set_error (error, line,
                 _("Check= uses the unknown condition “%s”; known conditions are: %s."),
                 name_len > 0 ? name : token, known);
      return NULL;
    }
  if (value == NULL)
    {
      set_error (error, line,
                 _("Check= condition “%s” has no operator and value. Write it as %s=value."),
                 token, name);
      return NULL;
    }
  if (endpoint && info->log_only)
    {
      set_error (error, line,
                 _("Check= condition “%s” looks at log rows, so it can only be used in a "
                   "“log” check, not in an “endpoint” check."),
                 name);
      return NULL;
    }
  if (value[0] == '\0')
    {
      set_error (error, line, _("Check= condition “%s” has an empty value. Give a value after "
                                "“%s”."),
                 name, op_text);
      return NULL;
    }

  /* Which operators each kind of value takes. */
  if ((op == OP_MATCH && info->type != VALUE_TEXT) ||
      (op != OP_EQ && op != OP_NE && op != OP_MATCH && info->type != VALUE_NUMBER) ||
      (info->type == VALUE_STEP && op != OP_EQ) ||
      (info->type == VALUE_TEXT && op != OP_EQ && op != OP_MATCH) ||
      ((info->id == COND_COUNT || info->id == COND_CONNECTIONS) && op != OP_GE))
    {
      const char *allowed;

      if (info->id == COND_COUNT || info->id == COND_CONNECTIONS)
        allowed = ">=";
      else if (info->type == VALUE_NUMBER)
        allowed = "=, !=, >=, <=, >, <";
      else if (info->type == VALUE_TEXT)
        allowed = "=, ~=";
      else if (info->type == VALUE_STEP)
        allowed = "=";
      else
        allowed = "=, !=";
      set_error (error, line,
                 _("Check= condition “%s” cannot use the operator “%s”; use one of: %s."),
                 name, op_text, allowed);
      return NULL;
    }

  cond = g_new0 (Cond, 1);
  cond->info = info;
  cond->op = op;

  switch (info->type)
    {
    case VALUE_NUMBER:
      if (!parse_number (value, &cond->number))
        {
          set_error (error, line,
                     _("Check= condition “%s” needs a whole number from 0 up, not “%s”."),
                     name, value);
          cond_free (cond);
          return NULL;
        }
      break;

    case VALUE_BOOLEAN:
      if (strcmp (value, "true") == 0)
        cond->number = 1;
      else if (strcmp (value, "false") == 0)
        cond->number = 0;
      else
        {
          set_error (error, line,
                     _("Check= condition “%s” takes true or false, not “%s”."), name, value);
          cond_free (cond);
          return NULL;
        }
      break;

    case VALUE_STEP:
      {
        Step *target;
        gboolean has_log = FALSE;

        if (!parse_number (value, &cond->number) || cond->number < 1 ||
            (guint64) cond->number > step_index)
          {
            set_error (error, line,
                       _("Check= condition “%s” must name an earlier step, from 1 to %u, not "
                         "“%s”."),
                       name, step_index, value);
            cond_free (cond);
            return NULL;
          }
        cond->number--;
        target = g_ptr_array_index (steps, cond->number);
        for (guint i = 0; i < target->alts->len; i++)
          if (!((Alt *) g_ptr_array_index (target->alts, i))->endpoint)
            has_log = TRUE;
        if (!has_log)
          {
            set_error (error, line,
                       _("Check= condition “%s” compares with step %s, but that step's check "
                         "looks at endpoints, not at log rows. Refer to a step with a “log” "
                         "check."),
                       name, value);
            cond_free (cond);
            return NULL;
          }
      }
      break;

    case VALUE_TEXT:
      if (op == OP_MATCH)
        {
          g_autoptr(GError) regex_error = NULL;

          cond->regex = g_regex_new (value, G_REGEX_RAW | G_REGEX_OPTIMIZE, 0, &regex_error);
          if (cond->regex == NULL)
            {
              set_error (error, line,
                         _("Check= condition “%s” has a regular expression that does not "
                           "compile: %s"),
                         name, regex_error->message);
              cond_free (cond);
              return NULL;
            }
        }
      else
        {
          cond->values = g_new0 (char *, 2);
          cond->values[0] = g_strdup (value);
        }
      break;

    case VALUE_ENUM:
    case VALUE_NAME:
    case VALUE_ERRNO:
    case VALUE_TCP_STATE:
    case VALUE_ENCODING:
      cond->values = g_strsplit (value, ",", -1);
      for (guint i = 0; cond->values[i] != NULL; i++)
        {
          const char *item = cond->values[i];
          g_autofree char *known = NULL;
          gboolean ok;

          switch (info->type)
            {
            case VALUE_ENUM:
              {
                g_autoptr(GEnumClass) klass = g_type_class_ref (info->enum_type ());

                ok = g_enum_get_value_by_nick (klass, item) != NULL;
                if (!ok)
                  known = join_enum_nicks (info->enum_type ());
              }
              break;
            case VALUE_NAME:
              ok = is_identifier (item);
              if (!ok)
                known = g_strdup (_("a Python name such as bind, accept, recv or sendto"));
              break;
            case VALUE_ERRNO:
              ok = strcmp (item, "none") == 0 || strcmp (item, "any") == 0 ||
                   is_errno_name (item);
              if (!ok)
                known = g_strdup (_("none, any, or an errno name such as ECONNRESET, "
                                    "EADDRINUSE, EAGAIN or ETIMEDOUT"));
              break;
            case VALUE_TCP_STATE:
              ok = is_tcp_state_name (item);
              if (!ok)
                known = g_strdup ("CLOSED, LISTEN, SYN_SENT, SYN_RCVD, ESTABLISHED, FIN_WAIT_1, "
                                  "FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT");
              break;
            case VALUE_ENCODING:
            default:
              {
                SlEncoding encoding;

                ok = sl_encoding_from_string (item, &encoding);
                if (!ok)
                  known = g_strdup ("text, base64, hex, json");
              }
              break;
            }

          if (!ok)
            {
              set_error (error, line,
                         _("Check= condition “%s” has the unknown value “%s”; known values "
                           "are: %s."),
                         name, item, known);
              cond_free (cond);
              return NULL;
            }
        }
      break;

    default:
      g_assert_not_reached ();
    }

  return cond;
}

static GPtrArray *
parse_check (const char  *text,
             guint        step_index,
             GPtrArray   *steps,
             guint        line,
             gboolean    *pending_in_log,
             GError     **error)
{
  g_autoptr(GPtrArray) tokens = tokenize (text, line, error);
  g_autoptr(GPtrArray) alts = g_ptr_array_new_with_free_func ((GDestroyNotify) alt_free);
  Alt *alt = NULL;

  if (tokens == NULL)
    return NULL;

  for (guint i = 0; i <= tokens->len; i++)
    {
      const char *token = i < tokens->len ? g_ptr_array_index (tokens, i) : NULL;
      Cond *cond;

      if (token == NULL || strcmp (token, "|") == 0)
        {
          if (alt == NULL)
            {
              set_error (error, line,
                         _("Check= needs a check on each side of “|” and cannot be empty: "
                           "start each check with “log” or “endpoint”."));
              return NULL;
            }
          alt = NULL;
          continue;
        }

      if (alt == NULL)
        {
          if (strcmp (token, "log") != 0 && strcmp (token, "endpoint") != 0)
            {
              set_error (error, line,
                         _("Check= must start with “log” (a row of the call trace) or "
                           "“endpoint” (a running endpoint), not “%s”."),
                         token);
              return NULL;
            }
          if (alts->len == MAX_ALTERNATIVES)
            {
              set_error (error, line, _("Check= has more than %u alternatives joined by “|”."),
                         MAX_ALTERNATIVES);
              return NULL;
            }
          alt = g_new0 (Alt, 1);
          alt->endpoint = strcmp (token, "endpoint") == 0;
          alt->conds = g_ptr_array_new_with_free_func ((GDestroyNotify) cond_free);
          alt->count_min = 1;
          g_ptr_array_add (alts, alt);
          continue;
        }

      if (alt->conds->len == MAX_CONDITIONS)
        {
          set_error (error, line, _("Check= has more than %u conditions in one check."),
                     MAX_CONDITIONS);
          return NULL;
        }
      cond = parse_condition (token, alt->endpoint, step_index, steps, line, error);
      if (cond == NULL)
        return NULL;
      if (cond->info->id == COND_PENDING && !alt->endpoint)
        *pending_in_log = TRUE;
      if (cond->info->id == COND_COUNT)
        alt->count_min = MAX (1, (guint) cond->number);
      if (cond->info->id == COND_CONNECTIONS)
        alt->connections_min = (guint) cond->number;
      g_ptr_array_add (alt->conds, cond);
    }

  return g_steal_pointer (&alts);
}

/* Suggest=protocol=tcp role=server reply-mode=upper;… : properties of
 * SlEndpointConfig by name, values as on the command line (enum nicks). */
static SlEndpointConfig *
parse_suggestion (const char  *text,
                  guint        line,
                  GError     **error)
{
  g_autoptr(SlEndpointConfig) config = sl_endpoint_config_new ();
  g_autoptr(GPtrArray) tokens = tokenize (text, line, error);
  GObjectClass *klass = G_OBJECT_GET_CLASS (config);
  gboolean reply_given = FALSE;

  if (tokens == NULL)
    return NULL;

  for (guint i = 0; i < tokens->len; i++)
    {
      const char *token = g_ptr_array_index (tokens, i);
      const char *equals = strchr (token, '=');
      g_autofree char *name = g_strndup (token, equals != NULL ? (gsize) (equals - token)
                                                               : strlen (token));
      const char *value = equals != NULL ? equals + 1 : NULL;
      GParamSpec *pspec = g_object_class_find_property (klass, name);
      g_auto(GValue) gvalue = G_VALUE_INIT;
      gboolean ok = value != NULL;

      if (pspec == NULL || value == NULL)
        {
          set_error (error, line,
                     _("Suggest= has “%s”; write setting=value with a setting of the endpoint "
                       "form: protocol, role, family, host, port, path, backlog, reuseaddr, "
                       "bufsize, max-clients, io-mode, timeout, reply-mode, reply-text, "
                       "encoding, auth, salt."),
                     token);
          return NULL;
        }

      g_value_init (&gvalue, pspec->value_type);
      if (G_TYPE_IS_ENUM (pspec->value_type))
        {
          g_autoptr(GEnumClass) enum_class = g_type_class_ref (pspec->value_type);
          GEnumValue *enum_value = g_enum_get_value_by_nick (enum_class, value);

          ok = enum_value != NULL;
          if (ok)
            g_value_set_enum (&gvalue, enum_value->value);
        }
      else if (pspec->value_type == G_TYPE_INT)
        {
          gint64 number;

          ok = g_ascii_string_to_signed (value, 10, G_MININT, G_MAXINT, &number, NULL);
          if (ok)
            g_value_set_int (&gvalue, (int) number);
        }
      else if (pspec->value_type == G_TYPE_BOOLEAN)
        {
          ok = strcmp (value, "true") == 0 || strcmp (value, "false") == 0;
          g_value_set_boolean (&gvalue, strcmp (value, "true") == 0);
        }
      else if (pspec->value_type == G_TYPE_DOUBLE)
        {
          char *end = NULL;
          double number = g_ascii_strtod (value, &end);

          ok = end != value && *end == '\0';
          g_value_set_double (&gvalue, number);
        }
      else if (pspec->value_type == G_TYPE_STRING)
        g_value_set_string (&gvalue, value);
      else
        ok = FALSE;

      if (!ok)
        {
          set_error (error, line,
                     _("Suggest= gives “%s” the value “%s”, which it does not take."),
                     name, value);
          return NULL;
        }
      g_object_set_property (G_OBJECT (config), name, &gvalue);
      if (strcmp (name, "reply-mode") == 0)
        reply_given = TRUE;
    }

  /* As the endpoint form does: a client that answered by itself would
   * ping-pong with an echo or uppercase server forever. */
  if (!reply_given && sl_endpoint_config_get_role (config) == SL_ROLE_CLIENT)
    sl_endpoint_config_set_reply_mode (config, SL_REPLY_NONE);

  return g_steal_pointer (&config);
}

/* ---- parsing the file ----------------------------------------------------- */

static const char *const lab_keys[] = { "Format", "Id", "Title", "Goal", "Why", "Tutorial", NULL };
static const char *const lab_localized[] = { "Title", "Goal", "Why", NULL };
static const char *const step_keys[] = { "Title", "Instructions", "Hint", "Check", "Order",
                                         "Suggest", NULL };
static const char *const step_localized[] = { "Title", "Instructions", "Hint", NULL };

/* "Step 12" → 12; 0 when @group is not a step group. */
static guint
step_number (const char *group)
{
  guint64 number;

  if (!g_str_has_prefix (group, "Step ") || group[5] == '0')
    return 0;
  if (!g_ascii_string_to_unsigned (group + 5, 10, 1, MAX_STEPS, &number, NULL))
    return 0;
  return (guint) number;
}

static gboolean
check_keys (GKeyFile    *keyfile,
            const char  *data,
            gsize        len,
            const char  *group,
            const char  *const *known,
            const char  *const *localized,
            GError     **error)
{
  g_auto(GStrv) keys = g_key_file_get_keys (keyfile, group, NULL, NULL);

  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      const char *bracket = strchr (keys[i], '[');
      g_autofree char *base = g_strndup (keys[i], bracket != NULL ? (gsize) (bracket - keys[i])
                                                                  : strlen (keys[i]));
      guint line = find_line (data, len, group, keys[i]);

      if (!g_strv_contains (known, base))
        {
          g_autofree char *names = g_strjoinv (", ", (GStrv) known);

          set_error (error, line, _("unknown key “%s” in [%s]; known keys are: %s."),
                     base, group, names);
          return FALSE;
        }
      if (bracket != NULL && !g_strv_contains (localized, base))
        {
          g_autofree char *names = g_strjoinv (", ", (GStrv) localized);

          set_error (error, line,
                     _("“%s” cannot be translated: only %s take a [locale]. Remove “%s”."),
                     base, names, keys[i]);
          return FALSE;
        }
    }
  return TRUE;
}

static char *
get_text (GKeyFile    *keyfile,
          const char  *data,
          gsize        len,
          const char  *group,
          const char  *key,
          const char  *locale,
          gboolean     required,
          GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  char *value;

  if (!g_key_file_has_key (keyfile, group, key, NULL))
    {
      if (required)
        set_error (error, find_line (data, len, group, NULL),
                   _("[%s] has no %s= key. Add it: it is required."), group, key);
      return NULL;
    }

  /* GLib 2.74 warns (a GError set twice) and still returns a value when an
   * escape is cut off at the end of the line: check the raw text first. */
  {
    g_autofree char *used = g_key_file_get_locale_for_key (keyfile, group, key, locale);
    g_autofree char *raw_key = used != NULL ? g_strdup_printf ("%s[%s]", key, used)
                                            : g_strdup (key);
    g_autofree char *raw = g_key_file_get_value (keyfile, group, raw_key, NULL);

    for (const char *p = raw; p != NULL && *p != '\0'; p++)
      if (*p == '\\')
        {
          if (p[1] == '\0' || strchr ("sntr\\", p[1]) == NULL)
            {
              set_error (error, find_line (data, len, group, key),
                         _("the value of %s has a backslash that starts no escape. Write "
                           "\\\\ for a backslash, or \\n, \\t, \\r or \\s."), raw_key);
              return NULL;
            }
          p++;
        }
  }

  value = g_key_file_get_locale_string (keyfile, group, key, locale, &local_error);
  if (value == NULL)
    {
      set_error (error, find_line (data, len, group, key),
                 _("the value of %s cannot be read: %s"), key, local_error->message);
      return NULL;
    }
  if (required && g_strstrip (value)[0] == '\0')
    {
      set_error (error, find_line (data, len, group, key),
                 _("%s= is empty in [%s]. Write the text after the '='."), key, group);
      g_free (value);
      return NULL;
    }
  return value;
}

static gboolean
parse_step (SlLab       *lab,
            GKeyFile    *keyfile,
            const char  *data,
            gsize        len,
            guint        index,
            const char  *locale,
            GError     **error)
{
  g_autofree char *group = g_strdup_printf ("Step %u", index + 1);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *order = NULL;
  g_auto(GStrv) suggest = NULL;
  Step *step = g_new0 (Step, 1);

  g_ptr_array_add (lab->steps, step);
  step->suggestions = g_ptr_array_new_with_free_func (g_object_unref);

  if (!check_keys (keyfile, data, len, group, step_keys, step_localized, error))
    return FALSE;

  step->title = get_text (keyfile, data, len, group, "Title", locale, TRUE, error);
  if (step->title == NULL)
    return FALSE;
  step->instructions = get_text (keyfile, data, len, group, "Instructions", locale, TRUE, error);
  if (step->instructions == NULL)
    return FALSE;
  step->hint = get_text (keyfile, data, len, group, "Hint", locale, FALSE, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (step->hint != NULL && step->hint[0] == '\0')
    g_clear_pointer (&step->hint, g_free);

  /* The check is taken literally: no GKeyFile escapes, so that regular
   * expressions keep their backslashes. */
  step->check = g_key_file_get_value (keyfile, group, "Check", NULL);
  if (step->check == NULL || g_strstrip (step->check)[0] == '\0')
    {
      guint line = step->check == NULL ? find_line (data, len, group, NULL)
                                       : find_line (data, len, group, "Check");

      set_error (error, line,
                 _("[%s] has no Check=: every step needs a check that says which event ticks "
                   "it, for example Check=endpoint protocol=tcp role=server state=listening."),
                 group);
      return FALSE;
    }
  step->alts = parse_check (step->check, index, lab->steps,
                            find_line (data, len, group, "Check"), &lab->pending_in_log, error);
  if (step->alts == NULL)
    return FALSE;

  order = g_key_file_get_value (keyfile, group, "Order", NULL);
  if (order != NULL)
    {
      g_strstrip (order);
      if (strcmp (order, "since-start") == 0)
        step->since_start = TRUE;
      else if (strcmp (order, "after-previous") != 0)
        {
          set_error (error, find_line (data, len, group, "Order"),
                     _("Order= takes after-previous (the default: only events after the "
                       "previous step count) or since-start, not “%s”."),
                     order);
          return FALSE;
        }
    }

  suggest = g_key_file_get_string_list (keyfile, group, "Suggest", NULL, NULL);
  for (guint i = 0; suggest != NULL && suggest[i] != NULL; i++)
    {
      guint line = find_line (data, len, group, "Suggest");
      SlEndpointConfig *config;

      if (g_strstrip (suggest[i])[0] == '\0')
        continue;
      if (step->suggestions->len == MAX_SUGGESTIONS)
        {
          set_error (error, line, _("Suggest= has more than %u endpoints."), MAX_SUGGESTIONS);
          return FALSE;
        }
      config = parse_suggestion (suggest[i], line, error);
      if (config == NULL)
        return FALSE;
      g_ptr_array_add (step->suggestions, config);
    }

  return TRUE;
}

static GKeyFile *
load_keyfile (const char  *data,
              gsize        len,
              GError     **error)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;

  if (!check_syntax (data, len, error))
    return NULL;
  if (!g_key_file_load_from_data (keyfile, data, len, G_KEY_FILE_KEEP_TRANSLATIONS,
                                  &local_error))
    {
      set_error (error, 0, _("The file cannot be read as a lab file: %s"), local_error->message);
      return NULL;
    }
  return g_steal_pointer (&keyfile);
}

static SlLab *
parse_lab (const char  *data,
           gsize        len,
           const char  *locale,
           GError     **error)
{
  g_autoptr(GKeyFile) keyfile = NULL;
  g_autoptr(SlLab) lab = NULL;
  g_auto(GStrv) groups = NULL;
  g_autofree char *format = NULL;
  guint64 format_number;
  guint n_steps = 0;
  guint line;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  if (data == NULL)
    data = "";
  if (len == (gsize) -1)
    len = strlen (data);

  keyfile = load_keyfile (data, len, error);
  if (keyfile == NULL)
    return NULL;

  if (!g_key_file_has_group (keyfile, "Lab"))
    {
      set_error (error, 1,
                 _("there is no [Lab] group. A lab file starts with [Lab] and its Format=1, "
                   "Id, Title, Goal and Why."));
      return NULL;
    }

  /* The format first: a newer file may have keys this version does not know. */
  format = g_key_file_get_value (keyfile, "Lab", "Format", NULL);
  line = find_line (data, len, "Lab", "Format");
  if (format == NULL)
    {
      set_error (error, find_line (data, len, "Lab", NULL),
                 _("[Lab] has no Format= key. Add Format=%d as its first key."),
                 SL_LAB_FORMAT_VERSION);
      return NULL;
    }
  if (!g_ascii_string_to_unsigned (g_strstrip (format), 10, 1, G_MAXUINT32, &format_number,
                                   NULL))
    {
      set_error (error, line, _("Format=%s is not a format number. Write Format=%d."),
                 format, SL_LAB_FORMAT_VERSION);
      return NULL;
    }
  if (format_number > SL_LAB_FORMAT_VERSION)
    {
      set_error (error, line,
                 _("this lab was made for a newer Socket Lab (format %s; this version reads "
                   "format %d). Update Socket Lab to open it."),
                 format, SL_LAB_FORMAT_VERSION);
      return NULL;
    }

  groups = g_key_file_get_groups (keyfile, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      guint number = step_number (groups[i]);

      if (strcmp (groups[i], "Lab") == 0)
        continue;
      if (number == 0)
        {
          set_error (error, find_line (data, len, groups[i], NULL),
                     _("unknown group [%s]. A lab file has a [Lab] group and step groups "
                       "[Step 1] to [Step %d]."),
                     groups[i], MAX_STEPS);
          return NULL;
        }
      n_steps = MAX (n_steps, number);
    }
  if (n_steps == 0)
    {
      set_error (error, find_line (data, len, "Lab", NULL),
                 _("the lab has no steps. Add groups [Step 1], [Step 2] … each with Title, "
                   "Instructions and Check."));
      return NULL;
    }
  for (guint i = 1; i <= n_steps; i++)
    {
      g_autofree char *name = g_strdup_printf ("Step %u", i);

      if (!g_key_file_has_group (keyfile, name))
        {
          g_autofree char *last = g_strdup_printf ("Step %u", n_steps);

          set_error (error, find_line (data, len, last, NULL),
                     _("there is a [Step %u] but no [Step %u]. Number the steps 1, 2, 3 … "
                       "without gaps."),
                     n_steps, i);
          return NULL;
        }
    }

  if (!check_keys (keyfile, data, len, "Lab", lab_keys, lab_localized, error))
    return NULL;

  lab = g_new0 (SlLab, 1);
  g_atomic_ref_count_init (&lab->ref_count);
  lab->steps = g_ptr_array_new_with_free_func ((GDestroyNotify) step_free);

  lab->id = g_key_file_get_value (keyfile, "Lab", "Id", NULL);
  if (lab->id == NULL || g_strstrip (lab->id)[0] == '\0' || strlen (lab->id) > 64 ||
      strspn (lab->id, "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen (lab->id))
    {
      set_error (error, lab->id == NULL ? find_line (data, len, "Lab", NULL)
                                        : find_line (data, len, "Lab", "Id"),
                 _("[Lab] needs an Id= of lower-case letters, digits and '-' (at most 64), "
                   "such as Id=first-tcp; it names the saved progress."));
      return NULL;
    }

  lab->title = get_text (keyfile, data, len, "Lab", "Title", locale, TRUE, error);
  if (lab->title == NULL)
    return NULL;
  lab->goal = get_text (keyfile, data, len, "Lab", "Goal", locale, TRUE, error);
  if (lab->goal == NULL)
    return NULL;
  lab->why = get_text (keyfile, data, len, "Lab", "Why", locale, TRUE, error);
  if (lab->why == NULL)
    return NULL;
  lab->tutorial = g_key_file_get_value (keyfile, "Lab", "Tutorial", NULL);
  if (lab->tutorial != NULL && g_strstrip (lab->tutorial)[0] == '\0')
    g_clear_pointer (&lab->tutorial, g_free);

  for (guint i = 0; i < n_steps; i++)
    if (!parse_step (lab, keyfile, data, len, i, locale, error))
      return NULL;

  return g_steal_pointer (&lab);
}

SlLab *
sl_lab_new_from_data (const char  *data,
                      gsize        len,
                      GError     **error)
{
  return parse_lab (data, len, NULL, error);
}

SlLab *
sl_lab_new_from_data_for_locale (const char  *data,
                                 gsize        len,
                                 const char  *locale,
                                 GError     **error)
{
  return parse_lab (data, len, locale, error);
}

SlLab *
sl_lab_new_from_file (const char  *path,
                      GError     **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize len;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &contents, &len, &local_error))
    {
      g_set_error (error, SL_ERROR, SL_ERROR_DECODE, _("The lab file cannot be opened: %s"),
                   local_error->message);
      return NULL;
    }
  return parse_lab (contents, len, NULL, error);
}

SlLab *
sl_lab_new_from_resource (const char  *resource_path,
                          GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize len;
  const char *data;

  g_return_val_if_fail (resource_path != NULL, NULL);

  bytes = g_resources_lookup_data (resource_path, G_RESOURCE_LOOKUP_FLAGS_NONE, &local_error);
  if (bytes == NULL)
    {
      g_set_error (error, SL_ERROR, SL_ERROR_DECODE, _("The built-in lab cannot be loaded: %s"),
                   local_error->message);
      return NULL;
    }
  data = g_bytes_get_data (bytes, &len);
  return parse_lab (data, len, NULL, error);
}

static int
compare_paths (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

GStrv
sl_lab_list_builtin (void)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) children = g_resources_enumerate_children (SL_LAB_RESOURCE_DIR,
                                                           G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_auto(GStrv) paths = NULL;

  for (guint i = 0; children != NULL && children[i] != NULL; i++)
    if (g_str_has_suffix (children[i], ".lab"))
      {
        g_autofree char *path = g_strconcat (SL_LAB_RESOURCE_DIR, children[i], NULL);

        g_strv_builder_add (builder, path);
      }

  paths = g_strv_builder_end (builder);
  g_qsort_with_data (paths, g_strv_length (paths), sizeof (char *), compare_paths, NULL);
  return g_steal_pointer (&paths);
}

gboolean
sl_lab_check_translations (const char  *data,
                           gsize        len,
                           const char  *locale,
                           GError     **error)
{
  g_autoptr(GKeyFile) keyfile = NULL;
  g_autoptr(SlLab) lab = NULL;
  g_auto(GStrv) groups = NULL;

  g_return_val_if_fail (locale != NULL, FALSE);

  if (len == (gsize) -1)
    len = strlen (data);
  lab = parse_lab (data, len, NULL, error);
  if (lab == NULL)
    return FALSE;
  keyfile = load_keyfile (data, len, error);
  if (keyfile == NULL)
    return FALSE;

  groups = g_key_file_get_groups (keyfile, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      const char *const *localized = strcmp (groups[i], "Lab") == 0 ? lab_localized
                                                                     : step_localized;
      g_auto(GStrv) keys = g_key_file_get_keys (keyfile, groups[i], NULL, NULL);

      for (guint k = 0; localized[k] != NULL; k++)
        {
          g_autofree char *key = g_strdup_printf ("%s[%s]", localized[k], locale);
          g_autofree char *value = NULL;

          if (!g_key_file_has_key (keyfile, groups[i], localized[k], NULL))
            continue;
          /* get_locale_string falls back to the untranslated value: compare. */
          if (g_strv_contains ((const char *const *) keys, key))
            value = g_key_file_get_locale_string (keyfile, groups[i], localized[k], locale, NULL);
          if (value == NULL || g_strstrip (value)[0] == '\0')
            {
              set_error (error, find_line (data, len, groups[i], localized[k]),
                         _("%s in [%s] has no %s translation. Add a line %s=…"),
                         localized[k], groups[i], locale, key);
              return FALSE;
            }
        }
    }
  return TRUE;
}

/* ---- SlLab getters ------------------------------------------------------- */

static Step *
get_step (SlLab *self,
          guint  index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->steps->len, NULL);
  return g_ptr_array_index (self->steps, index);
}

const char *
sl_lab_get_id (SlLab *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->id;
}

const char *
sl_lab_get_title (SlLab *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->title;
}

const char *
sl_lab_get_goal (SlLab *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->goal;
}

const char *
sl_lab_get_why (SlLab *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->why;
}

const char *
sl_lab_get_tutorial (SlLab *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->tutorial;
}

guint
sl_lab_get_n_steps (SlLab *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->steps->len;
}

const char *
sl_lab_get_step_title (SlLab *self,
                       guint  index)
{
  Step *step = get_step (self, index);

  return step != NULL ? step->title : NULL;
}

const char *
sl_lab_get_step_instructions (SlLab *self,
                              guint  index)
{
  Step *step = get_step (self, index);

  return step != NULL ? step->instructions : NULL;
}

const char *
sl_lab_get_step_hint (SlLab *self,
                      guint  index)
{
  Step *step = get_step (self, index);

  return step != NULL ? step->hint : NULL;
}

const char *
sl_lab_get_step_check (SlLab *self,
                       guint  index)
{
  Step *step = get_step (self, index);

  return step != NULL ? step->check : NULL;
}

guint
sl_lab_get_step_n_suggestions (SlLab *self,
                               guint  index)
{
  Step *step = get_step (self, index);

  return step != NULL ? step->suggestions->len : 0;
}

SlEndpointConfig *
sl_lab_get_step_suggestion (SlLab *self,
                            guint  index,
                            guint  suggestion)
{
  Step *step = get_step (self, index);

  g_return_val_if_fail (step != NULL, NULL);
  g_return_val_if_fail (suggestion < step->suggestions->len, NULL);

  return sl_endpoint_config_copy (g_ptr_array_index (step->suggestions, suggestion));
}

/* ---- SlLabRun ------------------------------------------------------------- */

/* An endpoint's live values at one moment. */
typedef struct
{
  SlEndpointState  state;
  guint            n_connections;
  guint            accept_queue;
  guint64          bytes_in;
  guint64          bytes_out;
  guint64          messages_in;
  guint64          messages_out;
  GStrv            pending;       /* call names of the calls waiting now */
} Live;

/* One log row as the run saw it arrive. */
typedef struct
{
  guint64           seq;
  SlLogEntry       *entry;
  SlEndpointConfig *config;
  Live              live;
} Row;

typedef struct
{
  SlEndpoint *endpoint;
  gulong      notify_handler;
} Watch;

typedef struct
{
  gulong handler;
  guint  users;
} LogWatch;

struct _SlLabRun
{
  GObject      parent_instance;

  SlLab       *lab;
  GListModel  *endpoints;
  gulong       items_changed_handler;
  GPtrArray   *watches;       /* Watch */
  GHashTable  *logs;          /* SlLog → LogWatch */

  GQueue       history;       /* Row, oldest first, at most HISTORY_MAX */
  gsize        history_bytes; /* payload bytes held by the history */
  GQueue       pending;       /* Row not yet fed to the steps */
  guint64      next_seq;      /* the last sequence number given */
  guint64      fed_seq;       /* the last row fed */
  guint64      reset_seq;     /* rows up to this one are ignored */

  guint        current;
  gboolean     entered;       /* the current step has looked at the history */
  GPtrArray   *alt_rows;      /* per alternative of the current step: GPtrArray of Row */
  GPtrArray   *done_rows;     /* per step: GPtrArray of Row, or NULL */
  guint64     *tick_seq;      /* per step */

  guint        source_id;
  guint        generation;    /* bumped by reset: a running pass stops */
};

G_DEFINE_FINAL_TYPE (SlLabRun, sl_lab_run, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LAB,
  PROP_CURRENT_STEP,
  PROP_COMPLETED,
  N_PROPS
};

enum {
  SIGNAL_STEP_COMPLETED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Steps not done have NULL in done_rows. */
static void
rows_free (gpointer rows)
{
  if (rows != NULL)
    g_ptr_array_unref (rows);
}

static Row *
row_ref (Row *row)
{
  return g_rc_box_acquire (row);
}

static void
row_clear (Row *row)
{
  g_clear_object (&row->entry);
  g_clear_object (&row->config);
  g_clear_pointer (&row->live.pending, g_strfreev);
}

static void
row_unref (Row *row)
{
  g_rc_box_release_full (row, (GDestroyNotify) row_clear);
}

/* "conn, addr = server.accept()" → "accept", "server.bind((…))" → "bind",
 * "state: LISTEN (…)" → NULL: the name right before the first '('. */
static char *
call_name (const char *summary)
{
  const char *paren = summary != NULL ? strchr (summary, '(') : NULL;
  const char *start;

  if (paren == NULL)
    return NULL;
  start = paren;
  while (start > summary && (g_ascii_isalnum (start[-1]) || start[-1] == '_'))
    start--;
  if (start == paren)
    return NULL;
  return g_strndup (start, paren - start);
}

/* @with_pending: also list the calls waiting now (a walk over the
 * connections, so only when a check asks for pending=). */
static void
live_snapshot (SlEndpoint *endpoint,
               gboolean    with_pending,
               Live       *live)
{
  GListModel *connections = sl_endpoint_get_connections (endpoint);
  g_autoptr(GStrvBuilder) pending = NULL;
  g_autofree char *name = NULL;

  live->state = sl_endpoint_get_state (endpoint);
  live->n_connections = g_list_model_get_n_items (connections);
  live->accept_queue = sl_endpoint_get_accept_queue (endpoint);
  live->bytes_in = sl_endpoint_get_bytes_in (endpoint);
  live->bytes_out = sl_endpoint_get_bytes_out (endpoint);
  live->messages_in = sl_endpoint_get_messages_in (endpoint);
  live->messages_out = sl_endpoint_get_messages_out (endpoint);

  if (!with_pending)
    return;
  pending = g_strv_builder_new ();
  if ((name = call_name (sl_endpoint_get_pending_call (endpoint))) != NULL)
    g_strv_builder_add (pending, name);
  for (guint i = 0; i < live->n_connections; i++)
    {
      g_autoptr(SlConnection) connection = g_list_model_get_item (connections, i);
      g_autofree char *connection_call = call_name (sl_connection_get_pending_call (connection));

      if (connection_call != NULL)
        g_strv_builder_add (pending, connection_call);
    }
  live->pending = g_strv_builder_end (pending);
}

/* ---- matching ----------------------------------------------------------- */

static gboolean
compare_number (Op     op,
                gint64 actual,
                gint64 expected)
{
  switch (op)
    {
    case OP_EQ: return actual == expected;
    case OP_NE: return actual != expected;
    case OP_GE: return actual >= expected;
    case OP_LE: return actual <= expected;
    case OP_GT: return actual > expected;
    case OP_LT: return actual < expected;
    case OP_MATCH:
    default:
      return FALSE;
    }
}

/* = : one of the values; != : none of them. */
static gboolean
compare_names (const Cond *cond,
               const char *actual,
               gboolean    ignore_case)
{
  gboolean found = FALSE;

  for (guint i = 0; actual != NULL && cond->values[i] != NULL; i++)
    if (ignore_case ? g_ascii_strcasecmp (cond->values[i], actual) == 0
                    : strcmp (cond->values[i], actual) == 0)
      found = TRUE;
  return cond->op == OP_NE ? !found : found;
}

static gboolean
compare_enum (const Cond *cond,
              int         value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (cond->info->enum_type ());
  GEnumValue *enum_value = g_enum_get_value (klass, value);

  return compare_names (cond, enum_value != NULL ? enum_value->value_nick : NULL, FALSE);
}

static gboolean
compare_text (const Cond *cond,
              const char *text,
              gsize       len)
{
  if (text == NULL)
    return FALSE;
  if (cond->op == OP_MATCH)
    return g_regex_match_full (cond->regex, text, len, 0, 0, NULL, NULL);
  return strlen (cond->values[0]) == len && memcmp (cond->values[0], text, len) == 0;
}

static gboolean
endpoint_cond_matches (const Cond       *cond,
                       SlEndpointConfig *config,
                       const Live       *live)
{
  switch (cond->info->id)
    {
    case COND_PROTOCOL:
      return compare_enum (cond, sl_endpoint_config_get_protocol (config));
    case COND_ROLE:
      return compare_enum (cond, sl_endpoint_config_get_role (config));
    case COND_FAMILY:
      return compare_enum (cond, sl_endpoint_config_get_family (config));
    case COND_IO_MODE:
      return compare_enum (cond, sl_endpoint_config_get_io_mode (config));
    case COND_REPLY:
      return compare_enum (cond, sl_endpoint_config_get_reply_mode (config));
    case COND_ENCODING:
      return compare_enum (cond, sl_endpoint_config_get_encoding (config));
    case COND_AUTH:
      return compare_enum (cond, sl_endpoint_config_get_auth (config));
    case COND_REUSEADDR:
      return compare_number (cond->op, sl_endpoint_config_get_reuseaddr (config) ? 1 : 0,
                             cond->number);
    case COND_CLOSE_ON_EOF:
      return compare_number (cond->op, sl_endpoint_config_get_close_on_eof (config) ? 1 : 0,
                             cond->number);
    case COND_BUFSIZE:
      return compare_number (cond->op, sl_endpoint_config_get_bufsize (config), cond->number);
    case COND_BACKLOG:
      return compare_number (cond->op, sl_endpoint_config_get_backlog (config), cond->number);
    case COND_MAX_CLIENTS:
      return compare_number (cond->op, sl_endpoint_config_get_max_clients (config),
                             cond->number);
    case COND_STATE:
      return compare_enum (cond, live->state);
    case COND_N_CONNECTIONS:
      return compare_number (cond->op, live->n_connections, cond->number);
    case COND_ACCEPT_QUEUE:
      return compare_number (cond->op, live->accept_queue, cond->number);
    case COND_BYTES_IN:
      return compare_number (cond->op, (gint64) MIN (live->bytes_in, G_MAXINT64), cond->number);
    case COND_BYTES_OUT:
      return compare_number (cond->op, (gint64) MIN (live->bytes_out, G_MAXINT64),
                             cond->number);
    case COND_MESSAGES_IN:
      return compare_number (cond->op, (gint64) MIN (live->messages_in, G_MAXINT64),
                             cond->number);
    case COND_MESSAGES_OUT:
      return compare_number (cond->op, (gint64) MIN (live->messages_out, G_MAXINT64),
                             cond->number);
    case COND_PENDING:
      {
        gboolean found = FALSE;

        for (guint i = 0; live->pending != NULL && live->pending[i] != NULL; i++)
          for (guint k = 0; cond->values[k] != NULL; k++)
            if (strcmp (live->pending[i], cond->values[k]) == 0)
              found = TRUE;
        return cond->op == OP_NE ? !found : found;
      }
    default:
      g_assert_not_reached ();
    }
}

/* The states of a TCP state row, "state: A → B (cause)": the state it moved
 * to ("B"), or with @from the one it left ("A"; NULL for a first reading,
 * "state: LISTEN (cause)"). */
static char *
row_tcp_state (SlLogEntry *entry,
               gboolean    from)
{
  const char *summary = sl_log_entry_get_summary (entry);
  const char *start, *arrow;

  if (sl_log_entry_get_kind (entry) != SL_LOG_KIND_STATE || summary == NULL ||
      !g_str_has_prefix (summary, "state: "))
    return NULL;
  start = summary + strlen ("state: ");
  arrow = strstr (start, " → ");
  if (from)
    return arrow != NULL ? g_strndup (start, arrow - start) : NULL;
  if (arrow != NULL)
    start = arrow + strlen (" → ");
  return g_strndup (start, strcspn (start, " "));
}

static gboolean
payload_of (Row           *row,
            const guint8 **data,
            gsize         *len)
{
  GBytes *payload = sl_log_entry_get_payload (row->entry);

  if (payload == NULL)
    return FALSE;
  *data = g_bytes_get_data (payload, len);
  if (*data == NULL)
    *data = (const guint8 *) "";
  return TRUE;
}

static gboolean
contains (const guint8 *haystack,
          gsize         haystack_len,
          const guint8 *needle,
          gsize         needle_len)
{
  if (needle_len == 0)
    return TRUE;
  return memmem (haystack, haystack_len, needle, needle_len) != NULL;
}

static gboolean
relation_matches (SlLabRun   *self,
                  const Cond *cond,
                  Row        *row)
{
  GPtrArray *rows = g_ptr_array_index (self->done_rows, cond->number);
  const guint8 *data, *ref_data;
  gsize len, ref_len;
  Row *ref;

  if (rows == NULL || rows->len == 0)
    return FALSE;
  ref = g_ptr_array_index (rows, rows->len - 1);

  switch (cond->info->id)
    {
    case COND_SAME_CALL:
      return g_strcmp0 (sl_log_entry_get_summary (row->entry),
                        sl_log_entry_get_summary (ref->entry)) == 0;
    case COND_OTHER_CONNECTION:
      return sl_log_entry_get_endpoint_id (row->entry) !=
               sl_log_entry_get_endpoint_id (ref->entry) ||
             sl_log_entry_get_connection_id (row->entry) !=
               sl_log_entry_get_connection_id (ref->entry);
    default:
      break;
    }

  if (!payload_of (row, &data, &len) || !payload_of (ref, &ref_data, &ref_len))
    return FALSE;

  switch (cond->info->id)
    {
    case COND_SAME_AS:
      return len == ref_len && memcmp (data, ref_data, len) == 0;
    case COND_UPPER_OF:
      {
        g_autoptr(GBytes) upper = sl_codec_ascii_upper (sl_log_entry_get_payload (ref->entry));
        gsize upper_len;
        const guint8 *upper_data = g_bytes_get_data (upper, &upper_len);

        return len == upper_len && (len == 0 || memcmp (data, upper_data, len) == 0);
      }
    case COND_PART_OF:
      return len > 0 && len < ref_len && contains (ref_data, ref_len, data, len);
    case COND_JOINS:
      {
        g_autoptr(GByteArray) joined = g_byte_array_new ();

        for (guint i = 0; i < rows->len; i++)
          {
            const guint8 *part;
            gsize part_len;

            if (payload_of (g_ptr_array_index (rows, i), &part, &part_len))
              g_byte_array_append (joined, part, part_len);
          }
        return rows->len >= 2 && joined->len > 0 &&
               contains (data, len, joined->data, joined->len);
      }
    default:
      g_assert_not_reached ();
    }
}

static gboolean
row_cond_matches (SlLabRun   *self,
                  const Cond *cond,
                  Row        *row)
{
  SlLogEntry *entry = row->entry;
  const guint8 *data;
  gsize len;

  switch (cond->info->id)
    {
    case COND_KIND:
      return compare_enum (cond, sl_log_entry_get_kind (entry));
    case COND_CALL:
      {
        g_autofree char *name = NULL;

        if (sl_log_entry_get_kind (entry) != SL_LOG_KIND_STATE)
          name = call_name (sl_log_entry_get_summary (entry));
        return compare_names (cond, name, FALSE);
      }
    case COND_ERROR:
      {
        const char *name = sl_log_entry_get_error_name (entry);
        gboolean found = FALSE;

        for (guint i = 0; cond->values[i] != NULL; i++)
          if ((strcmp (cond->values[i], "none") == 0 && name == NULL) ||
              (strcmp (cond->values[i], "any") == 0 && name != NULL) ||
              g_strcmp0 (cond->values[i], name) == 0)
            found = TRUE;
        return cond->op == OP_NE ? !found : found;
      }
    case COND_BYTES:
      return payload_of (row, &data, &len) && compare_number (cond->op, (gint64) len,
                                                              cond->number);
    case COND_PAYLOAD:
      return payload_of (row, &data, &len) && compare_text (cond, (const char *) data, len);
    case COND_PAYLOAD_IS:
      {
        gboolean found = FALSE;

        if (!payload_of (row, &data, &len))
          return FALSE;
        for (guint i = 0; cond->values[i] != NULL; i++)
          {
            g_autofree char *decoded = NULL;
            SlEncoding encoding;

            sl_encoding_from_string (cond->values[i], &encoding);
            if (encoding == SL_ENCODING_TEXT)
              found |= g_utf8_validate ((const char *) data, len, NULL);
            else if ((decoded = sl_codec_decode (encoding, sl_log_entry_get_payload (entry), 64,
                                                 NULL)) != NULL)
              found = TRUE;
          }
        return cond->op == OP_NE ? !found : found;
      }
    case COND_SUMMARY:
      {
        const char *summary = sl_log_entry_get_summary (entry);

        return compare_text (cond, summary, summary != NULL ? strlen (summary) : 0);
      }
    case COND_RESULT:
      {
        const char *result = sl_log_entry_get_result (entry);

        return compare_text (cond, result, result != NULL ? strlen (result) : 0);
      }
    case COND_TCP_STATE:
    case COND_TCP_STATE_FROM:
      {
        g_autofree char *state = row_tcp_state (entry, cond->info->id == COND_TCP_STATE_FROM);

        return state != NULL && compare_names (cond, state, TRUE);
      }
    case COND_COUNT:
    case COND_CONNECTIONS:
      return TRUE; /* counted over the rows, in alt_satisfied() */
    case COND_SAME_AS:
    case COND_UPPER_OF:
    case COND_PART_OF:
    case COND_JOINS:
    case COND_SAME_CALL:
    case COND_OTHER_CONNECTION:
      return relation_matches (self, cond, row);
    default:
      return endpoint_cond_matches (cond, row->config, &row->live);
    }
}

static gboolean
row_matches (SlLabRun *self,
             Alt      *alt,
             Row      *row)
{
  for (guint i = 0; i < alt->conds->len; i++)
    if (!row_cond_matches (self, g_ptr_array_index (alt->conds, i), row))
      return FALSE;
  return TRUE;
}

static gboolean
alt_satisfied (Alt       *alt,
               GPtrArray *rows)
{
  g_autoptr(GHashTable) seen = NULL;

  if (rows->len < alt->count_min)
    return FALSE;
  if (alt->connections_min <= 1)
    return TRUE;

  seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint i = 0; i < rows->len; i++)
    {
      Row *row = g_ptr_array_index (rows, i);
      gint64 *key = g_new (gint64, 1);

      *key = ((gint64) sl_log_entry_get_endpoint_id (row->entry) << 32) |
             sl_log_entry_get_connection_id (row->entry);
      if (!g_hash_table_add (seen, key))
        g_free (key);
    }
  {
    guint n = g_hash_table_size (seen);
    GHashTableIter iter;
    gpointer key;

    g_hash_table_iter_init (&iter, seen);
    while (g_hash_table_iter_next (&iter, &key, NULL))
      g_free (key);
    return n >= alt->connections_min;
  }
}

/* ---- stepping ------------------------------------------------------------ */

static Step *
current_step (SlLabRun *self)
{
  return g_ptr_array_index (self->lab->steps, self->current);
}

static guint64
window_start (SlLabRun *self)
{
  Step *step = current_step (self);

  if (step->since_start || self->current == 0)
    return self->reset_seq;
  return MAX (self->reset_seq, self->tick_seq[self->current - 1]);
}

static void
clear_alt_rows (SlLabRun *self)
{
  g_ptr_array_set_size (self->alt_rows, 0);
  if (self->current < self->lab->steps->len)
    for (guint i = 0; i < current_step (self)->alts->len; i++)
      g_ptr_array_add (self->alt_rows, g_ptr_array_new_with_free_func ((GDestroyNotify) row_unref));
}

static gboolean
is_new_connection (GPtrArray *rows,
                   Row       *row)
{
  for (guint i = 0; i < rows->len; i++)
    {
      Row *other = g_ptr_array_index (rows, i);

      if (sl_log_entry_get_endpoint_id (other->entry) ==
            sl_log_entry_get_endpoint_id (row->entry) &&
          sl_log_entry_get_connection_id (other->entry) ==
            sl_log_entry_get_connection_id (row->entry))
        return FALSE;
    }
  return TRUE;
}

/* Feeds one row to the current step; returns the alternative it completed, or -1. */
static int
feed_row (SlLabRun *self,
          Row      *row)
{
  Step *step = current_step (self);

  if (row->seq <= window_start (self))
    return -1;

  for (guint i = 0; i < step->alts->len; i++)
    {
      Alt *alt = g_ptr_array_index (step->alts, i);
      GPtrArray *rows = g_ptr_array_index (self->alt_rows, i);

      if (alt->endpoint || !row_matches (self, alt, row))
        continue;
      /* Enough rows for count=, and only new connections after that. */
      if (rows->len >= alt->count_min && !is_new_connection (rows, row))
        continue;
      g_ptr_array_add (rows, row_ref (row));
      if (alt_satisfied (alt, rows))
        return (int) i;
    }
  return -1;
}

static int
try_endpoints (SlLabRun *self)
{
  Step *step = current_step (self);

  for (guint i = 0; i < step->alts->len; i++)
    {
      Alt *alt = g_ptr_array_index (step->alts, i);

      if (!alt->endpoint)
        continue;
      for (guint e = 0; e < self->watches->len; e++)
        {
          Watch *watch = g_ptr_array_index (self->watches, e);
          SlEndpointConfig *config = sl_endpoint_get_config (watch->endpoint);
          Live live = { 0, };
          gboolean all = TRUE;

          live_snapshot (watch->endpoint, TRUE, &live);
          for (guint c = 0; c < alt->conds->len && all; c++)
            all = endpoint_cond_matches (g_ptr_array_index (alt->conds, c), config, &live);
          g_strfreev (live.pending);
          if (all)
            return (int) i;
        }
    }
  return -1;
}

/* The current step is done by alternative @alt. Returns FALSE when a signal
 * handler reset the run meanwhile. */
static gboolean
advance (SlLabRun *self,
         int       alt,
         guint64   seq)
{
  guint generation = self->generation;
  guint done = self->current;
  GPtrArray *rows = g_ptr_array_index (self->alt_rows, alt);

  g_ptr_array_index (self->done_rows, done) = g_ptr_array_ref (rows);
  g_debug ("lab %s: step %u done by %s", self->lab->id, done + 1,
           rows->len > 0 ? sl_log_entry_get_summary (((Row *) rows->pdata[rows->len - 1])->entry)
                         : "an endpoint");
  self->tick_seq[done] = seq;
  self->current++;
  self->entered = FALSE;
  clear_alt_rows (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_STEP]);
  if (generation == self->generation)
    g_signal_emit (self, signals[SIGNAL_STEP_COMPLETED], 0, done);
  if (generation == self->generation && self->current == self->lab->steps->len)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETED]);
  return generation == self->generation;
}

static void
process (SlLabRun *self)
{
  G_GNUC_UNUSED g_autoptr(SlLabRun) hold = g_object_ref (self);
  gboolean endpoints_checked = FALSE;

  for (;;)
    {
      Row *row;
      int alt = -1;

      if (self->current >= self->lab->steps->len)
        {
          g_queue_clear_full (&self->pending, (GDestroyNotify) row_unref);
          self->fed_seq = self->next_seq;
          return;
        }

      if (!self->entered)
        {
          self->entered = TRUE;
          for (GList *l = self->history.head; l != NULL && alt < 0; l = l->next)
            {
              row = l->data;
              if (row->seq > self->fed_seq)
                break;
              alt = feed_row (self, row);
              if (alt >= 0 && !advance (self, alt, row->seq))
                return;
            }
          if (alt >= 0)
            {
              endpoints_checked = FALSE;
              continue;
            }
        }

      /* The endpoints as they are now: once per pass, and again for each new
       * step (not once per row: a flood of rows must stay cheap). */
      if (!endpoints_checked)
        {
          endpoints_checked = TRUE;
          alt = try_endpoints (self);
          if (alt >= 0)
            {
              if (!advance (self, alt, self->fed_seq))
                return;
              endpoints_checked = FALSE;
              continue;
            }
        }

      row = g_queue_pop_head (&self->pending);
      if (row == NULL)
        return;
      self->fed_seq = row->seq;
      alt = feed_row (self, row);
      if (alt >= 0 && !advance (self, alt, row->seq))
        {
          row_unref (row);
          return;
        }
      if (alt >= 0)
        endpoints_checked = FALSE;
      row_unref (row);
    }
}

static gboolean
process_cb (gpointer user_data)
{
  SlLabRun *self = user_data;

  self->source_id = 0;
  process (self);
  return G_SOURCE_REMOVE;
}

static void
schedule (SlLabRun *self)
{
  if (self->source_id == 0)
    self->source_id = g_idle_add_full (G_PRIORITY_DEFAULT, process_cb, self, NULL);
}

/* ---- watching endpoints and logs ------------------------------------------- */

static Watch *
find_watch (SlLabRun *self,
            SlLog    *log,
            guint     endpoint_id)
{
  for (guint i = 0; i < self->watches->len; i++)
    {
      Watch *watch = g_ptr_array_index (self->watches, i);

      if (sl_endpoint_get_id (watch->endpoint) == endpoint_id &&
          sl_endpoint_get_log (watch->endpoint) == log)
        return watch;
    }
  return NULL;
}

static gsize
row_payload_size (Row *row)
{
  GBytes *payload = sl_log_entry_get_payload (row->entry);

  return payload != NULL ? g_bytes_get_size (payload) : 0;
}

static void
entry_added_cb (SlLog      *log,
                SlLogEntry *entry,
                SlLabRun   *self)
{
  Watch *watch = find_watch (self, log, sl_log_entry_get_endpoint_id (entry));
  Row *row;

  if (watch == NULL)
    return;

  row = g_rc_box_new0 (Row);
  row->seq = ++self->next_seq;
  row->entry = g_object_ref (entry);
  row->config = g_object_ref (sl_endpoint_get_config (watch->endpoint));
  live_snapshot (watch->endpoint, self->lab->pending_in_log, &row->live);

  g_queue_push_tail (&self->history, row);
  self->history_bytes += row_payload_size (row);
  while (self->history.length > HISTORY_MAX ||
         (self->history_bytes > HISTORY_MAX_BYTES && self->history.length > 1))
    {
      Row *old = g_queue_pop_head (&self->history);

      self->history_bytes -= row_payload_size (old);
      row_unref (old);
    }
  g_queue_push_tail (&self->pending, row_ref (row));
  schedule (self);
}

static void
endpoint_notify_cb (SlEndpoint *endpoint,
                    GParamSpec *pspec,
                    SlLabRun   *self)
{
  schedule (self);
}

static void
watch_free (Watch *watch)
{
  g_clear_signal_handler (&watch->notify_handler, watch->endpoint);
  g_clear_object (&watch->endpoint);
  g_free (watch);
}

static void
unwatch_log (SlLabRun *self,
             SlLog    *log)
{
  LogWatch *log_watch = g_hash_table_lookup (self->logs, log);

  if (log_watch == NULL || --log_watch->users > 0)
    return;
  g_signal_handler_disconnect (log, log_watch->handler);
  g_hash_table_remove (self->logs, log);
}

static void
sync_endpoints (SlLabRun *self)
{
  guint n = self->endpoints != NULL ? g_list_model_get_n_items (self->endpoints) : 0;
  g_autoptr(GPtrArray) present = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (self->endpoints, i);

      if (SL_IS_ENDPOINT (item))
        g_ptr_array_add (present, g_steal_pointer (&item));
    }

  /* Gone ones. */
  for (guint i = self->watches->len; i > 0; i--)
    {
      Watch *watch = g_ptr_array_index (self->watches, i - 1);

      if (!g_ptr_array_find (present, watch->endpoint, NULL))
        {
          unwatch_log (self, sl_endpoint_get_log (watch->endpoint));
          g_ptr_array_remove_index (self->watches, i - 1);
        }
    }

  /* New ones. */
  for (guint i = 0; i < present->len; i++)
    {
      SlEndpoint *endpoint = g_ptr_array_index (present, i);
      SlLog *log = sl_endpoint_get_log (endpoint);
      LogWatch *log_watch;
      Watch *watch;
      gboolean known = FALSE;

      for (guint k = 0; k < self->watches->len && !known; k++)
        known = ((Watch *) g_ptr_array_index (self->watches, k))->endpoint == endpoint;
      if (known)
        continue;

      watch = g_new0 (Watch, 1);
      watch->endpoint = g_object_ref (endpoint);
      watch->notify_handler = g_signal_connect (endpoint, "notify",
                                                G_CALLBACK (endpoint_notify_cb), self);
      g_ptr_array_add (self->watches, watch);

      log_watch = g_hash_table_lookup (self->logs, log);
      if (log_watch == NULL)
        {
          log_watch = g_new0 (LogWatch, 1);
          log_watch->handler = g_signal_connect (log, "entry-added",
                                                 G_CALLBACK (entry_added_cb), self);
          g_hash_table_insert (self->logs, g_object_ref (log), log_watch);
        }
      log_watch->users++;
    }
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  SlLabRun   *self)
{
  sync_endpoints (self);
  schedule (self);
}

/* ---- GObject --------------------------------------------------------------- */

static void
clear_progress (SlLabRun *self)
{
  g_queue_clear_full (&self->history, (GDestroyNotify) row_unref);
  self->history_bytes = 0;
  g_queue_clear_full (&self->pending, (GDestroyNotify) row_unref);
  self->reset_seq = self->next_seq;
  self->fed_seq = self->next_seq;
  self->current = 0;
  self->entered = FALSE;
  for (guint i = 0; i < self->done_rows->len; i++)
    g_clear_pointer (&g_ptr_array_index (self->done_rows, i), g_ptr_array_unref);
  for (guint i = 0; i < self->lab->steps->len; i++)
    self->tick_seq[i] = 0;
  clear_alt_rows (self);
  self->generation++;
}

static void
sl_lab_run_dispose (GObject *object)
{
  SlLabRun *self = SL_LAB_RUN (object);

  g_clear_handle_id (&self->source_id, g_source_remove);
  if (self->endpoints != NULL)
    {
      g_clear_signal_handler (&self->items_changed_handler, self->endpoints);
      g_clear_object (&self->endpoints);
      sync_endpoints (self);
    }
  g_queue_clear_full (&self->history, (GDestroyNotify) row_unref);
  g_queue_clear_full (&self->pending, (GDestroyNotify) row_unref);
  if (self->alt_rows != NULL)
    g_ptr_array_set_size (self->alt_rows, 0);

  G_OBJECT_CLASS (sl_lab_run_parent_class)->dispose (object);
}

static void
sl_lab_run_finalize (GObject *object)
{
  SlLabRun *self = SL_LAB_RUN (object);

  g_clear_pointer (&self->watches, g_ptr_array_unref);
  g_clear_pointer (&self->logs, g_hash_table_unref);
  g_clear_pointer (&self->alt_rows, g_ptr_array_unref);
  g_clear_pointer (&self->done_rows, g_ptr_array_unref);
  g_free (self->tick_seq);
  g_clear_pointer (&self->lab, sl_lab_unref);

  G_OBJECT_CLASS (sl_lab_run_parent_class)->finalize (object);
}

static void
sl_lab_run_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  SlLabRun *self = SL_LAB_RUN (object);

  switch (prop_id)
    {
    case PROP_LAB:
      g_value_set_boxed (value, self->lab);
      break;
    case PROP_CURRENT_STEP:
      g_value_set_uint (value, self->current);
      break;
    case PROP_COMPLETED:
      g_value_set_boolean (value, sl_lab_run_get_completed (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sl_lab_run_class_init (SlLabRunClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = sl_lab_run_dispose;
  object_class->finalize = sl_lab_run_finalize;
  object_class->get_property = sl_lab_run_get_property;

  properties[PROP_LAB] = g_param_spec_boxed ("lab", NULL, NULL, SL_TYPE_LAB, ro);
  properties[PROP_CURRENT_STEP] = g_param_spec_uint ("current-step", NULL, NULL,
                                                     0, G_MAXUINT, 0, ro);
  properties[PROP_COMPLETED] = g_param_spec_boolean ("completed", NULL, NULL, FALSE, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_STEP_COMPLETED] =
    g_signal_new ("step-completed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
sl_lab_run_init (SlLabRun *self)
{
  self->watches = g_ptr_array_new_with_free_func ((GDestroyNotify) watch_free);
  self->logs = g_hash_table_new_full (NULL, NULL, g_object_unref, g_free);
  self->alt_rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_queue_init (&self->history);
  g_queue_init (&self->pending);
}

SlLabRun *
sl_lab_run_new (SlLab      *lab,
                GListModel *endpoints)
{
  SlLabRun *self;

  g_return_val_if_fail (lab != NULL, NULL);
  g_return_val_if_fail (endpoints == NULL || G_IS_LIST_MODEL (endpoints), NULL);

  self = g_object_new (SL_TYPE_LAB_RUN, NULL);
  self->lab = sl_lab_ref (lab);
  self->done_rows = g_ptr_array_new_with_free_func (rows_free);
  g_ptr_array_set_size (self->done_rows, lab->steps->len);
  self->tick_seq = g_new0 (guint64, lab->steps->len);
  clear_alt_rows (self);

  if (endpoints != NULL)
    {
      self->endpoints = g_object_ref (endpoints);
      self->items_changed_handler = g_signal_connect (endpoints, "items-changed",
                                                      G_CALLBACK (items_changed_cb), self);
    }
  sync_endpoints (self);
  schedule (self);
  return self;
}

SlLab *
sl_lab_run_get_lab (SlLabRun *self)
{
  g_return_val_if_fail (SL_IS_LAB_RUN (self), NULL);
  return self->lab;
}

guint
sl_lab_run_get_current_step (SlLabRun *self)
{
  g_return_val_if_fail (SL_IS_LAB_RUN (self), 0);
  return self->current;
}

gboolean
sl_lab_run_get_completed (SlLabRun *self)
{
  g_return_val_if_fail (SL_IS_LAB_RUN (self), FALSE);
  return self->current >= self->lab->steps->len;
}

gboolean
sl_lab_run_is_step_done (SlLabRun *self,
                         guint     index)
{
  g_return_val_if_fail (SL_IS_LAB_RUN (self), FALSE);
  return index < self->current;
}

static void
notify_progress (SlLabRun *self,
                 guint     old_current)
{
  guint n = self->lab->steps->len;

  if (old_current != self->current)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_STEP]);
  if ((old_current >= n) != (self->current >= n))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETED]);
}

void
sl_lab_run_reset (SlLabRun *self)
{
  guint old_current;

  g_return_if_fail (SL_IS_LAB_RUN (self));

  old_current = self->current;
  clear_progress (self);
  notify_progress (self, old_current);
  schedule (self);
}

char *
sl_lab_run_get_progress (SlLabRun *self)
{
  g_return_val_if_fail (SL_IS_LAB_RUN (self), NULL);
  return g_strdup_printf (PROGRESS_PREFIX "%s:%u", self->lab->id, self->current);
}

gboolean
sl_lab_run_set_progress (SlLabRun    *self,
                         const char  *progress,
                         GError     **error)
{
  const char *rest, *colon;
  guint64 done;
  guint old_current, resume;
  gboolean changed = TRUE;

  g_return_val_if_fail (SL_IS_LAB_RUN (self), FALSE);
  g_return_val_if_fail (progress != NULL, FALSE);

  if (!g_str_has_prefix (progress, PROGRESS_PREFIX) ||
      (colon = strrchr ((rest = progress + strlen (PROGRESS_PREFIX)), ':')) == NULL ||
      !g_ascii_string_to_unsigned (colon + 1, 10, 0, self->lab->steps->len, &done, NULL))
    {
      g_set_error (error, SL_ERROR, SL_ERROR_DECODE,
                   _("The saved progress “%s” cannot be read; the lab starts from its first "
                     "step."),
                   progress);
      return FALSE;
    }
  if ((gsize) (colon - rest) != strlen (self->lab->id) ||
      strncmp (rest, self->lab->id, colon - rest) != 0)
    {
      g_autofree char *id = g_strndup (rest, colon - rest);

      g_set_error (error, SL_ERROR, SL_ERROR_DECODE,
                   _("The saved progress belongs to the lab “%s”, not to “%s”."),
                   id, self->lab->id);
      return FALSE;
    }

  /* Steps still to do that compare with a row of a done step need that row:
   * go back to the earliest such step. */
  resume = (guint) done;
  while (changed)
    {
      changed = FALSE;
      for (guint i = resume; i < self->lab->steps->len; i++)
        {
          Step *step = g_ptr_array_index (self->lab->steps, i);

          for (guint a = 0; a < step->alts->len; a++)
            {
              Alt *alt = g_ptr_array_index (step->alts, a);

              for (guint c = 0; c < alt->conds->len; c++)
                {
                  Cond *cond = g_ptr_array_index (alt->conds, c);

                  if (cond->info->type == VALUE_STEP && cond->number < resume)
                    {
                      resume = (guint) cond->number;
                      changed = TRUE;
                    }
                }
            }
        }
    }

  old_current = self->current;
  clear_progress (self);
  for (guint i = 0; i < resume; i++)
    g_ptr_array_index (self->done_rows, i) =
      g_ptr_array_new_with_free_func ((GDestroyNotify) row_unref);
  self->current = resume;
  clear_alt_rows (self);
  notify_progress (self, old_current);
  schedule (self);
  return TRUE;
}
