// preclean.cpp — fp2's line rewriting before detection and parsing (see
// preclean.hpp for the rules).
#include "preclean.hpp"

#include <algorithm>

#include "parse_util.hpp"
#include "text.hpp"

#include "core_only.hpp"

namespace errtrack {

namespace {

// "<file>:<line>" with no space: the first line of Node's preamble
// ("/srv/app/orders.js:45", "file:///srv/app/esm.mjs:4",
// "node:internal/process/promises:391", "<anonymous_script>:1").
bool
is_location_line(std::string_view t)
{
	size_t colon = t.rfind(':');
	if (colon == std::string_view::npos || colon == 0 || colon + 1 == t.size())
		return false;
	if (!all_digits(t.substr(colon + 1)))
		return false;
	return t.find(' ') == std::string_view::npos && t.find('\t') == std::string_view::npos;
}

// White space and one or more '^': V8's caret under the throwing expression.
bool
is_caret_line(std::string_view t)
{
	t = trim(t);
	if (t.empty())
		return false;
	for (char c : t)
		if (c != '^')
			return false;
	return true;
}

// The first non-blank line at or after `i` (lines.size() if none).
size_t
next_nonblank(const std::vector<std::string_view> &lines, size_t i, const Cancel &cancel)
{
	for (; i < lines.size(); i++) {
		if ((i & 0x3FF) == 0)
			cancel.poll();
		if (!trim(lines[i]).empty())
			break;
	}
	return i;
}

// Node.js: "<file>:<line>", the source line, the caret line, then the error.
void
drop_node_preamble(std::vector<std::string_view> &lines, const Cancel &cancel)
{
	size_t first = next_nonblank(lines, 0, cancel);
	if (first == lines.size() || !is_location_line(trim(lines[first])))
		return;
	// the caret within the next three non-empty lines (the source line may be
	// blank when the throwing line is)
	size_t seen = 0;
	for (size_t i = next_nonblank(lines, first + 1, cancel); i < lines.size() && seen < 3;
	     i = next_nonblank(lines, i + 1, cancel)) {
		seen++;
		if (is_caret_line(lines[i])) {
			lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(first),
			            lines.begin() + static_cast<std::ptrdiff_t>(i) + 1);
			return;
		}
	}
}

// "\tN: from <location>" of Ruby's bottom-first backtrace: the view of
// "from <location>", or empty.
std::string_view
ruby_numbered_from(std::string_view line)
{
	std::string_view t = ltrim(line);
	size_t i = 0;
	while (i < t.size() && is_digit(t[i]))
		i++;
	if (i == 0 || !starts_with(t.substr(i), ": from "))
		return {};
	return t.substr(i + 2);
}

bool
is_ruby_levels_line(std::string_view line)
{
	std::string_view t = trim(line);
	return starts_with(t, "... ") && ends_with(t, " levels...");
}

bool
looks_like_ruby_location(std::string_view t)
{
	return !starts_with(t, "File \"") &&
	       (t.find(":in `") != std::string_view::npos || t.find(":in '") != std::string_view::npos);
}

// Ruby, bottom first: see preclean.hpp rule 4.
void
reorder_ruby_bottom_first(std::vector<std::string_view> &lines, const Cancel &cancel)
{
	size_t first = next_nonblank(lines, 0, cancel);
	if (first == lines.size() || trim(lines[first]) != "Traceback (most recent call last):")
		return;
	size_t next = next_nonblank(lines, first + 1, cancel);
	if (next == lines.size())
		return;
	if (ruby_numbered_from(lines[next]).empty() && !looks_like_ruby_location(trim(lines[next])))
		return;  // Python (or anything else): "  File ..." follows
	struct Block {
		std::vector<std::string_view> from;  // as printed: outermost first
		std::vector<std::string_view> head;  // header line, then its message lines
	};
	std::vector<Block> blocks(1);
	for (size_t i = next; i < lines.size(); i++) {
		if ((i & 0x3FF) == 0)
			cancel.poll();
		std::string_view l = lines[i];
		if (trim(l).empty())
			continue;
		std::string_view from = ruby_numbered_from(l);
		bool is_from = !from.empty() || is_ruby_levels_line(l);
		if (is_from) {
			if (!blocks.back().head.empty())
				blocks.emplace_back();  // the next exception's frames
			blocks.back().from.push_back(from.empty() ? trim(l) : from);
		} else {
			blocks.back().head.push_back(l);
		}
	}
	std::vector<std::string_view> out;
	out.reserve(lines.size());
	for (size_t b = blocks.size(); b-- > 0;) {
		for (std::string_view h : blocks[b].head)
			out.push_back(h);
		for (size_t k = blocks[b].from.size(); k-- > 0;)
			out.push_back(blocks[b].from[k]);
	}
	lines.swap(out);
}

// ---- rule 0: a log collector's per-line prefix -------------------------

// Digits at t[i..]: how many (0 if none).
size_t
digits_at(std::string_view t, size_t i)
{
	size_t n = 0;
	while (i + n < t.size() && is_digit(t[i + n]))
		n++;
	return n;
}

// "HH:MM:SS" with an optional fraction and zone ("19:37:50", "07:41:19.0617",
// "21:02:02.537223113Z", "12:00:00+02:00"): the length, 0 if not one.
size_t
time_at(std::string_view t, size_t i)
{
	size_t h = digits_at(t, i);
	if (h < 1 || h > 2)
		return 0;
	size_t k = i + h;
	for (int part = 0; part < 2; part++) {
		if (k >= t.size() || t[k] != ':' || digits_at(t, k + 1) != 2)
			return 0;
		k += 3;
	}
	if (k < t.size() && (t[k] == '.' || t[k] == ',') && digits_at(t, k + 1) > 0)
		k += 1 + digits_at(t, k + 1);
	if (k < t.size() && t[k] == 'Z') {
		k++;
	} else if (k < t.size() && (t[k] == '+' || t[k] == '-') && digits_at(t, k + 1) == 2) {
		k += 3;
		if (k < t.size() && t[k] == ':' && digits_at(t, k + 1) == 2)
			k += 3;
		else if (digits_at(t, k) == 2)
			k += 2;
	}
	return k - i;
}

// "YYYY-MM-DD" / "YYYY/MM/DD", with "T<time>" attached when present: the length.
size_t
date_at(std::string_view t, size_t i)
{
	if (digits_at(t, i) != 4 || i + 10 > t.size())
		return 0;
	char sep = t[i + 4];
	if ((sep != '-' && sep != '/') || digits_at(t, i + 5) != 2 || t[i + 7] != sep || digits_at(t, i + 8) != 2)
		return 0;
	size_t k = i + 10;
	if (k < t.size() && t[k] == 'T') {
		size_t tm = time_at(t, k + 1);
		if (tm == 0)
			return 0;
		k += 1 + tm;
	}
	return k - i;
}

bool
is_token_end(std::string_view t, size_t k)
{
	return k == t.size() || is_space(t[k]);
}

size_t
skip_blanks(std::string_view t, size_t k)
{
	while (k < t.size() && (t[k] == ' ' || t[k] == '\t'))
		k++;
	return k;
}

// A time stamp token at t[i]: date, date+time, time, "MM-DD time" (logcat),
// "Mon DD time" (syslog, journald), or one of those in brackets.  The end of
// the stamp (after the time when the date and time are two tokens), or 0.
size_t
stamp_at(std::string_view t, size_t i, bool &syslog)
{
	syslog = false;
	if (i < t.size() && t[i] == '[') {
		size_t close = t.find(']', i);
		if (close == std::string_view::npos || close - i > 40)
			return 0;
		bool dummy;
		size_t in = stamp_at(t.substr(0, close), i + 1, dummy);
		return in != 0 && i + 1 + in == close ? close + 1 - i : 0;
	}
	size_t k = date_at(t, i);
	if (k != 0) {
		size_t e = i + k;
		if (!is_token_end(t, e))
			return 0;
		size_t n = skip_blanks(t, e);
		if (t[e - 1] != 'Z' && n < t.size() && n - e == 1) {
			size_t tm = time_at(t, n);  // "2024-05-29 07:41:19.0617"
			if (tm != 0 && is_token_end(t, n + tm))
				return n + tm - i;
		}
		return k;
	}
	k = time_at(t, i);
	if (k != 0)
		return is_token_end(t, i + k) ? k : 0;
	// logcat "03-15 12:34:56.789"
	if (digits_at(t, i) == 2 && i + 6 < t.size() && t[i + 2] == '-' && digits_at(t, i + 3) == 2 &&
	    t[i + 5] == ' ') {
		size_t tm = time_at(t, i + 6);
		return tm != 0 && is_token_end(t, i + 6 + tm) ? 6 + tm : 0;
	}
	// syslog "Oct  9 16:30:01"
	static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	if (i + 4 < t.size() && t[i + 3] == ' ') {
		std::string_view mon = t.substr(i, 3);
		for (std::string_view m : kMonths) {
			if (mon != m)
				continue;
			size_t d = skip_blanks(t, i + 4);
			size_t dn = digits_at(t, d);
			if (dn < 1 || dn > 2 || d + dn >= t.size() || t[d + dn] != ' ')
				return 0;
			size_t tm = time_at(t, d + dn + 1);
			if (tm == 0 || !is_token_end(t, d + dn + 1 + tm))
				return 0;
			syslog = true;
			return d + dn + 1 + tm - i;
		}
	}
	return 0;
}

// The end of the token at t[i] (the first white space at or after i).
size_t
token_end(std::string_view t, size_t i)
{
	while (i < t.size() && !is_space(t[i]))
		i++;
	return i;
}

// Bits of the log prefix kinds (LogPrefix::kind).
enum : unsigned {
	kStamp = 1,      // a time stamp
	kSyslog = 2,     // syslog's "host ident[pid]:" after its stamp
	kLevel = 4,      // a one-letter level ("E", "W"), with logcat's tag
	kMarker = 8,     // comment or quote markers ("#", "//", ">", "# ~>")
	kBuildKit = 16,  // BuildKit's "#9 10.19"
	kStream = 32,    // CRI's "stdout F" / "stderr P"
	kCompose = 64,   // docker compose's "web_1  | " / "api-1  | "
};

// docker compose's "<service>_<n>  | " / "<service>-<n>  | ": the end, or 0.
size_t
compose_prefix(std::string_view t)
{
	size_t k = 0;
	while (k < t.size() && (is_alnum(t[k]) || t[k] == '_' || t[k] == '-' || t[k] == '.'))
		k++;
	if (k < 3 || k == t.size() || t[k] != ' ')
		return 0;
	size_t d = k;
	while (d > 0 && is_digit(t[d - 1]))
		d--;
	if (d == k || d < 2 || (t[d - 1] != '_' && t[d - 1] != '-'))
		return 0;
	size_t bar = skip_blanks(t, k);
	if (bar + 1 >= t.size() || t[bar] != '|' || t[bar + 1] != ' ')
		return 0;
	return bar + 1;
}

}  // namespace

LogPrefix
log_prefix(std::string_view t)
{
	LogPrefix r;
	size_t k = skip_blanks(t, 0);
	if (k == t.size())
		return r;
	// docker compose's service column ("web_1  | ", "api-1  | ")
	if (k == 0) {
		size_t c = compose_prefix(t);
		if (c != 0) {
			r.kind = kCompose;
			r.end = c;
			r.gap = skip_blanks(t, r.end) - r.end;
			return r;
		}
	}
	// every other prefix starts with a marker, a digit, '[' or an upper-case
	// letter (a level, a month, docker's stream letter): most lines don't
	if (t[k] >= 'a' && t[k] <= 'z')
		return r;
	const size_t indent = k;
	// comment and quote markers: "#" (not "#0": gdb, PHP), "//", ">", "~>"
	bool marked = false;
	while (k < t.size()) {
		if (t[k] == '#' && (k + 1 == t.size() || !is_digit(t[k + 1]))) {
			k++;
		} else if (starts_with(t.substr(k), "//") || t[k] == '>' || starts_with(t.substr(k), "~>")) {
			k += t[k] == '>' ? 1 : 2;
		} else {
			break;
		}
		marked = true;
		r.kind |= kMarker;
		r.end = k;
		k = skip_blanks(t, k);
	}
	if (marked && indent != 0)
		return LogPrefix{};  // a marker is the first thing on its line
	// BuildKit: "#9 10.19 "
	if (!marked && k < t.size() && t[k] == '#') {
		size_t n = digits_at(t, k + 1);
		size_t f = k + 1 + n;
		if (n > 0 && f < t.size() && t[f] == ' ') {
			size_t s = digits_at(t, f + 1);
			size_t dot = f + 1 + s;
			if (s > 0 && dot < t.size() && t[dot] == '.' && digits_at(t, dot + 1) > 0 &&
			    is_token_end(t, dot + 1 + digits_at(t, dot + 1))) {
				r.kind |= kBuildKit;
				r.end = dot + 1 + digits_at(t, dot + 1);
				k = skip_blanks(t, r.end);
			}
		}
	}
	// one-letter level before a stamp (docker logs' "A 2019-09-25T...Z")
	bool stamped = false;
	if (k + 2 < t.size() && is_alpha(t[k]) && t[k] >= 'A' && t[k] <= 'Z' && t[k + 1] == ' ') {
		bool syslog;
		if (stamp_at(t, k + 2, syslog) != 0) {
			r.kind |= kLevel;
			k += 2;
		}
	}
	bool syslog = false;
	size_t st = stamp_at(t, k, syslog);
	if (st != 0) {
		stamped = true;
		r.kind |= kStamp;
		r.end = k + st;
		k = skip_blanks(t, r.end);
		if (syslog) {
			// "host ident[pid]:" — both, or neither
			size_t host = token_end(t, k);
			size_t id = skip_blanks(t, host);
			size_t ide = token_end(t, id);
			if (host > k && ide > id && t[ide - 1] == ':') {
				r.kind |= kSyslog;
				r.end = ide;
				k = skip_blanks(t, ide);
			}
		}
		// CRI: "stdout F " / "stderr P "
		if (starts_with(t.substr(k), "stdout ") || starts_with(t.substr(k), "stderr ")) {
			if (k + 8 < t.size() + 1 && k + 8 <= t.size() && (t[k + 7] == 'F' || t[k + 7] == 'P') &&
			    is_token_end(t, k + 8)) {
				r.kind |= kStream;
				r.end = k + 8;
				k = skip_blanks(t, r.end);
			}
		}
		// logcat threadtime's "PID TID" / Android Studio's "PID-TID/package"
		for (int n = 0; n < 2 && k < t.size() && is_digit(t[k]); n++) {
			size_t e = token_end(t, k);
			std::string_view tok = t.substr(k, e - k);
			size_t d = digits_at(tok, 0);
			if (d != tok.size() && !(d < tok.size() && tok[d] == '-' && digits_at(tok, d + 1) > 0))
				break;
			r.end = e;
			k = skip_blanks(t, e);
		}
	}
	// a one-letter level: "E  " (Android Studio), "E AndroidRuntime: "
	// (threadtime, after a stamp), "E/AndroidRuntime( 1234): " (brief)
	if (k < t.size() && t[k] >= 'A' && t[k] <= 'Z' && std::string_view("VDIWEFA").find(t[k]) != std::string_view::npos) {
		size_t after = k + 1;
		if (after < t.size() && t[after] == '/') {
			size_t close = t.find("): ", after);
			size_t colon = t.find(": ", after);
			size_t e = close != std::string_view::npos && close < colon + 1 ? close + 2 : colon + 1;
			if (colon != std::string_view::npos && t.substr(after, e - after).find(' ') == std::string_view::npos) {
				r.kind |= kLevel;
				r.end = e;
				k = skip_blanks(t, e);
			} else if (close != std::string_view::npos && close < colon + 1) {
				// "E/Tag( 1234): " holds a space inside the parentheses
				std::string_view tag = t.substr(after, close - after);
				size_t open = tag.find('(');
				if (open != std::string_view::npos && tag.substr(0, open).find(' ') == std::string_view::npos) {
					r.kind |= kLevel;
					r.end = close + 2;
					k = skip_blanks(t, r.end);
				}
			}
		} else if (after < t.size() && is_space(t[after])) {
			size_t n = skip_blanks(t, after);
			if (n - after >= 2 || n == t.size()) {
				r.kind |= kLevel;
				r.end = after;
				k = n;
			} else if (stamped) {
				// threadtime: "E Tag: "
				size_t e = token_end(t, n);
				r.kind |= kLevel;
				r.end = after;
				if (e > n && t[e - 1] == ':')
					r.end = e;
				k = skip_blanks(t, r.end);
			}
		}
	}
	if (r.kind == 0)
		return LogPrefix{};
	r.gap = skip_blanks(t, r.end) - r.end;
	return r;
}

namespace {

// Rule 0 (preclean.hpp).
void
strip_log_prefixes(std::vector<std::string_view> &lines, const Cancel &cancel)
{
	// A quick look first: the first non-blank lines must carry one.
	size_t first = next_nonblank(lines, 0, cancel);
	if (first == lines.size())
		return;
	bool any = false;
	for (size_t i = first, seen = 0; i < lines.size() && seen < 3; i = next_nonblank(lines, i + 1, cancel), seen++) {
		if (log_prefix(lines[i]).kind != 0) {
			any = true;
			break;
		}
	}
	if (!any)
		return;
	std::vector<LogPrefix> found(lines.size());
	size_t nonblank = 0;
	unsigned kinds[8] = {};
	size_t counts[8] = {};
	for (size_t i = 0; i < lines.size(); i++) {
		if ((i & 0x3FF) == 0x3FF)
			cancel.poll();
		if (trim(lines[i]).empty())
			continue;
		nonblank++;
		found[i] = log_prefix(lines[i]);
		if (found[i].kind == 0)
			continue;
		for (size_t k = 0; k < 8; k++) {
			if (counts[k] == 0 || kinds[k] == found[i].kind) {
				kinds[k] = found[i].kind;
				counts[k]++;
				break;
			}
		}
	}
	// the most common kind on four lines in five, and on two lines at least
	size_t best = 0;
	for (size_t k = 1; k < 8; k++)
		if (counts[k] > counts[best])
			best = k;
	if (counts[best] < 2 || counts[best] * 5 < nonblank * 4)
		return;
	// the white space every such line has after its prefix is the collector's
	size_t gap = SIZE_MAX;
	for (size_t i = 0; i < lines.size(); i++) {
		if (found[i].kind == kinds[best] && found[i].end + found[i].gap < lines[i].size())
			gap = std::min(gap, found[i].gap);
	}
	if (gap == SIZE_MAX)
		gap = 0;
	for (size_t i = 0; i < lines.size(); i++) {
		if (found[i].kind == 0)
			continue;
		lines[i] = lines[i].substr(found[i].end + std::min(gap, found[i].gap));
	}
}

// ---- rule 5: Google Play Console's JVM frames -----------------------------

// A JVM frame's location: "Foo.java:12", "Foo.kt", "Unknown Source",
// "Unknown Source:4", "Native Method", "SourceFile:7", "D8$$SyntheticClass:0".
bool
jvm_location(std::string_view loc)
{
	size_t colon = loc.rfind(':');
	if (colon != std::string_view::npos) {
		if (colon + 1 == loc.size() || !all_digits(loc.substr(colon + 1)))
			return false;
		loc = loc.substr(0, colon);
	}
	if (loc == "Unknown Source" || loc == "Native Method" || loc == "SourceFile" || loc == "D8$$SyntheticClass")
		return true;
	for (std::string_view ext : {std::string_view(".java"), std::string_view(".kt"), std::string_view(".scala"),
	                             std::string_view(".groovy"), std::string_view(".clj")}) {
		if (loc.size() > ext.size() && ends_with(loc, ext)) {
			for (char c : loc.substr(0, loc.size() - ext.size()))
				if (!is_ident(c) && c != '-')
					return false;
			return true;
		}
	}
	return false;
}

// A qualified JVM method name: "a.b.C.m", "a.B$1.invoke", "a.B.<init>".
bool
jvm_qualified(std::string_view name)
{
	if (name.size() < 3 || name.find('.') == std::string_view::npos || name.front() == '.' || name.back() == '.')
		return false;
	for (char c : name)
		if (!is_ident(c) && c != '.' && c != '<' && c != '>' && c != '/' && c != '-' && c != '@')
			return false;
	return true;
}

// Whether a frame line's end can be a JVM location: "...java:12)",
// "...kt)", "Unknown Source)", "Native Method)" (one look at its last bytes;
// Node's "x.js:1:2)" is not).
bool
jvm_location_end(std::string_view t)
{
	if (t.size() < 6 || t.back() != ')')
		return false;
	size_t e = t.size() - 1;
	while (e > 0 && is_digit(t[e - 1]))
		e--;
	std::string_view name = t.substr(0, e < t.size() - 1 && e > 0 && t[e - 1] == ':' ? e - 1 : t.size() - 1);
	for (std::string_view end : {std::string_view(".java"), std::string_view(".kt"), std::string_view(".scala"),
	                             std::string_view(".groovy"), std::string_view(".clj"), std::string_view("Source"),
	                             std::string_view("Method"), std::string_view("SourceFile"),
	                             std::string_view("SyntheticClass")})
		if (ends_with(name, end))
			return true;
	return false;
}

// "<ws>at a.b.C.m (C.java:12)": the offset of the space before '(', or 0.
size_t
play_frame_space(std::string_view line)
{
	std::string_view t = rtrim(line);
	if (!jvm_location_end(t))
		return 0;
	size_t at = t.size() - ltrim(t).size();
	if (!starts_with(t.substr(at), "at ") || t.empty() || t.back() != ')')
		return 0;
	size_t open = t.find(" (", at + 3);
	if (open == std::string_view::npos || !jvm_qualified(t.substr(at + 3, open - at - 3)))
		return 0;
	return jvm_location(t.substr(open + 2, t.size() - open - 3)) ? open : 0;
}

// "<ws>at a.b.C.m" with no location (the Play Console drops "Native Method").
bool
play_bare_frame(std::string_view line)
{
	std::string_view t = trim(line);
	return starts_with(t, "at ") && jvm_qualified(t.substr(3)) && t.substr(3).find('.') != t.substr(3).rfind('.');
}

// ---- rule 6: Unity's console frames ---------------------------------------

// "Type:Method (args)", with " (at path:N)" after it or not; Unity prints
// nested types with '/' ("Outer/<Run>d__4:MoveNext ()"); also "Ns.Type.Method
// (args)" (the engine's own frames, as "UnityEngine.Component.get_gameObject
// ()").  0: neither; 1: the dotted form; 2: the colon form.  Writes the .NET
// form, "  at Type.Method (args) (at path:N)", to `out` when given.
int
unity_frame(std::string_view line, std::string *out)
{
	std::string_view t = trim(line);
	if (t.size() < 5 || t.back() != ')' || starts_with(t, "at "))
		return 0;
	size_t open = t.find('(');
	if (open == std::string_view::npos || open < 3 || t[open - 1] != ' ')
		return 0;
	std::string_view name = t.substr(0, open - 1);
	size_t close = t.find(')', open);
	if (close == std::string_view::npos || t.substr(open + 1, close - open - 1).find('(') != std::string_view::npos)
		return 0;
	std::string_view rest = t.substr(close + 1);
	if (!rest.empty() && !(starts_with(rest, " (at ") && rest.find(':') != std::string_view::npos))
		return 0;
	// the qualified name: identifiers, '.', '/', '`', generics, Roslyn's names
	size_t colon = std::string_view::npos;
	int angle = 0;
	for (size_t k = 0; k < name.size(); k++) {
		char c = name[k];
		if (c == '<')
			angle++;
		else if (c == '>')
			angle--;
		else if (c == ':' && angle == 0)
			colon = k;
		else if (!is_ident(c) && c != '.' && c != '/' && c != '`' && c != '[' && c != ']' && c != ',' && c != '|' &&
		         c != '+')
			return 0;
	}
	// a name starts with a letter, '_' or '<' (not a path: "/src/x.go:12 (0x4b)")
	auto name_start = [](char c) { return is_alpha(c) || c == '_' || c == '<' || c == '.'; };
	if (!name_start(name.front()) || name.front() == '.')
		return 0;
	if (colon == std::string_view::npos) {
		if (name.find('.') == std::string_view::npos || name.back() == '.')
			return 0;
	} else if (colon + 1 == name.size() || !name_start(name[colon + 1])) {
		return 0;
	}
	if (out) {
		out->assign("  at ");
		for (size_t k = 0; k < name.size(); k++)
			out->push_back(k == colon || name[k] == '/' ? '.' : name[k]);
		out->append(t.substr(open - 1));
	}
	return colon == std::string_view::npos ? 1 : 2;
}

// A rebuilt line list: lines kept as they are, or new text appended to one
// side buffer (views taken once it is complete).
class Rebuild {
public:
	explicit Rebuild(std::forward_list<std::string> &side) : out_(side.emplace_front()) {}
	void keep(std::string_view l) { items_.push_back({l, 0, 0, false}); }
	void add(std::initializer_list<std::string_view> parts)
	{
		size_t at = out_.size();
		for (std::string_view p : parts)
			out_.append(p);
		items_.push_back({{}, at, out_.size() - at, true});
	}
	void finish(std::vector<std::string_view> &lines)
	{
		std::vector<std::string_view> r;
		r.reserve(items_.size());
		for (const Item &i : items_)
			r.push_back(i.added ? std::string_view(out_).substr(i.at, i.len) : i.kept);
		lines.swap(r);
	}

private:
	struct Item {
		std::string_view kept;
		size_t at, len;
		bool added;
	};
	std::string &out_;
	std::vector<Item> items_;
};

// ---- rule 7: gin's Recovery middleware ------------------------------------

// "/path/file.go:45 (0x65dc77)": the path and "path:line", or false.
bool
gin_frame_line(std::string_view l, std::string_view &location)
{
	std::string_view t = rtrim(l);
	if (t.empty() || is_space(t[0]) || t.back() != ')')
		return false;
	size_t open = rfind_str(t, " (0x");
	if (open == std::string_view::npos || open + 5 >= t.size())
		return false;
	for (char c : t.substr(open + 4, t.size() - open - 5))
		if (!is_hex(c))
			return false;
	std::string_view loc = t.substr(0, open);
	size_t colon = rfind_char(loc, ':');
	if (colon == std::string_view::npos || colon + 1 == loc.size() || !all_digits(loc.substr(colon + 1)))
		return false;
	std::string_view file = loc.substr(0, colon);
	if (!ends_with(file, ".go") && !ends_with(file, ".s"))
		return false;
	location = loc;
	return true;
}

// The import path of the package a Go file belongs to: after the module
// cache ("/pkg/mod/github.com/gin-gonic/gin@v1.7.4/context.go": without the
// version), after the last "/src/" of a GOROOT or GOPATH ("runtime",
// "net/http", "acme.io/shop"), else "_/<directory>" (Go's own name for a
// package outside GOPATH, here only the last directory: the install path
// above it differs per deploy).
std::string
go_import_path(std::string_view file)
{
	std::string buf;
	std::string_view p = slashes_view(file, buf);
	size_t slash = rfind_char(p, '/');
	std::string_view dir = slash == std::string_view::npos ? std::string_view() : p.substr(0, slash);
	size_t mod = rfind_str(dir, "/pkg/mod/");
	if (mod != std::string_view::npos) {
		std::string r;
		std::string_view rest = dir.substr(mod + 9);
		while (!rest.empty()) {
			size_t s = rest.find('/');
			std::string_view seg = rest.substr(0, s);
			size_t at = seg.find('@');
			if (!r.empty())
				r.push_back('/');
			r.append(seg.substr(0, at));
			rest = s == std::string_view::npos ? std::string_view() : rest.substr(s + 1);
		}
		return r;
	}
	size_t src = rfind_str(dir, "/src/");
	if (src != std::string_view::npos)
		return std::string(dir.substr(src + 5));
	return "_/" + std::string(basename(dir));
}

// Rule 7 (preclean.hpp): gin's "[Recovery] ... panic recovered:" block as
// Go's own panic dump.  Returns true when it rewrote `lines`.
bool
rewrite_gin_recovery(std::vector<std::string_view> &lines, std::forward_list<std::string> &side, const Cancel &cancel)
{
	size_t header = lines.size();
	for (size_t i = 0; i < lines.size() && i < 64; i++) {
		std::string_view t = trim(lines[i]);
		if (ends_with(t, "panic recovered:") && t.find("[Recovery] ") != std::string_view::npos) {
			header = i;
			break;
		}
	}
	if (header == lines.size())
		return false;
	size_t i = header + 1;
	// debug mode: the request ("GET /orders/17 HTTP/1.1", its headers) up to a blank line
	if (i < lines.size()) {
		std::string_view t = trim(lines[i]);
		size_t sp = t.find(' ');
		if (sp != std::string_view::npos && sp > 0 && t.find(" HTTP/") != std::string_view::npos) {
			bool method = true;
			for (char c : t.substr(0, sp))
				method = method && c >= 'A' && c <= 'Z';
			if (method)
				while (i < lines.size() && !trim(lines[i]).empty())
					i++;
		}
	}
	while (i < lines.size() && trim(lines[i]).empty())
		i++;
	std::vector<std::string_view> message;
	std::string_view loc;
	while (i < lines.size() && !gin_frame_line(lines[i], loc)) {
		message.push_back(lines[i]);
		i++;
	}
	if (message.empty() || i == lines.size())
		return false;
	Rebuild rb(side);
	for (size_t k = 0; k < header; k++)
		rb.keep(lines[k]);
	rb.add({"panic: ", trim(message[0])});
	rb.add({});
	rb.add({"goroutine 1 [running]:"});
	size_t end = i;
	while (end < lines.size()) {
		if ((end & 0x3FF) == 0x3FF)
			cancel.poll();
		if (!gin_frame_line(lines[end], loc))
			break;
		std::string_view file = loc.substr(0, rfind_char(loc, ':'));
		std::string pkg = go_import_path(file);
		// "\tfunction: source line" when gin could read the source
		std::string_view fn;
		if (end + 1 < lines.size() && !lines[end + 1].empty() && is_space(lines[end + 1][0])) {
			std::string_view next = trim(lines[end + 1]);
			size_t colon = next.find(": ");
			if (colon == std::string_view::npos && ends_with(next, ":"))
				colon = next.size() - 1;
			if (colon != std::string_view::npos && colon > 0 && next.substr(0, colon).find(' ') == std::string_view::npos)
				fn = next.substr(0, colon);
		}
		std::string_view base = basename(file);
		std::string fn_buf;
		if (fn.empty()) {  // the file's name stands for the unknown function
			fn_buf.assign(base.substr(0, base.rfind('.')));
			fn = fn_buf;
		}
		rb.add({pkg, ".", fn, "(...)"});
		rb.add({"\t", loc});
		end += fn_buf.empty() ? 2 : 1;
	}
	for (; end < lines.size(); end++)
		rb.keep(lines[end]);
	rb.finish(lines);
	return true;
}

// ---- rule 8: Monolog's normalised exception (Laravel's laravel.log) --------

// JSON string escapes undone: \\ \" \/ \n \r \t (\uXXXX is kept as it is).
void
json_unescape_into(std::string_view in, std::string &out)
{
	for (size_t i = 0; i < in.size(); i++) {
		char c = in[i];
		if (c != '\\' || i + 1 == in.size()) {
			out.push_back(c);
			continue;
		}
		char n = in[++i];
		switch (n) {
		case 'n': out.push_back('\n'); break;
		case 'r': break;
		case 't': out.push_back('\t'); break;
		case '\\': case '"': case '/': out.push_back(n); break;
		default: out.push_back('\\'); out.push_back(n); break;
		}
	}
}

// "Type(code: 23000): message at /path/file.php:20)" (after "[object] ("):
// type, message and "file:line".
bool
monolog_header(std::string_view h, std::string_view &type, std::string_view &message, std::string_view &location)
{
	h = rtrim(h);
	if (h.empty() || h.back() != ')')
		return false;
	h.remove_suffix(1);
	size_t code = h.find("(code: ");
	if (code == std::string_view::npos || code == 0)
		return false;
	size_t close = h.find("): ", code);
	size_t at = rfind_str(h, " at ");
	if (close == std::string_view::npos || at == std::string_view::npos || at < close)
		return false;
	location = h.substr(at + 4);
	size_t colon = rfind_char(location, ':');
	if (colon == std::string_view::npos || !all_digits(location.substr(colon + 1)))
		return false;
	type = h.substr(0, code);
	message = h.substr(close + 3, at - close - 3);
	return type.find(' ') == std::string_view::npos;
}

// Rule 8 (preclean.hpp): rewrites the exception Monolog's LineFormatter
// logged ("... {"exception":"[object] (T(code: C): m at f:l)", its
// "[stacktrace]", each "[previous exception] [object] (...)") into PHP's own
// text, innermost first and "Next " before each outer one.  Returns true when
// it rewrote `lines`.
bool
rewrite_monolog(std::vector<std::string_view> &lines, std::forward_list<std::string> &side, const Cancel &cancel)
{
	static constexpr std::string_view kStart = "\"exception\":\"[object] (";
	size_t first = lines.size(), start = 0;
	for (size_t i = 0; i < lines.size() && i < 64; i++) {
		size_t k = lines[i].find(kStart);
		if (k != std::string_view::npos) {
			first = i;
			start = k + 13;  // at "[object] ("
			break;
		}
	}
	if (first == lines.size())
		return false;
	// the JSON string: to a line that closes the context ("} or "},...)
	std::string &text = side.emplace_front();
	size_t end = first;
	for (; end < lines.size(); end++) {
		if ((end & 0x3FF) == 0x3FF)
			cancel.poll();
		std::string_view l = end == first ? lines[end].substr(start) : lines[end];
		size_t close = l.find("\"}");
		if (end != first)
			text.push_back('\n');
		json_unescape_into(close == std::string_view::npos ? l : l.substr(0, close), text);
		if (close != std::string_view::npos)
			break;
	}
	if (end == lines.size())
		end = lines.size() - 1;
	struct Block {
		std::string_view type, message, location;
		std::vector<std::string_view> frames;
	};
	std::vector<Block> blocks;
	std::string_view rest = text, pending;
	while (!rest.empty()) {
		size_t nl = rest.find('\n');
		std::string_view l = rest.substr(0, nl);
		rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
		std::string_view t = trim(l);
		if (putil::eat(t, "[previous exception] "))
			t = ltrim(t);
		if (starts_with(t, "[object] (")) {
			pending = t.substr(10);
		} else if (!pending.empty() && !starts_with(t, "[stacktrace]") && !starts_with(t, "#")) {
			// the message went on over more lines: the header is the text from
			// "[object] (" to this line's end
			pending = std::string_view(pending.data(), size_t(t.data() + t.size() - pending.data()));
		}
		if (!pending.empty()) {
			Block b;
			if (monolog_header(pending, b.type, b.message, b.location)) {
				blocks.push_back(b);
				pending = {};
			}
			continue;
		}
		if (starts_with(t, "#") && !blocks.empty())
			blocks.back().frames.push_back(t);
	}
	if (blocks.empty())
		return false;
	Rebuild rb(side);
	for (size_t k = 0; k < first; k++)
		rb.keep(lines[k]);
	for (size_t b = blocks.size(); b-- > 0;) {
		const Block &x = blocks[b];
		// a message of several lines: its lines, the location after the last
		std::string_view msg = x.message;
		size_t nl;
		bool head = true;
		const std::string_view next = b + 1 == blocks.size() ? "" : "Next ";
		while ((nl = msg.find('\n')) != std::string_view::npos) {
			if (head)
				rb.add({next, x.type, ": ", msg.substr(0, nl)});
			else
				rb.add({msg.substr(0, nl)});
			msg = msg.substr(nl + 1);
			head = false;
		}
		if (head)
			rb.add({next, x.type, ": ", msg, " in ", x.location});
		else
			rb.add({msg, " in ", x.location});
		rb.add({"Stack trace:"});
		for (std::string_view f : x.frames)
			rb.keep(f);
		rb.add({});
	}
	for (size_t k = end + 1; k < lines.size(); k++)
		rb.keep(lines[k]);
	rb.finish(lines);
	return true;
}

// ---- rules 9 and 10: IPython's and pytest's tracebacks ---------------------

// A function as IPython prints it, "parse_qty(field)" -> "parse_qty".
std::string_view
ipython_function(std::string_view f)
{
	f = trim(f);
	size_t paren = f.find('(');
	return trim(paren == std::string_view::npos ? f : f.substr(0, paren));
}

// IPython's source context line: "      1 def f():", "----> 3     return x",
// "--> 346     return ...", "   (...)".
bool
ipython_context_line(std::string_view l)
{
	std::string_view t = ltrim(l);
	if (t == "(...)")
		return true;
	while (!t.empty() && t[0] == '-')
		t.remove_prefix(1);
	if (!t.empty() && t[0] == '>')
		t.remove_prefix(1);
	t = ltrim(t);
	size_t d = 0;
	while (d < t.size() && is_digit(t[d]))
		d++;
	return d > 0 && (d == t.size() || t[d] == ' ');
}

// Rule 9 (preclean.hpp): IPython's traceback as Python's.
bool
rewrite_ipython(std::vector<std::string_view> &lines, std::forward_list<std::string> &side, const Cancel &cancel)
{
	// "TYPE    Traceback (most recent call last)" (Context/Verbose mode), or a
	// "Cell In [N], line M" frame (any mode)
	bool found = false;
	for (size_t i = 0; i < lines.size() && i < 64 && !found; i++) {
		std::string_view t = trim(lines[i]);
		found = (ends_with(t, "Traceback (most recent call last)") && t.find("  ") != std::string_view::npos) ||
		        starts_with(t, "Cell In [") || starts_with(t, "Cell In[");
	}
	if (!found)
		return false;
	Rebuild rb(side);
	for (size_t i = 0; i < lines.size(); i++) {
		if ((i & 0x3FF) == 0x3FF)
			cancel.poll();
		std::string_view l = lines[i];
		std::string_view t = trim(l);
		if (t.size() >= 20 && t.find_first_not_of('-') == std::string_view::npos)
			continue;  // the rule above the header
		if (ends_with(t, "Traceback (most recent call last)") && t.find("  ") != std::string_view::npos) {
			rb.add({"Traceback (most recent call last):"});
			continue;
		}
		// "Cell In [5], line 2", "Cell In [2], line 3, in parse_qty(field)", Plain: "... line 3 in f"
		if (starts_with(t, "Cell In")) {
			size_t line_at = t.find(", line ");
			if (line_at != std::string_view::npos) {
				std::string_view rest = t.substr(line_at + 7);
				size_t d = 0;
				while (d < rest.size() && is_digit(rest[d]))
					d++;
				std::string_view num = rest.substr(0, d), after = rest.substr(d);
				std::string_view fn = "<module>";
				if (starts_with(after, ", in "))
					fn = ipython_function(after.substr(5));
				else if (starts_with(after, " in "))
					fn = ipython_function(after.substr(4));
				if (d > 0) {
					rb.add({"  File \"<cell>\", line ", num, ", in ", fn});
					continue;
				}
			}
		}
		// "File /path/orders.py:8, in load_order(text)"
		if (starts_with(t, "File ") && t.find(", in ") != std::string_view::npos && t[5] != '"') {
			size_t in = t.find(", in ");
			std::string_view loc = t.substr(5, in - 5);
			size_t colon = rfind_char(loc, ':');
			if (colon != std::string_view::npos && all_digits(loc.substr(colon + 1))) {
				rb.add({"  File \"", loc.substr(0, colon), "\", line ", loc.substr(colon + 1), ", in ",
				        ipython_function(t.substr(in + 5))});
				continue;
			}
		}
		// IPython <= 7: "<ipython-input-4-943c00a16a5e> in <module>", "/path/x.py in f(a)"
		size_t in = t.find(" in ");
		if (in != std::string_view::npos && (starts_with(t, "<ipython-input-") || ends_with(t.substr(0, in), ".py")) &&
		    t.substr(0, in).find(' ') == std::string_view::npos) {
			std::string_view file = starts_with(t, "<ipython-input-") ? "<cell>" : t.substr(0, in);
			rb.add({"  File \"", file, "\", line 0, in ", ipython_function(t.substr(in + 4))});
			continue;
		}
		if (ipython_context_line(l))
			continue;
		rb.keep(l);
	}
	rb.finish(lines);
	return true;
}

// pytest's "path/to/file.py:12: in func" / "path/to/file.py:12: " / "...: Type":
// the path, the line and what follows ": ".
bool
pytest_location(std::string_view t, std::string_view &path, std::string_view &num, std::string_view &after)
{
	size_t sep = t.find(": ");
	if (sep == std::string_view::npos && ends_with(t, ":"))
		sep = t.size() - 1;
	if (sep == std::string_view::npos)
		return false;
	std::string_view loc = t.substr(0, sep);
	size_t colon = rfind_char(loc, ':');
	if (colon == std::string_view::npos || colon == 0 || !all_digits(loc.substr(colon + 1)) ||
	    loc.find(' ') != std::string_view::npos)
		return false;
	path = loc.substr(0, colon);
	if (!ends_with(path, ".py"))
		return false;
	num = loc.substr(colon + 1);
	after = sep + 2 <= t.size() ? t.substr(sep + 2) : std::string_view();
	return true;
}

// Rule 10 (preclean.hpp): pytest's failure report as Python's traceback.
bool
rewrite_pytest(std::vector<std::string_view> &lines, std::forward_list<std::string> &side, const Cancel &cancel)
{
	auto test_header = [](std::string_view t) {
		return t.size() > 8 && starts_with(t, "___") && ends_with(t, "___") && t.find(" ") != std::string_view::npos &&
		       t.find("_ _") == std::string_view::npos;
	};
	size_t first = lines.size();
	for (size_t i = 0; i < lines.size() && i < 64; i++)
		if (test_header(trim(lines[i]))) {
			first = i;
			break;
		}
	if (first == lines.size())
		return false;
	Rebuild rb(side);
	for (size_t i = 0; i < first; i++)
		rb.keep(lines[i]);
	std::vector<std::string_view> error;  // the "E   ..." lines: the exception, printed last
	std::string_view def;                  // the last "def name(" of a source block
	auto flush = [&]() {
		for (size_t k = 0; k < error.size(); k++)
			rb.keep(error[k]);
		error.clear();
	};
	for (size_t i = first; i < lines.size(); i++) {
		if ((i & 0x3FF) == 0x3FF)
			cancel.poll();
		std::string_view t = trim(lines[i]);
		if (test_header(t)) {
			flush();
			rb.add({"Traceback (most recent call last):"});
			def = {};
			continue;
		}
		if (starts_with(t, "E ") || t == "E") {
			std::string_view e = ltrim(t.substr(1));
			error.push_back(e);
			continue;
		}
		std::string_view path, num, after;
		if (pytest_location(t, path, num, after)) {
			std::string_view fn = starts_with(after, "in ") ? trim(after.substr(3)) : def;
			rb.add({"  File \"", path, "\", line ", num, ", in ", fn.empty() ? std::string_view("<module>") : fn});
			def = {};
			continue;
		}
		// source lines: remember the function they belong to
		std::string_view src = t;
		if (starts_with(src, ">"))
			src = ltrim(src.substr(1));
		if (starts_with(src, "def ") || starts_with(src, "async def ")) {
			src = src.substr(src.find("def ") + 4);
			def = src.substr(0, src.find('('));
		}
	}
	flush();
	rb.finish(lines);
	return true;
}

// ---- rule 11: PHP's fatal error flattened onto one line, or behind nginx ---

// Rule 11 (preclean.hpp).
bool
rewrite_php_flattened(std::vector<std::string_view> &lines, std::forward_list<std::string> &side, const Cancel &cancel)
{
	Rebuild rb(side);
	bool changed = false;
	for (size_t i = 0; i < lines.size(); i++) {
		if ((i & 0x3FF) == 0x3FF)
			cancel.poll();
		std::string_view l = lines[i];
		// nginx: '<time> [error] <pid>#<tid>: *<n> FastCGI sent in stderr: "PHP
		// message: PHP Fatal error:  Uncaught ...' ... '" while reading response
		// header from upstream, client: ...'
		size_t fcgi = l.find("FastCGI sent in stderr: \"");
		if (fcgi != std::string_view::npos) {
			l = l.substr(fcgi + 25);
			size_t msg = l.find("PHP message: ");
			if (msg != std::string_view::npos)
				l = l.substr(msg + 13);
			changed = true;
		}
		size_t tail = l.find("\" while ");
		if (tail != std::string_view::npos && (tail > 0 || fcgi == std::string_view::npos)) {
			l = l.substr(0, tail);
			changed = true;
		}
		size_t st = l.find(" Stack trace: #");
		if (st == std::string_view::npos) {
			rb.keep(l);
			continue;
		}
		changed = true;
		// the header: from "Uncaught " (display_errors' "Fatal error: ", a
		// recovery e-mail's prose before it)
		std::string_view head = l.substr(0, st);
		size_t unc = head.find("Uncaught ");
		if (unc != std::string_view::npos)
			rb.add({"PHP Fatal error:  ", head.substr(unc)});
		else
			rb.keep(head);
		rb.add({"Stack trace:"});
		std::string_view rest = l.substr(st + 14);  // at "#0 ..."
		std::string_view thrown;
		size_t th = rest.find(" thrown in ");
		if (th != std::string_view::npos) {
			thrown = rest.substr(th + 1);
			rest = rest.substr(0, th);
		}
		// frames: split before each " #<digits> "
		size_t from = 0;
		for (size_t k = 1; k + 2 < rest.size(); k++) {
			if (rest[k] != '#' || rest[k - 1] != ' ' || !is_digit(rest[k + 1]))
				continue;
			size_t d = k + 1;
			while (d < rest.size() && is_digit(rest[d]))
				d++;
			if (d < rest.size() && rest[d] != ' ')
				continue;
			rb.keep(rtrim(rest.substr(from, k - from)));
			from = k;
		}
		rb.keep(rtrim(rest.substr(from)));
		if (!thrown.empty())
			rb.add({"  ", thrown});
	}
	if (changed)
		rb.finish(lines);
	return changed;
}

// ---- rule 16: a V8 stack flattened onto one line -------------------------

// "f (loc:3:9)", "loc:3:9", "f (<anonymous>)" — a V8 frame's text after "at ".
// rule 18: a numbered frame of V8's native stack trace: " 1: 0xb78db3
// node::OOMErrorHandler(...) [node]" (Linux, macOS), " 1: 00007FF71AD3B106
// node::OnFatalError+1318" (Windows).
// Rule 22 (preclean.hpp): Rich's traceback (Python's rich library: a box
// "╭── Traceback (most recent call last) ──╮", per frame "│ PATH:LINE in
// FUNC │" — FUNC wrapped onto the next line when the box is narrow — then
// source lines and locals, "╰──╯", then "Type: message"; chained boxes
// between "The above exception was ..." lines, which wrap too) as Python
// prints it.  Returns true when it rewrote `lines`.
constexpr std::string_view kRichTop = "\xE2\x95\xAD";     // ╭
constexpr std::string_view kRichBottom = "\xE2\x95\xB0";  // ╰
constexpr std::string_view kBoxSide = "\xE2\x94\x82";     // │ (Rich's box side, loguru's bar)

bool
rich_frame(std::string_view c, std::string_view &path, std::string_view &line, std::string_view &func)
{
	// "PATH:LINE in FUNC" (FUNC empty when wrapped); PATH a file's
	size_t in = c.find(" in ");
	bool wrapped = false;
	if (in == std::string_view::npos) {
		if (!ends_with(c, " in"))
			return false;
		in = c.size() - 3;
		wrapped = true;
	}
	size_t colon = c.rfind(':', in);
	if (colon == std::string_view::npos || colon == 0 || colon + 1 >= in)
		return false;
	for (size_t k = colon + 1; k < in; k++)
		if (!is_digit(c[k]))
			return false;
	path = c.substr(0, colon);
	if (path.find('/') == std::string_view::npos && path.find('\\') == std::string_view::npos && !ends_with(path, ".py"))
		return false;
	if (path.find(' ') != std::string_view::npos && path.find('/') == std::string_view::npos)
		return false;
	line = c.substr(colon + 1, in - colon - 1);
	func = wrapped ? std::string_view() : trim(c.substr(in + 4));
	return true;
}

bool
rewrite_rich_traceback(std::vector<std::string_view> &lines, std::forward_list<std::string> &side, const Cancel &cancel)
{
	std::vector<std::string_view> out;
	bool in_box = false, frames = false;
	std::string carry;  // a frame's header wrapped by the box: its start so far
	int carried = 0;
	auto emit = [&](std::string_view path, std::string_view line, std::string_view func) {
		side.emplace_front(std::string("  File \"").append(path).append("\", line ").append(line).append(", in ").append(func));
		out.push_back(side.front());
		frames = true;
	};
	auto path_start = [](std::string_view c) {
		return starts_with(c, "/") || starts_with(c, "~/") || starts_with(c, "./") ||
		       (c.size() > 2 && is_alpha(c[0]) && c[1] == ':' && c[2] == '\\') || c.find(".py") != std::string_view::npos;
	};
	for (size_t i = 0; i < lines.size(); i++) {
		if ((i & 0x3FF) == 0x3FF)
			cancel.poll();
		std::string_view t = trim(lines[i]);
		if (!in_box) {
			if (starts_with(t, kRichTop) && t.find("Traceback (most recent call last)") != std::string_view::npos) {
				out.push_back("Traceback (most recent call last):");
				in_box = true;
				carry.clear();
				continue;
			}
			// a chain's sentence wrapped at the console's width
			if ((starts_with(t, "The above exception was") || starts_with(t, "During handling of the above")) &&
			    !ends_with(t, ":") && i + 1 < lines.size()) {
				side.emplace_front(std::string(t).append(" ").append(trim(lines[i + 1])));
				out.push_back(side.front());
				i++;
				continue;
			}
			out.push_back(lines[i]);
			continue;
		}
		if (starts_with(t, kRichBottom)) {
			in_box = false;
			continue;
		}
		// the box's content: between its sides
		if (starts_with(t, kBoxSide))
			t = t.substr(kBoxSide.size());
		if (ends_with(t, kBoxSide))
			t = t.substr(0, t.size() - kBoxSide.size());
		t = trim(t);
		std::string_view path, line, func;
		if (!carry.empty()) {
			// a wrapped header goes on: after " in" the function (a space
			// was the break), else the path or number cut anywhere
			if (!t.empty() && !starts_with(t, kBoxSide) && !starts_with(t, kRichTop)) {
				std::string cand = carry;
				if (ends_with(cand, " in"))
					cand.push_back(' ');
				cand.append(t);
				carry.clear();
				if (rich_frame(cand, path, line, func)) {
					if (!func.empty())
						emit(path, line, func);  // (copies the views into `cand`)
					else
						carry = std::move(cand);
					continue;
				}
				if (++carried < 3 && cand.size() < 1024 && cand.find(" in ") == std::string::npos) {
					carry = std::move(cand);
					continue;
				}
			}
			carry.clear();
		}
		carried = 0;
		if (t.empty())
			continue;
		if (rich_frame(t, path, line, func)) {
			if (func.empty())
				carry.assign(t);
			else
				emit(path, line, func);
			continue;
		}
		if (path_start(t) && t.find(" in ") == std::string_view::npos && t.find(' ') == std::string_view::npos)
			carry.assign(t);  // a path cut by the box's edge
	}
	if (!frames)
		return false;
	lines.swap(out);
	return true;
}

// Rule 23 (preclean.hpp): loguru's traceback (backtrace=True: "> File" marks
// the frame that caught the exception; diagnose=True: each source line's
// variables annotated on lines of "│" and "└ value"): Python's form, the
// marker a space, the annotation lines dropped.
constexpr std::string_view kLoguruLast = "\xE2\x94\x94 ";  // └ + space

void
rewrite_loguru(std::vector<std::string_view> &lines, std::forward_list<std::string> &side, const Cancel &cancel)
{
	std::vector<std::string_view> out;
	out.reserve(lines.size());
	for (size_t i = 0; i < lines.size(); i++) {
		if ((i & 0x3FF) == 0x3FF)
			cancel.poll();
		std::string_view l = lines[i];
		std::string_view t = trim(l);
		if (starts_with(t, kBoxSide) || starts_with(t, kLoguruLast))
			continue;  // "│   └ ['12', 'x9']"
		if (starts_with(t, "> File \"")) {
			side.emplace_front(std::string("  ").append(t.substr(2)));
			out.push_back(side.front());
			continue;
		}
		out.push_back(l);
	}
	lines.swap(out);
}

// Rule 21 (preclean.hpp): .NET's stack overflow print ("Stack overflow.",
// "Repeat 19188 times:" or "Repeated ...", the repeated frames between dashed
// rules, then the rest) as an exception: "System.StackOverflowException:
// Stack overflow." and every frame once.  Returns true when it rewrote.
bool
rewrite_dotnet_overflow(std::vector<std::string_view> &lines, size_t header, const Cancel &cancel)
{
	size_t i = next_nonblank(lines, header + 1, cancel);
	if (i >= lines.size())
		return false;
	std::string_view r = trim(lines[i]);
	if (!(starts_with(r, "Repeat ") || starts_with(r, "Repeated ")) || !ends_with(r, " times:"))
		return false;
	std::vector<std::string_view> out = {"System.StackOverflowException: Stack overflow."};
	for (i++; i < lines.size(); i++) {
		if ((i & 0x3FF) == 0x3FF)
			cancel.poll();
		std::string_view t = trim(lines[i]);
		if (t.empty() || (t.find_first_not_of('-') == std::string_view::npos))
			continue;  // the dashed rules around the repeated frames
		if (!starts_with(t, "at "))
			break;
		out.push_back(lines[i]);
	}
	if (out.size() < 2)
		return false;
	lines.swap(out);
	return true;
}

// `t` with XML's "&lt;", "&gt;" and "&amp;" as the characters they stand for.
std::string
xml_unescape(std::string_view t)
{
	std::string u;
	u.reserve(t.size());
	for (size_t k = 0; k < t.size(); k++) {
		if (t[k] == '&') {
			std::string_view rest = t.substr(k);
			if (starts_with(rest, "&lt;")) { u.push_back('<'); k += 3; continue; }
			if (starts_with(rest, "&gt;")) { u.push_back('>'); k += 3; continue; }
			if (starts_with(rest, "&amp;")) { u.push_back('&'); k += 4; continue; }
		}
		u.push_back(t[k]);
	}
	return u;
}

// Rule 20 (preclean.hpp): ASP.NET's health-monitoring event ("Event code:
// 3005", ..., "Exception information:", "Exception type: T", "Exception
// message: M" and its further lines, the "   at " frames, "Request
// information:" ...) as .NET prints the exception: "T: M", the message's
// other lines, the frames; HTML entities of an event viewed as XML
// ("&lt;Invoke&gt;d__0") unescaped in the frames.  Returns true when it
// rewrote `lines`.
bool
rewrite_aspnet_event(std::vector<std::string_view> &lines, size_t type_line, std::forward_list<std::string> &side,
                     const Cancel &cancel)
{
	std::string_view t = trim(lines[type_line]);
	if (type_line + 1 >= lines.size())
		return false;
	std::string_view m = trim(lines[type_line + 1]);
	if (!starts_with(m, "Exception message: "))
		return false;
	std::string_view type = trim(t.substr(16)), message = trim(m.substr(19));
	if (type.empty() || type.find(' ') != std::string_view::npos)
		return false;
	side.emplace_front(std::string(type).append(": ").append(message));
	std::vector<std::string_view> out = {side.front()};
	bool frames = false;
	for (size_t i = type_line + 2; i < lines.size(); i++) {
		if ((i & 0x3FF) == 0x3FF)
			cancel.poll();
		std::string_view l = trim(lines[i]);
		if (starts_with(l, "at ")) {
			frames = true;
			if (l.find('&') != std::string_view::npos) {
				side.emplace_front("   " + xml_unescape(l));
				out.push_back(side.front());
			} else {
				out.push_back(lines[i]);
			}
			continue;
		}
		if (frames || l.empty() || ends_with(l, "information:"))
			break;  // the frames end the exception; the next section starts
		out.push_back(lines[i]);  // the message's further lines ("Parameter name: x")
	}
	if (!frames)
		return false;
	lines.swap(out);
	return true;
}

// Rule 19 (preclean.hpp): Go's race detector report as a Go crash: "fatal
// error: data race", then the first access's stack as a goroutine's.
// Returns true when it rewrote `lines` (views into constants and the input).
bool
rewrite_go_race(std::vector<std::string_view> &lines, size_t warning, const Cancel &cancel)
{
	size_t i = next_nonblank(lines, warning + 1, cancel);
	if (i >= lines.size())
		return false;
	// "Read at 0x00c0000ac008 by goroutine 7:", "Write at ... by main goroutine:",
	// "Atomic write at ...", "Read at ... by goroutine 7 [...]" never: ends in ':'
	std::string_view access = trim(lines[i]);
	size_t at = access.find(" at 0x");
	if (at == std::string_view::npos || access.back() != ':' || access.find(" by ") == std::string_view::npos)
		return false;
	std::vector<std::string_view> out = {"fatal error: data race", "", "goroutine 1 [running]:"};
	for (i++; i < lines.size(); i++) {
		if ((i & 0x3FF) == 0x3FF)
			cancel.poll();
		std::string_view l = lines[i];
		std::string_view t = trim(l);
		if (t.empty())
			break;  // the access's stack ends at its blank line
		// "  main.(*Cart).add()" and "      /path/main.go:10 +0x75"
		out.push_back(t.front() == '/' || (t.size() > 2 && t[1] == ':' && (t[2] == '/' || t[2] == '\\'))
		                  ? std::string_view(l.data() + (l.size() - t.size()) - 1, t.size() + 1)  // keep one white space
		                  : t);
	}
	if (out.size() <= 3)
		return false;
	lines.swap(out);
	return true;
}

bool
v8_native_frame(std::string_view t)
{
	size_t k = 0;
	while (k < t.size() && is_digit(t[k]))
		k++;
	if (k == 0 || k + 2 >= t.size() || t[k] != ':' || t[k + 1] != ' ')
		return false;
	k += 2;
	if (t.compare(k, 2, "0x") == 0)
		k += 2;
	size_t h = k;
	while (h < t.size() && is_hex(t[h]))
		h++;
	return h - k >= 6 && (h == t.size() || t[h] == ' ');
}

bool
v8_frame_text(std::string_view p)
{
	p = rtrim(p);
	if (ends_with(p, "(<anonymous>)") || ends_with(p, "(native)"))
		return p.find(' ') != std::string_view::npos;
	if (!p.empty() && p.back() == ')') {
		size_t open = p.find(" (");
		if (open == std::string_view::npos || open == 0)
			return false;
		p = p.substr(open + 2, p.size() - open - 3);
	} else if (p.find(' ') != std::string_view::npos) {
		return false;
	}
	size_t c2 = p.rfind(':');
	if (c2 == std::string_view::npos || c2 + 1 == p.size())
		return false;
	size_t c1 = p.rfind(':', c2 - 1);
	return all_digits(p.substr(c2 + 1)) && c1 != std::string_view::npos && c1 + 1 < c2 &&
	       all_digits(p.substr(c1 + 1, c2 - c1 - 1));
}

// Rule 16 (preclean.hpp).  `line`: the index of the flattened line.
void
split_v8_flattened(std::vector<std::string_view> &lines, size_t line, std::forward_list<std::string> &side)
{
	std::string_view t = lines[line];
	std::vector<size_t> at;  // positions of " at " (a stack's worth: the rest stays in the last piece)
	for (size_t k = t.find(" at "); k != std::string_view::npos && at.size() < 1024; k = t.find(" at ", k + 4))
		at.push_back(k);
	size_t first = at.size(), frames = 0;
	for (size_t i = 0; i < at.size(); i++) {
		size_t end = i + 1 < at.size() ? at[i + 1] : t.size();
		if (v8_frame_text(t.substr(at[i] + 4, end - at[i] - 4))) {
			frames++;
			if (first == at.size())
				first = i;
		}
	}
	if (frames < 2)
		return;
	Rebuild rb(side);
	for (size_t i = 0; i < line; i++)
		rb.keep(lines[i]);
	rb.keep(rtrim(t.substr(0, at[first])));
	for (size_t i = first; i < at.size(); i++) {
		size_t end = i + 1 < at.size() ? at[i + 1] : t.size();
		rb.add({"    at ", rtrim(t.substr(at[i] + 4, end - at[i] - 4))});
	}
	for (size_t i = line + 1; i < lines.size(); i++)
		rb.keep(lines[i]);
	rb.finish(lines);
}

// ---- rule 17: .NET Framework's Chinese and Japanese frames ---------------

constexpr std::string_view kZhAt = "\xE5\x9C\xA8 ";              // "在 "
constexpr std::string_view kJaAt = "\xE5\xA0\xB4\xE6\x89\x80 ";  // "場所 "

// Rule 17 (preclean.hpp).
bool
rewrite_dotnet_localized(std::vector<std::string_view> &lines, std::forward_list<std::string> &side,
                         const Cancel &cancel)
{
	static constexpr std::pair<std::string_view, std::string_view> markers[] = {
		// zh-Hans, ja: the end of an inner exception's trace, of a rethrown one's
		{"--- \xE5\x86\x85\xE9\x83\xA8\xE5\xBC\x82\xE5\xB8\xB8\xE5\xA0\x86\xE6\xA0\x88\xE8\xB7\x9F\xE8\xB8"
		 "\xAA\xE7\x9A\x84\xE7\xBB\x93\xE5\xB0\xBE ---",
		 "--- End of inner exception stack trace ---"},
		{"--- \xE5\xBC\x95\xE5\x8F\x91\xE5\xBC\x82\xE5\xB8\xB8\xE7\x9A\x84\xE4\xB8\x8A\xE4\xB8\x80\xE4\xBD"
		 "\x8D\xE7\xBD\xAE\xE4\xB8\xAD\xE5\xA0\x86\xE6\xA0\x88\xE8\xB7\x9F\xE8\xB8\xAA\xE7\x9A\x84\xE6\x9C"
		 "\xAB\xE5\xB0\xBE ---",
		 "--- End of stack trace from previous location where exception was thrown ---"},
		{"--- \xE5\x86\x85\xE9\x83\xA8\xE4\xBE\x8B\xE5\xA4\x96\xE3\x82\xB9\xE3\x82\xBF\xE3\x83\x83\xE3\x82"
		 "\xAF \xE3\x83\x88\xE3\x83\xAC\xE3\x83\xBC\xE3\x82\xB9\xE3\x81\xAE\xE7\xB5\x82\xE3\x82\x8F\xE3\x82"
		 "\x8A ---",
		 "--- End of inner exception stack trace ---"},
		{"--- \xE7\x9B\xB4\xE5\x89\x8D\xE3\x81\xAB\xE4\xBE\x8B\xE5\xA4\x96\xE3\x81\x8C\xE3\x82\xB9\xE3\x83"
		 "\xAD\xE3\x83\xBC\xE3\x81\x95\xE3\x82\x8C\xE3\x81\x9F\xE5\xA0\xB4\xE6\x89\x80\xE3\x81\x8B\xE3\x82"
		 "\x89\xE3\x81\xAE\xE3\x82\xB9\xE3\x82\xBF\xE3\x83\x83\xE3\x82\xAF \xE3\x83\x88\xE3\x83\xAC\xE3\x83"
		 "\xBC\xE3\x82\xB9\xE3\x81\xAE\xE7\xB5\x82\xE3\x82\x8F\xE3\x82\x8A ---",
		 "--- End of stack trace from previous location where exception was thrown ---"},
	};
	// " 位置 F:行号 N" (zh), " 場所 F:行 N" (ja): where, and the line word
	static constexpr std::pair<std::string_view, std::string_view> where[] = {
		{" \xE4\xBD\x8D\xE7\xBD\xAE ", ":\xE8\xA1\x8C\xE5\x8F\xB7 "},
		{" \xE5\xA0\xB4\xE6\x89\x80 ", ":\xE8\xA1\x8C "},
	};
	Rebuild rb(side);
	bool changed = false;
	for (size_t i = 0; i < lines.size(); i++) {
		if ((i & 0x3FF) == 0x3FF)
			cancel.poll();
		std::string_view l = lines[i];
		std::string_view t = trim(l);
		std::string_view indent = l.substr(0, l.size() - ltrim(l).size());
		bool done = false;
		for (const auto &[from, to] : markers)
			if (t == from) {
				rb.add({indent, to});
				done = changed = true;
				break;
			}
		if (done)
			continue;
		std::string_view body;
		if (starts_with(t, kZhAt))
			body = t.substr(kZhAt.size());
		else if (starts_with(t, kJaAt))
			body = t.substr(kJaAt.size());
		size_t open = body.find('(');
		if (open == std::string_view::npos || open == 0 || body.substr(0, open).find(' ') != std::string_view::npos ||
		    body.substr(0, open).find('.') == std::string_view::npos) {
			rb.keep(l);
			continue;
		}
		changed = true;
		for (const auto &[in, line_word] : where) {
			size_t w = body.rfind(in);
			size_t lw = w == std::string_view::npos ? w : body.find(line_word, w);
			if (lw != std::string_view::npos) {
				rb.add({indent, "at ", body.substr(0, w), " in ", body.substr(w + in.size(), lw - w - in.size()), ":line ",
				        body.substr(lw + line_word.size())});
				done = true;
				break;
			}
		}
		if (!done)
			rb.add({indent, "at ", body});
	}
	if (changed)
		rb.finish(lines);
	return changed;
}

// ---- rule 12: util.inspect's error without a stack -----------------------

// "[UnhandledPromiseRejection: This error originated ...] {", "[Error: boom]",
// "[Error [ERR_X]: boom] {": the "Name: message" inside, or empty.
std::string_view
inspected_error(std::string_view t)
{
	if (t.size() < 5 || t[0] != '[' || !(t[1] >= 'A' && t[1] <= 'Z'))
		return {};
	if (ends_with(t, "] {"))
		t.remove_suffix(2);
	if (t.back() != ']')
		return {};
	std::string_view in = t.substr(1, t.size() - 2);
	size_t colon = in.find(": ");
	if (colon == std::string_view::npos)
		return {};
	std::string_view name = in.substr(0, colon);
	size_t code = name.find(" [");
	std::string_view ident = code == std::string_view::npos ? name : name.substr(0, code);
	for (char c : ident)
		if (!is_ident(c))
			return {};
	if (!ends_with(ident, "Error") && !ends_with(ident, "Rejection") && !ends_with(ident, "Exception"))
		return {};
	return in;
}

// Rule 12 (preclean.hpp).
bool
rewrite_inspected_error(std::vector<std::string_view> &lines, const Cancel &cancel)
{
	std::vector<std::string_view> out;
	bool changed = false;
	for (size_t i = 0; i < lines.size(); i++) {
		if ((i & 0x3FF) == 0x3FF)
			cancel.poll();
		std::string_view t = trim(lines[i]);
		std::string_view in = inspected_error(t);
		if (in.empty()) {
			out.push_back(lines[i]);
			continue;
		}
		changed = true;
		out.push_back(in);
		if (!ends_with(t, "{"))
			continue;
		// its properties ("  code: 'ERR_UNHANDLED_REJECTION'") up to "}"
		// (a few: the scan stays linear in the input)
		size_t j = i + 1;
		while (j < lines.size() && j - i <= 32 && trim(lines[j]) != "}" &&
		       trim(lines[j]).find(": ") != std::string_view::npos)
			j++;
		if (j < lines.size() && trim(lines[j]) == "}")
			i = j;
	}
	if (changed)
		lines.swap(out);
	return changed;
}

// ---- rule 13: RSpec's failure report ---------------------------------------

// "# ./app/models/x.rb:12:in `m'" (RSpec's backtrace line): the location
// after "# ", or empty.
std::string_view
rspec_frame(std::string_view t)
{
	if (!starts_with(t, "# ") || t.size() < 6)
		return {};
	std::string_view loc = t.substr(2);
	size_t colon = loc.find(':');
	if (colon == std::string_view::npos || colon == 0 || colon + 1 >= loc.size() || !is_digit(loc[colon + 1]))
		return {};
	return loc;
}

// Rule 13 (preclean.hpp): the first failure block as Ruby prints an uncaught
// exception.
bool
rewrite_rspec(std::vector<std::string_view> &lines, std::forward_list<std::string> &side, const Cancel &cancel)
{
	size_t fail = lines.size();
	for (size_t i = 0; i < lines.size(); i++) {
		if ((i & 0x3FF) == 0x3FF)
			cancel.poll();
		if (starts_with(trim(lines[i]), "Failure/Error:")) {
			fail = i;
			break;
		}
	}
	if (fail == lines.size())
		return false;
	std::string_view type;
	std::vector<std::string_view> message, frames;
	size_t i = fail + 1;
	// the failing expression may go on over lines: up to the type line, the
	// message or the first frame
	for (; i < lines.size(); i++) {
		std::string_view t = trim(lines[i]);
		if (!rspec_frame(t).empty())
			break;
		if (type.empty() && message.empty() && t.size() > 1 && t.back() == ':' && t[0] >= 'A' && t[0] <= 'Z' &&
		    t.find(' ') == std::string_view::npos) {
			type = t.substr(0, t.size() - 1);
			continue;
		}
		if (!type.empty() && !t.empty())
			message.push_back(t);
		else if (type.empty() && (starts_with(t, "expected") || starts_with(t, "got:") || starts_with(t, "Expected")))
			message.push_back(t);
	}
	for (; i < lines.size(); i++) {
		std::string_view loc = rspec_frame(trim(lines[i]));
		if (loc.empty())
			break;
		frames.push_back(loc);
	}
	if (frames.empty())
		return false;
	if (type.empty())
		type = "RSpec::Expectations::ExpectationNotMetError";
	Rebuild rb(side);
	std::string_view first = message.empty() ? std::string_view() : message[0];
	rb.add({frames[0], ": ", first, " (", type, ")"});
	for (size_t k = 1; k < message.size(); k++)
		rb.keep(message[k]);
	for (size_t k = 1; k < frames.size(); k++)
		rb.add({"\tfrom ", frames[k]});
	rb.finish(lines);
	return true;
}

// ---- rule 14: Rollbar's Ruby backtrace, printed in Python's form -----------

// 'File "/app/views/x.html.erb", line 3, in render': path, line, label.
bool
rollbar_frame(std::string_view t, std::string_view &path, std::string_view &line, std::string_view &label)
{
	if (!starts_with(t, "File \""))
		return false;
	size_t q = t.find("\", line ", 6);
	if (q == std::string_view::npos)
		return false;
	path = t.substr(6, q - 6);
	std::string_view rest = t.substr(q + 8);
	size_t comma = rest.find(", in ");
	if (comma == std::string_view::npos || !all_digits(rest.substr(0, comma)))
		return false;
	line = rest.substr(0, comma);
	label = rest.substr(comma + 5);
	return true;
}

bool
ruby_source(std::string_view path)
{
	return ends_with(path, ".rb") || ends_with(path, ".erb") || ends_with(path, ".haml") || ends_with(path, ".slim") ||
	       ends_with(path, ".rake") || ends_with(path, ".builder") || ends_with(path, ".jbuilder");
}

// Rule 14 (preclean.hpp).
bool
rewrite_rollbar_ruby(std::vector<std::string_view> &lines, std::forward_list<std::string> &side, const Cancel &cancel)
{
	size_t first = lines.size(), ruby = 0, frames = 0;
	for (size_t i = 0; i < lines.size(); i++) {
		if ((i & 0x3FF) == 0x3FF)
			cancel.poll();
		std::string_view path, line, label;
		if (!rollbar_frame(trim(lines[i]), path, line, label))
			continue;
		first = std::min(first, i);
		frames++;
		ruby += ruby_source(path);
	}
	// Ruby's files, most of them (a Python traceback has none)
	if (frames == 0 || ruby * 2 <= frames)
		return false;
	size_t head = 0;
	while (head < first && trim(lines[head]).empty())
		head++;
	if (head == first)
		return false;  // no "Type: message" line
	std::string_view header = trim(lines[head]);
	size_t colon = header.find(": ");
	std::string_view type = colon == std::string_view::npos ? header : header.substr(0, colon);
	std::string_view message = colon == std::string_view::npos ? std::string_view() : header.substr(colon + 2);
	if (type.empty() || type.find(' ') != std::string_view::npos)
		return false;
	Rebuild rb(side);
	bool top = true;
	for (size_t i = first; i < lines.size(); i++) {
		std::string_view path, line, label;
		if (!rollbar_frame(trim(lines[i]), path, line, label))
			continue;
		if (top) {
			rb.add({path, ":", line, ":in `", label, "': ", message, " (", type, ")"});
			for (size_t k = head + 1; k < first; k++)  // the message's other lines
				if (!trim(lines[k]).empty())
					rb.keep(lines[k]);
			top = false;
		} else {
			rb.add({"\tfrom ", path, ":", line, ":in `", label, "'"});
		}
	}
	rb.finish(lines);
	return true;
}

// ---- rule 15: Laravel's (Collision) and Symfony's console renderers --------

// "at /app/src/X.php:53" (no call: the throw site): "/app/src/X.php:53".
std::string_view
php_at_location(std::string_view t)
{
	if (!starts_with(t, "at ") || t.find('(') != std::string_view::npos)
		return {};
	std::string_view loc = t.substr(3);
	size_t colon = rfind_char(loc, ':');
	if (colon == std::string_view::npos || colon + 1 == loc.size() || !all_digits(loc.substr(colon + 1)) ||
	    loc.find(' ') != std::string_view::npos)
		return {};
	std::string_view file = loc.substr(0, colon);
	if (!ends_with(file, ".php") && !ends_with(file, ".phtml") && !ends_with(file, ".inc") && file != "artisan")
		return {};
	return loc;
}

// "file.php:12" -> "file.php(12)"
void
php_call_site(std::string &out, std::string_view loc)
{
	size_t colon = rfind_char(loc, ':');
	out.append(loc.substr(0, colon)).append("(").append(loc.substr(colon + 1)).append(")");
}

// Rule 15 (preclean.hpp).
bool
rewrite_php_renderer(std::vector<std::string_view> &lines, std::forward_list<std::string> &side, const Cancel &cancel)
{
	size_t at = lines.size();
	std::string_view site;
	for (size_t i = 0; i < lines.size() && i < 64; i++) {
		site = php_at_location(trim(lines[i]));
		if (!site.empty()) {
			at = i;
			break;
		}
	}
	if (at == lines.size())
		return false;
	// the type (Collision: "Illuminate\Database\QueryException", Symfony: "...Error:")
	// and the message's lines above it
	size_t head = 0;
	while (head < at && trim(lines[head]).empty())
		head++;
	if (head == at)
		return false;
	std::string_view type = trim(lines[head]);
	if (!type.empty() && type.back() == ':')
		type.remove_suffix(1);
	if (type.empty() || type.find(' ') != std::string_view::npos ||
	    !(type.find('\\') != std::string_view::npos || ends_with(type, "Exception") || ends_with(type, "Error")))
		return false;
	std::string message;
	for (size_t k = head + 1; k < at; k++) {
		std::string_view m = trim(lines[k]);
		if (m.empty())
			continue;
		if (!message.empty())
			message.push_back(' ');
		message.append(m);
	}
	Rebuild rb(side);
	for (size_t k = 0; k < head; k++)
		rb.keep(lines[k]);
	rb.add({type, ": ", message, " in ", site});
	rb.add({"Stack trace:"});
	size_t n = 0;
	for (size_t i = at + 1; i < lines.size(); i++) {
		if ((i & 0x3FF) == 0x3FF)
			cancel.poll();
		std::string_view t = trim(lines[i]);
		std::string_view next = i + 1 < lines.size() ? trim(lines[i + 1]) : std::string_view();
		std::string frame = "#" + std::to_string(n) + " ";
		// Symfony: "at Ns\C->m(args)" then "(file.php:146)"
		if (starts_with(t, "at ") && t.back() == ')' && next.size() > 2 && next.front() == '(' && next.back() == ')') {
			std::string_view call = t.substr(3);
			call = call.substr(0, call.find('('));
			php_call_site(frame, next.substr(1, next.size() - 2));
			rb.add({frame, ": ", call, "()"});
			n++;
			i++;
			continue;
		}
		// Collision: "40  artisan:37" then "    Illuminate\...\Kernel::handle()"
		size_t d = 0;
		while (d < t.size() && is_digit(t[d]))
			d++;
		if (d > 0 && d + 2 < t.size() && t[d] == ' ' && !next.empty() && next.back() == ')' &&
		    next.find(' ') == std::string_view::npos) {
			std::string_view loc = ltrim(t.substr(d));
			size_t colon = rfind_char(loc, ':');
			if (colon != std::string_view::npos && all_digits(loc.substr(colon + 1)) && colon + 1 < loc.size()) {
				php_call_site(frame, loc);
				rb.add({frame, ": ", next});
				n++;
				i++;
				continue;
			}
		}
		// code excerpts ("  672|", "> 672▕"), "+39 vendor frames", blank lines: skipped
	}
	rb.finish(lines);
	return true;
}

}  // namespace

std::string_view
strip_jvm_packaging_data(std::string_view line)
{
	// "<ws>at NAME(LOCATION) ~[JAR:VERSION]" / "... [JAR:VERSION]": the
	// bracket holds no space and a ':' ("na:na", "?:?", "classes/:na",
	// "spring-web-5.3.20.jar:5.3.20"); backtrace_symbols' "(f+0x1d) [0x4005d4]"
	// has no ':' and no "at ".
	std::string_view t = rtrim(line);
	if (t.size() < 10 || t.back() != ']')
		return line;
	size_t open = t.rfind('[');
	if (open == std::string_view::npos || open < 5)
		return line;
	std::string_view inside = t.substr(open + 1, t.size() - open - 2);
	if (inside.find(':') == std::string_view::npos || inside.find(' ') != std::string_view::npos ||
	    inside.find('[') != std::string_view::npos)
		return line;
	size_t end = open;  // the frame ends before " [" or " ~["
	if (t[end - 1] == '~')
		end--;
	if (t[end - 1] != ' ')
		return line;
	std::string_view frame = rtrim(t.substr(0, end));
	if (frame.empty() || frame.back() != ')' || !starts_with(ltrim(frame), "at "))
		return line;
	return frame;
}

bool
bts_fd_line(std::string_view line, size_t &split)
{
	std::string_view t = rtrim(line);
	if (t.size() < 8 || t.back() != ']')
		return false;
	size_t open = t.rfind("[0x");
	if (open == std::string_view::npos || open == 0 || t[open - 1] != ')')
		return false;
	std::string_view hex = t.substr(open + 3, t.size() - open - 4);
	if (hex.empty())
		return false;
	for (char c : hex)
		if (!is_hex(c))
			return false;
	std::string_view obj = ltrim(t.substr(0, open));
	size_t paren = obj.find('(');
	if (paren == 0 || paren == std::string_view::npos || obj.substr(0, paren).find(' ') != std::string_view::npos)
		return false;
	split = open;
	return true;
}

void
fp2_preclean(std::vector<std::string_view> &lines, std::forward_list<std::string> &side, const Cancel &cancel)
{
	// rules 1 and 2 concern lines ending in ']' only (one look at the end of
	// every line; the rules' own checks then run on few lines)
	auto ends_in_bracket = [](std::string_view l) {
		size_t e = l.size();
		while (e > 0 && is_space(l[e - 1]))
			e--;
		return e > 0 && l[e - 1] == ']';
	};
	strip_log_prefixes(lines, cancel);
	// One look at the first lines decides which of the whole-text rules can
	// apply (each then checks for itself): a byte or two of most lines.
	bool gin = false, monolog = false, ipython = false, pytest = false, play = false, unity = false, php_flat = false,
	     inspected = false, rspec = false, rollbar = false, php_render = false;
	size_t v8_flat = SIZE_MAX;  // rule 16's line
	bool localized = false;     // rule 17
	size_t v8_fatal = SIZE_MAX;  // rule 18's "FATAL ERROR: " line
	size_t go_race = SIZE_MAX;   // rule 19's "WARNING: DATA RACE" line
	size_t aspnet_event = SIZE_MAX;  // rule 20's "Exception type: " line
	size_t dotnet_overflow = SIZE_MAX;  // rule 21's "Stack overflow." line
	bool rich_tb = false;               // rule 22's box top
	bool loguru = false;                // rule 23
	bool v8_report = false;      // and one of the report's section markers
	int at_lines = 0, file_lines = 0;  // "at ..." frames looked at for Play's form: it is every frame's, the first four tell
	for (size_t i = 0, n = std::min(lines.size(), size_t(64)); i < n; i++) {
		std::string_view t = trim(lines[i]);
		if (t.size() < 4)
			continue;
		const char first = t[0], last = t.back();
		if (last == ':')
			gin = gin || ends_with(t, "panic recovered:");
		else if (last == ')') {
			if (first == 'a' && starts_with(t, "at ")) {
				if (!play && at_lines++ < 4)
					play = play_frame_space(lines[i]) != 0;
			} else {
				ipython = ipython ||
				          (ends_with(t, "Traceback (most recent call last)") && t.find("  ") != std::string_view::npos);
				unity = unity || unity_frame(t, nullptr) != 0;
			}
		} else if (first == '_' && last == '_') {
			pytest = true;
		}
		if (first == 'C' && starts_with(t, "Cell In"))
			ipython = true;
		if (first == '[' && !inspected && !inspected_error(t).empty())
			inspected = true;
		if (first == 'F' && starts_with(t, "Failure/Error:"))
			rspec = true;
		if (first == 'F' && v8_fatal == SIZE_MAX && starts_with(t, "FATAL ERROR: "))
			v8_fatal = i;
		if (first == 'W' && go_race == SIZE_MAX && t == "WARNING: DATA RACE")
			go_race = i;
		if (first == 'E' && aspnet_event == SIZE_MAX && starts_with(t, "Exception type: "))
			aspnet_event = i;
		if (first == 'S' && dotnet_overflow == SIZE_MAX && t == "Stack overflow.")
			dotnet_overflow = i;
		if (!loguru && ((first == '>' && starts_with(t, "> File \"")) ||
		                (static_cast<unsigned char>(first) == 0xE2 && starts_with(t, kLoguruLast))))
			loguru = true;
		if (static_cast<unsigned char>(first) == 0xE2 && !rich_tb && starts_with(t, kRichTop) &&
		    t.find("Traceback (most recent call last)") != std::string_view::npos)
			rich_tb = true;
		if ((first == '<' || first == '-') &&
		    (t == "<--- Last few GCs --->" || t == "<--- JS stacktrace --->" || t == "----- Native stack trace -----"))
			v8_report = true;
		if (!v8_report && v8_fatal != SIZE_MAX && is_digit(first) && v8_native_frame(t))
			v8_report = true;
		if (first == 'a' && !php_render && is_digit(last) && !php_at_location(t).empty())
			php_render = true;
		// (Rollbar's frames are all Ruby's files: the first three tell)
		if (first == 'F' && !rollbar && file_lines < 3 && starts_with(t, "File \"")) {
			file_lines++;
			rollbar = t.find(".rb\", line ") != std::string_view::npos || t.find(".erb\", line ") != std::string_view::npos;
		}
		// (Monolog's line starts with its "[date]")
		if (!monolog && first == '[' && t.find("[object] (") != std::string_view::npos)
			monolog = true;
		// (a Chinese or Japanese "at": the first byte of both is 0xE5)
		if (!localized && static_cast<unsigned char>(first) == 0xE5 &&
		    (starts_with(t, kZhAt) || starts_with(t, kJaAt)))
			localized = true;
		// (a header's type name or a log record's time stamp starts it; it
		// ends a frame, or is the text's only line, cut anywhere)
		if (v8_flat == SIZE_MAX && t.size() > 60 && ((first >= 'A' && first <= 'Z') || is_digit(first)) &&
		    (last == ')' || is_digit(last) || lines.size() <= 2)) {
			size_t a = t.find(" at ");
			if (a != std::string_view::npos && t.find(':', a) != std::string_view::npos)
				v8_flat = i;
		}
		// (nginx's line starts with its date; a flattened error — after "Fatal
		// error", "PHP Fatal error" or a report's prose, "Error Details" —
		// holds " Stack trace: #" but does not start with '#' as a frame does)
		if (!php_flat && t.size() > 60 &&
		    ((is_digit(first) && t.find("FastCGI sent in stderr: ") != std::string_view::npos) ||
		     ((first == 'F' || first == 'P' || first == 'E') && t.find(" Stack trace: #") != std::string_view::npos)))
			php_flat = true;
	}
	if (v8_fatal != SIZE_MAX && v8_report) {
		// rule 18: V8's fatal error report: its "FATAL ERROR: " line alone
		std::string_view t = trim(lines[v8_fatal]);
		static constexpr std::string_view kHeapOom = "Allocation failed - JavaScript heap out of memory";
		// (a terminal or a mail wraps it: "... Allocation failed -" + "JavaScript heap out of memory")
		std::string_view next = v8_fatal + 1 < lines.size() ? trim(lines[v8_fatal + 1]) : std::string_view();
		if (t.find("Allocation failed") != std::string_view::npos &&
		    (t.find("heap out of memory") != std::string_view::npos || starts_with(next, "JavaScript heap out of memory"))) {
			// the heap's state before it ("Reached heap limit", "Ineffective
			// mark-compacts near heap limit", "CALL_AND_RETRY_LAST") varies
			side.emplace_front(std::string("FATAL ERROR: ").append(kHeapOom));
			t = side.front();
		}
		lines.assign(1, t);
		return;
	}
	if (go_race != SIZE_MAX && rewrite_go_race(lines, go_race, cancel))
		return;
	if (aspnet_event != SIZE_MAX && rewrite_aspnet_event(lines, aspnet_event, side, cancel))
		return;
	if (dotnet_overflow != SIZE_MAX && rewrite_dotnet_overflow(lines, dotnet_overflow, cancel))
		return;
	if (rich_tb && rewrite_rich_traceback(lines, side, cancel))
		return;
	if (php_flat)
		rewrite_php_flattened(lines, side, cancel);
	if (v8_flat != SIZE_MAX && !php_flat)
		split_v8_flattened(lines, v8_flat, side);
	// (after the rules that hold a line's index from the scan above: it
	// drops lines)
	if (loguru)
		rewrite_loguru(lines, side, cancel);
	if (localized)
		rewrite_dotnet_localized(lines, side, cancel);
	if (inspected)
		rewrite_inspected_error(lines, cancel);
	if (rspec)
		rewrite_rspec(lines, side, cancel);
	if (rollbar)
		rewrite_rollbar_ruby(lines, side, cancel);
	if (php_render)
		rewrite_php_renderer(lines, side, cancel);
	if (gin)
		rewrite_gin_recovery(lines, side, cancel);
	if (monolog)
		rewrite_monolog(lines, side, cancel);
	if (!(ipython && rewrite_ipython(lines, side, cancel)) && pytest)
		rewrite_pytest(lines, side, cancel);
	// Rules 2, 5 and 6 rewrite lines into `side`: found first, then written
	// once `side` is reserved (the views into it stay valid).
	std::vector<std::pair<size_t, std::string>> rewrites;
	size_t side_bytes = 0;
	size_t plays = 0;   // rule 5's frames with a location
	size_t unities = 0;  // rule 6's "Type:Method (args)" frames
	bool unity_located = false;
	for (size_t i = 0; i < lines.size(); i++) {
		if ((i & 0x3FF) == 0x3FF)
			cancel.poll();
		std::string_view &l = lines[i];
		if (!ends_in_bracket(l)) {
			size_t space = play ? play_frame_space(l) : 0;
			if (space != 0) {  // "at a.b.C.m (C.java:4)" -> "at a.b.C.m(C.java:4)"
				rewrites.emplace_back(i, std::string(l.substr(0, space)).append(l.substr(space + 1)));
				plays++;
			} else if (int form = unity ? unity_frame(l, nullptr) : 0; form != 0) {
				bool located = l.find(" (at ") != std::string_view::npos;
				unities += located || form == 2;
				unity_located = unity_located || located;
			}
			continue;
		}
		l = strip_jvm_packaging_data(l);
		size_t split;
		if (bts_fd_line(l, split))  // "OBJ(SYM)[0xADDR]" -> "OBJ(SYM) [0xADDR]"
			rewrites.emplace_back(i, std::string(l.substr(0, split)).append(" ").append(l.substr(split)));
	}
	// rule 5: with Play Console frames, a frame without location too
	if (plays != 0) {
		for (size_t i = 0; i < lines.size(); i++) {
			if ((i & 0x3FF) == 0x3FF)
				cancel.poll();
			if (play_bare_frame(lines[i]))  // "at a.b.C.m" -> "at a.b.C.m(Unknown Source)"
				rewrites.emplace_back(i, std::string(rtrim(lines[i])).append("(Unknown Source)"));
		}
	}
	// rule 6: Unity's frames, when two "Type:Method (args)" or located ones
	// are seen, or one located
	if (unities >= 2 || (unities == 1 && unity_located)) {
		for (size_t i = 0; i < lines.size(); i++) {
			if ((i & 0x3FF) == 0x3FF)
				cancel.poll();
			std::string text;
			if (unity_frame(lines[i], &text) == 0)
				continue;
			// a location wrapped onto the next line: "  (at Assets/X.cs:12)"
			if (text.find(" (at ") == std::string::npos && i + 1 < lines.size()) {
				std::string_view next = trim(lines[i + 1]);
				if (starts_with(next, "(at ") && next.back() == ')') {
					text.append(" ").append(next);
					rewrites.emplace_back(i + 1, std::string());
				}
			}
			rewrites.emplace_back(i, std::move(text));
		}
	}
	if (!rewrites.empty()) {
		for (const auto &r : rewrites)
			side_bytes += r.second.size();
		std::string &buf = side.emplace_front();
		buf.reserve(side_bytes);
		for (const auto &r : rewrites) {
			size_t at = buf.size();
			buf.append(r.second);
			lines[r.first] = std::string_view(buf).substr(at, r.second.size());
		}
	}
	drop_node_preamble(lines, cancel);
	reorder_ruby_bottom_first(lines, cancel);
}

}  // namespace errtrack
