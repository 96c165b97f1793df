// text.cpp — string helpers and the generic pre-clean of stack text.
#include <algorithm>
#include <cstdint>
#include <cstring>

#include "model.hpp"
#include "text.hpp"

#include "core_only.hpp"

namespace errtrack {

bool
all_digits(std::string_view s)
{
	if (s.empty())
		return false;
	for (char c : s)
		if (!is_digit(c))
			return false;
	return true;
}

std::string
to_lower(std::string_view s)
{
	std::string r(s);
	for (char &c : r)
		if (c >= 'A' && c <= 'Z')
			c = static_cast<char>(c - 'A' + 'a');
	return r;
}

// A stack that arrived JSON-escaped on one line ("...\n\tat ...").
static bool
looks_escaped(std::string_view raw)
{
	if (raw.find('\n') != std::string_view::npos)
		return false;
	size_t n = 0;
	for (size_t i = 0; i + 1 < raw.size() && n < 2; i++)
		if (raw[i] == '\\' && raw[i + 1] == 'n')
			n++;
	return n >= 2;
}

// Does `raw` hold a byte the pre-clean must rewrite (CR, NUL, ESC)?  Three
// memchr() per 64 KB block: the C library's are vectorised (a byte loop
// here was not, at -O2: ~15 instructions a byte, a sixth of a fingerprint).
static bool
scan_clean(std::string_view raw, const Cancel &cancel)
{
	const char *p = raw.data();
	size_t n = raw.size();
	for (size_t off = 0; off < n; off += 0x10000) {
		cancel.poll();
		size_t len = std::min(n - off, size_t{0x10000});
		if (std::memchr(p + off, '\r', len) || std::memchr(p + off, '\0', len) || std::memchr(p + off, 0x1b, len))
			return false;
	}
	return true;
}

Lines
split_lines(std::string_view raw, const Cancel &cancel)
{
	Lines out;
	bool unescape = looks_escaped(raw);
	std::string_view t = raw;
	if (unescape || !scan_clean(raw, cancel)) {
		// Something to clean: build the cleaned copy.
		out.text.reserve(raw.size());
		size_t next_poll = 0;
		for (size_t i = 0; i < raw.size(); i++) {
			if (i >= next_poll) {
				cancel.poll();
				next_poll = i + 0x10000;
			}
			// Copy the run of bytes that need no cleaning in one append.
			size_t run = i;
			size_t run_end = std::min(raw.size(), next_poll);
			while (run < run_end) {
				char r = raw[run];
				if (r == '\r' || r == '\0' || r == '\x1b' || (unescape && r == '\\'))
					break;
				run++;
			}
			if (run > i) {
				out.text.append(raw.data() + i, run - i);
				i = run - 1;
				continue;
			}
			char c = raw[i];
			if (c == '\r') {
				if (i + 1 < raw.size() && raw[i + 1] == '\n')
					continue;
				c = '\n';
			} else if (c == '\0') {
				continue;
			} else if (c == '\x1b' && i + 1 < raw.size() && raw[i + 1] == '[') {
				// ANSI CSI sequence: ESC [ params final-byte
				size_t j = i + 2;
				while (j < raw.size() && ((raw[j] >= '0' && raw[j] <= '9') || raw[j] == ';'))
					j++;
				if (j < raw.size() && raw[j] >= '@' && raw[j] <= '~') {
					i = j;
					continue;
				}
			} else if (unescape && c == '\\' && i + 1 < raw.size()) {
				char n = raw[i + 1];
				if (n == 'n') { out.text.push_back('\n'); i++; continue; }
				if (n == 't') { out.text.push_back('\t'); i++; continue; }
				if (n == 'r') { i++; continue; }
				if (n == '"' || n == '\\' || n == '/') { out.text.push_back(n); i++; continue; }
			}
			out.text.push_back(c);
		}
		t = out.text;
	}
	// (Else nothing to clean: the lines are views into the caller's text.)
	// Stack lines are rarely under 16 bytes: this reserve is almost always
	// enough, and bounded for huge inputs.
	out.lines.reserve(std::min<size_t>(t.size() / 16 + 2, 8192));
	size_t start = 0;
	while (start <= t.size()) {
		if ((out.lines.size() & 0x3FF) == 0)
			cancel.poll();
		const void *hit = start < t.size() ? std::memchr(t.data() + start, '\n', t.size() - start) : nullptr;
		size_t end = hit ? static_cast<size_t>(static_cast<const char *>(hit) - t.data()) : t.size();
		std::string_view line = t.substr(start, end - start);
		if (line.size() > Limits::max_line_bytes)
			line = line.substr(0, Limits::max_line_bytes);
		out.lines.push_back(line);
		if (!hit)
			break;
		start = end + 1;
	}
	while (!out.lines.empty() && trim(out.lines.back()).empty())
		out.lines.pop_back();
	return out;
}

std::string
normalize_slashes(std::string_view p)
{
	std::string r(p);
	std::replace(r.begin(), r.end(), '\\', '/');
	return r;
}

std::string_view
basename(std::string_view p)
{
	size_t k = find_last_of_few(p, "/\\");
	return k == std::string_view::npos ? p : p.substr(k + 1);
}

std::string_view
strip_extension(std::string_view file)
{
	size_t k = file.rfind('.');
	if (k == std::string_view::npos || k == 0)
		return file;
	return file.substr(0, k);
}

// True for a run that looks like a build content hash: >= 8 alphanumerics
// with at least one digit, or exactly 8 hex characters.
static bool
is_content_hash(std::string_view s)
{
	if (s.size() < 6 || s.size() > 40)
		return false;
	bool digit = false, alpha = false, hex = true;
	for (char c : s) {
		if (!is_alnum(c) && c != '_')
			return false;
		digit = digit || is_digit(c);
		alpha = alpha || is_alpha(c);
		hex = hex && is_hex(c);
	}
	if (s.size() < 8)
		return hex && digit && alpha;  // main.3f2a1b.js
	return digit;
}

// esbuild's [hash]: 8 characters of the RFC 4648 base32 alphabet (A-Z, 2-7).
static bool
is_esbuild_hash(std::string_view s)
{
	if (s.size() != 8)
		return false;
	for (char c : s)
		if (!((c >= 'A' && c <= 'Z') || (c >= '2' && c <= '7')))
			return false;
	return true;
}

// Rollup's (and so Vite's) [hash]: 8 characters of base64url (A-Z a-z 0-9 _ -)
// after "name-".  It may hold a '-' of its own (orders-Cc-43FcK.js) and no
// digit (orders-ZvEUeeHT.js); taken for a hash only when it mixes cases and
// holds a digit, '_', '-' or three capitals (a name like "ItemList" does not).
static bool
is_rollup_hash(std::string_view s)
{
	if (s.size() != 8)
		return false;
	int upper = 0, lower = 0, other = 0;
	for (char c : s) {
		if (c >= 'A' && c <= 'Z')
			upper++;
		else if (c >= 'a' && c <= 'z')
			lower++;
		else if (is_digit(c) || c == '_' || c == '-')
			other++;
		else
			return false;
	}
	return upper > 0 && lower > 0 && (other > 0 || upper >= 3);
}

std::string
strip_content_hash(std::string_view file, bool fp2)
{
	// Split "name[.-]hash.ext" ; only the segment right before the extension.
	size_t ext = file.rfind('.');
	if (ext == std::string_view::npos || ext == 0)
		return std::string(file);
	std::string_view stem = file.substr(0, ext);
	// fp2: webpack's (and Create React App's) chunk files put the hash before
	// a ".chunk" / ".bundle" / ".min" suffix ("orders.b2661f95.chunk.js"):
	// every deploy was a new module, so a new issue
	std::string_view suffix;
	if (fp2) {
		size_t dot = stem.rfind('.');
		if (dot != std::string_view::npos && dot > 0) {
			std::string_view w = stem.substr(dot + 1);
			if (w == "chunk" || w == "bundle" || w == "min") {
				suffix = stem.substr(dot);
				stem = stem.substr(0, dot);
			}
		}
	}
	size_t sep = find_last_of_few(stem, ".-");
	if (sep == std::string_view::npos)
		return std::string(file);
	std::string_view seg = stem.substr(sep + 1);
	// fp2: Rollup / Vite's "name-XXXXXXXX" (the hash may hold a '-' itself)
	if (fp2 && stem.size() > 9 && stem[stem.size() - 9] == '-' && is_rollup_hash(stem.substr(stem.size() - 8)) &&
	    !is_content_hash(seg) && !is_esbuild_hash(seg)) {
		sep = stem.size() - 9;
		seg = stem.substr(sep + 1);
	} else if (!is_content_hash(seg) && !(fp2 && is_esbuild_hash(seg))) {
		return std::string(file);
	}
	std::string r(stem.substr(0, sep));
	r.append(suffix).append(file.substr(ext));
	return r;
}

std::string
strip_dollar_ordinals(std::string_view s)
{
	if (s.find('$') == std::string_view::npos)
		return std::string(s);
	std::string r;
	r.reserve(s.size());
	for (size_t i = 0; i < s.size(); i++) {
		r.push_back(s[i]);
		if (s[i] == '$') {
			size_t j = i + 1;
			while (j < s.size() && is_digit(s[j]))
				j++;
			if (j > i + 1 && (j == s.size() || s[j] == '$' || s[j] == '.' || s[j] == '/'))
				i = j - 1;
		}
	}
	return r;
}

}  // namespace errtrack
