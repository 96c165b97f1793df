// parse_util.hpp — helpers shared by the Go, Ruby, .NET, PHP, C/C++ and Rust
// parsers.  Everything is linear in its input and never backtracks.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "model.hpp"
#include "text.hpp"

namespace errtrack {
namespace putil {

// Decimal digits to a number; -1 when `s` is empty, not all digits or too long.
int64_t to_int(std::string_view s);

// Removes prefix `p` from `s` when present.
inline bool
eat(std::string_view &s, std::string_view p)
{
	if (!starts_with(s, p))
		return false;
	s.remove_prefix(p.size());
	return true;
}

// (Lists are string_views: literal lengths are known at compile time.)
bool starts_with_any(std::string_view s, std::initializer_list<std::string_view> prefixes);

// `s` equals `ns` or starts with `ns` followed by `sep` ("System" / "System.IO").
inline bool
in_namespace(std::string_view s, std::string_view ns, char sep)
{
	return starts_with(s, ns) && (s.size() == ns.size() || s[ns.size()] == sep);
}
bool in_any_namespace(std::string_view s, std::initializer_list<std::string_view> nss, char sep);

// A fixed list of prefixes bucketed by first byte: the same answer as
// starts_with_any / in_any_namespace over the list, without trying every
// entry.  Build once (a function-local static).
class PrefixSet {
public:
	PrefixSet(std::initializer_list<std::string_view> prefixes)
	{
		for (std::string_view p : prefixes) {
			if (p.empty())
				has_empty_ = true;
			else
				buckets_[static_cast<unsigned char>(p[0])].push_back(p);
		}
	}
	// Some prefix p of the list starts s.
	bool starts(std::string_view s) const
	{
		if (has_empty_)
			return true;
		if (s.empty())
			return false;
		for (std::string_view p : buckets_[static_cast<unsigned char>(s[0])])
			if (starts_with(s, p))
				return true;
		return false;
	}
	// s equals some entry or starts with it followed by sep.
	bool in_namespace(std::string_view s, char sep) const
	{
		if (has_empty_ && (s.empty() || s[0] == sep))
			return true;
		if (s.empty())
			return false;
		for (std::string_view p : buckets_[static_cast<unsigned char>(s[0])])
			if (putil::in_namespace(s, p, sep))
				return true;
		return false;
	}

private:
	std::vector<std::string_view> buckets_[256];
	bool has_empty_ = false;
};

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
// fp2 (`fp2_roots`): two more rules, so a file's key no longer depends on
// the name of the directory it was deployed to: after a web root (www,
// htdocs) the site directory goes too (/var/www/html/index.php and
// /srv/www/shop-2/index.php: index.php), and a file directly inside its root
// directory loses the root (/srv/app/main.rb and /srv/app-v2/main.rb:
// main.rb; /srv/app/lib/shop/orders.rb stays lib/shop/orders.rb).
std::string app_relative_path(std::string_view path, bool fp2_roots = false);

// Appends `t` to `msg` on a new line, bounded by Limits::max_message_bytes.
void append_message_line(std::string &msg, std::string_view t);

// Ensures `out` has a current exception; returns it.
ExceptionInfo &current(ParsedStack &out);

}  // namespace putil
}  // namespace errtrack
