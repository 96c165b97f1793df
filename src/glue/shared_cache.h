/*
 * shared_cache.h — the shared stack cache (shared_cache.cpp).  Include after
 * glue.h.  Every function runs PostgreSQL code: call them only while no C++
 * object is alive.
 */
#ifndef ERRTRACK_SHARED_CACHE_H
#define ERRTRACK_SHARED_CACHE_H

#include "stack_memo.hpp"

/* A set's area: its encoded StackParts (~200 bytes on average) lie packed in
 * it; a larger one is not shared. */
#define ERRTRACK_SHARED_SET_BYTES 2048

/* From _PG_init: defines errtrack.use_shared_stack_cache and, only when
 * loaded by shared_preload_libraries (a PGC_POSTMASTER setting cannot be
 * defined later), errtrack.shared_stack_cache_size, and asks for the shared
 * memory and locks. */
void errtrack_shared_cache_init(void);

/* The cache exists (preloaded, size > 0) in this server and this session
 * uses it (errtrack.use_shared_stack_cache). */
bool errtrack_shared_cache_enabled(void);

/* Copies the part kept for `key` into buf (ERRTRACK_SHARED_SET_BYTES) and
 * returns its length; 0 when there is none. */
size_t errtrack_shared_cache_get(const errtrack::StackMemo::Key &key, char *buf);

/* Keeps an encoded part for `key` (len over a set's area: counted, not kept). */
void errtrack_shared_cache_put(const errtrack::StackMemo::Key &key, const char *blob, size_t len);

#endif
