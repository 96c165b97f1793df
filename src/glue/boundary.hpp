// boundary.hpp — the firewall between the C++ core and PostgreSQL.
//
// Includes no PostgreSQL header.  Every SQL-callable function runs its core
// work through guard(): a noexcept wrapper that catches everything, records a
// status and a message in plain storage, and returns.  Only after guard() has
// returned — when no C++ object is alive any more — does the glue call
// ereport().  Results leave the core through an Allocator that the glue backs
// with palloc_extended(..., MCXT_ALLOC_NO_OOM): it returns NULL instead of
// longjmp'ing, and copy_out() turns that NULL into std::bad_alloc.
#pragma once
#include <cstddef>
#include <cstring>
#include <new>
#include <string_view>

#include "error.hpp"

namespace errtrack_glue {

enum Status : int {
	ST_OK = 0,
	ST_INVALID_INPUT,
	ST_INVALID_DATA,
	ST_TOO_LARGE,
	ST_INTERRUPTED,
	ST_OUT_OF_MEMORY,
	ST_INTERNAL
};

struct CoreError {
	int status;
	char message[1024];
};

using Allocator = void *(*)(size_t);

// Copies `s` (plus a NUL) into memory from `alloc`.  Throws std::bad_alloc.
inline char *
copy_out(Allocator alloc, std::string_view s)
{
	char *p = static_cast<char *>(alloc(s.size() + 1));
	if (!p)
		throw std::bad_alloc();
	if (!s.empty())
		std::memcpy(p, s.data(), s.size());
	p[s.size()] = '\0';
	return p;
}

inline void
set_error(CoreError &err, int status, const char *msg) noexcept
{
	err.status = status;
	std::strncpy(err.message, msg ? msg : "", sizeof err.message - 1);
	err.message[sizeof err.message - 1] = '\0';
}

template <class F>
void
guard(CoreError &err, F &&f) noexcept
{
	err.status = ST_OK;
	err.message[0] = '\0';
	try {
		f();
	} catch (const errtrack::Error &e) {
		int st = ST_INTERNAL;
		switch (e.cls()) {
		case errtrack::ErrorClass::InvalidInput: st = ST_INVALID_INPUT; break;
		case errtrack::ErrorClass::InvalidData: st = ST_INVALID_DATA; break;
		case errtrack::ErrorClass::TooLarge: st = ST_TOO_LARGE; break;
		case errtrack::ErrorClass::Interrupted: st = ST_INTERRUPTED; break;
		case errtrack::ErrorClass::Internal: st = ST_INTERNAL; break;
		}
		set_error(err, st, e.what());
	} catch (const std::bad_alloc &) {
		set_error(err, ST_OUT_OF_MEMORY, "out of memory in errtrack core");
	} catch (const std::exception &e) {
		set_error(err, ST_INTERNAL, e.what());
	} catch (...) {
		set_error(err, ST_INTERNAL, "unknown C++ exception in errtrack core");
	}
}

}  // namespace errtrack_glue
