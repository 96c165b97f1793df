// parse_generic.cpp — the documented fallback for text no parser recognises.
//
// Rules (never a hash of the raw text):
//  * the first non-empty line is the header ("Type: message" when it has that
//    shape, otherwise the whole line is the message);
//  * every further non-empty line is a "frame": leading markers (at, #N, -, *)
//    dropped, path-like tokens reduced to their basename, and digits, hex
//    addresses and 0x offsets removed, whitespace collapsed;
//  * fp2: quoted values ('...', "...") inside parentheses or not
//    identifiers emptied first (argument values, quoted input); a
//    BEAM function with its arity ("Shop.Cart.total/1") is not a path; the
//    header "** (Type) message" (Elixir) is typed; Lua's interpreter name
//    before the header, its "stack traceback:" and its C functions' lines
//    ("[C]: in function 'error'") are dropped; a header's leading location
//    ("x.lua:3: ") is no type;
//  * lines that are empty after this are skipped; at most
//    Limits::max_frames_per_exception frames are kept.
// All such frames count as application frames.
#include "parser.hpp"

#include "core_only.hpp"

namespace errtrack {
namespace {

// fp2: "name/N" with one '/' and N digits (a BEAM function's arity), the
// name not a path's ("lib/enum.ex" has no such suffix, "v1/2" is one)
bool
arity_suffix(std::string_view tok)
{
	while (!tok.empty() && (tok.back() == ':' || tok.back() == ',' || tok.back() == ')'))
		tok.remove_suffix(1);
	size_t slash = tok.rfind('/');
	if (slash == std::string_view::npos || slash == 0 || slash + 1 == tok.size() ||
	    tok.find('/') != slash || tok.find('\\') != std::string_view::npos)
		return false;
	for (size_t k = slash + 1; k < tok.size(); k++)
		if (!is_digit(tok[k]))
			return false;
	for (size_t k = 0; k < slash; k++)
		if (is_alpha(tok[k]) || tok[k] == '_')
			return true;
	return false;
}

// fp2: a quoted value ('...' or "..." opening after a space or one of
// "(,=:[{" and closing on the line) becomes an empty quote when it is inside
// parentheses (an argument list: Perl's Carp, "main::parse("x9") called at
// a.pl line 3") or is no identifier ('7x', "order 17"): values vary per
// event.  A quoted identifier stays (Lua's "in upvalue 'parse_amount'"), and
// an apostrophe inside a word ("can't") opens nothing.
std::string
blank_quoted(std::string_view t)
{
	auto identifier = [](std::string_view q) {
		if (q.empty() || !(is_alpha(q[0]) || q[0] == '_'))
			return false;
		for (char ch : q)
			if (!(is_alpha(ch) || is_digit(ch) || ch == '_' || ch == '.' || ch == ':'))
				return false;
		return true;
	};
	std::string out;
	out.reserve(t.size());
	int depth = 0;
	for (size_t i = 0; i < t.size(); i++) {
		char c = t[i];
		if (c == '(')
			depth++;
		else if (c == ')' && depth > 0)
			depth--;
		if ((c == '"' || c == '\'') &&
		    (i == 0 || is_space(t[i - 1]) || std::string_view("(,=:[{").find(t[i - 1]) != std::string_view::npos)) {
			size_t close = t.find(c, i + 1);
			if (close != std::string_view::npos && (depth > 0 || !identifier(t.substr(i + 1, close - i - 1)))) {
				out.push_back(c);
				out.push_back(c);
				i = close;
				continue;
			}
		}
		out.push_back(c);
	}
	return out;
}

std::string
normalize_line(std::string_view t, bool fp2)
{
	std::string unquoted;
	if (fp2 && (t.find('"') != std::string_view::npos || t.find('\'') != std::string_view::npos)) {
		unquoted = blank_quoted(t);
		t = unquoted;
	}
	// drop leading markers
	while (!t.empty()) {
		if (starts_with(t, "at ")) t = ltrim(t.substr(3));
		else if (t[0] == '#' || t[0] == '-' || t[0] == '*' || t[0] == '>' || t[0] == '|') t = ltrim(t.substr(1));
		else if (is_digit(t[0])) { size_t k = 0; while (k < t.size() && (is_digit(t[k]) || t[k] == ':' || t[k] == '.')) k++; t = ltrim(t.substr(k)); if (k == 0) break; }
		else break;
	}
	std::string out;
	size_t i = 0;
	while (i < t.size()) {
		char c = t[i];
		if (is_space(c)) {
			if (!out.empty() && out.back() != ' ')
				out.push_back(' ');
			i++;
			continue;
		}
		// token
		size_t j = i;
		while (j < t.size() && !is_space(t[j]))
			j++;
		std::string_view tok = t.substr(i, j - i);
		// path-like: keep basename (fp2: not a name with its arity,
		// Elixir's and Erlang's "Shop.Cart.parse_amount/1", "lists:foldl/3")
		if ((tok.find('/') != std::string_view::npos || tok.find('\\') != std::string_view::npos) &&
		    !(fp2 && arity_suffix(tok))) {
			std::string_view b = basename(tok);
			tok = b.empty() ? tok : b;
		}
		std::string buf;
		for (size_t k = 0; k < tok.size(); k++) {
			char d = tok[k];
			if (d == '0' && k + 1 < tok.size() && (tok[k + 1] == 'x' || tok[k + 1] == 'X')) {
				k += 2;
				while (k < tok.size() && is_hex(tok[k]))
					k++;
				k--;
				continue;
			}
			if (is_digit(d))
				continue;
			buf.push_back(d);
		}
		// drop punctuation-only leftovers like ":" or "()"
		bool meaningful = false;
		for (char d : buf)
			meaningful = meaningful || is_alpha(d) || d == '_';
		if (meaningful)
			out.append(buf);
		i = j;
	}
	while (!out.empty() && out.back() == ' ')
		out.pop_back();
	return out;
}

class GenericParser final : public StackParser {
public:
	Lang lang() const override { return Lang::Generic; }
	int max_line_points() const override { return 0; }
	int score(const std::vector<std::string_view> &) const override { return 0; }

	void parse(const std::vector<std::string_view> &lines, ParsedStack &out,
	           const Cancel &cancel) const override
	{
		out.chain.emplace_back();
		ExceptionInfo &ex = out.chain.back();
		bool header = false;
		size_t i = 0;
		for (auto raw : lines) {
			if ((++i & 0x3FF) == 0)
				cancel.poll();
			std::string_view t = trim(raw);
			if (t.empty())
				continue;
			if (!header) {
				header = true;
				// fp2: Elixir's "** (ArgumentError) invalid amount: ..."
				if (out.algorithm >= Algorithm::Fp2 && starts_with(t, "** (")) {
					size_t close = t.find(") ");
					if (close != std::string_view::npos && close > 4 &&
					    t.substr(4, close - 4).find(' ') == std::string_view::npos) {
						ex.type.assign(t.substr(4, close - 4));
						ex.message.assign(trim(t.substr(close + 2)).substr(0, Limits::max_message_bytes));
						continue;
					}
				}
				// fp2: Lua's interpreter name before its error ("lua5.4: x.lua:3: m")
				if (out.algorithm >= Algorithm::Fp2)
					for (std::string_view p : {"lua: ", "luajit: ", "lua5.1: ", "lua5.2: ", "lua5.3: ", "lua5.4: "})
						if (starts_with(t, p)) {
							t = t.substr(p.size());
							break;
						}
				size_t c = t.find(": ");
				// fp2: a location is no type ("x.lua:3: m", "a.exs:12: m"): the
				// message after it
				if (out.algorithm >= Algorithm::Fp2 && c != std::string_view::npos && c > 0 && is_digit(t[c - 1])) {
					size_t k = c;
					while (k > 0 && is_digit(t[k - 1]))
						k--;
					if (k > 1 && t[k - 1] == ':' && t.substr(0, k).find(' ') == std::string_view::npos) {
						t = ltrim(t.substr(c + 2));
						c = t.find(": ");
					}
				}
				std::string_view type = c == std::string_view::npos ? std::string_view() : t.substr(0, c);
				if (!type.empty() && type.find(' ') == std::string_view::npos)
					split_type_message(t, ex.type, ex.message);
				else
					ex.message.assign(t.substr(0, Limits::max_message_bytes));
				continue;
			}
			// fp2: Lua's "stack traceback:" marker and its C functions
			// ("[C]: in function 'error'", "[C]: in ?"): no site of the program
			if (out.algorithm >= Algorithm::Fp2 && (t == "stack traceback:" || starts_with(t, "[C]: in ")))
				continue;
			std::string norm = normalize_line(t, out.algorithm >= Algorithm::Fp2);
			if (norm.empty())
				continue;
			Frame f;
			f.lang = Lang::Generic;
			f.function = std::move(norm);
			f.category = Category::App;
			push_frame(ex, std::move(f));
		}
	}
};

}  // namespace

const StackParser &
generic_parser()
{
	static const GenericParser p;
	return p;
}

}  // namespace errtrack
