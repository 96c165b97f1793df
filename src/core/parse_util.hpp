// parse_util.hpp — helpers shared by the Go, Ruby, .NET, PHP, C/C++ and Rust
// parsers.  Everything is linear in its input and never backtracks.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "model.hpp"
#include "text.hpp"

namespace errtrack {
namespace putil {

// Decimal digits to a number; -1 when `s` is empty, not all digits or too long.
int64_t to_int(std::string_view s);

// Removes prefix `p` from `s` when present.
bool eat(std::string_view &s, std::string_view p);

bool starts_with_any(std::string_view s, std::initializer_list<const char *> prefixes);

// `s` equals `ns` or starts with `ns` followed by `sep` ("System" / "System.IO").
bool in_namespace(std::string_view s, std::string_view ns, char sep);
bool in_any_namespace(std::string_view s, std::initializer_list<const char *> nss, char sep);

// A version string: [v]digits(.digits)* with optional -pre/+build suffix.
bool is_version(std::string_view s);

// "activerecord-7.0.4" -> "activerecord", "fakelib@v1.2.3" -> "fakelib",
// "libpq.so.5.16" is not handled here (see strip_so_version).
std::string strip_version_suffix(std::string_view name);

// The path of an application file relative to its project root, so that the
// install location (container dir, release dir, CI workspace) drops out:
// backslashes become '/', "./" prefixes go, deploy-dated release directories
// and everything up to the *last* well-known root segment (app, lib, src,
// source, public, www, htdocs, current) are removed.  Without any root
// segment the basename is returned.  Extension kept.
std::string app_relative_path(std::string_view path);

// Appends `t` to `msg` on a new line, bounded by Limits::max_message_bytes.
void append_message_line(std::string &msg, std::string_view t);

// Ensures `out` has a current exception; returns it.
ExceptionInfo &current(ParsedStack &out);

}  // namespace putil
}  // namespace errtrack
