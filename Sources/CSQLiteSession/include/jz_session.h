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
/// Whether a table's changes travel in the exchange (1) or stay in each file (0).
int jz_is_exchanged(const char *table);
/// Add to the session the changes that would make `table` in attached database `fromDb` equal
/// to the same table in main (for a baseline: every row as an insert, from an empty copy).
int jz_session_diff(jz_session *s, const char *fromDb, const char *table);
/// Turn the connection's triggers on (1) or off (0); returns whether they were on.
int jz_enable_triggers(void *db, int on);

/// Apply a changeset inside the caller's transaction, the connection's triggers off meanwhile
/// (the rows arrive as the sender's triggers left them). Any conflict (a row missing, present
/// already, or changed since) aborts the whole changeset: SQLite undoes what it applied and
/// this returns non-zero; `*conflicts` says how many conflicts were met (the first aborts),
/// `*reason` its kind (SQLITE_CHANGESET_DATA 1, NOTFOUND 2, CONFLICT 3, CONSTRAINT 4,
/// FOREIGN_KEY 5) and `table` its table.
/// Apply a changeset with triggers off, aborting at the first conflict other than a reference
/// row arriving equal to the one there; with householdPolicy 1 (REPLACE, at the county) or 2
/// (OMIT, at a township) a household row both sides changed is settled for the township and its
/// id put in households (up to householdsCap; past that, the conflict aborts).
int jz_changeset_apply_strict(void *db, int size, const void *changes, int *conflicts, int *reason, char *table, int tableSize,
                              int householdPolicy, long long *households, int householdsCap, int *householdsCount);
/// A then B as one changeset (`*out` freed with jz_free). 0 on success.
int jz_changeset_concat(int sizeA, const void *a, int sizeB, const void *b, int *size, void **out);
/// How many row changes a changeset holds, -1 if it cannot be read.
int jz_changeset_count(int size, const void *changes);
/// Each change's table and primary key, the key as "INDEX=LITERAL" per key column (column
/// index in the table, value as an SQL literal) joined by U+001E. -1 if unreadable.
typedef void (*jz_key_cb)(void *ctx, const char *table, int op, const char *key);
int jz_changeset_keys(int size, const void *changes, void *ctx, jz_key_cb cb);
/// For each change to `table` (its position among all the changes), the integer value of
/// column `column` as it was and as it becomes, where the changeset holds it (an update holds
/// only the changed columns). -1 if unreadable.
typedef void (*jz_column_cb)(void *ctx, int index, int op, int hasOld, long long oldValue, int hasNew, long long newValue);
int jz_changeset_column(int size, const void *changes, const char *table, int column, void *ctx, jz_column_cb cb);

/// The changes whose position `i` has `keep[i]` non-zero, as a new changeset (`*out` freed
/// with jz_free), written in the changeset format SQLite documents (sqlite3session.h). 0 on success.
int jz_changeset_filter(int size, const void *changes, const unsigned char *keep, int keepCount, int *outSize, void **out);

#endif
