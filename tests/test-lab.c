/* test-lab.c — the lab file format, its errors, and SlLabRun's bookkeeping
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "sl-endpoint.h"
#include "sl-error.h"
#include "sl-lab.h"
#include "sl-test-util.h"

#define WAIT_MS 5000

#define HEADER \
  "[Lab]\n" \
  "Format=1\n" \
  "Id=test\n" \
  "Title=Test\n" \
  "Goal=A goal\n" \
  "Why=A reason\n"

#define STEP1 \
  "[Step 1]\n" \
  "Title=One\n" \
  "Instructions=Do it\n" \
  "Check=log kind=call call=listen\n"

static const char valid[] =
  "# A comment\n"
  "[Lab]\n"
  "Format=1\n"
  "Id=first-tcp\n"
  "Title=First TCP server\n"
  "Title[zh_CN]=第一个 TCP 服务器\n"
  "Goal=Run a server\n"
  "Goal[zh_CN]=运行一个服务器\n"
  "Why=Tutorial 003\n"
  "Why[zh_CN]=教程 003\n"
  "Tutorial=003_54fb4e800cd42a98.txt\n"
  "\n"
  "[Step 1]\n"
  "Title=Listen\n"
  "Title[zh_CN]=监听\n"
  "Instructions=Start a server.\\nThen read the trace.\n"
  "Instructions[zh_CN]=启动服务器。\n"
  "Hint=Port 0 is fine\n"
  "Hint[zh_CN]=端口 0 也可以\n"
  "Check=endpoint protocol=tcp role=server state=listening\n"
  "Suggest=protocol=tcp role=server host=127.0.0.1 port=8888 reply-mode=upper reuseaddr=true "
  "timeout=2.5;protocol=udp role=client\n"
  "\n"
  "[Step 2]\n"
  "Title=Send\n"
  "Title[zh_CN]=发送\n"
  "Instructions=Send hello\n"
  "Instructions[zh_CN]=发送 hello\n"
  "Check=log kind=data-out payload~=\"^hello( world)?$\" | log kind=data-out bytes>=100\n"
  "Order=since-start\n"
  "\n"
  "[Step 3]\n"
  "Title=Reply\n"
  "Title[zh_CN]=回复\n"
  "Instructions=Read it\n"
  "Instructions[zh_CN]=读取\n"
  "Check=log kind=data-in upper-of=2 error=none protocol!=udp\n";

static void
test_parse_valid (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlLab) lab = sl_lab_new_from_data (valid, strlen (valid), &error);
  g_autoptr(SlLab) zh = NULL;
  g_autoptr(SlEndpointConfig) config = NULL;
  g_autoptr(SlEndpointConfig) udp = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (lab);
  g_assert_cmpstr (sl_lab_get_id (lab), ==, "first-tcp");
  g_assert_cmpstr (sl_lab_get_title (lab), ==, "First TCP server");
  g_assert_cmpstr (sl_lab_get_goal (lab), ==, "Run a server");
  g_assert_cmpstr (sl_lab_get_why (lab), ==, "Tutorial 003");
  g_assert_cmpstr (sl_lab_get_tutorial (lab), ==, "003_54fb4e800cd42a98.txt");
  g_assert_cmpuint (sl_lab_get_n_steps (lab), ==, 3);
  g_assert_cmpstr (sl_lab_get_step_title (lab, 0), ==, "Listen");
  g_assert_cmpstr (sl_lab_get_step_instructions (lab, 0), ==,
                   "Start a server.\nThen read the trace.");
  g_assert_cmpstr (sl_lab_get_step_hint (lab, 0), ==, "Port 0 is fine");
  g_assert_null (sl_lab_get_step_hint (lab, 1));
  g_assert_cmpstr (sl_lab_get_step_check (lab, 2), ==,
                   "log kind=data-in upper-of=2 error=none protocol!=udp");

  g_assert_cmpuint (sl_lab_get_step_n_suggestions (lab, 0), ==, 2);
  g_assert_cmpuint (sl_lab_get_step_n_suggestions (lab, 1), ==, 0);
  config = sl_lab_get_step_suggestion (lab, 0, 0);
  g_assert_cmpint (sl_endpoint_config_get_protocol (config), ==, SL_PROTOCOL_TCP);
  g_assert_cmpint (sl_endpoint_config_get_role (config), ==, SL_ROLE_SERVER);
  g_assert_cmpstr (sl_endpoint_config_get_host (config), ==, "127.0.0.1");
  g_assert_cmpint (sl_endpoint_config_get_port (config), ==, 8888);
  g_assert_cmpint (sl_endpoint_config_get_reply_mode (config), ==, SL_REPLY_UPPER);
  g_assert_true (sl_endpoint_config_get_reuseaddr (config));
  g_assert_cmpfloat (sl_endpoint_config_get_timeout (config), ==, 2.5);
  udp = sl_lab_get_step_suggestion (lab, 0, 1);
  g_assert_cmpint (sl_endpoint_config_get_protocol (udp), ==, SL_PROTOCOL_UDP);
  g_assert_cmpint (sl_endpoint_config_get_role (udp), ==, SL_ROLE_CLIENT);
  /* A client does not answer by itself unless the lab says so. */
  g_assert_cmpint (sl_endpoint_config_get_reply_mode (udp), ==, SL_REPLY_NONE);

  zh = sl_lab_new_from_data_for_locale (valid, strlen (valid), "zh_CN", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sl_lab_get_title (zh), ==, "第一个 TCP 服务器");
  g_assert_cmpstr (sl_lab_get_step_hint (zh, 0), ==, "端口 0 也可以");
  g_assert_cmpstr (sl_lab_get_step_title (zh, 2), ==, "回复");

  g_assert_true (sl_lab_check_translations (valid, strlen (valid), "zh_CN", &error));
  g_assert_no_error (error);
}

typedef struct
{
  const char *text;
  const char *message; /* expected in the error message, "line N: …" included */
} BadFile;

static const BadFile bad_files[] = {
  /* Syntax, found before GKeyFile reads the text. */
  { "[Lab]\nFormat=1\nthis is not a key\n", "line 3: “this is not a key” is not a Key=value" },
  { "[Lab\nFormat=1\n", "line 1: “[Lab” is not a group header" },
  /* An escape cut off at the end (GLib 2.74 would warn and take the value). */
  { "[Lab]\nFormat=1\nId=test\nTitle=a\\q\\\nGoal=g\nWhy=w\n" STEP1,
    "line 4: the value of Title has a backslash that starts no escape" },
  { "Format=1\n[Lab]\n", "line 1: the key “Format” comes before any group" },
  { HEADER "[Lab]\n", "line 7: the group [Lab] appears twice" },
  { "[Lab]\nFormat=1\nFormat=1\n", "line 3: the key “Format” appears twice in [Lab]" },
  { "[Lab]\nFormat=1\nTit le=x\n", "line 3: “Tit le” is not a valid key name" },
  { "[Lab]\nFormat=1\nTitle=\xff\xfe\n", "line 3: the text is not valid UTF-8" },
  /* The [Lab] group and the format. */
  { "[Step 1]\nTitle=x\n", "line 1: there is no [Lab] group" },
  { "# comment\n[Lab]\nId=x\n", "line 2: [Lab] has no Format= key" },
  { "[Lab]\nFormat=one\n", "line 2: Format=one is not a format number" },
  { "[Lab]\nFormat=2\nId=x\nFancy=yes\n[Step 1]\nNew=1\n",
    "line 2: this lab was made for a newer Socket Lab (format 2; this version reads format 1)" },
  /* Groups and keys. */
  { HEADER STEP1 "[Stepp 2]\nTitle=x\n", "line 11: unknown group [Stepp 2]" },
  { HEADER STEP1 "[Step 3]\nTitle=x\n", "line 11: there is a [Step 3] but no [Step 2]" },
  { HEADER, "line 1: the lab has no steps" },
  { HEADER "Autor=me\n" STEP1, "line 7: unknown key “Autor” in [Lab]; known keys are: Format, Id" },
  { HEADER STEP1 "Check[zh_CN]=log kind=call\n",
    "line 11: “Check” cannot be translated: only Title, Instructions, Hint take a [locale]" },
  { "[Lab]\nFormat=1\nId=Bad Id!\nTitle=x\nGoal=x\nWhy=x\n" STEP1, "line 3: [Lab] needs an Id=" },
  { "[Lab]\nFormat=1\nId=x\nGoal=x\nWhy=x\n" STEP1, "line 1: [Lab] has no Title= key" },
  { HEADER "[Step 1]\nInstructions=x\nCheck=log kind=call\n",
    "line 7: [Step 1] has no Title= key" },
  { HEADER "[Step 1]\nTitle=x\nInstructions=   \nCheck=log kind=call\n",
    "line 9: Instructions= is empty in [Step 1]" },
  { HEADER "[Step 1]\nTitle=x\nInstructions=x\n", "line 7: [Step 1] has no Check=" },
  { HEADER STEP1 "Order=sometimes\n", "line 11: Order= takes after-previous" },
  /* The check language. */
  { HEADER "[Step 1]\nTitle=x\nInstructions=x\nCheck=log kind=data-in recevie=1\n",
    "line 10: Check= uses the unknown condition “recevie”; known conditions are: kind, call, "
    "error" },
  { HEADER "[Step 1]\nTitle=x\nInstructions=x\nCheck=log kind=recevie\n",
    "line 10: Check= condition “kind” has the unknown value “recevie”; known values are: call, "
    "data-in, data-out, event, error, state" },
  { HEADER "[Step 1]\nTitle=x\nInstructions=x\nCheck=row kind=call\n",
    "line 10: Check= must start with “log”" },
  { HEADER "[Step 1]\nTitle=x\nInstructions=x\nCheck=log error=ECONNRESTE\n",
    "line 10: Check= condition “error” has the unknown value “ECONNRESTE”" },
  { HEADER "[Step 1]\nTitle=x\nInstructions=x\nCheck=log bytes>=many\n",
    "line 10: Check= condition “bytes” needs a whole number" },
  { HEADER "[Step 1]\nTitle=x\nInstructions=x\nCheck=log kind>=call\n",
    "line 10: Check= condition “kind” cannot use the operator “>=”" },
  { HEADER "[Step 1]\nTitle=x\nInstructions=x\nCheck=log count=2\n",
    "line 10: Check= condition “count” cannot use the operator “=”; use one of: >=" },
  { HEADER "[Step 1]\nTitle=x\nInstructions=x\nCheck=log payload~=(oops\n",
    "line 10: Check= condition “payload” has a regular expression that does not compile" },
  { HEADER "[Step 1]\nTitle=x\nInstructions=x\nCheck=log kind\n",
    "line 10: Check= condition “kind” has no operator and value" },
  { HEADER "[Step 1]\nTitle=x\nInstructions=x\nCheck=log kind=\n",
    "line 10: Check= condition “kind” has an empty value" },
  { HEADER "[Step 1]\nTitle=x\nInstructions=x\nCheck=log reuseaddr=yes\n",
    "line 10: Check= condition “reuseaddr” takes true or false" },
  { HEADER "[Step 1]\nTitle=x\nInstructions=x\nCheck=log call=bind()\n",
    "line 10: Check= condition “call” has the unknown value “bind()”" },
  { HEADER "[Step 1]\nTitle=x\nInstructions=x\nCheck=log tcp-state=WAITING\n",
    "line 10: Check= condition “tcp-state” has the unknown value “WAITING”" },
  { HEADER "[Step 1]\nTitle=x\nInstructions=x\nCheck=endpoint bytes=0\n",
    "line 10: Check= condition “bytes” looks at log rows, so it can only be used in a “log” "
    "check" },
  { HEADER "[Step 1]\nTitle=x\nInstructions=x\nCheck=log payload=\"a b\n",
    "line 10: Check= has a quote \" that is never closed" },
  { HEADER "[Step 1]\nTitle=x\nInstructions=x\nCheck=log kind=call |\n",
    "line 10: Check= needs a check on each side of “|”" },
  { HEADER "[Step 1]\nTitle=x\nInstructions=x\nCheck=log kind=call | | log\n",
    "line 10: Check= needs a check on each side of “|”" },
  { HEADER STEP1 "[Step 2]\nTitle=x\nInstructions=x\nCheck=log same-as=2\n",
    "line 14: Check= condition “same-as” must name an earlier step, from 1 to 1" },
  { HEADER "[Step 1]\nTitle=x\nInstructions=x\nCheck=endpoint state=listening\n"
    "[Step 2]\nTitle=x\nInstructions=x\nCheck=log upper-of=1\n",
    "line 14: Check= condition “upper-of” compares with step 1, but that step's check looks at "
    "endpoints" },
  { HEADER STEP1 "Suggest=protocol=tcp colour=red\n", "line 11: Suggest= has “colour=red”" },
  { HEADER STEP1 "Suggest=protocol=sctp\n",
    "line 11: Suggest= gives “protocol” the value “sctp”" },
  { HEADER STEP1 "Suggest=port=http\n", "line 11: Suggest= gives “port” the value “http”" },
};

static void
test_parse_errors (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_files); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SlLab) lab = sl_lab_new_from_data (bad_files[i].text, strlen (bad_files[i].text),
                                                   &error);

      g_test_message ("case %u: %s", i, error != NULL ? error->message : "(no error)");
      g_assert_null (lab);
      g_assert_error (error, SL_ERROR, SL_ERROR_DECODE);
      g_assert_nonnull (strstr (error->message, bad_files[i].message));
    }
}

static void
test_parse_nul (void)
{
  static const char text[] = "[Lab]\nFormat=1\nTitle=a\0b\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(SlLab) lab = sl_lab_new_from_data (text, sizeof text - 1, &error);

  g_assert_null (lab);
  g_assert_error (error, SL_ERROR, SL_ERROR_DECODE);
  g_assert_true (g_str_has_prefix (error->message, "line 3: the file contains a NUL byte"));
}

static void
test_newer_format (void)
{
  static const char text[] = "[Lab]\nFormat=2\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(SlLab) lab = sl_lab_new_from_data (text, strlen (text), &error);

  g_assert_null (lab);
  g_assert_error (error, SL_ERROR, SL_ERROR_DECODE);
  g_assert_nonnull (strstr (error->message, "made for a newer Socket Lab"));
  g_assert_nonnull (strstr (error->message, "Update Socket Lab"));
}

static void
test_file_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlLab) lab = sl_lab_new_from_file ("/nonexistent/lab.lab", &error);
  g_autofree char *dir = g_dir_make_tmp ("sl-lab-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "teacher.lab", NULL);

  g_assert_null (lab);
  g_assert_error (error, SL_ERROR, SL_ERROR_DECODE);
  g_clear_error (&error);

  /* A teacher's file from disk, with its errors' lines. */
  g_assert_true (g_file_set_contents (path, valid, -1, NULL));
  lab = sl_lab_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sl_lab_get_n_steps (lab), ==, 3);
  g_clear_pointer (&lab, sl_lab_unref);

  g_assert_true (g_file_set_contents (path, HEADER "[Step 1]\nTitle=x\n", -1, NULL));
  lab = sl_lab_new_from_file (path, &error);
  g_assert_null (lab);
  g_assert_nonnull (strstr (error->message, "line 7: [Step 1] has no Instructions= key"));

  sl_test_remove_tmp_dir (dir);
}

static void
test_missing_translation (void)
{
  static const char text[] =
    "[Lab]\nFormat=1\nId=x\nTitle=T\nTitle[zh_CN]=标题\nGoal=G\nGoal[zh_CN]=目标\n"
    "Why=W\nWhy[zh_CN]=原因\n"
    "[Step 1]\nTitle=S\nTitle[zh_CN]=步骤\nInstructions=I\nInstructions[zh_CN]=说明\n"
    "Hint=H\nCheck=log kind=call\n";
  g_autoptr(GError) error = NULL;
  g_autofree char *fixed = NULL;

  g_assert_false (sl_lab_check_translations (text, strlen (text), "zh_CN", &error));
  g_assert_error (error, SL_ERROR, SL_ERROR_DECODE);
  g_assert_nonnull (strstr (error->message, "line 15: Hint in [Step 1] has no zh_CN translation"));
  g_clear_error (&error);

  /* Another locale is missing everywhere. */
  g_assert_false (sl_lab_check_translations (text, strlen (text), "de", &error));
  g_assert_nonnull (strstr (error->message, "line 4: Title in [Lab] has no de translation"));
  g_clear_error (&error);

  fixed = g_strconcat (text, "Hint[zh_CN]=提示\n", NULL);
  g_assert_true (sl_lab_check_translations (fixed, strlen (fixed), "zh_CN", &error));
  g_assert_no_error (error);
}

/* Every built-in lab parses, in English and in Chinese, and is completely translated. */
static void
test_builtin_labs (void)
{
  g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "..", "data", "labs", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) builtin = sl_lab_list_builtin ();
  const char *name;
  guint n = 0;

  g_assert_nonnull (dir);
  /* The core tests do not register the app's resources. */
  g_assert_nonnull (builtin);

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      g_autofree char *contents = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(SlLab) lab = NULL;
      g_autoptr(SlLab) zh = NULL;
      gsize len;

      if (!g_str_has_suffix (name, ".lab"))
        continue;
      n++;
      g_test_message ("%s", name);
      g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
      lab = sl_lab_new_from_data (contents, len, &error);
      g_assert_no_error (error);
      g_assert_true (sl_lab_check_translations (contents, len, "zh_CN", &error));
      g_assert_no_error (error);
      zh = sl_lab_new_from_data_for_locale (contents, len, "zh_CN", &error);
      g_assert_no_error (error);

      /* Numbered file names, unique ids, 3–6 steps, the tutorial named. */
      g_assert_true (g_ascii_isdigit (name[0]) && g_ascii_isdigit (name[1]) && name[2] == '-');
      g_assert_true (g_hash_table_add (ids, g_strdup (sl_lab_get_id (lab))));
      g_assert_cmpuint (sl_lab_get_n_steps (lab), >=, 3);
      g_assert_cmpuint (sl_lab_get_n_steps (lab), <=, 6);
      g_assert_nonnull (sl_lab_get_tutorial (lab));
      g_assert_nonnull (strstr (sl_lab_get_why (lab), "utorial"));
      g_assert_cmpstr (sl_lab_get_title (lab), !=, sl_lab_get_title (zh));
      for (guint i = 0; i < sl_lab_get_n_steps (lab); i++)
        {
          /* The suggested endpoints are valid as they are. */
          for (guint k = 0; k < sl_lab_get_step_n_suggestions (lab, i); k++)
            {
              g_autoptr(SlEndpointConfig) config = sl_lab_get_step_suggestion (lab, i, k);

              g_assert_true (sl_endpoint_config_validate (config, NULL, &error));
              g_assert_no_error (error);
            }
          g_assert_cmpstr (sl_lab_get_step_title (lab, i), !=, sl_lab_get_step_title (zh, i));
          g_assert_cmpstr (sl_lab_get_step_instructions (lab, i), !=,
                           sl_lab_get_step_instructions (zh, i));
        }
    }
  g_assert_cmpuint (n, ==, 13);
}

/* ---- runs ------------------------------------------------------------------ */

static const char run_lab[] =
  HEADER
  "[Step 1]\nTitle=Listen\nInstructions=x\nCheck=log kind=call call=listen\n"
  "[Step 2]\nTitle=Send\nInstructions=x\nCheck=log kind=data-out role=client count>=2\n"
  "[Step 3]\nTitle=Upper\nInstructions=x\nCheck=log kind=data-in upper-of=2\n"
  "[Step 4]\nTitle=Two\nInstructions=x\nCheck=endpoint role=server n-connections>=2\n";

typedef struct
{
  SlLabRun *run;
  guint     step;
} StepWait;

static gboolean
reached (gpointer data)
{
  StepWait *wait = data;

  return sl_lab_run_get_current_step (wait->run) >= wait->step;
}

static void
expect_step (SlLabRun *run,
             guint     step)
{
  StepWait wait = { run, step };

  sl_test_wait_until (reached, &wait, WAIT_MS);
  sl_test_run_for (100);
  g_assert_cmpuint (sl_lab_run_get_current_step (run), ==, step);
}

static SlEndpoint *
start (GListStore       *store,
       SlEndpointConfig *config)
{
  SlEndpoint *endpoint = sl_endpoint_new (config, NULL);
  g_autoptr(GError) error = NULL;

  g_list_store_append (store, endpoint);
  g_assert_true (sl_test_endpoint_start (endpoint, &error));
  g_assert_no_error (error);
  g_object_unref (endpoint);
  return endpoint;
}

static SlEndpoint *
start_server (GListStore *store)
{
  g_autoptr(SlEndpointConfig) config = sl_test_config_new (SL_PROTOCOL_TCP, SL_ROLE_SERVER,
                                                           SL_FAMILY_IPV4, "127.0.0.1", 0);

  sl_endpoint_config_set_reply_mode (config, SL_REPLY_UPPER);
  return start (store, config);
}

static SlEndpoint *
start_client (GListStore *store,
              SlEndpoint *server)
{
  g_autoptr(SlEndpointConfig) config = sl_test_config_new (SL_PROTOCOL_TCP, SL_ROLE_CLIENT,
                                                           SL_FAMILY_IPV4, "127.0.0.1",
                                                           sl_endpoint_get_local_port (server));

  sl_endpoint_config_set_reply_mode (config, SL_REPLY_NONE);
  return start (store, config);
}

static void
send_text (SlEndpoint *endpoint,
           const char *text)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr(GError) error = NULL;

  g_assert_true (sl_endpoint_send (endpoint, NULL, bytes, &error));
  g_assert_no_error (error);
}

static void
count_cb (SlLabRun *run,
          guint     index,
          guint    *count)
{
  (*count)++;
}

static void
stop_all (GListStore *store)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (store)); i++)
    {
      g_autoptr(SlEndpoint) endpoint = g_list_model_get_item (G_LIST_MODEL (store), i);

      sl_endpoint_stop (endpoint);
    }
  sl_test_run_for (50);
  g_list_store_remove_all (store);
}

static void
test_run_steps_and_reset (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlLab) lab = sl_lab_new_from_data (run_lab, strlen (run_lab), &error);
  g_autoptr(GListStore) store = g_list_store_new (SL_TYPE_ENDPOINT);
  g_autoptr(GListStore) other = g_list_store_new (SL_TYPE_ENDPOINT);
  SlLabRun *run;
  SlEndpoint *server, *client;
  guint completed = 0;

  g_assert_no_error (error);
  /* A server that runs before the lab starts: its rows are not the lab's. */
  server = start_server (store);
  run = sl_lab_run_new (lab, G_LIST_MODEL (store));
  g_signal_connect (run, "step-completed", G_CALLBACK (count_cb), &completed);
  g_assert_true (sl_lab_run_get_lab (run) == lab);
  expect_step (run, 0);

  /* An endpoint outside the model does not count. */
  start_server (other);
  expect_step (run, 0);

  start_server (store);
  expect_step (run, 1);
  g_assert_cmpuint (completed, ==, 1);

  client = start_client (store, server);
  send_text (client, "one");
  expect_step (run, 1);
  send_text (client, "two");
  expect_step (run, 3);
  g_assert_false (sl_lab_run_get_completed (run));

  /* Reset: earlier rows are forgotten, the endpoints' states still count. */
  sl_lab_run_reset (run);
  g_assert_cmpuint (sl_lab_run_get_current_step (run), ==, 0);
  g_assert_false (sl_lab_run_is_step_done (run, 0));
  expect_step (run, 0);
  start_server (store);
  expect_step (run, 1);
  send_text (client, "three");
  expect_step (run, 1); /* and the server replied, so "four" comes alone */
  send_text (client, "four");
  expect_step (run, 3);
  start_client (store, server);
  expect_step (run, 4);
  g_assert_true (sl_lab_run_get_completed (run));
  g_assert_cmpuint (completed, ==, 7);

  stop_all (store);
  stop_all (other);
  g_assert_finalize_object (run);
}

static const char since_start_lab[] =
  HEADER
  "[Step 1]\nTitle=Send\nInstructions=x\nCheck=log kind=data-out\n"
  "[Step 2]\nTitle=Listen\nInstructions=x\nCheck=log kind=call call=listen\n"
  "[Step 3]\nTitle=Listen earlier\nInstructions=x\nCheck=log kind=call call=listen\n"
  "Order=since-start\n";

static void
test_run_order (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlLab) lab = sl_lab_new_from_data (since_start_lab, strlen (since_start_lab), &error);
  g_autoptr(GListStore) store = g_list_store_new (SL_TYPE_ENDPOINT);
  g_autoptr(SlLabRun) run = NULL;
  SlEndpoint *server, *client;

  g_assert_no_error (error);
  run = sl_lab_run_new (lab, G_LIST_MODEL (store));
  server = start_server (store);
  expect_step (run, 0);
  client = start_client (store, server);
  send_text (client, "x");
  /* Step 2 needs a listen() after the send; step 3 would take the earlier one. */
  expect_step (run, 1);
  start_server (store);
  expect_step (run, 3);
  stop_all (store);
}

static const char relation_lab[] =
  "[Lab]\nFormat=1\nId=first-tcp\nTitle=Test\nGoal=A goal\nWhy=A reason\n"
  "[Step 1]\nTitle=Send\nInstructions=x\nCheck=log kind=data-out role=client\n"
  "[Step 2]\nTitle=Upper\nInstructions=x\nCheck=log kind=data-in upper-of=1\n"
  "[Step 3]\nTitle=Two\nInstructions=x\nCheck=endpoint role=server n-connections>=1\n";

static void
test_progress (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlLab) lab = sl_lab_new_from_data (relation_lab, strlen (relation_lab), &error);
  g_autoptr(SlLab) other_lab = sl_lab_new_from_data (run_lab, strlen (run_lab), &error);
  g_autoptr(GListStore) store = g_list_store_new (SL_TYPE_ENDPOINT);
  g_autoptr(SlLabRun) run = NULL;
  g_autoptr(SlLabRun) restored = NULL;
  g_autoptr(SlLabRun) foreign = NULL;
  g_autofree char *progress = NULL;
  g_autofree char *done = NULL;
  SlEndpoint *server, *client;

  g_assert_no_error (error);
  run = sl_lab_run_new (lab, G_LIST_MODEL (store));
  progress = sl_lab_run_get_progress (run);
  g_assert_cmpstr (progress, ==, "socketlab-lab-progress:1:first-tcp:0");

  server = start_server (store);
  client = start_client (store, server);
  send_text (client, "abc");
  expect_step (run, 3);
  done = sl_lab_run_get_progress (run);
  g_assert_cmpstr (done, ==, "socketlab-lab-progress:1:first-tcp:3");

  /* Round trip: a completed lab stays completed. */
  restored = sl_lab_run_new (lab, NULL);
  g_assert_true (sl_lab_run_set_progress (restored, done, &error));
  g_assert_no_error (error);
  g_assert_true (sl_lab_run_get_completed (restored));
  g_assert_true (sl_lab_run_is_step_done (restored, 2));

  /* One step done: step 2 compares with step 1's row, which this session
   * never saw, so the run resumes at step 1. */
  g_assert_true (sl_lab_run_set_progress (restored, "socketlab-lab-progress:1:first-tcp:1",
                                          &error));
  g_assert_cmpuint (sl_lab_run_get_current_step (restored), ==, 0);
  g_assert_false (sl_lab_run_get_completed (restored));

  /* Errors leave the run as it was. */
  g_assert_true (sl_lab_run_set_progress (restored, done, &error));
  g_assert_false (sl_lab_run_set_progress (restored, "socketlab-lab-progress:1:first-tcp:9",
                                           &error));
  g_assert_error (error, SL_ERROR, SL_ERROR_DECODE);
  g_clear_error (&error);
  g_assert_false (sl_lab_run_set_progress (restored, "garbage", &error));
  g_assert_error (error, SL_ERROR, SL_ERROR_DECODE);
  g_clear_error (&error);
  g_assert_true (sl_lab_run_get_completed (restored));

  foreign = sl_lab_run_new (other_lab, NULL);
  g_assert_false (sl_lab_run_set_progress (foreign, done, &error));
  g_assert_error (error, SL_ERROR, SL_ERROR_DECODE);
  g_assert_nonnull (strstr (error->message, "first-tcp"));
  g_clear_error (&error);

  /* Restored where it was when no step still to do needs an earlier row… */
  g_assert_true (sl_lab_run_set_progress (foreign, "socketlab-lab-progress:1:test:1", &error));
  g_assert_cmpuint (sl_lab_run_get_current_step (foreign), ==, 1);
  g_assert_true (sl_lab_run_is_step_done (foreign, 0));
  g_assert_false (sl_lab_run_is_step_done (foreign, 1));
  /* …and one step earlier when step 3 (upper-of=2) needs step 2's row. */
  g_assert_true (sl_lab_run_set_progress (foreign, "socketlab-lab-progress:1:test:2", &error));
  g_assert_cmpuint (sl_lab_run_get_current_step (foreign), ==, 1);
  g_assert_true (sl_lab_run_set_progress (foreign, "socketlab-lab-progress:1:test:3", &error));
  g_assert_cmpuint (sl_lab_run_get_current_step (foreign), ==, 3);

  stop_all (store);
}

/* Endpoints leave the model: their later rows are ignored. */
static void
test_run_endpoint_removed (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SlLab) lab = sl_lab_new_from_data (relation_lab, strlen (relation_lab), &error);
  g_autoptr(GListStore) store = g_list_store_new (SL_TYPE_ENDPOINT);
  g_autoptr(SlLabRun) run = NULL;
  g_autoptr(SlEndpoint) client = NULL;
  SlEndpoint *server;

  g_assert_no_error (error);
  run = sl_lab_run_new (lab, G_LIST_MODEL (store));
  server = start_server (store);
  client = g_object_ref (start_client (store, server));
  g_list_store_remove (store, 1);
  send_text (client, "abc");
  expect_step (run, 0);

  g_list_store_append (store, client);
  send_text (client, "abc");
  expect_step (run, 3);

  sl_endpoint_stop (client);
  stop_all (store);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lab/parse/valid", test_parse_valid);
  g_test_add_func ("/lab/parse/errors", test_parse_errors);
  g_test_add_func ("/lab/parse/nul", test_parse_nul);
  g_test_add_func ("/lab/parse/newer-format", test_newer_format);
  g_test_add_func ("/lab/parse/file", test_file_errors);
  g_test_add_func ("/lab/translations/missing", test_missing_translation);
  g_test_add_func ("/lab/builtin", test_builtin_labs);
  g_test_add_func ("/lab/run/steps-and-reset", test_run_steps_and_reset);
  g_test_add_func ("/lab/run/order", test_run_order);
  g_test_add_func ("/lab/run/endpoint-removed", test_run_endpoint_removed);
  g_test_add_func ("/lab/run/progress", test_progress);

  return g_test_run ();
}
