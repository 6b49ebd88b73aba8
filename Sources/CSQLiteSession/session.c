#define SQLITE_ENABLE_SESSION 1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include "jz_session.h"

struct jz_session { sqlite3_session *s; };

static int jz_filter(void *ctx, const char *table) {
    (void)ctx;
    // guard_digest holds MACs under this file's own key: the receiving file keeps its own.
    // audit is each file's own hash chain: a package carries the sender's rows beside the
    // changeset, and the receiver keeps them apart from its own chain.
    return strncmp(table, "exchange_", 9) != 0 && strncmp(table, "sqlite_", 7) != 0
        && strcmp(table, "guard_digest") != 0 && strcmp(table, "audit") != 0;
}

int jz_session_begin(void *db, jz_session **out) {
    *out = NULL;
    jz_session *j = sqlite3_malloc(sizeof *j);
    if (!j) return SQLITE_NOMEM;
    int rc = sqlite3session_create((sqlite3 *)db, "main", &j->s);
    if (rc != SQLITE_OK) { sqlite3_free(j); return rc; }
    sqlite3session_table_filter(j->s, jz_filter, NULL);
    rc = sqlite3session_attach(j->s, NULL);
    if (rc != SQLITE_OK) { sqlite3session_delete(j->s); sqlite3_free(j); return rc; }
    *out = j;
    return SQLITE_OK;
}

int jz_session_changeset(jz_session *s, int *size, void **out) {
    return sqlite3session_changeset(s->s, size, out);
}

int jz_session_isempty(jz_session *s) { return sqlite3session_isempty(s->s); }

void jz_session_end(jz_session *s) {
    if (!s) return;
    sqlite3session_delete(s->s);
    sqlite3_free(s);
}

void jz_free(void *p) { sqlite3_free(p); }

struct jz_conflict { int count; int reason; char table[64]; };

static int jz_abort_on_conflict(void *ctx, int reason, sqlite3_changeset_iter *it) {
    struct jz_conflict *c = ctx;
    if (c->count++ == 0) {
        const char *table = NULL; int columns = 0, op = 0, indirect = 0;
        c->reason = reason;
        if (it && sqlite3changeset_op(it, &table, &columns, &op, &indirect) == SQLITE_OK && table) {
            strncpy(c->table, table, sizeof c->table - 1);
        }
    }
    return SQLITE_CHANGESET_ABORT;
}

int jz_changeset_apply_strict(void *db, int size, const void *changes, int *conflicts, int *reason, char *table, int tableSize) {
    struct jz_conflict c = { 0, 0, "" };
    *conflicts = 0; *reason = 0;
    if (tableSize > 0) table[0] = 0;
    // The changeset carries every row as the sender's triggers left it (derived columns
    // included): the receiver's triggers would change those rows a second time and make the
    // following changes conflict, so they are off while it applies.
    int was = 1;
    sqlite3_db_config((sqlite3 *)db, SQLITE_DBCONFIG_ENABLE_TRIGGER, -1, &was);
    sqlite3_db_config((sqlite3 *)db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL);
    int rc = sqlite3changeset_apply((sqlite3 *)db, size, (void *)changes, NULL, jz_abort_on_conflict, &c);
    sqlite3_db_config((sqlite3 *)db, SQLITE_DBCONFIG_ENABLE_TRIGGER, was, NULL);
    *conflicts = c.count; *reason = c.reason;
    if (tableSize > 0) { strncpy(table, c.table, tableSize - 1); table[tableSize - 1] = 0; }
    return rc;
}

int jz_changeset_concat(int sizeA, const void *a, int sizeB, const void *b, int *size, void **out) {
    return sqlite3changeset_concat(sizeA, (void *)a, sizeB, (void *)b, size, out);
}

int jz_changeset_count(int size, const void *changes) {
    sqlite3_changeset_iter *it = NULL;
    if (sqlite3changeset_start(&it, size, (void *)changes) != SQLITE_OK) return -1;
    int n = 0;
    while (sqlite3changeset_next(it) == SQLITE_ROW) n++;
    return sqlite3changeset_finalize(it) == SQLITE_OK ? n : -1;
}

/* One value as an SQL literal, appended to buf. */
static void jz_literal(sqlite3_value *v, char *buf, size_t cap) {
    size_t n = strlen(buf);
    if (!v) { snprintf(buf + n, cap - n, "NULL"); return; }
    switch (sqlite3_value_type(v)) {
    case SQLITE_INTEGER: snprintf(buf + n, cap - n, "%lld", (long long)sqlite3_value_int64(v)); break;
    case SQLITE_FLOAT: sqlite3_snprintf((int)(cap - n), buf + n, "%!.17g", sqlite3_value_double(v)); break;   /* SQLite's printf: exact round trip */
    case SQLITE_TEXT: {
        char *q = sqlite3_mprintf("%Q", (const char *)sqlite3_value_text(v));
        if (q) { snprintf(buf + n, cap - n, "%s", q); sqlite3_free(q); }
        break;
    }
    case SQLITE_BLOB: {
        const unsigned char *b = sqlite3_value_blob(v);
        int len = sqlite3_value_bytes(v);
        if (n + 3 + 2 * (size_t)len >= cap) break;
        buf[n++] = 'X'; buf[n++] = '\'';
        for (int i = 0; i < len; i++) n += snprintf(buf + n, cap - n, "%02x", b[i]);
        snprintf(buf + n, cap - n, "'");
        break;
    }
    default: snprintf(buf + n, cap - n, "NULL");
    }
}

int jz_changeset_keys(int size, const void *changes, void *ctx, jz_key_cb cb) {
    sqlite3_changeset_iter *it = NULL;
    if (sqlite3changeset_start(&it, size, (void *)changes) != SQLITE_OK) return -1;
    char key[4096];
    while (sqlite3changeset_next(it) == SQLITE_ROW) {
        const char *table = NULL; int columns = 0, op = 0, indirect = 0;
        unsigned char *pk = NULL; int pkColumns = 0;
        if (sqlite3changeset_op(it, &table, &columns, &op, &indirect) != SQLITE_OK) break;
        if (sqlite3changeset_pk(it, &pk, &pkColumns) != SQLITE_OK) break;
        key[0] = 0;
        for (int i = 0; i < columns; i++) {
            if (!pk[i]) continue;
            sqlite3_value *v = NULL;
            if (op == SQLITE_INSERT) sqlite3changeset_new(it, i, &v); else sqlite3changeset_old(it, i, &v);
            size_t n = strlen(key);
            snprintf(key + n, sizeof key - n, "%s%d=", n ? "\x1e" : "", i);
            jz_literal(v, key, sizeof key);
        }
        cb(ctx, table, key);
    }
    return sqlite3changeset_finalize(it) == SQLITE_OK ? 0 : -1;
}
