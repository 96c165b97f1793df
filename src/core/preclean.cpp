// preclean.cpp — fp2's line rewriting before detection and parsing (see
// preclean.hpp for the rules).
#include "preclean.hpp"

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
fp2_preclean(std::vector<std::string_view> &lines, std::string &side, const Cancel &cancel)
{
	// rules 1 and 2 concern lines ending in ']' only (one look at the end of
	// every line; the rules' own checks then run on few lines)
	auto ends_in_bracket = [](std::string_view l) {
		size_t e = l.size();
		while (e > 0 && is_space(l[e - 1]))
			e--;
		return e > 0 && l[e - 1] == ']';
	};
	struct FdLine {
		size_t index, split;
	};
	std::vector<FdLine> fd;  // rule 2's lines, rewritten once all are known
	size_t side_bytes = 0;
	for (size_t i = 0; i < lines.size(); i++) {
		if ((i & 0x3FF) == 0x3FF)
			cancel.poll();
		std::string_view &l = lines[i];
		if (!ends_in_bracket(l))
			continue;
		l = strip_jvm_packaging_data(l);
		size_t split;
		if (bts_fd_line(l, split)) {
			fd.push_back({i, split});
			side_bytes += l.size() + 1;
		}
	}
	if (!fd.empty()) {
		// reserved once: the views into `side` stay valid
		side.clear();
		side.reserve(side_bytes);
		for (const FdLine &x : fd) {
			std::string_view l = lines[x.index];
			size_t at = side.size();
			side.append(l.substr(0, x.split)).push_back(' ');
			side.append(l.substr(x.split));
			lines[x.index] = std::string_view(side).substr(at, l.size() + 1);
		}
	}
	drop_node_preamble(lines, cancel);
	reorder_ruby_bottom_first(lines, cancel);
}

}  // namespace errtrack
