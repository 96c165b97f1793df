// core_only.hpp — include LAST in every src/core file.
//
// The core is pure C++: it must never see a PostgreSQL header, because PG's
// macros (Min, Max, printf, gettext, ...) clash with C++ and because core code
// must never call anything that can longjmp.  This header fails the build if a
// PostgreSQL header was included before it.
#pragma once
#ifdef POSTGRES_H
static_assert(false, "errtrack core files must not include PostgreSQL headers");
#endif
#ifdef PG_MODULE_MAGIC
static_assert(false, "errtrack core files must not include fmgr.h");
#endif
