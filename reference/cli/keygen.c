/*  keygen.c — `zwire keygen`: a CURVE permanent key pair (26/CurveZMQ),
    in Z85 (32/Z85, DECISIONS S9), for --curve-secret and
    --curve-serverkey; or the public key of a secret key.  */

#include <stdio.h>
#include <string.h>
#include <sodium.h>
#include "zwire_cli.h"
#include "zw_curvezmq.h"

static void
usage (FILE *out)
{
    fputs ("Usage: zwire keygen [--public-of SECRET]\n"
           "\n"
           "Makes a CURVE permanent key pair from libsodium's random source and prints it\n"
           "as two lines, each key in 40 Z85 characters:\n"
           "  public: <key>\n"
           "  secret: <key>\n"
           "Give the secret to the server (zwire peer --curve-server --curve-secret KEY) and\n"
           "the public key to its clients (--curve-serverkey KEY). Keep the secret secret.\n"
           "\n"
           "  --public-of SECRET   print only the public key of this secret key\n"
           "\n"
           "Exit status: 0 done, 3 bad invocation or a secret that is not 40 Z85 characters.\n",
           out);
}

int
zw_cli_keygen (int argc, char **argv)
{
    const char *secret = NULL;
    for (int i = 1; i < argc; i++) {
        int r;
        if (strcmp (argv[i], "--help") == 0 || strcmp (argv[i], "-h") == 0)
            return usage (stdout), ZW_EXIT_OK;
        if ((r = zw_args_value (argc, argv, &i, "--public-of", &secret)) > 0)
            continue;
        fprintf (stderr, "zwire keygen: %s '%s' (see --help)\n",
                 r < 0 ? "a value is needed after" : "unknown option", argv[i]);
        return ZW_EXIT_USAGE;
    }
    zw_curvezmq_keypair pair;
    zw_error error = { 0 };
    uint8_t key[ZW_CURVE_KEY_SIZE];
    int failed = secret ? zw_curvezmq_key_from_z85 (key, secret, strlen (secret), &error)
                          || zw_curvezmq_keypair_from_secret (&pair, key)
                        : zw_curvezmq_keypair_generate (&pair);
    if (failed) {
        fprintf (stderr, "zwire keygen: %s\n", secret ? "the secret key must be 40 Z85 characters"
                                                      : "libsodium could not make a key pair");
        return ZW_EXIT_USAGE;
    }
    char text[ZW_CURVEZMQ_Z85_KEY_SIZE + 1];
    zw_curvezmq_key_to_z85 (text, pair.public_key);
    printf (secret ? "%s\n" : "public: %s\n", text);
    if (!secret) {
        zw_curvezmq_key_to_z85 (text, pair.secret_key);
        printf ("secret: %s\n", text);
    }
    sodium_memzero (&pair, sizeof pair);
    sodium_memzero (key, sizeof key);
    sodium_memzero (text, sizeof text);
    return ZW_EXIT_OK;
}
