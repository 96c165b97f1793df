// text.hpp — small, allocation-light string helpers used by the parsers.
// Everything here is linear in its input and never backtracks.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "error.hpp"

namespace errtrack {

inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
inline bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
inline bool is_alnum(char c) { return is_digit(c) || is_alpha(c); }
inline bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
// ' ', '\t', '\n', '\v', '\f', '\r' (the last five are 9..13).
inline bool is_space(char c) { return c == ' ' || static_cast<unsigned char>(c - '\t') <= '\r' - '\t'; }
inline bool is_ident(char c) { return is_alnum(c) || c == '_' || c == '$' || static_cast<unsigned char>(c) >= 0x80; }

inline std::string_view
ltrim(std::string_view s)
{
	size_t i = 0;
	while (i < s.size() && is_space(s[i]))
		i++;
	return s.substr(i);
}
inline std::string_view
rtrim(std::string_view s)
{
	size_t n = s.size();
	while (n > 0 && is_space(s[n - 1]))
		n--;
	return s.substr(0, n);
}
inline std::string_view trim(std::string_view s) { return rtrim(ltrim(s)); }
// (The first byte is compared inline: most calls fail there, without a memcmp.)
inline bool
starts_with(std::string_view s, std::string_view p)
{
	return s.size() >= p.size() &&
	       (p.empty() || (s[0] == p[0] && std::char_traits<char>::compare(s.data(), p.data(), p.size()) == 0));
}
inline bool
ends_with(std::string_view s, std::string_view p)
{
	return s.size() >= p.size() &&
	       (p.empty() || (s.back() == p.back() &&
	                      std::char_traits<char>::compare(s.data() + s.size() - p.size(), p.data(), p.size()) == 0));
}
// s.find_first_of(set, pos) / s.find_last_of(set) for a set of a few bytes:
// the standard ones call memchr on the set for every byte of s.
inline size_t
find_first_of_few(std::string_view s, std::string_view set, size_t pos = 0)
{
	for (size_t i = pos; i < s.size(); i++)
		for (char c : set)
			if (s[i] == c)
				return i;
	return std::string_view::npos;
}
inline size_t
find_last_of_few(std::string_view s, std::string_view set)
{
	for (size_t i = s.size(); i-- > 0;)
		for (char c : set)
			if (s[i] == c)
				return i;
	return std::string_view::npos;
}

// s.rfind(c) / s.rfind(c, pos): memrchr (vectorised in glibc) instead of a
// byte loop.
inline size_t
rfind_char(std::string_view s, char c, size_t pos = std::string_view::npos)
{
	if (s.empty())
		return std::string_view::npos;
	size_t n = pos < s.size() ? pos + 1 : s.size();
#if defined(__GLIBC__)
	const void *hit = memrchr(s.data(), static_cast<unsigned char>(c), n);
	return hit ? static_cast<size_t>(static_cast<const char *>(hit) - s.data()) : std::string_view::npos;
#else
	while (n-- > 0)
		if (s[n] == c)
			return n;
	return std::string_view::npos;
#endif
}

// s.rfind(p): the standard one calls memcmp at every position; this one
// only where the first byte matches.
inline size_t
rfind_str(std::string_view s, std::string_view p)
{
	if (p.size() > s.size())
		return std::string_view::npos;
	if (p.empty())
		return s.size();
	for (size_t i = s.size() - p.size();;) {
		i = rfind_char(s, p[0], i);
		if (i == std::string_view::npos)
			return i;
		if (std::char_traits<char>::compare(s.data() + i + 1, p.data() + 1, p.size() - 1) == 0)
			return i;
		if (i == 0)
			return std::string_view::npos;
		i--;
	}
}
bool all_digits(std::string_view s);
// std::strtoll(d, nullptr, 10) for d made of decimal digits only, without
// the copy to a C string: INT64_MAX when it overflows, as strtoll.
inline int64_t
parse_digits(std::string_view d)
{
	int64_t v = 0;
	for (char c : d) {
		int x = c - '0';
		if (v > (INT64_MAX - x) / 10)
			return INT64_MAX;
		v = v * 10 + x;
	}
	return v;
}
std::string to_lower(std::string_view s);

// The lines of a stack: views into `text` when the input needed cleaning,
// otherwise views into the input itself (which must outlive the Lines).
struct Lines {
	std::string text;
	std::vector<std::string_view> lines;
};

// Pre-clean (CRLF, ANSI colour codes, NULs, JSON-escaped single-line stacks),
// split into lines, cap each line at Limits::max_line_bytes.  Polls `cancel`.
// Input without anything to clean is not copied: the lines then point into
// `raw`, which must stay alive while they are used.
Lines split_lines(std::string_view raw, const Cancel &cancel);

// Path helpers shared by several runtimes.
std::string normalize_slashes(std::string_view p);
// normalize_slashes without the copy when `p` has no backslash: a view of
// `p` itself, else of `buf` (which must outlive the view).
inline std::string_view
slashes_view(std::string_view p, std::string &buf)
{
	if (p.find('\\') == std::string_view::npos)
		return p;
	buf = normalize_slashes(p);
	return buf;
}
std::string_view basename(std::string_view p);
std::string_view strip_extension(std::string_view file);
// Removes content hashes from bundle file names: main.3f2a1b9c.js -> main.js,
// index-DbQ2xY9p.js -> index.js, chunk-ABCD1234.js -> chunk.js.
// fp2: esbuild's hashes too, 8 characters of A-Z and 2-7 that may hold no
// digit (worker.TXJLRVSV.js -> worker.js), and a hash before a ".chunk",
// ".bundle" or ".min" suffix (webpack / Create React App chunks:
// orders.b2661f95.chunk.js -> orders.chunk.js), and Rollup / Vite's
// 8-character base64url hashes that hold a '-' or no digit
// (orders-Cc-43FcK.js, orders-ZvEUeeHT.js -> orders.js).
std::string strip_content_hash(std::string_view file, bool fp2 = false);
// Replaces every run of digits in `s` by nothing when it follows `$` (ordinal
// suffixes such as Foo$1, lambda$main$0).
std::string strip_dollar_ordinals(std::string_view s);

}  // namespace errtrack
