// text.cpp — string helpers and the generic pre-clean of stack text.
#include <algorithm>

#include "model.hpp"
#include "text.hpp"

#include "core_only.hpp"

namespace errtrack {

std::string_view
ltrim(std::string_view s)
{
	size_t i = 0;
	while (i < s.size() && is_space(s[i]))
		i++;
	return s.substr(i);
}

std::string_view
rtrim(std::string_view s)
{
	size_t n = s.size();
	while (n > 0 && is_space(s[n - 1]))
		n--;
	return s.substr(0, n);
}

std::string_view
trim(std::string_view s)
{
	return rtrim(ltrim(s));
}

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

Lines
split_lines(std::string_view raw, const Cancel &cancel)
{
	Lines out;
	out.text.reserve(raw.size());
	bool unescape = looks_escaped(raw);
	for (size_t i = 0; i < raw.size(); i++) {
		char c = raw[i];
		if ((i & 0xFFFF) == 0)
			cancel.poll();
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
	std::string_view t(out.text);
	size_t start = 0;
	while (start <= t.size()) {
		if ((out.lines.size() & 0x3FF) == 0)
			cancel.poll();
		size_t nl = t.find('\n', start);
		size_t end = nl == std::string_view::npos ? t.size() : nl;
		std::string_view line = t.substr(start, end - start);
		if (line.size() > Limits::max_line_bytes)
			line = line.substr(0, Limits::max_line_bytes);
		out.lines.push_back(line);
		if (nl == std::string_view::npos)
			break;
		start = nl + 1;
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
	size_t k = p.find_last_of("/\\");
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

std::string
strip_content_hash(std::string_view file)
{
	// Split "name[.-]hash.ext" ; only the segment right before the extension.
	size_t ext = file.rfind('.');
	if (ext == std::string_view::npos || ext == 0)
		return std::string(file);
	std::string_view stem = file.substr(0, ext);
	size_t sep = stem.find_last_of(".-");
	if (sep == std::string_view::npos)
		return std::string(file);
	std::string_view seg = stem.substr(sep + 1);
	if (!is_content_hash(seg))
		return std::string(file);
	std::string r(stem.substr(0, sep));
	r.append(file.substr(ext));
	return r;
}

std::string
strip_dollar_ordinals(std::string_view s)
{
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
