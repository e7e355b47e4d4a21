#ifndef VAULT_CSQLITE_SHIM_H
#define VAULT_CSQLITE_SHIM_H

#include <sqlite3.h>

/* SQLITE_TRANSIENT is a macro cast of -1 that Swift cannot import. */
static inline sqlite3_destructor_type vault_sqlite_transient(void) {
    return SQLITE_TRANSIENT;
}

static inline int vault_sqlite_busy_timeout_config(sqlite3 *db, int milliseconds) {
    return sqlite3_busy_timeout(db, milliseconds);
}

#endif
