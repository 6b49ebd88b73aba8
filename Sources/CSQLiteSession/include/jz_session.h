// SQLite's session extension (changesets), for the exchange packages between a township's file
// and the county's (issue 25). Debian's libsqlite3 is built with SQLITE_ENABLE_SESSION and
// SQLITE_ENABLE_PREUPDATE_HOOK, but sqlite3.h declares the session API only when the including
// unit defines them; session.c does, and this header hands Swift a few thin calls on opaque
// pointers (the connection is GRDB's `sqliteConnection`).
#ifndef JZ_SESSION_H
#define JZ_SESSION_H

typedef struct jz_session jz_session;

/// A session on the "main" database recording every table with a primary key except the
/// exchange's own bookkeeping (`exchange_*`), SQLite's (`sqlite_*`), the keyed digests
/// (`guard_digest`, under each file's own key) and the audit chain (each file's own; a package
/// carries the sender's rows beside its changeset). 0 on success.
int jz_session_begin(void *db, jz_session **out);
/// The changes recorded so far as a changeset (`*out` freed with jz_free). 0 on success.
int jz_session_changeset(jz_session *s, int *size, void **out);
/// Whether the session recorded nothing.
int jz_session_isempty(jz_session *s);
void jz_session_end(jz_session *s);
void jz_free(void *p);

/// Apply a changeset inside the caller's transaction, the connection's triggers off meanwhile
/// (the rows arrive as the sender's triggers left them). Any conflict (a row missing, present
/// already, or changed since) aborts the whole changeset: SQLite undoes what it applied and
/// this returns non-zero; `*conflicts` says how many conflicts were met (the first aborts),
/// `*reason` its kind (SQLITE_CHANGESET_DATA 1, NOTFOUND 2, CONFLICT 3, CONSTRAINT 4,
/// FOREIGN_KEY 5) and `table` its table.
int jz_changeset_apply_strict(void *db, int size, const void *changes, int *conflicts, int *reason, char *table, int tableSize);
/// A then B as one changeset (`*out` freed with jz_free). 0 on success.
int jz_changeset_concat(int sizeA, const void *a, int sizeB, const void *b, int *size, void **out);
/// How many row changes a changeset holds, -1 if it cannot be read.
int jz_changeset_count(int size, const void *changes);
/// Each change's table and primary key, the key as "INDEX=LITERAL" per key column (column
/// index in the table, value as an SQL literal) joined by U+001E. -1 if unreadable.
typedef void (*jz_key_cb)(void *ctx, const char *table, const char *key);
int jz_changeset_keys(int size, const void *changes, void *ctx, jz_key_cb cb);

#endif
