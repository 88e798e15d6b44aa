/*  zw_mechanism.c — what every mechanism shares (zw_mechanism.h): its
    preparation for a connection, the as-server octet of the greeting, and
    the sending of the commands of a handshake (its own, READY or INITIATE
    with our metadata, ERROR), each through the engine's queue_frame, whose
    failure every caller passes on.  */

#include <string.h>
#include "zw_fault.h"
#include "zw_mechanism.h"
#include "zmtp_frame.h"

void
zw_mechanism_init (zw_mechanism *m, const zw_mechanism_config *config,
                   const zw_mechanism_host *host)
{
    memset (m, 0, sizeof *m);
    if (config)
        m->config = *config;
    m->ops = m->config.ops ? m->config.ops : &zw_mech_null;
    m->config.ops = m->ops;
    m->host = *host;
}

/* zmtp31.greeting.as-server-no-meaning, zmtp31.greeting.as-server-zero */
uint8_t
zw_mechanism_as_server (const zw_mechanism *m)
{
    return m->ops->roles && m->config.as_server ? 1 : 0;
}

void
zw_mechanism_command_named (zw_zmtp_command *cmd, zw_zmtp_command_id id, const char *name)
{
    memset (cmd, 0, sizeof *cmd);
    cmd->id = id;
    cmd->name_size = (uint8_t) strlen (name);
    memcpy (cmd->name, name, cmd->name_size);
}

#define PIECES_MAX 8
/*  The largest head a handshake packs: PLAIN's HELLO, a name and two
    counted strings of up to 255 octets (518 octets in all).  */
#define HEAD_MAX 1024

int
zw_mechanism_send (zw_mechanism *m, const zw_zmtp_command *cmd, const struct iovec *rest,
                   int count)
{
    uint8_t head[HEAD_MAX];
    size_t n = zw_zmtp_command_pack_head (head, sizeof head, m->ops->codec, cmd);
    if (n == 0 || count + 1 > PIECES_MAX)
        return -1;
    struct iovec pieces[PIECES_MAX] = { { head, n } };
    for (int i = 0; i < count; i++)
        pieces[i + 1] = rest[i];
    return m->host.queue_frame (m->host.engine, cmd->name, ZW_ZMTP_FLAG_COMMAND, pieces,
                                count + 1);
}

int
zw_mechanism_send_metadata (zw_mechanism *m, zw_zmtp_command_id id, const char *name)
{
    zw_zmtp_command cmd;
    zw_mechanism_command_named (&cmd, id, name);
    struct iovec metadata[ZW_MECH_METADATA_PIECES];
    int count = m->host.metadata (m->host.engine, metadata);
    return zw_mechanism_send (m, &cmd, metadata, count);
}

int
zw_mechanism_send_error (zw_mechanism *m, const char *reason)
{
    if (zw_fault_on (ZW_FAULT_NO_ERROR_BEFORE_CLOSE))
        return 0;                                       /* deliberate fault */
    zw_zmtp_command error;
    zw_mechanism_command_named (&error, ZW_COMMAND_ERROR, "ERROR");
    reason = reason ? reason : "refused";
    error.u.reason.size = (uint8_t) strnlen (reason, 255);
    memcpy (error.u.reason.data, reason, error.u.reason.size);
    return zw_mechanism_send (m, &error, NULL, 0);
}

void
zw_mechanism_fail (zw_mechanism *m, zw_errcode code, uint64_t offset, const char *clause,
                   const char *reason)
{
    zw_error_set (&m->error, code, offset, clause, reason);
}
