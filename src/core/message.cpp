// message.cpp — message templates (grouping.md c.2) and codes (c.3).
//
// A single left-to-right pass; at each token start a fixed list of matchers
// is tried, each looking ahead at most kLookahead bytes, so the work is
// linear in the message length whatever the input.  No regular expressions.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <utility>

#include "message.hpp"
#include "text.hpp"

#include "core_only.hpp"

namespace errtrack {
namespace {

constexpr size_t kLookahead = 256;
constexpr size_t kMaxInput = 1024;
constexpr size_t kMaxOutput = 256;

struct Scan {
	std::string_view s;
	size_t limit(size_t i) const { return std::min(s.size(), i + kLookahead); }
	char at(size_t i) const { return i < s.size() ? s[i] : '\0'; }
};

bool is_word_char(char c) { return is_alnum(c) || c == '_'; }

// ---- matchers: return the length matched at i (0 = no match) -------------

size_t
match_url(const Scan &sc, size_t i)
{
	size_t lim = sc.limit(i), j = i;
	while (j < lim && (is_alnum(sc.s[j]) || sc.s[j] == '+' || sc.s[j] == '.' || sc.s[j] == '-'))
		j++;
	if (j == i || j - i > 16 || !is_alpha(sc.s[i]) || sc.s.substr(j, 3) != "://")
		return 0;
	j += 3;
	while (j < sc.s.size() && !is_space(sc.s[j]) && sc.s[j] != '"' && sc.s[j] != '\'' && sc.s[j] != '>' &&
	       sc.s[j] != ')' && sc.s[j] != ']' && sc.s[j] != ',')
		j++;
	return j - i;
}

size_t
match_email(const Scan &sc, size_t i)
{
	size_t lim = sc.limit(i), j = i;
	while (j < lim && (is_alnum(sc.s[j]) || strchr("._%+-", sc.s[j])))
		j++;
	if (j == i || sc.at(j) != '@')
		return 0;
	size_t d = ++j, last_dot = 0;
	while (j < lim && (is_alnum(sc.s[j]) || sc.s[j] == '.' || sc.s[j] == '-')) {
		if (sc.s[j] == '.')
			last_dot = j;
		j++;
	}
	while (j > d && sc.s[j - 1] == '.')
		j--;
	if (last_dot <= d || last_dot + 2 > j)
		return 0;
	for (size_t k = last_dot + 1; k < j; k++)
		if (!is_alpha(sc.s[k]))
			return 0;
	return j - i;
}

size_t
hex_run(const Scan &sc, size_t i)
{
	size_t j = i;
	while (j < sc.s.size() && j - i < 64 && is_hex(sc.s[j]))
		j++;
	return j - i;
}

size_t
match_uuid(const Scan &sc, size_t i)
{
	static const int groups[] = {8, 4, 4, 4, 12};
	size_t j = i;
	bool brace = sc.at(j) == '{';
	if (brace)
		j++;
	for (int g = 0; g < 5; g++) {
		if (hex_run(sc, j) != static_cast<size_t>(groups[g]))
			return 0;
		j += groups[g];
		if (g < 4) {
			if (sc.at(j) != '-')
				return 0;
			j++;
		}
	}
	if (brace && sc.at(j) == '}')
		j++;
	if (is_word_char(sc.at(j)))
		return 0;
	return j - i;
}

size_t
digits(const Scan &sc, size_t i, size_t max = 20)
{
	size_t j = i;
	while (j < sc.s.size() && j - i < max && is_digit(sc.s[j]))
		j++;
	return j - i;
}

size_t
match_ipv4(const Scan &sc, size_t i)
{
	size_t j = i;
	for (int k = 0; k < 4; k++) {
		size_t n = digits(sc, j, 4);
		if (n == 0 || n > 3)
			return 0;
		j += n;
		if (k < 3) {
			if (sc.at(j) != '.')
				return 0;
			j++;
		}
	}
	if (is_word_char(sc.at(j)) || (sc.at(j) == '.' && is_digit(sc.at(j + 1))))
		return 0;
	return j - i;
}

size_t
match_ipv6(const Scan &sc, size_t i)
{
	// hex groups separated by ':' with at least 2 colons, one digit, and
	// every group <= 4 hex chars; guards "Class::method" (needs hex only).
	size_t lim = sc.limit(i), j = i, colons = 0, group = 0;
	bool digit = false;
	while (j < lim && (is_hex(sc.s[j]) || sc.s[j] == ':')) {
		if (sc.s[j] == ':') {
			colons++;
			group = 0;
		} else {
			digit = digit || is_digit(sc.s[j]);
			if (++group > 4)
				return 0;
		}
		j++;
	}
	if (colons < 2 || !digit || is_word_char(sc.at(j)) || j - i < 3)
		return 0;
	if (colons < 3 && sc.s.substr(i, j - i).find("::") == std::string_view::npos)
		return 0;
	return j - i;
}

size_t
match_date(const Scan &sc, size_t i)
{
	size_t j = i;
	// YYYY-MM-DD or YYYY/MM/DD
	if (digits(sc, j, 5) == 4 && (sc.at(j + 4) == '-' || sc.at(j + 4) == '/') && digits(sc, j + 5, 3) == 2 &&
	    sc.at(j + 7) == sc.at(j + 4) && digits(sc, j + 8, 3) == 2) {
		j += 10;
		if ((sc.at(j) == 'T' || sc.at(j) == ' ') && digits(sc, j + 1, 3) == 2 && sc.at(j + 3) == ':')
			j++;
		else
			return is_word_char(sc.at(j)) ? 0 : j - i;
	}
	// HH:MM[:SS[.frac]][Z|+hh:mm]
	if (digits(sc, j, 3) >= 1 && digits(sc, j, 3) <= 2) {
		size_t h = digits(sc, j, 3);
		if (sc.at(j + h) == ':' && digits(sc, j + h + 1, 3) == 2) {
			size_t k = j + h + 3;
			if (sc.at(k) == ':' && digits(sc, k + 1, 3) == 2) {
				k += 3;
				if (sc.at(k) == '.' || sc.at(k) == ',')
					k += 1 + digits(sc, k + 1, 9);
			} else if (j == i) {
				return 0;  // "12:30" alone is too ambiguous (ratios, ports)
			}
			if (sc.at(k) == 'Z')
				k++;
			else if ((sc.at(k) == '+' || sc.at(k) == '-') && digits(sc, k + 1, 3) == 2) {
				k += 3;
				if (sc.at(k) == ':' && digits(sc, k + 1, 3) == 2)
					k += 3;
				else if (digits(sc, k, 3) == 2)
					k += 2;
			}
			if (is_word_char(sc.at(k)))
				return 0;
			return k - i;
		}
	}
	return j > i ? j - i : 0;
}

size_t
match_hex(const Scan &sc, size_t i)
{
	if (sc.at(i) == '0' && (sc.at(i + 1) == 'x' || sc.at(i + 1) == 'X')) {
		size_t n = hex_run(sc, i + 2);
		if (n > 0 && !is_word_char(sc.at(i + 2 + n)))
			return n + 2;
		return 0;
	}
	size_t n = hex_run(sc, i);
	if (n < 8 || is_word_char(sc.at(i + n)))
		return 0;
	bool digit = false, alpha = false;
	for (size_t k = i; k < i + n; k++) {
		digit = digit || is_digit(sc.s[k]);
		alpha = alpha || is_alpha(sc.s[k]);
	}
	// all-digit runs are numbers, not hex
	return digit && alpha ? n : 0;
}

// Random-looking ids and tokens: JWTs, base64 runs, mixed alnum ids.
// Returns length; `prefix` gets the length of a kept "cus_" / "ORD-" prefix.
size_t
match_token(const Scan &sc, size_t i, size_t &prefix)
{
	prefix = 0;
	size_t lim = sc.limit(i), j = i;
	while (j < lim && (is_alnum(sc.s[j]) || sc.s[j] == '_' || sc.s[j] == '-' || sc.s[j] == '+' ||
	                   sc.s[j] == '/' || sc.s[j] == '=' || sc.s[j] == '.'))
		j++;
	// don't swallow trailing punctuation
	while (j > i && (sc.s[j - 1] == '.' || sc.s[j - 1] == '-' || sc.s[j - 1] == '/' || sc.s[j - 1] == '='))
		j--;
	std::string_view tok = sc.s.substr(i, j - i);
	if (starts_with(tok, "eyJ") && std::count(tok.begin(), tok.end(), '.') == 2 && tok.size() >= 20)
		return tok.size();
	// restrict ordinary ids to [A-Za-z0-9_-]
	size_t k = 0;
	while (k < tok.size() && (is_alnum(tok[k]) || tok[k] == '_' || tok[k] == '-'))
		k++;
	tok = tok.substr(0, k);
	if (tok.size() < 10)
		return 0;
	// prefix: letters then '_' or '-'
	size_t p = 0;
	while (p < tok.size() && is_alpha(tok[p]))
		p++;
	size_t body_start = (p > 0 && p < tok.size() && (tok[p] == '_' || tok[p] == '-')) ? p + 1 : 0;
	std::string_view body = tok.substr(body_start);
	if (body.size() < 8)
		return 0;
	int nd = 0, nl = 0, nu = 0, other = 0;
	for (char c : body) {
		if (is_digit(c)) nd++;
		else if (c >= 'a' && c <= 'z') nl++;
		else if (c >= 'A' && c <= 'Z') nu++;
		else other++;
	}
	if (other)
		return 0;
	if (nd >= 2 && (nl + nu) >= 2) {
		prefix = body_start;
		return tok.size();
	}
	return 0;
}

// Names like "billing-worker-3", "pool-1-thread-7", "web-7f9c-2": two or
// more dashes and a trailing number — per-instance names (threads, pods,
// workers).  "ORD-3001" (one dash) keeps its prefix instead.
size_t
match_dashed_id(const Scan &sc, size_t i)
{
	size_t lim = sc.limit(i), j = i, dashes = 0;
	if (!is_alpha(sc.at(i)))
		return 0;
	while (j < lim && (is_alnum(sc.s[j]) || sc.s[j] == '-' || sc.s[j] == '_')) {
		dashes += sc.s[j] == '-';
		j++;
	}
	if (dashes < 2 || j == i || !is_digit(sc.s[j - 1]))
		return 0;
	size_t k = j;
	while (k > i && is_digit(sc.s[k - 1]))
		k--;
	if (k == i || sc.s[k - 1] != '-')
		return 0;
	return j - i;
}

size_t
match_path(const Scan &sc, size_t i)
{
	size_t j = i;
	if (sc.at(i) == '/' ) {
		// needs a second '/' within the token and a word char after the first
		if (!is_word_char(sc.at(i + 1)) && sc.at(i + 1) != '.')
			return 0;
	} else if (is_alpha(sc.at(i)) && sc.at(i + 1) == ':' && sc.at(i + 2) == '\\') {
		j = i + 3;
	} else {
		return 0;
	}
	size_t slashes = 0;
	while (j < sc.s.size() && !is_space(sc.s[j]) && sc.s[j] != '"' && sc.s[j] != '\'' && sc.s[j] != ',' &&
	       sc.s[j] != ')' && sc.s[j] != ']' && sc.s[j] != '>' && !(sc.s[j] == ':' && (is_space(sc.at(j + 1)) || j + 1 == sc.s.size()))) {
		if (sc.s[j] == '/' || sc.s[j] == '\\')
			slashes++;
		j++;
	}
	if (slashes < 2 && sc.at(i) == '/')
		return 0;
	return j - i;
}

bool
unit_follows(std::string_view rest, size_t &len, bool &is_size)
{
	static constexpr std::string_view durations[] = {
		"milliseconds", "millisecond", "microseconds", "nanoseconds", "seconds", "second", "minutes", "minute",
		"hours", "hour", "days", "secs", "sec", "mins", "min", "ms", "us", "µs", "ns", "s", "m", "h", "d"};
	static constexpr std::string_view sizes[] = {"bytes", "byte", "KiB", "MiB", "GiB", "TiB", "KB", "MB",
	                                             "GB", "TB", "kB", "kb", "mb", "gb", "B"};
	size_t off = 0;
	if (!rest.empty() && rest[0] == ' ')
		off = 1;
	if (off >= rest.size())
		return false;  // every unit is non-empty
	char first = rest[off];
	for (std::string_view u : durations) {
		size_t n = u.size();
		if (u[0] == first && rest.substr(off, n) == u &&
		    !is_word_char(off + n < rest.size() ? rest[off + n] : ' ')) {
			if (off && n <= 2)
				continue;  // "5 s" is too ambiguous
			len = off + n;
			is_size = false;
			return true;
		}
	}
	for (std::string_view u : sizes) {
		size_t n = u.size();
		if (u[0] == first && rest.substr(off, n) == u &&
		    !is_word_char(off + n < rest.size() ? rest[off + n] : ' ')) {
			if (off && n <= 2)
				continue;
			len = off + n;
			is_size = true;
			return true;
		}
	}
	return false;
}

constexpr std::string_view kIdentNouns[] = {"relation", "table", "column", "constraint", "index", "property", "properties",
                             "attribute", "field", "method", "function", "module", "class", "type", "reading",
                             "setting", "variable", "schema", "database", "role", "sequence", "view",
                             "extension", "parameter", "option", "header", "permission", "action", "operation",
                             "command", "event", "queue", "topic", "bucket", "service", "endpoint", "route",
                             "feature", "flag", "key", "collection", "package", "symbol", "name", "identifier",
                             "trigger", "policy", "domain", "operator", "tag", "label", "argument"};

bool
prev_word_is_noun(const std::string &out)
{
	// last word in the output so far, lower-cased
	size_t e = out.size();
	while (e > 0 && (out[e - 1] == ' ' || out[e - 1] == '(' || out[e - 1] == ':'))
		e--;
	size_t b = e;
	while (b > 0 && is_alpha(out[b - 1]))
		b--;
	if (b == e)
		return false;
	if (e - b > 11)
		return false;  // longer than the longest noun ("permission", "identifier", "collection")
	char w[12];
	for (size_t k = b; k < e; k++) {
		char c = out[k];
		w[k - b] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
	}
	std::string_view lw(w, e - b);
	for (std::string_view n : kIdentNouns)
		if (lw == n)
			return true;
	return false;
}

bool
identifier_shaped(std::string_view s, bool strict)
{
	if (s.empty() || s.size() > 64 || !(is_alpha(s[0]) || s[0] == '_' || s[0] == '<'))
		return false;
	bool marker = false, internal_upper = false;
	for (size_t k = 0; k < s.size(); k++) {
		char c = s[k];
		if (!(is_word_char(c) || c == '.' || c == '$' || c == ':' || c == '-' || c == '<' || c == '>'))
			return false;
		if (c == '_' || c == '.' || c == '$' || c == ':')
			marker = true;
		if (k > 0 && c >= 'A' && c <= 'Z' && s[k - 1] >= 'a' && s[k - 1] <= 'z')
			internal_upper = true;
	}
	if (s == "<str>" || (s.front() == '<' && s.back() == '>' && s.find('<', 1) == std::string_view::npos))
		return false;  // a lone placeholder is not an identifier
	return !strict || marker || internal_upper;
}

// fp2: is `t` (a quoted value's template) nothing but placeholders and
// separators, with at least one placeholder?  "<float>.<int>" (from
// "9.9.9"), "<int>:<int>:<int>", "-<int>", "<int>_<int>" are; "v2-api",
// "users_email_key", "cus_<id>", "--" are not.  Separators: ASCII
// punctuation and the collapse mark "…".  One pass; each step compares at
// most a few fixed strings.
constexpr std::string_view kPlaceholders[] = {"<uuid>", "<email>", "<url>", "<ip>", "<date>", "<hex>",
                                              "<token>", "<id>", "<path>", "<duration>", "<size>",
                                              "<float>", "<int>", "<str>", "<val>"};

bool
only_placeholders(std::string_view t)
{
	static constexpr std::string_view kEllipsis = "…";
	bool placeholder = false;
	size_t i = 0;
	while (i < t.size()) {
		unsigned char c = static_cast<unsigned char>(t[i]);
		if (c == '<') {
			size_t n = 0;
			for (std::string_view p : kPlaceholders)
				if (t.substr(i, p.size()) == p) {
					n = p.size();
					break;
				}
			if (n == 0)
				return false;
			placeholder = true;
			i += n;
		} else if (t.substr(i, kEllipsis.size()) == kEllipsis) {
			i += kEllipsis.size();
		} else if (c > ' ' && c < 0x7F && c != '>' && !is_alnum(static_cast<char>(c))) {
			i++;
		} else {
			return false;
		}
	}
	return placeholder;
}

// After a word of letters: can a matcher (URL, e-mail, uuid, IP, path, hex,
// dashed id, token) match across this byte?  If not, none matches the word.
inline bool
continues_match(char c)
{
	return is_alnum(c) || c == '_' || c == '-' || c == '+' || c == '.' || c == ':' || c == '/' || c == '=' ||
	       c == '@' || c == '%' || c == '\\' || c == '\0';
}

// Can a matcher below (URL, e-mail, uuid, date, IP, path, hex, dashed id,
// token) match at a word start holding c?  The union of their first bytes.
inline bool
may_start_match(char c)
{
	return is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-' || c == '{' || c == ':' ||
	       c == '/' || c == '\0';
}

class Normalizer {
public:
	// fp2: the rules of fp2 (only_placeholders for quoted values, digits
	// after letters as one number).
	explicit Normalizer(std::string_view s, bool fp2 = false) : sc{s}, fp2_{fp2} {}

	std::string run(bool allow_quotes = true)
	{
		std::string_view s = sc.s;
		size_t i = 0;
		while (i < s.size()) {
			char c = s[i];
			bool boundary = i == 0 || !is_word_char(s[i - 1]);
			if (is_alpha(c)) {
				// Letters are copied as they are, with two exceptions that need
				// the matchers below: a word start that may begin a URL, e-mail,
				// path, id, hex or IP (the word has a digit, or is followed by
				// one of the bytes such a match continues with), and nothing else.
				size_t k = i + 1;
				while (k < s.size() && is_alpha(s[k]))
					k++;
				if (!boundary || k == s.size() || !continues_match(s[k])) {
					out.append(s.data() + i, k - i);
					i = k;
					continue;
				}
			}
			if (is_space(c)) {
				if (!out.empty() && out.back() != ' ')
					out.push_back(' ');
				i++;
				continue;
			}
			if (allow_quotes && (c == '\'' || c == '"' || c == '`')) {
				size_t n = quoted(i);
				if (n) {
					i += n;
					continue;
				}
			}
			if (c == '=' && i > 0 && is_word_char(s[i - 1]) && sc.at(i + 1) != '=') {
				size_t n = kv_value(i);
				if (n) {
					i += n;
					continue;
				}
			}
			if (boundary && may_start_match(c)) {
				size_t n, pre = 0;
				if ((n = match_url(sc, i))) { emit("<url>"); i += n; continue; }
				if ((n = match_email(sc, i))) { emit("<email>"); i += n; continue; }
				if ((n = match_uuid(sc, i))) { emit("<uuid>"); i += n; continue; }
				if ((n = match_date(sc, i))) { emit("<date>"); i += n; continue; }
				if ((n = match_ipv4(sc, i))) { emit("<ip>"); i += n; continue; }
				if ((n = match_ipv6(sc, i))) { emit("<ip>"); i += n; continue; }
				if ((n = match_path(sc, i))) { emit("<path>"); i += n; continue; }
				if ((n = match_hex(sc, i))) { emit("<hex>"); i += n; continue; }
				if ((n = match_dashed_id(sc, i))) { emit("<id>"); i += n; continue; }
				if ((n = match_token(sc, i, pre))) {
					out.append(s.substr(i, pre));
					emit("<id>");
					i += n;
					continue;
				}
			}
			if (fp2_ && is_digit(c) && i > 0 && is_alpha(s[i - 1]) && !id_digits(i)) {
				size_t n = digits(sc, i, SIZE_MAX);  // fp2: a word's digits, kept whole ("Int32")
				out.append(s.substr(i, n));
				i += n;
				continue;
			}
			if (is_digit(c) && (i == 0 || !is_alpha(s[i - 1]) || id_digits(i))) {
				size_t n = digits(sc, i, SIZE_MAX);
				bool is_float = false;
				if (sc.at(i + n) == '.' && is_digit(sc.at(i + n + 1))) {
					n += 1 + digits(sc, i + n + 1, SIZE_MAX);
					is_float = true;
				}
				size_t ulen = 0;
				bool is_size = false;
				if (unit_follows(s.substr(i + n, 16), ulen, is_size)) {
					emit(is_size ? "<size>" : "<duration>");
					i += n + ulen;
					continue;
				}
				emit(is_float ? "<float>" : "<int>");
				i += n;
				continue;
			}
			out.push_back(c);
			i++;
		}
		return out;
	}

private:
	// fp2: the digits after a word's letters are an id's number when they
	// are three or more ("J937", "u404", "HY000", "ORD12345", "sha256") or
	// two after one or two letters ("AB12"): one <int>, so "J937" and
	// "J1011" agree (fp1 kept the first digit: "J9<int>", "J1<int>",
	// "Int3<int>").  Words like "v2", "utf8", "Int32", "ipv6" keep theirs
	// whole, and so do a dotted name's parts ("org.eclipse.p2") and digits
	// after letters that follow digits ("a1b2": the "2").
	bool id_digits(size_t i) const
	{
		if (!fp2_)
			return false;
		size_t b = i;
		while (b > 0 && is_alpha(sc.s[b - 1]))
			b--;
		if (b > 0 && (is_word_char(sc.s[b - 1]) || sc.s[b - 1] == '.'))
			return false;  // (inside a word, or a dotted name's part: "org.eclipse.p2")
		size_t n = digits(sc, i, 3);
		return n >= 3 || (n == 2 && i - b <= 2);
	}

	Scan sc;
	bool fp2_;
	std::string out;

	// `o` ends with a + b + c (no temporary strings).
	static bool ends_with_cat(std::string_view o, std::string_view a, std::string_view b, std::string_view c = {})
	{
		size_t n = a.size() + b.size() + c.size();
		if (o.size() < n)
			return false;
		o.remove_prefix(o.size() - n);
		return o.substr(0, a.size()) == a && o.substr(a.size(), b.size()) == b && o.substr(a.size() + b.size()) == c;
	}

	void emit(const char *ph)
	{
		// collapse "<int>, <int>, <int>" -> "<int>…"
		// Every collapse case needs the output to end with "…" (last byte
		// 0xA6), ',' or ' ': otherwise just append.
		unsigned char last = out.empty() ? 0 : static_cast<unsigned char>(out.back());
		if (last != 0xA6 && last != ',' && last != ' ') {
			out.append(ph);
			return;
		}
		std::string_view p(ph);
		std::string_view o(out);
		if (ends_with_cat(o, p, "…"))
			return;
		for (const char *sep : {", ", ","}) {
			if (ends_with_cat(o, p, "…", sep)) {
				out.resize(out.size() - strlen(sep));
				return;
			}
		}
		for (const char *sep : {", ", ",", " "}) {
			if (ends_with_cat(o, p, sep)) {
				out.resize(out.size() - strlen(sep));
				out.append("…");
				return;
			}
		}
		out.append(ph);
	}

	// A quoted run starting at i; returns bytes consumed or 0.
	size_t quoted(size_t i)
	{
		char q = sc.s[i];
		// an apostrophe inside a word ("don't") is not a quote
		if (q == '\'' && i > 0 && is_alpha(sc.s[i - 1]) && is_alpha(sc.at(i + 1)))
			return 0;
		size_t lim = sc.limit(i + 1);
		size_t j = i + 1;
		while (j < lim && sc.s[j] != q && sc.s[j] != '\n')
			j++;
		if (j >= lim || sc.s[j] != q)
			return 0;
		std::string_view inner = sc.s.substr(i + 1, j - i - 1);
		Normalizer sub(inner, fp2_);
		std::string norm = sub.run(false);
		bool keep = !norm.empty() && norm.find(' ') == std::string::npos &&
		            ((prev_word_is_noun(out) && norm.size() <= 64 && norm.front() != '<') ||
		             identifier_shaped(norm, true));
		// fp2: "9.9.9" is a value like "abc", not a dotted name
		if (keep && fp2_ && only_placeholders(norm))
			keep = false;
		out.push_back(q);
		if (keep)
			out.append(norm);
		else
			out.append("<str>");
		out.push_back(q);
		return j - i + 1;
	}

	// "key=value": value replaced by <val> unless an ALL-CAPS enum word.
	size_t kv_value(size_t i)
	{
		size_t j = i + 1;
		if (sc.at(j) == '(') {  // Postgres Key (email)=(value)
			size_t lim = sc.limit(j), k = j + 1;
			while (k < lim && sc.s[k] != ')')
				k++;
			if (k >= lim)
				return 0;
			out.append("=(<val>)");
			return k - i + 1;
		}
		if (sc.at(j) == '\'' || sc.at(j) == '"') {
			out.push_back('=');
			size_t n = quoted(j);
			return n ? n + 1 : 0;
		}
		size_t lim = sc.limit(j), k = j;
		while (k < lim && !is_space(sc.s[k]) && sc.s[k] != ',' && sc.s[k] != ';' && sc.s[k] != ')' &&
		       sc.s[k] != ']' && sc.s[k] != '&')
			k++;
		if (k == j)
			return 0;
		std::string_view v = sc.s.substr(j, k - j);
		bool caps = true;
		for (char c : v)
			caps = caps && ((c >= 'A' && c <= 'Z') || c == '_');
		if (caps || v == "true" || v == "false" || v == "null" || v == "nil" || v == "None")
			return 0;
		out.append("=<val>");
		return k - i;
	}
};

std::string_view
first_line(std::string_view m)
{
	size_t i = 0;
	while (i < m.size()) {
		size_t nl = m.find('\n', i);
		std::string_view l = m.substr(i, nl == std::string_view::npos ? std::string_view::npos : nl - i);
		if (!trim(l).empty())
			return trim(l);
		if (nl == std::string_view::npos)
			break;
		i = nl + 1;
	}
	return {};
}

}  // namespace

namespace {

// fp2: runtime messages a runtime reworded between versions, old wording ->
// current wording, so that a toolchain upgrade keeps an issue whose message is
// keyed (a Rust panic's type is generic).  Rust's std: RefCell borrow panics
// (rustc 1.63 "already borrowed: BorrowMutError", the current "RefCell already
// borrowed").
std::string_view
current_wording(std::string_view m)
{
	static constexpr std::pair<std::string_view, std::string_view> kReworded[] = {
		{"already borrowed: BorrowMutError", "RefCell already borrowed"},
		{"already mutably borrowed: BorrowError", "RefCell already mutably borrowed"},
	};
	std::string_view t = trim(m);
	for (const auto &[old_wording, wording] : kReworded)
		if (t == old_wording)
			return wording;
	return m;
}

}  // namespace

std::string
normalize_message(std::string_view message, std::string_view type, Algorithm algorithm)
{
	std::string_view m = first_line(message);
	if (algorithm >= Algorithm::Fp2)
		m = current_wording(m);
	if (m.size() > kMaxInput)
		m = m.substr(0, kMaxInput);
	// strip a leading copy of the type: "TypeError: x", "Uncaught TypeError: x"
	if (starts_with(m, "Uncaught "))
		m = m.substr(9);
	if (!type.empty() && starts_with(m, type) && m.substr(type.size(), 2) == ": ") {
		m = ltrim(m.substr(type.size() + 2));
	} else {
		// "TypeError: ...", "java.io.IOException: ..." — a leading exception name
		size_t c = m.find(": ");
		if (c != std::string_view::npos && c <= 128) {
			std::string_view t = m.substr(0, c);
			bool ident = !t.empty();
			for (char ch : t)
				ident = ident && (is_word_char(ch) || ch == '.' || ch == '$' || ch == ':' || ch == '\\');
			if (ident && (ends_with(t, "Error") || ends_with(t, "Exception")))
				m = ltrim(m.substr(c + 2));
		}
	}
	size_t nested = m.find("; nested exception is ");
	if (nested != std::string_view::npos)
		m = m.substr(0, nested);
	Normalizer n(m, algorithm != Algorithm::Fp1);
	std::string r = n.run();
	while (!r.empty() && (r.back() == ' ' || r.back() == '.'))
		r.pop_back();
	if (r.size() > kMaxOutput) {
		size_t cut = kMaxOutput;
		while (cut > 0 && (static_cast<unsigned char>(r[cut]) & 0xC0) == 0x80)
			cut--;  // don't split a UTF-8 sequence
		r.resize(cut);
	}
	return r;
}

namespace {

std::string_view
word_after(std::string_view s, size_t pos)
{
	size_t b = pos;
	while (b < s.size() && (s[b] == ' ' || s[b] == '"' || s[b] == '\'' || s[b] == '[' || s[b] == '=' || s[b] == ':'))
		b++;
	size_t e = b;
	while (e < s.size() && (is_alnum(s[e]) || s[e] == '_' || s[e] == '.'))
		e++;
	return s.substr(b, e - b);
}

struct Stem {
	std::string_view text;  // (string_views of literals: no strlen per call)
	std::string_view code;
};

// The byte pairs present in a text (hashed into 4096 bits): a needle one of
// whose pairs is absent cannot occur, so most searches are skipped without
// scanning the text.  Only ever says "maybe" for a needle that does occur.
class Bigrams {
public:
	explicit Bigrams(std::string_view t)
	{
		std::memset(bits_, 0, sizeof bits_);
		for (size_t i = 1; i < t.size(); i++)
			set(h(t[i - 1], t[i]));
	}
	bool may_contain(std::string_view needle) const
	{
		for (size_t i = 1; i < needle.size(); i++)
			if (!get(h(needle[i - 1], needle[i])))
				return false;
		return true;
	}

private:
	uint64_t bits_[64];
	static unsigned h(char a, char b)
	{
		return ((static_cast<unsigned char>(a) & 0x3Fu) << 6) | (static_cast<unsigned char>(b) & 0x3Fu);
	}
	void set(unsigned k) { bits_[k >> 6] |= uint64_t(1) << (k & 63); }
	bool get(unsigned k) const { return (bits_[k >> 6] >> (k & 63)) & 1; }
};

}  // namespace

std::vector<std::string>
extract_codes(std::string_view message)
{
	std::vector<std::string> codes;
	std::string_view m = message.substr(0, kMaxInput * 4);
	if (m.empty())
		return codes;
	// Lower-cased copy on the stack (m is at most 4 KiB).
	char low_buf[kMaxInput * 4];
	for (size_t i = 0; i < m.size(); i++) {
		char c = m[i];
		low_buf[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
	}
	const std::string_view low(low_buf, m.size());
	const Bigrams pairs(low);
	// In `low`: every needle is lower-case (the mixed-case ones are looked up
	// in `m`, filtered by their lower-case spelling).
	auto has = [&](std::string_view needle) {
		return pairs.may_contain(needle) && low.find(needle) != std::string::npos;
	};
	auto find_all = [&](std::string_view needle, auto &&fn) {
		if (!pairs.may_contain(needle))
			return;
		size_t p = 0, n = needle.size();
		int guard = 0;
		while ((p = low.find(needle, p)) != std::string::npos && guard++ < 8) {
			fn(p + n);
			p += n;
		}
	};
	// SQLSTATE
	find_all("sqlstate", [&](size_t p) {
		std::string_view w = word_after(m, p);
		if (w.size() == 5)
			codes.push_back("sqlstate:" + std::string(w));
	});
	static const Stem stems[] = {
		{"duplicate key value violates unique constraint", "23505"},
		{"violates foreign key constraint", "23503"},
		{"violates not-null constraint", "23502"},
		{"violates check constraint", "23514"},
		{"deadlock detected", "40P01"},
		{"could not serialize access", "40001"},
		{"canceling statement due to statement timeout", "57014"},
		{"canceling statement due to lock timeout", "55P03"},
		{"syntax error at or near", "42601"},
		{"value too long for type", "22001"},
		{"invalid input syntax for type", "22P02"},
		{"remaining connection slots are reserved", "53300"},
		{"too many clients", "53300"},
		{"terminating connection due to administrator command", "57P01"},
	};
	for (const Stem &st : stems)
		if (has(st.text))
			codes.push_back("sqlstate:" + std::string(st.code));
	// relation "x" does not exist / column "x" does not exist
	if (has("does not exist")) {
		find_all("relation ", [&](size_t p) {
			std::string_view w = word_after(m, p);
			if (!w.empty() && p < m.size() && (m[p] == '"' || m[p] == '\''))
				codes.push_back("relation:" + std::string(w));
		});
		find_all("column ", [&](size_t p) {
			std::string_view w = word_after(m, p);
			if (!w.empty() && p < m.size() && (m[p] == '"' || m[p] == '\''))
				codes.push_back("column:" + std::string(w));
		});
	}
	find_all("constraint ", [&](size_t p) {
		std::string_view w = word_after(m, p);
		if (!w.empty() && p < m.size() && (m[p] == '"' || m[p] == '\'' || m[p] == '`'))
			codes.push_back("constraint:" + std::string(w));
	});
	// errno names: E[A-Z]{3,} tokens
	for (size_t i = 0; i < m.size(); i++) {
		if (m[i] == 'E' && (i == 0 || !is_word_char(m[i - 1]))) {
			size_t j = i + 1;
			while (j < m.size() && ((m[j] >= 'A' && m[j] <= 'Z') || m[j] == '_'))
				j++;
			if (j - i >= 3 && j - i <= 40 && (j == m.size() || !is_word_char(m[j]))) {
				std::string_view w = m.substr(i, j - i);
				static const char *known[] = {"ECONNREFUSED", "ECONNRESET", "ECONNABORTED", "ETIMEDOUT",
				                              "EPIPE", "ENOTFOUND", "EAI_AGAIN", "EAI_NONAME", "ENOENT",
				                              "EACCES", "EMFILE", "ENFILE", "EADDRINUSE", "EADDRNOTAVAIL",
				                              "EHOSTUNREACH", "ENETUNREACH", "EHOSTDOWN", "EEXIST", "EPERM",
				                              "ENOSPC", "EISDIR", "ENOTDIR", "EBADF", "EAGAIN", "EINVAL",
				                              "ECANCELED", "EPROTO", "ENOTEMPTY", "EROFS", "ENOMEM",
				                              "EDQUOT", "ESRCH", "ECHILD", "EINTR", "EIO", "ENXIO"};
				bool ok = starts_with(w, "ERR_");
				for (const char *k : known)
					ok = ok || w == k;
				if (ok)
					codes.push_back("errno:" + std::string(w));
			}
			i = j;
		}
	}
	find_all("[errno ", [&](size_t p) {
		std::string_view w = word_after(m, p);
		if (all_digits(w))
			codes.push_back("errno:" + std::string(w));
	});
	// HTTP status
	auto http = [&](size_t p) {
		std::string_view w = word_after(m, p);
		if (w.size() == 3 && all_digits(w) && w[0] >= '1' && w[0] <= '5')
			codes.push_back("http:" + std::string(w));
	};
	find_all("status code", http);
	find_all("status:", http);
	find_all("status ", http);
	find_all("http ", http);
	find_all("http/1.1 ", http);
	find_all("http/1.0 ", http);
	find_all("http/2 ", http);
	// "404 Not Found": the reason phrase as HTTP spells it (case-sensitive,
	// so "user 404 not found" is not taken for a status).
	static constexpr std::string_view reasons[] = {" Not Found", " Internal Server Error", " Bad Request", " Unauthorized",
	                                " Forbidden", " Service Unavailable", " Bad Gateway", " Gateway Timeout",
	                                " Too Many Requests", " Conflict"};
	static constexpr std::string_view reasons_lower[] = {" not found", " internal server error", " bad request", " unauthorized",
	                                      " forbidden", " service unavailable", " bad gateway", " gateway timeout",
	                                      " too many requests", " conflict"};
	for (size_t ri = 0; ri < sizeof reasons / sizeof reasons[0]; ri++) {
		if (!pairs.may_contain(reasons_lower[ri]))
			continue;
		std::string_view r = reasons[ri];
		size_t p = m.find(r);
		if (p != std::string::npos && p >= 3 && all_digits(std::string_view(m).substr(p - 3, 3)) &&
		    (p == 3 || !is_word_char(m[p - 4])))
			codes.push_back("http:" + std::string(m.substr(p - 3, 3)));
	}
	// gRPC: "code = Unavailable"
	find_all("code = ", [&](size_t p) {
		std::string_view w = word_after(m, p);
		if (!w.empty())
			codes.push_back("grpc:" + to_lower(w));
	});
	// signals
	if (pairs.may_contain("sig"))
	for (std::string_view sig : {"SIGSEGV", "SIGABRT", "SIGBUS", "SIGFPE", "SIGILL", "SIGKILL", "SIGTERM"})
		if (m.find(sig) != std::string_view::npos)
			codes.push_back("signal:" + std::string(sig));
	std::sort(codes.begin(), codes.end());
	codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
	return codes;
}

}  // namespace errtrack
