#define SQLITE_ENABLE_SESSION 1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include "jz_session.h"

struct jz_session { sqlite3_session *s; };

/* Tables each file keeps for itself: the exchange's own bookkeeping, SQLite's, the keyed
 * digests (MACs under each file's own key), the audit chain (each file's own; a package carries
 * the sender's rows beside the changeset), the running search totals (sums over the whole
 * file: the receiver keeps its own, see Changes.applyKeepingDigests), and what belongs to one
 * office's desk: its users, drafts, saved filters, settings and number sequences. */
int jz_is_exchanged(const char *table) {
    static const char *const local[] = {
        "guard_digest", "audit", "search_total", "app_user", "draft", "saved_filter", "setting", "sequence",
        "grdb_migrations", NULL
    };
    if (strncmp(table, "exchange_", 9) == 0 || strncmp(table, "sqlite_", 7) == 0) return 0;
    for (int i = 0; local[i]; i++) if (strcmp(table, local[i]) == 0) return 0;
    return 1;
}

static int jz_filter(void *ctx, const char *table) {
    (void)ctx;
    return jz_is_exchanged(table);
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

int jz_session_diff(jz_session *s, const char *fromDb, const char *table) {
    char *err = NULL;
    int rc = sqlite3session_diff(s->s, fromDb, table, &err);
    sqlite3_free(err);
    return rc;
}

int jz_enable_triggers(void *db, int on) {
    int was = 1;
    sqlite3_db_config((sqlite3 *)db, SQLITE_DBCONFIG_ENABLE_TRIGGER, -1, &was);
    sqlite3_db_config((sqlite3 *)db, SQLITE_DBCONFIG_ENABLE_TRIGGER, on, NULL);
    return was;
}

struct jz_conflict {
    int count; int reason; char table[64];
    /* A household row both sides changed (see jz_changeset_apply_strict): what to do, and the
     * households met, for the caller to compute their summary columns again. */
    int household_policy; long long *households; int households_cap; int households_count;
};

/* Whether the row a change inserts is already there, equal in every column. */
static int jz_same_row(sqlite3_changeset_iter *it, int columns) {
    for (int i = 0; i < columns; i++) {
        sqlite3_value *a = NULL, *b = NULL;
        if (sqlite3changeset_new(it, i, &a) != SQLITE_OK || sqlite3changeset_conflict(it, i, &b) != SQLITE_OK) return 0;
        if (!a || !b) { if (a != b) return 0; continue; }
        int ta = sqlite3_value_type(a), tb = sqlite3_value_type(b);
        if (ta != tb) return 0;
        if (ta == SQLITE_INTEGER && sqlite3_value_int64(a) != sqlite3_value_int64(b)) return 0;
        if (ta == SQLITE_FLOAT && sqlite3_value_double(a) != sqlite3_value_double(b)) return 0;
        if (ta == SQLITE_TEXT || ta == SQLITE_BLOB) {
            int na = sqlite3_value_bytes(a), nb = sqlite3_value_bytes(b);
            const void *pa = ta == SQLITE_TEXT ? (const void *)sqlite3_value_text(a) : sqlite3_value_blob(a);
            const void *pb = tb == SQLITE_TEXT ? (const void *)sqlite3_value_text(b) : sqlite3_value_blob(b);
            if (na != nb || (na && memcmp(pa, pb, na) != 0)) return 0;
        }
    }
    return 1;
}

static int jz_abort_on_conflict(void *ctx, int reason, sqlite3_changeset_iter *it) {
    struct jz_conflict *c = ctx;
    /* Reference rows every file holds alike (the county's own region row, a code, a standard,
     * a holiday) arrive from each township: an insert of such a row already there, equal in
     * every column, changes nothing and is passed over. Any other conflict — a record inserted
     * twice among them — aborts the whole changeset. */
    if (reason == SQLITE_CHANGESET_CONFLICT && it) {
        const char *t = NULL; int columns = 0, op = 0, indirect = 0;
        static const char *const reference[] = { "region", "ref_code", "standard", "holiday", "medical_rule", "premium_subsidy", NULL };
        int shared = 0;
        if (sqlite3changeset_op(it, &t, &columns, &op, &indirect) == SQLITE_OK && t)
            for (int i = 0; reference[i]; i++) if (strcmp(t, reference[i]) == 0) shared = 1;
        if (shared && op == SQLITE_INSERT && jz_same_row(it, columns)) return SQLITE_CHANGESET_OMIT;
        /* A region is known by its official code (GB/T 2260): the county's own row, named as the
         * receiving file names it (a short name or the full one), stands. */
        if (shared && op == SQLITE_INSERT && strcmp(t, "region") == 0) return SQLITE_CHANGESET_OMIT;
    }
    /* A household row is the township's; the county's decisions change only its summary columns
     * (programmes in force, head, member count), which each file computes from its own rows. When
     * both sides changed the row, the township's columns stand (REPLACE at the county, OMIT at
     * the township) and the caller computes the summary again from the cases it now holds. */
    if (reason == SQLITE_CHANGESET_DATA && it && c->household_policy) {
        const char *t = NULL; int columns = 0, op = 0, indirect = 0;
        unsigned char *pk = NULL; int pkColumns = 0;
        sqlite3_value *v = NULL;
        if (sqlite3changeset_op(it, &t, &columns, &op, &indirect) == SQLITE_OK && t && strcmp(t, "household") == 0
            && op == SQLITE_UPDATE && sqlite3changeset_pk(it, &pk, &pkColumns) == SQLITE_OK && pk && pkColumns > 0 && pk[0]
            && sqlite3changeset_old(it, 0, &v) == SQLITE_OK && v && c->households_count < c->households_cap) {
            c->households[c->households_count++] = sqlite3_value_int64(v);
            return c->household_policy == 1 ? SQLITE_CHANGESET_REPLACE : SQLITE_CHANGESET_OMIT;
        }
    }
    if (c->count++ == 0) {
        const char *table = NULL; int columns = 0, op = 0, indirect = 0;
        c->reason = reason;
        if (it && sqlite3changeset_op(it, &table, &columns, &op, &indirect) == SQLITE_OK && table) {
            strncpy(c->table, table, sizeof c->table - 1);
        }
    }
    return SQLITE_CHANGESET_ABORT;
}

int jz_changeset_apply_strict(void *db, int size, const void *changes, int *conflicts, int *reason, char *table, int tableSize,
                              int householdPolicy, long long *households, int householdsCap, int *householdsCount) {
    struct jz_conflict c = { 0, 0, "", householdPolicy, households, householdsCap, 0 };
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
    *conflicts = c.count; *reason = c.reason; *householdsCount = c.households_count;
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
        cb(ctx, table, op, key);
    }
    return sqlite3changeset_finalize(it) == SQLITE_OK ? 0 : -1;
}

int jz_changeset_column(int size, const void *changes, const char *table, int column, void *ctx, jz_column_cb cb) {
    sqlite3_changeset_iter *it = NULL;
    if (sqlite3changeset_start(&it, size, (void *)changes) != SQLITE_OK) return -1;
    int index = 0;
    while (sqlite3changeset_next(it) == SQLITE_ROW) {
        const char *t = NULL; int columns = 0, op = 0, indirect = 0;
        if (sqlite3changeset_op(it, &t, &columns, &op, &indirect) != SQLITE_OK) break;
        if (strcmp(t, table) == 0 && column < columns) {
            sqlite3_value *o = NULL, *n = NULL;
            if (op != SQLITE_INSERT) sqlite3changeset_old(it, column, &o);
            if (op != SQLITE_DELETE) sqlite3changeset_new(it, column, &n);
            int hasOld = o && sqlite3_value_type(o) == SQLITE_INTEGER, hasNew = n && sqlite3_value_type(n) == SQLITE_INTEGER;
            cb(ctx, index, op, hasOld, hasOld ? sqlite3_value_int64(o) : 0, hasNew, hasNew ? sqlite3_value_int64(n) : 0);
        }
        index++;
    }
    return sqlite3changeset_finalize(it) == SQLITE_OK ? 0 : -1;
}

/* SQLite's varint (big-endian base 128, at most 9 bytes), as in the changeset format. */
static int jz_put_varint(unsigned char *p, sqlite3_uint64 v) {
    unsigned char buf[10]; int n = 0;
    if (v & ((sqlite3_uint64)0xff000000 << 32)) {
        p[8] = (unsigned char)v; v >>= 8;
        for (int i = 7; i >= 0; i--) { p[i] = (unsigned char)((v & 0x7f) | 0x80); v >>= 7; }
        return 9;
    }
    do { buf[n++] = (unsigned char)((v & 0x7f) | 0x80); v >>= 7; } while (v != 0);
    buf[0] &= 0x7f;
    for (int i = 0, j = n - 1; j >= 0; j--, i++) p[i] = buf[j];
    return n;
}

struct jz_buf { unsigned char *p; sqlite3_int64 n, cap; int oom; };

static void jz_put(struct jz_buf *b, const void *data, sqlite3_int64 len) {
    if (b->oom) return;
    if (b->n + len > b->cap) {
        sqlite3_int64 cap = b->cap ? b->cap * 2 : 4096;
        while (cap < b->n + len) cap *= 2;
        unsigned char *p = sqlite3_realloc64(b->p, (sqlite3_uint64)cap);
        if (!p) { b->oom = 1; return; }
        b->p = p; b->cap = cap;
    }
    memcpy(b->p + b->n, data, (size_t)len);
    b->n += len;
}

/* One value of a change record: the format's type byte, then the value. */
static void jz_put_value(struct jz_buf *b, sqlite3_value *v) {
    unsigned char t;
    if (!v) { t = 0; jz_put(b, &t, 1); return; }                   /* undefined: an update's unchanged column */
    unsigned char head[10];
    switch (sqlite3_value_type(v)) {
    case SQLITE_INTEGER: case SQLITE_FLOAT: {
        sqlite3_uint64 u;
        if (sqlite3_value_type(v) == SQLITE_INTEGER) { t = 1; u = (sqlite3_uint64)sqlite3_value_int64(v); }
        else { t = 2; double d = sqlite3_value_double(v); memcpy(&u, &d, 8); }
        unsigned char x[9]; x[0] = t;
        for (int i = 0; i < 8; i++) x[1 + i] = (unsigned char)(u >> (56 - 8 * i));
        jz_put(b, x, 9);
        break;
    }
    case SQLITE_TEXT: case SQLITE_BLOB: {
        int text = sqlite3_value_type(v) == SQLITE_TEXT;
        const void *data = text ? (const void *)sqlite3_value_text(v) : sqlite3_value_blob(v);
        int len = sqlite3_value_bytes(v);
        head[0] = text ? 3 : 4;
        int n = jz_put_varint(head + 1, (sqlite3_uint64)len);
        jz_put(b, head, 1 + n);
        jz_put(b, data, len);
        break;
    }
    default: t = 5; jz_put(b, &t, 1);
    }
}

int jz_changeset_filter(int size, const void *changes, const unsigned char *keep, int keepCount, int *outSize, void **out) {
    *outSize = 0; *out = NULL;
    sqlite3_changeset_iter *it = NULL;
    if (sqlite3changeset_start(&it, size, (void *)changes) != SQLITE_OK) return -1;
    struct jz_buf b = { NULL, 0, 0, 0 };
    char lastTable[256] = "";   /* a copy: the iterator may reuse the memory its name is in */
    int index = 0;
    while (sqlite3changeset_next(it) == SQLITE_ROW) {
        const char *table = NULL; int columns = 0, op = 0, indirect = 0;
        if (sqlite3changeset_op(it, &table, &columns, &op, &indirect) != SQLITE_OK) break;
        int wanted = index < keepCount && keep[index];
        index++;
        if (!wanted) continue;
        if (strcmp(lastTable, table) != 0) {
            unsigned char *pk = NULL; int nPk = 0;
            sqlite3changeset_pk(it, &pk, &nPk);
            unsigned char head[11]; head[0] = 'T';
            int n = jz_put_varint(head + 1, (sqlite3_uint64)columns);
            jz_put(&b, head, 1 + n);
            jz_put(&b, pk, columns);
            jz_put(&b, table, (sqlite3_int64)strlen(table) + 1);
            strncpy(lastTable, table, sizeof lastTable - 1);
            lastTable[sizeof lastTable - 1] = 0;
        }
        unsigned char h[2] = { (unsigned char)op, (unsigned char)(indirect ? 1 : 0) };
        jz_put(&b, h, 2);
        if (op != SQLITE_INSERT) {
            for (int i = 0; i < columns; i++) { sqlite3_value *v = NULL; sqlite3changeset_old(it, i, &v); jz_put_value(&b, v); }
        }
        if (op != SQLITE_DELETE) {
            for (int i = 0; i < columns; i++) { sqlite3_value *v = NULL; sqlite3changeset_new(it, i, &v); jz_put_value(&b, v); }
        }
    }
    int rc = sqlite3changeset_finalize(it);
    if (rc != SQLITE_OK || b.oom || b.n > 0x7fffffff) { sqlite3_free(b.p); return rc != SQLITE_OK ? rc : SQLITE_NOMEM; }
    *outSize = (int)b.n; *out = b.p;
    return SQLITE_OK;
}
