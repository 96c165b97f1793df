/*-------------------------------------------------------------------------
 *
 * glue.cpp
 *	  Error reporting, allocation and interrupt plumbing between the core
 *	  and PostgreSQL.
 *
 * Nothing in this file holds a C++ object with a destructor across a call
 * that can longjmp: errtrack_report() is called only after guard() returned.
 *
 *-------------------------------------------------------------------------
 */
#include "glue.h"

void *
errtrack_palloc_noerror(size_t size)
{
	if (size == 0)
		size = 1;
	if (!AllocSizeIsValid(size))
		return NULL;
	return palloc_extended(size, MCXT_ALLOC_NO_OOM);
}

const volatile int *
errtrack_cancel_flag(void)
{
	if (!INTERRUPTS_CAN_BE_PROCESSED())
		return NULL;
	return (const volatile int *) &InterruptPending;
}

bool
errtrack_report(const errtrack_glue::CoreError *err, const char *what)
{
	int code;

	switch (err->status) {
	case errtrack_glue::ST_OK:
		return false;
	case errtrack_glue::ST_INTERRUPTED:
		CHECK_FOR_INTERRUPTS();
		return true;  /* the interrupt was not an error: retry */
	case errtrack_glue::ST_INVALID_INPUT:
		code = ERRCODE_INVALID_PARAMETER_VALUE;
		break;
	case errtrack_glue::ST_INVALID_DATA:
		code = ERRCODE_DATA_EXCEPTION;
		break;
	case errtrack_glue::ST_TOO_LARGE:
		code = ERRCODE_PROGRAM_LIMIT_EXCEEDED;
		break;
	case errtrack_glue::ST_OUT_OF_MEMORY:
		code = ERRCODE_OUT_OF_MEMORY;
		break;
	default:
		code = ERRCODE_INTERNAL_ERROR;
		break;
	}
	ereport(ERROR,
			(errcode(code),
			 errmsg("%s: %s", what, err->message)));
	return false;
}
