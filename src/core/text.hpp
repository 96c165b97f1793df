// text.hpp — small, allocation-light string helpers used by the parsers.
// Everything here is linear in its input and never backtracks.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "error.hpp"

namespace errtrack {

inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
inline bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
inline bool is_alnum(char c) { return is_digit(c) || is_alpha(c); }
inline bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
inline bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }
inline bool is_ident(char c) { return is_alnum(c) || c == '_' || c == '$' || static_cast<unsigned char>(c) >= 0x80; }

std::string_view trim(std::string_view s);
std::string_view ltrim(std::string_view s);
std::string_view rtrim(std::string_view s);
inline bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
inline bool ends_with(std::string_view s, std::string_view p)
{
	return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}
bool all_digits(std::string_view s);
std::string to_lower(std::string_view s);

// The cleaned text of a stack and its lines (views into `text`).
struct Lines {
	std::string text;
	std::vector<std::string_view> lines;
};

// Pre-clean (CRLF, ANSI colour codes, NULs, JSON-escaped single-line stacks),
// split into lines, cap each line at Limits::max_line_bytes.  Polls `cancel`.
Lines split_lines(std::string_view raw, const Cancel &cancel);

// Path helpers shared by several runtimes.
std::string normalize_slashes(std::string_view p);
std::string_view basename(std::string_view p);
std::string_view strip_extension(std::string_view file);
// Removes content hashes from bundle file names: main.3f2a1b9c.js -> main.js,
// index-DbQ2xY9p.js -> index.js, chunk-ABCD1234.js -> chunk.js.
std::string strip_content_hash(std::string_view file);
// Replaces every run of digits in `s` by nothing when it follows `$` (ordinal
// suffixes such as Foo$1, lambda$main$0).
std::string strip_dollar_ordinals(std::string_view s);

}  // namespace errtrack
