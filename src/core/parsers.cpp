// parsers.cpp — parser registry, runtime detection, and the rules every
// parser's output goes through.
#include <forward_list>
#include <algorithm>
#include <cstdint>

#include "parser.hpp"
#include "preclean.hpp"

#include "core_only.hpp"

namespace errtrack {

const char *
lang_name(Lang l)
{
	switch (l) {
	case Lang::Java: return "java";
	case Lang::Python: return "python";
	case Lang::Node: return "javascript";
	case Lang::Go: return "go";
	case Lang::Ruby: return "ruby";
	case Lang::DotNet: return "dotnet";
	case Lang::Php: return "php";
	case Lang::Native: return "native";
	case Lang::Rust: return "rust";
	case Lang::Generic: return "generic";
	case Lang::Unknown: break;
	}
	return "unknown";
}

const char *
category_name(Category c)
{
	switch (c) {
	case Category::App: return "app";
	case Category::Library: return "library";
	case Category::Plumbing: return "plumbing";
	case Category::Generated: return "generated";
	}
	return "library";
}

const char *
role_name(Role r)
{
	switch (r) {
	case Role::Outer: return "outer";
	case Role::Cause: return "cause";
	case Role::Suppressed: return "suppressed";
	}
	return "outer";
}

std::string
Frame::key() const
{
	std::string k;
	k.reserve(16 + module.size() + function.size());
	k.append(lang_name(lang));
	k.push_back(':');
	k.append(module);
	k.append("::");
	k.append(function);
	return k;
}

size_t
ParsedStack::total_frames() const
{
	size_t n = 0;
	for (const auto &e : chain)
		n += e.frames.size();
	return n;
}

void
push_frame(ExceptionInfo &ex, Frame &&f)
{
	if (ex.frames.size() >= Limits::max_frames_per_exception) {
		ex.frames_truncated = true;
		return;
	}
	// Recursion: consecutive frames with the same key collapse into one.
	if (!ex.frames.empty() && ex.frames.back().lang == f.lang &&
	    ex.frames.back().function == f.function && ex.frames.back().module == f.module)
		return;
	if (ex.frames.empty())
		ex.frames.reserve(16);  // most exceptions have a dozen frames or more: skip the first regrowths
	ex.frames.push_back(std::move(f));
}

void
split_type_message(std::string_view header, std::string &type, std::string &message)
{
	header = trim(header);
	size_t colon = header.find(": ");
	if (colon == std::string_view::npos) {
		if (ends_with(header, ":"))
			header = header.substr(0, header.size() - 1);
		type.assign(header);
		message.clear();
		return;
	}
	type.assign(trim(header.substr(0, colon)));
	message.assign(trim(header.substr(colon + 2)));
}

const std::vector<const StackParser *> &
all_parsers()
{
	// Order breaks detection ties: Java before .NET before Node ("at X.y(").
	static const std::vector<const StackParser *> parsers = {
		&java_parser(),  &dotnet_parser(), &node_parser(),   &python_parser(), &go_parser(),
		&ruby_parser(),  &php_parser(),    &native_parser(), &rust_parser(),
	};
	return parsers;
}

const StackParser *
parser_for(Lang lang)
{
	if (lang == Lang::Generic)
		return &generic_parser();
	for (const StackParser *p : all_parsers())
		if (p->lang() == lang)
			return p;
	return nullptr;
}

const StackParser *
detect_parser(const std::vector<std::string_view> &lines, bool exhaustive)
{
	// Detection looks at the first 64 non-empty lines only: constant work.
	constexpr size_t kHead = 64;
	std::string_view head[kHead];
	LineShape shape[kHead];
	size_t n = 0;
	for (auto l : lines) {
		std::string_view t = trim(l);
		if (t.empty())
			continue;
		head[n] = l;
		shape[n].first = static_cast<unsigned char>(t[0]);
		shape[n].raw_first = static_cast<unsigned char>(l[0]);
		shape[n].has_at = t.find('@') != std::string_view::npos;
		if (++n >= kHead)
			break;
	}
	const std::vector<const StackParser *> &parsers = all_parsers();
	const size_t np = parsers.size();
	constexpr size_t kMaxParsers = 16;
	static_assert(kHead <= 255, "line indexes are bytes");
	if (np > kMaxParsers)
		throw Error(ErrorClass::Internal, "detection supports at most 16 parsers");
	std::vector<std::string_view> buf;
	buf.reserve(kHead);
	if (exhaustive) {
		const StackParser *chosen = nullptr;
		int best = 0;
		for (size_t k = 0; k < n; k++)  // (not assign(head, head + n): GCC 12 -Warray-bounds false positive)
			buf.push_back(head[k]);
		for (const StackParser *p : parsers) {
			int s = n == 0 ? 0 : p->score(buf);
			if (s > best) {
				best = s;
				chosen = p;
			}
		}
		return chosen;
	}
	// Each parser scores only the lines it may give points to (the others
	// add nothing to its sum).  may_score() depends on the shape only: asked
	// once per distinct shape (traces repeat a few shapes).
	uint8_t sel[kMaxParsers][kHead];
	size_t cnt[kMaxParsers] = {};
	uint32_t seen_key[8], seen_mask[8];
	size_t seen = 0;
	for (size_t k = 0; k < n; k++) {
		uint32_t key = shape[k].first | (uint32_t(shape[k].raw_first) << 8) | (uint32_t(shape[k].has_at) << 16);
		size_t c = 0;
		while (c < seen && seen_key[c] != key)
			c++;
		if (c == seen) {
			uint32_t m = 0;
			for (size_t pi = 0; pi < np; pi++)
				if (parsers[pi]->may_score(shape[k]))
					m |= uint32_t(1) << pi;
			if (seen == 8)
				c = 7;  // replace the last entry
			else
				seen++;
			seen_key[c] = key;
			seen_mask[c] = m;
		}
		for (size_t pi = 0; pi < np; pi++)
			if (seen_mask[c] & (uint32_t(1) << pi))
				sel[pi][cnt[pi]++] = static_cast<uint8_t>(k);
	}
	// score() is a sum over lines, so it is taken in chunks: first a short
	// one for every parser, then the rest, the most promising parser first,
	// dropping a parser as soon as max_line_points() on each of its
	// remaining lines could not beat the best so far.  Same choice as the
	// exhaustive loop: the highest score, ties to the earlier parser.
	constexpr size_t kFirstChunk = 4, kChunk = 4;
	int part[kMaxParsers];
	size_t done[kMaxParsers];
	size_t order[kMaxParsers];
	auto score_range = [&](size_t pi, size_t from, size_t to) {
		buf.clear();
		for (size_t k = from; k < to; k++)
			buf.push_back(head[sel[pi][k]]);
		return buf.empty() ? 0 : parsers[pi]->score(buf);
	};
	for (size_t pi = 0; pi < np; pi++) {
		done[pi] = std::min(cnt[pi], kFirstChunk);
		part[pi] = score_range(pi, 0, done[pi]);
		order[pi] = pi;
	}
	for (size_t a = 1; a < np; a++)  // insertion sort, stable: higher partial score first
		for (size_t b = a; b > 0 && part[order[b - 1]] < part[order[b]]; b--)
			std::swap(order[b - 1], order[b]);
	const StackParser *chosen = nullptr;
	size_t best_pi = np;
	int best = 0;
	for (size_t o = 0; o < np; o++) {
		size_t pi = order[o];
		// the score pi needs to take the lead
		int need = (chosen && pi < best_pi) ? best : best + 1;
		int s = part[pi];
		size_t k = done[pi];
		const long max_pts = parsers[pi]->max_line_points();
		while (k < cnt[pi] && s + max_pts * long(cnt[pi] - k) >= need) {
			size_t to = std::min(cnt[pi], k + kChunk);
			s += score_range(pi, k, to);
			k = to;
		}
		if (k == cnt[pi] && s >= need) {
			best = s;
			best_pi = pi;
			chosen = parsers[pi];
		}
	}
	return chosen;
}

bool
stack_overflow(const ExceptionInfo &e)
{
	std::string_view t = e.type, m = e.message;
	return ends_with(t, "StackOverflowError") || ends_with(t, "StackOverflowException") || t == "RecursionError" ||
	       t == "SystemStackError" || (t == "RangeError" && m.find("Maximum call stack size exceeded") != std::string_view::npos) ||
	       (t == "InternalError" && m.find("too much recursion") != std::string_view::npos) ||
	       m.find("goroutine stack exceeds") != std::string_view::npos || t == "stack overflow" ||
	       (t == "fatal error" && starts_with(m, "stack overflow"));
}

void
overflow_cycle_phase(ExceptionInfo &e)
{
	std::vector<Frame> &f = e.frames;
	auto same = [&](size_t a, size_t b) {
		return f[a].lang == f[b].lang && f[a].function == f[b].function && f[a].module == f[b].module;
	};
	// the cycle may start below a few frames of where the stack ran out
	// (Go's runtime.morestack, a library call made from the cycle)
	constexpr size_t kMaxPeriod = 8, kRepeats = 3, kMaxOffset = 4;
	for (size_t o = 0; o <= kMaxOffset; o++)
	for (size_t p = 2; p <= kMaxPeriod && o + p * kRepeats <= f.size(); p++) {
		bool cycle = true;
		for (size_t i = o; cycle && i + p < o + p * kRepeats; i++)
			cycle = same(i, i + p);
		if (!cycle)
			continue;
		// the phase: the cycle's frame whose (module, function) sorts first
		size_t r = o;
		for (size_t i = o + 1; i < o + p; i++) {
			int c = f[i].module.compare(f[r].module);
			if (c < 0 || (c == 0 && f[i].function < f[r].function))
				r = i;
		}
		// and the cycle alone: below it, how much of the recursion and of
		// its callers a trace shows depends on the depth reached and on the
		// runtime's frame limit (V8's 10, the JVM's 1024)
		std::vector<Frame> turn(std::make_move_iterator(f.begin() + static_cast<std::ptrdiff_t>(r)),
		                         std::make_move_iterator(f.begin() + static_cast<std::ptrdiff_t>(r + p)));
		f.swap(turn);
		e.frames_truncated = true;
		return;
	}
}

ParsedStack
parse_stack(std::string_view text, Lang hint, const Cancel &cancel, Algorithm algorithm)
{
	ParsedStack out;
	if (text.size() > Limits::max_input_bytes)
		throw Error(ErrorClass::TooLarge, "stack trace of " + std::to_string(text.size()) +
		                                       " bytes exceeds the 64 MB limit");
	Lines lines = split_lines(text, cancel);
	if (lines.lines.empty())
		return out;
	std::forward_list<std::string> side;  // fp2_preclean's rewritten lines (outlives the parse)
	if (algorithm >= Algorithm::Fp2)
		fp2_preclean(lines.lines, side, cancel);
	out.algorithm = algorithm;

	const StackParser *chosen = hint == Lang::Unknown ? nullptr : parser_for(hint);
	// fp2: a Rust error report is a chain even without a backtrace
	const bool report = algorithm >= Algorithm::Fp2 && (!chosen || chosen == &rust_parser()) &&
	                    rust_report_layout(lines.lines);
	if (report)
		chosen = &rust_parser();
	// fp2: whole formats fp1 never detected (parser.hpp), chosen before
	// detection so that fp1's detection stays as it was
	static constexpr struct {
		bool (*layout)(const std::vector<std::string_view> &);
		const StackParser &(*parser)();
	} whole_formats[] = {{valgrind_layout, native_parser}, {tombstone_layout, native_parser}, {lldb_layout, native_parser},
	                     {php_error_layout, php_parser},
	                     {ruby_bug_layout, ruby_parser},   {hs_err_layout, java_parser},
	                     {mono_crash_layout, dotnet_parser}};
	if (!chosen && algorithm >= Algorithm::Fp2) {
		for (const auto &w : whole_formats) {
			if (w.layout(lines.lines)) {
				chosen = &w.parser();
				break;
			}
		}
	}
	if (!chosen) {
		chosen = detect_parser(lines.lines);
		if (chosen == &dotnet_parser() && algorithm >= Algorithm::Fp2 && v8_windows_layout(lines.lines))
			chosen = &node_parser();
		else if (chosen == &java_parser() && algorithm >= Algorithm::Fp2 && dotnet_signature_layout(lines.lines))
			chosen = &dotnet_parser();
		else if (algorithm >= Algorithm::Fp2 && (chosen == &node_parser() || !chosen) &&
		         gdb_wrapped_layout(lines.lines, chosen ? 2 : 1))
			chosen = &native_parser();
		// fp2: elfutils' eu-stack frames ("#0  0x7f.. raise - libc.so.6")
		// score for no runtime
		if (!chosen && algorithm >= Algorithm::Fp2 && eustack_layout(lines.lines))
			chosen = &native_parser();
	}
	if (chosen) {
		out.lang = chosen->lang();
		chosen->parse(lines.lines, out, cancel);
	}
	if (out.total_frames() == 0 && !(report && out.chain.size() > 1)) {
		ParsedStack generic;
		generic.lang = Lang::Generic;
		generic.algorithm = algorithm;
		generic_parser().parse(lines.lines, generic, cancel);
		// Keep the header the runtime parser found (type/message), if any.
		if (!out.chain.empty() && !generic.chain.empty()) {
			generic.chain[0].type = out.chain[0].type;
			generic.chain[0].message = out.chain[0].message;
		}
		out = std::move(generic);
	}
	if (algorithm >= Algorithm::Fp2)
		for (ExceptionInfo &e : out.chain)
			if (stack_overflow(e))
				overflow_cycle_phase(e);
	if (out.chain.size() > Limits::max_exceptions) {
		// Keep the outermost few and the deepest causes (the root cause is
		// what grouping needs); drop the middle of absurdly deep chains.
		const size_t keep_outer = 16;
		out.chain.erase(out.chain.begin() + keep_outer,
		                out.chain.end() - (Limits::max_exceptions - keep_outer));
		out.input_truncated = true;
	}
	return out;
}

}  // namespace errtrack
