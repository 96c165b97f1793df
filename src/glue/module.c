/*-------------------------------------------------------------------------
 *
 * module.c
 *	  The module magic of errtrack.so.
 *
 * PG_MODULE_MAGIC must appear exactly once, with C linkage; it lives in this
 * C file so no C++ name mangling can touch it.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"
#include "fmgr.h"

#ifdef PG_MODULE_MAGIC_EXT
PG_MODULE_MAGIC_EXT(.name = "errtrack", .version = ERRTRACK_VERSION);
#else
PG_MODULE_MAGIC;
#endif
