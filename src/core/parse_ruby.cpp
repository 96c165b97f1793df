// parse_ruby.cpp — Ruby backtraces (full_message / uncaught output, plain
// Exception#backtrace lines, and dd-trace-rb's full_backtrace), both the
// pre-3.4 and the 3.4+ label syntax:
//
//   /app/app/models/order.rb:42:in `charge!': card declined (Payments::Declined)      # <= 3.3
//   	from /app/vendor/bundle/ruby/3.2.0/gems/activerecord-7.0.4/lib/active_record/transactions.rb:209:in `transaction'
//   	from /app/app/controllers/orders_controller.rb:12:in `block (2 levels) in create'
//   /app/app/models/order.rb:42:in 'Order#charge!': card declined (Payments::Declined)  # >= 3.4
//   	from /app/app/controllers/orders_controller.rb:12:in 'block in OrdersController#create'
//   /app/app/models/payment.rb:7:in `pay': gateway down (Net::ReadTimeout)             # the cause block
//   	from ...
//
// Each non-"from" line carrying ": message (Type)" starts an exception;
// the first is the reported one, the following ones are its causes (stored
// in that order, outermost first).  Labels are reduced to one canonical form
// for every Ruby version: the 3.4 owner ("Order#", "Foo::Bar.") is removed,
// "block (N levels) in m" -> "block in m", "rescue in" / "ensure in" kept,
// ERB method suffixes dropped.  Modules: gems -> "gem:<name>/<path>"
// (version and install location dropped), stdlib -> "stdlib:<path>", app
// files -> path relative to the project root, without extension.
#include <algorithm>
#include <vector>

#include "parse_util.hpp"
#include "parser.hpp"

#include "core_only.hpp"

namespace errtrack {
namespace {

using namespace putil;

struct RubyLine {
	std::string_view path;
	int64_t line = -1;
	std::string_view label;
	bool has_label = false;
	std::string_view rest;  // after "': " on header lines
	bool has_rest = false;
};

// Parses "path:NN:in `label'[: rest]" / "path:NN:in 'label'[: rest]" / "path:NN".
// The first ":in `" in t, else the first ":in '" (one pass over t).
size_t
find_in_label(std::string_view t)
{
	size_t quote = std::string_view::npos;
	for (size_t p = t.find(":in "); p != std::string_view::npos; p = t.find(":in ", p + 1)) {
		if (p + 4 >= t.size())
			break;
		char q = t[p + 4];
		if (q == '`')
			return p;
		if (q == '\'' && quote == std::string_view::npos)
			quote = p;
	}
	return quote;
}

bool
parse_ruby_line(std::string_view t, RubyLine &r)
{
	size_t in = find_in_label(t);
	std::string_view loc;
	if (in != std::string_view::npos) {
		loc = t.substr(0, in);
		size_t open = in + 5;
		size_t close = t.find('\'', open);
		if (close == std::string_view::npos)
			return false;
		r.label = t.substr(open, close - open);
		r.has_label = true;
		std::string_view after = t.substr(close + 1);
		if (starts_with(after, ": ")) {
			r.rest = after.substr(2);
			r.has_rest = true;
		} else if (!trim(after).empty()) {
			return false;
		}
	} else {
		loc = t;
		// "path:NN: message (Type)" (a top-level raise without a method)
		size_t c = t.find(": ");
		if (c != std::string_view::npos) {
			loc = t.substr(0, c);
			r.rest = t.substr(c + 2);
			r.has_rest = true;
		}
	}
	size_t colon = rfind_char(loc, ':');
	if (colon == std::string_view::npos || colon == 0)
		return false;
	r.line = to_int(loc.substr(colon + 1));
	if (r.line < 0)
		return false;
	r.path = loc.substr(0, colon);
	if (r.path.find(' ') != std::string_view::npos && !starts_with(r.path, "<internal:"))
		return false;
	return true;
}

// "message (Type)" -> type / message; Type must be a constant path.
void
split_rest(std::string_view rest, std::string &type, std::string &message)
{
	rest = rtrim(rest);
	if (ends_with(rest, ")")) {
		size_t open = rfind_str(rest, " (");
		if (open == std::string_view::npos && starts_with(rest, "("))
			open = std::string_view::npos;
		std::string_view cand = open == std::string_view::npos
		                            ? (starts_with(rest, "(") ? rest.substr(1, rest.size() - 2) : std::string_view())
		                            : rest.substr(open + 2, rest.size() - open - 3);
		bool ok = !cand.empty() && cand[0] >= 'A' && cand[0] <= 'Z';
		for (char c : cand)
			ok = ok && (is_alnum(c) || c == '_' || c == ':');
		if (ok) {
			type.assign(cand);
			message.assign(open == std::string_view::npos ? std::string_view() : rest.substr(0, open));
			if (message.size() > Limits::max_message_bytes)
				message.resize(Limits::max_message_bytes);
			return;
		}
	}
	type.clear();
	message.assign(rest.substr(0, Limits::max_message_bytes));
}

std::string
canonical_function(std::string_view label, bool fp2)
{
	std::string out;
	// Peel prefixes, keeping their canonical spelling.
	for (;;) {
		if (eat(label, "block in ")) {
			out.append("block in ");
		} else if (eat(label, "rescue in ")) {
			out.append("rescue in ");
		} else if (eat(label, "ensure in ")) {
			out.append("ensure in ");
		} else if (starts_with(label, "block (")) {
			size_t in = label.find(" levels) in ");
			if (in == std::string_view::npos)
				break;
			label = label.substr(in + 12);
			out.append("block in ");
		} else {
			break;
		}
	}
	std::string_view m = label;
	if (!m.empty() && m[0] != '<') {
		// Ruby 3.4 owner: "Foo::Bar#baz", "Foo.baz", "Foo::Bar.baz", "#<Class:Foo>.bar"
		size_t hash = rfind_char(m, '#');
		if (hash != std::string_view::npos && hash + 1 < m.size()) {
			m = m.substr(hash + 1);
		} else if (m[0] >= 'A' && m[0] <= 'Z') {
			size_t dot = m.find('.');
			if (dot != std::string_view::npos && dot + 1 < m.size())
				m = m.substr(dot + 1);
		}
	}
	// ERB/Haml compiled template methods: _app_views_x_html_erb__4168034391_22340
	if (starts_with(m, "_")) {
		size_t dd = rfind_str(m, "__");
		if (dd != std::string_view::npos && dd > 0) {
			std::string_view tail = m.substr(dd + 2);
			bool num = !tail.empty();
			for (char c : tail)
				num = num && (is_digit(c) || c == '_');
			if (num)
				m = m.substr(0, dd);
			// fp2: a negative hash prints as "___2233…_5520" (the '-' as '_'):
			// the same template (fp1 kept a trailing '_' half the boots)
			while (fp2 && num && ends_with(m, "_"))
				m.remove_suffix(1);
		}
	}
	out.append(m);
	return out;
}

bool
is_tracer_gem(std::string_view name)
{
	return name == "ddtrace" || name == "datadog" || starts_with(name, "opentelemetry") || name == "sentry-ruby" ||
	       name == "sentry-rails" || name == "sentry-raven" || name == "newrelic_rpm" || name == "elastic-apm" ||
	       name == "scout_apm" || name == "skylight" || name == "honeybadger" || name == "bugsnag" ||
	       name == "rollbar" || name == "airbrake" || name == "appsignal";
}

// "name-1.2.3" / "name-1.2.3-x86_64-linux" / bundler git "name-0123abcd4567"
std::string
gem_name(std::string_view dir)
{
	std::string n = strip_version_suffix(dir);
	if (n.size() == dir.size()) {
		size_t dash = rfind_char(dir, '-');
		if (dash != std::string_view::npos && dir.size() - dash - 1 >= 7) {
			bool hex = true;
			for (char c : dir.substr(dash + 1))
				hex = hex && is_hex(c);
			if (hex)
				n.assign(dir.substr(0, dash));
		}
	}
	return n;
}

// fp2: app_relative_path's fp2 rules (the module of an app file)
Frame
make_frame(const RubyLine &r, bool fp2)
{
	Frame f;
	f.lang = Lang::Ruby;
	f.line = r.line;
	f.function = r.has_label ? canonical_function(r.label, fp2) : "<main>";
	std::string path_buf;
	std::string_view path = slashes_view(r.path, path_buf);
	if (starts_with(path, "<internal:") || path == "(eval)" || path == "(irb)" || starts_with(path, "(eval at ")) {
		f.file = path;
		f.module = path;
		f.category = Category::Plumbing;
		return f;
	}
	auto gem_frame = [&](std::string name, std::string_view inner) {
		f.file = "gem:" + name + std::string(inner);
		f.module = "gem:" + name + std::string(strip_extension(inner));
		f.category = is_tracer_gem(name) ? Category::Plumbing : Category::Library;
	};
	size_t g = rfind_str(path, "/gems/");
	if (g != std::string::npos) {
		std::string_view rel = std::string_view(path).substr(g + 6);
		size_t slash = rel.find('/');
		std::string name = gem_name(rel.substr(0, slash));
		gem_frame(std::move(name), slash == std::string_view::npos ? std::string_view() : rel.substr(slash));
		return f;
	}
	// fp2: Rails' backtrace cleaner prints a gem's files from the gem's
	// directory, "bootsnap-1.26.0/lib/bootsnap/..." (fp1: app files); a
	// dotted version, so that a relative "shop-2/lib/x.rb" stays the app's
	if (fp2) {
		std::string_view p(path);
		size_t slash = p.find('/');
		std::string_view first = p.substr(0, slash);
		std::string name = slash == std::string_view::npos ? std::string(first) : strip_version_suffix(first);
		if (name.size() < first.size() && first.substr(name.size()).find('.') != std::string_view::npos) {
			gem_frame(std::move(name), p.substr(slash));
			return f;
		}
	}
	size_t lr = path.find("/lib/ruby/");
	if (lr != std::string::npos) {
		std::string_view rel = std::string_view(path).substr(lr + 10);
		for (const char *s : {"site_ruby/", "vendor_ruby/"})
			eat(rel, s);
		size_t slash = rel.find('/');
		if (slash != std::string_view::npos && is_version(rel.substr(0, slash)))
			rel = rel.substr(slash + 1);
		f.file = "stdlib:" + std::string(rel);
		f.module = "stdlib:" + std::string(strip_extension(rel));
		f.category = Category::Library;
		return f;
	}
	f.file = app_relative_path(path, fp2);
	f.module.assign(strip_extension(f.file));
	f.category = Category::App;
	// fp2: an executable's top level ("bin/rails:9:in '<main>'", bin/rake,
	// exe/<gem>) starts every run of the program: it never tells two errors
	// apart (fp1: an error raised inside gems while booting was keyed by it
	// alone: every boot error of a type one issue)
	if (fp2 && f.function == "<main>") {
		std::string_view dir = path.substr(0, path.rfind('/') == std::string_view::npos ? 0 : path.rfind('/'));
		std::string_view last = basename(dir);
		if (last == "bin" || last == "exe")
			f.category = Category::Plumbing;
	}
	return f;
}

class RubyParser final : public StackParser {
public:
	Lang lang() const override { return Lang::Ruby; }
	int max_line_points() const override { return 3; }

	int score(const std::vector<std::string_view> &lines) const override
	{
		int n = 0;
		for (auto l : lines) {
			std::string_view t = trim(l);
			eat(t, "from ");
			RubyLine r;
			if (find_in_label(t) != std::string_view::npos && parse_ruby_line(t, r) && r.has_label)
				n += 3;
		}
		return n;
	}

	void parse(const std::vector<std::string_view> &lines, ParsedStack &out,
	           const Cancel &cancel) const override
	{
		if (out.algorithm >= Algorithm::Fp2 && ruby_bug_layout(lines)) {
			parse_bug_report(lines, out, cancel);
			return;
		}
		ExceptionInfo *cur = nullptr;
		bool in_message = false;
		const bool fp2 = out.algorithm >= Algorithm::Fp2;
		// fp2: a "Type: message" line before the first frame (the
		// "#{e.class}: #{e.message}" + backtrace form, Rake's and Minitest's
		// reports): the exception's type and message
		std::string_view head_type, head_message;
		// fp2: Rake's (and `bin/rails` tasks') report of a chain: after the
		// exception's frames, "Caused by:", then its cause's "Type: message"
		// line and frames (fp1 kept the outer exception only)
		bool caused_by = false, cause_message = false;
		size_t i = 0;
		for (auto raw : lines) {
			if ((++i & 0x3FF) == 0)
				cancel.poll();
			std::string_view t = trim(raw);
			if (t.empty())
				continue;
			if (fp2 && cur && t == "Caused by:") {
				caused_by = true;
				in_message = false;
				continue;
			}
			if (caused_by) {
				caused_by = false;
				std::string_view type, message;
				constant_header(t, type, message);
				if (!type.empty()) {
					out.chain.emplace_back();
					cur = &out.chain.back();
					cur->depth = static_cast<int>(out.chain.size()) - 1;
					cur->role = Role::Cause;
					cur->type.assign(type);
					cur->message.assign(message.substr(0, Limits::max_message_bytes));
					cause_message = true;
					continue;
				}
			}
			bool from = eat(t, "from ");
			RubyLine r;
			if (parse_ruby_line(t, r)) {
				cause_message = false;
				if (!from && r.has_rest) {
					out.chain.emplace_back();
					cur = &out.chain.back();
					cur->depth = static_cast<int>(out.chain.size()) - 1;
					cur->role = cur->depth == 0 ? Role::Outer : Role::Cause;
					split_rest(r.rest, cur->type, cur->message);
					in_message = true;
				} else if (!cur) {
					out.chain.emplace_back();
					cur = &out.chain.back();
					cur->type.assign(head_type);
					cur->message.assign(head_message.substr(0, Limits::max_message_bytes));
				}
				if (from)
					in_message = false;
				push_frame(*cur, make_frame(r, out.algorithm >= Algorithm::Fp2));
				continue;
			}
			if (starts_with(t, "... ") && ends_with(t, "levels...")) {
				if (cur)
					cur->frames_truncated = true;
				in_message = false;
				continue;
			}
			if ((in_message || cause_message) && cur)
				append_message_line(cur->message, t);
			else if (fp2 && !cur && head_type.empty())
				constant_header(t, head_type, head_message);
		}
		if (out.algorithm >= Algorithm::Fp2)
			for (ExceptionInfo &e : out.chain)
				mark_core_methods(e);
	}

private:
	// fp2: the interpreter's crash report ("app.rb:50: [BUG] Segmentation
	// fault at 0x10", control frames, "-- Ruby level backtrace information
	// ---", machine registers, C-level frames, loaded features): the type is
	// the [BUG] reason, the frames the Ruby-level section (printed outermost
	// first); the C frames (libruby's VM) tell nothing of the site.
	static void parse_bug_report(const std::vector<std::string_view> &lines, ParsedStack &out, const Cancel &cancel)
	{
		out.chain.emplace_back();
		ExceptionInfo &ex = out.chain.back();
		bool in_ruby = false;
		size_t i = 0;
		for (std::string_view raw : lines) {
			if ((++i & 0x3FF) == 0)
				cancel.poll();
			std::string_view t = trim(raw);
			size_t bug = t.find(": [BUG] ");
			if (bug != std::string_view::npos && ex.type.empty()) {
				std::string_view reason = t.substr(bug + 8);
				ex.message.assign(reason.substr(0, Limits::max_message_bytes));
				ex.type.assign(rtrim(reason.substr(0, reason.find(" at 0x"))));
				continue;
			}
			if (starts_with(t, "-- ")) {
				in_ruby = starts_with(t, "-- Ruby level backtrace information");
				continue;
			}
			RubyLine r;
			if (in_ruby && parse_ruby_line(t, r))
				push_frame(ex, make_frame(r, true));
		}
		std::reverse(ex.frames.begin(), ex.frames.end());
		mark_core_methods(ex);
	}

	// "KeyError: key not found: :zone", "Billing::Error: boom": a class path
	// (CamelCase: PostgreSQL's "DETAIL:  Key ..." line of a multi-line
	// message is not one), ": ", the message.  The first such line counts.
	// Leaves type/message as they are otherwise.
	static void constant_header(std::string_view t, std::string_view &type, std::string_view &message)
	{
		size_t colon = t.find(": ");
		if (colon == std::string_view::npos || colon == 0 || !(t[0] >= 'A' && t[0] <= 'Z'))
			return;
		std::string_view c = t.substr(0, colon);
		bool lower = false;
		for (size_t k = 0; k < c.size(); k++) {
			char ch = c[k];
			lower = lower || (ch >= 'a' && ch <= 'z');
			if (ch == ':' && k + 2 < c.size() && c[k + 1] == ':' && c[k + 2] >= 'A' && c[k + 2] <= 'Z')
				k++;
			else if (!(is_alnum(ch) || ch == '_'))
				return;
		}
		if (!lower)
			return;
		type = c;
		message = t.substr(colon + 2);
	}

	// fp2: a method implemented in C (Integer#/, Hash#fetch, Array#map) has
	// no Ruby source: MRI prints it at its caller's file and line.  A frame
	// at exactly the location of the frame below it (its caller) is such a
	// method, unless its label is a block, rescue, ensure or <main> body
	// (one-line blocks share their line with the method they are passed to).
	// It is core library code, not the app's: "map" vs "each" is not a bug.
	static void mark_core_methods(ExceptionInfo &e)
	{
		for (size_t i = 0; i + 1 < e.frames.size(); i++) {
			Frame &f = e.frames[i];
			const Frame &caller = e.frames[i + 1];
			if (f.category != Category::App || f.line < 0 || f.line != caller.line || f.file != caller.file)
				continue;
			std::string_view fn = f.function;
			if (starts_with(fn, "block in ") || starts_with(fn, "rescue in ") || starts_with(fn, "ensure in ") ||
			    starts_with(fn, "<"))
				continue;
			f.category = Category::Library;
		}
	}
};

}  // namespace

bool
ruby_bug_layout(const std::vector<std::string_view> &lines)
{
	for (std::string_view l : lines)
		if (!l.empty() && l[0] == '-' && starts_with(l, "-- Ruby level backtrace information"))
			return true;
	return false;
}

const StackParser &
ruby_parser()
{
	static const RubyParser p;
	return p;
}

}  // namespace errtrack
