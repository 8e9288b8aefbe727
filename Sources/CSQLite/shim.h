// SQLite for ecbridge's durable inbox/outbox.
#ifndef ECBRIDGE_CSQLITE_SHIM_H
#define ECBRIDGE_CSQLITE_SHIM_H
#include <sqlite3.h>

// SQLITE_TRANSIENT is a cast macro that Swift cannot import.
static inline void (*ecb_sqlite_transient(void))(void *) { return SQLITE_TRANSIENT; }
#endif
