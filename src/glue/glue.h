/*
 * glue.h — helpers shared by the glue files (PostgreSQL side).
 *
 * Include after all C++ headers: it pulls in PostgreSQL headers inside
 * extern "C", which define macros (Min, Max, printf...) that clash with C++.
 */
#ifndef ERRTRACK_GLUE_H
#define ERRTRACK_GLUE_H

#include "boundary.hpp"  /* C++ first: PG macros must not see C++ headers */

/*
 * The module is compiled with -fvisibility=hidden (PG >= 16 does that itself)
 * so our copy of xxHash and the C++ runtime bits stay private; entry points
 * are exported explicitly through PGDLLEXPORT (empty on PG 15 otherwise).
 */
#ifndef PGDLLEXPORT
#define PGDLLEXPORT __attribute__((visibility("default")))
#endif

extern "C" {
#include "postgres.h"

#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/uuid.h"
}

/* Declares an exported V1 SQL-callable function (inside extern "C"). */
#define ERRTRACK_SQL_FUNCTION(fn) \
	PG_FUNCTION_INFO_V1(fn);      \
	PGDLLEXPORT Datum fn(PG_FUNCTION_ARGS)

/* Backs errtrack_glue::Allocator: palloc that returns NULL instead of erroring. */
void *errtrack_palloc_noerror(size_t size);

/*
 * The cancel flag the core polls, or NULL when interrupts cannot be serviced
 * right now (then CHECK_FOR_INTERRUPTS would not clear it and we would spin).
 */
const volatile int *errtrack_cancel_flag(void);

/*
 * Reports a core failure with its SQLSTATE (never returns for errors).
 * Returns true if the call was interrupted and should be retried after
 * CHECK_FOR_INTERRUPTS() (which it has already run).
 */
bool errtrack_report(const errtrack_glue::CoreError *err, const char *what);

/* Runs `body` under guard(), servicing interrupts and retrying, then reports. */
#define ERRTRACK_RUN_CORE(what, ...)                                           \
	do {                                                                       \
		errtrack_glue::CoreError et_err_;                                      \
		for (;;) {                                                             \
			errtrack_glue::guard(et_err_, [&]() __VA_ARGS__);                  \
			if (!errtrack_report(&et_err_, what))                              \
				break;                                                         \
		}                                                                      \
	} while (0)

#endif
