/*  zwire.c — the zwire command-line tool: subcommand dispatch, the
    top-level help, the version.

    Adding a subcommand: write reference/cli/<name>.c defining
    `int zw_cli_<name> (int argc, char **argv)` (it answers --help itself),
    declare it in zwire_cli.h and add one line to the table below.  A name
    may have several words ("mdp broker"): the words are matched against
    the first arguments, the longest match wins, and the subcommand gets
    argv from its last name word on.  The Makefile links every .c file of
    reference/cli/, so nothing else changes.  */

#include <string.h>
#include "zwire_cli.h"

typedef struct {
    const char *name;       /* one or more words, separated by one space */
    const char *summary;    /* one line for `zwire --help` */
    int (*run) (int argc, char **argv);
} subcommand;

static const subcommand subcommands[] = {
    { "decode", "decode one direction of a ZMTP byte stream, line by line", zw_cli_decode },
    { "peer", "open a socket of any type, bind or connect it, send, receive, echo", zw_cli_peer },
    { "bench", "measure the codecs against memcpy (zwire bench codec)", zw_cli_bench },
    { "bench mdp", "the Majordomo broker against a plain libzmq LRU broker, round trips",
      zw_cli_bench_mdp },
    { "bench fl", "the Freelance client and server: round trips against libzmq, failover times",
      zw_cli_bench_fl },
    { "bench security", "NULL, PLAIN and CURVE against libzmq: handshakes/s, CURVE throughput",
      zw_cli_bench_security },
    { "keygen", "a CURVE key pair in Z85, for zwire peer --curve-secret / --curve-serverkey",
      zw_cli_keygen },
    { "adapter", "the reference stack behind the conformance suite's adapter contract",
      zw_cli_adapter },
    { "fl client", "one Freelance request, failing over between servers; prints the reply",
      zw_cli_fl_client },
    { "fl server", "a Freelance server (ROUTER, identity its endpoint): echo, or a command per request",
      zw_cli_fl_server },
    { "mdp broker", "the Majordomo broker (MDP 0.1 and 0.2, MMI) on one ROUTER socket",
      zw_cli_mdp_broker },
    { "mdp client", "one Majordomo request (MDP 0.1 or 0.2, MMI); prints the answer",
      zw_cli_mdp_client },
    { "mdp worker", "a Majordomo worker (MDP 0.1 or 0.2): echo, or a command per request",
      zw_cli_mdp_worker },
};

#define SUBCOMMAND_COUNT (sizeof subcommands / sizeof subcommands[0])

static void
usage (FILE *out)
{
    fputs ("Usage: zwire <command> [options] [arguments]\n"
           "       zwire help [<command>]\n"
           "       zwire --version\n"
           "\n"
           "zwire is the reference implementation and conformance toolkit of the\n"
           "ZeroMQ wire protocols (ZMTP 1.0 to 3.1, NULL, PLAIN, CURVE, and the\n"
           "protocols built on them).\n"
           "\n"
           "Commands:\n", out);
    for (size_t i = 0; i < SUBCOMMAND_COUNT; i++)
        fprintf (out, "  %-14s %s\n", subcommands[i].name, subcommands[i].summary);
    fprintf (out, "  %-14s %s\n", "help", "this text, or a command's help: zwire help <command>");
    fputs ("\n"
           "Options:\n"
           "  -h, --help     this text\n"
           "  --version      the version of zwire\n"
           "\n"
           "Exit status, for every command:\n"
           "  0  success: the input broke no protocol rule\n"
           "  1  the input broke a protocol rule (the first violation is printed)\n"
           "  3  bad invocation: unknown command or option, bad value, unreadable input\n"
           "\n"
           "Run 'zwire <command> --help' for the options of a command.\n", out);
}

/*  The number of words of name that match argv[from..], or 0 if they do
    not all match.  */
static int
match_words (const char *name, int argc, char **argv, int from)
{
    int words = 0;
    while (*name) {
        const char *space = strchr (name, ' ');
        size_t n = space ? (size_t) (space - name) : strlen (name);
        if (from + words >= argc || strlen (argv[from + words]) != n
        ||  strncmp (argv[from + words], name, n) != 0)
            return 0;
        words++;
        name += n + (space ? 1 : 0);
    }
    return words;
}

/* The subcommand named by argv[from..] (longest match); *words its length. */
static const subcommand *
find (int argc, char **argv, int from, int *words)
{
    const subcommand *best = NULL;
    *words = 0;
    for (size_t i = 0; i < SUBCOMMAND_COUNT; i++) {
        int n = match_words (subcommands[i].name, argc, argv, from);
        if (n > *words) {
            best = &subcommands[i];
            *words = n;
        }
    }
    return best;
}

/*  For a word that only begins command names ("mdp"), the commands it
    begins, on one line; 0 if it begins none.  */
static int
list_group (const char *word)
{
    size_t n = strlen (word), found = 0;
    for (size_t i = 0; i < SUBCOMMAND_COUNT; i++) {
        const char *name = subcommands[i].name;
        if (strncmp (name, word, n) == 0 && name[n] == ' ')
            fprintf (stderr, "%s%s", found++ ? ", " : "zwire: give a command: ", name);
    }
    if (found)
        fprintf (stderr, " (zwire --help lists them all)\n");
    return found > 0;
}

static int
unknown (const char *word)
{
    if (list_group (word))
        return ZW_EXIT_USAGE;
    fprintf (stderr, "zwire: unknown %s '%s' (zwire --help lists the commands)\n",
             word[0] == '-' ? "option" : "command", word);
    return ZW_EXIT_USAGE;
}

/* zwire help [<command words>] */
static int
help (int argc, char **argv)
{
    int words;
    if (argc <= 2) {
        usage (stdout);
        return ZW_EXIT_OK;
    }
    const subcommand *sub = find (argc, argv, 2, &words);
    if (!sub)
        return unknown (argv[2]);
    char *help_argv[] = { argv[1 + words], (char *) "--help", NULL };
    return sub->run (2, help_argv);
}

int
main (int argc, char **argv)
{
    int words;
    if (argc < 2) {
        usage (stderr);
        return ZW_EXIT_USAGE;
    }
    if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)
        return help (1, argv);
    if (strcmp (argv[1], "help") == 0)
        return help (argc, argv);
    if (strcmp (argv[1], "--version") == 0) {
        printf ("zwire %s\n", ZW_CLI_VERSION);
        return ZW_EXIT_OK;
    }
    const subcommand *sub = find (argc, argv, 1, &words);
    if (!sub)
        return unknown (argv[1]);
    return sub->run (argc - words, argv + words);
}
