// errtrack_cli.cpp — the core's fingerprint outside PostgreSQL, for the
// grouping-quality scorer (tools/grouping_score.py) and for debugging.
//
//   errtrack-cli fingerprint < records     records: type \0 message \0 stack \0 ...
//                                          prints one uuid per record
//   errtrack-cli explain     < records     prints the explain text per record
//                                          (records separated by an empty line)
//   errtrack-cli parse       < records     prints one JSON object per record and line:
//                                          the parsed exception chain (see below)
//   errtrack-cli issues      < records     prints one uuid per record: its issue as errtrack.refresh()
//                                          assigns it, records taken as one service's events in
//                                          time order (refactor joins, fingerprint.hpp): the
//                                          fingerprint of the issue's first event
//   errtrack-cli stack       < file        prints normalize_stack of the file
//   errtrack-cli message     < file        prints normalize_message of the file
//
// fingerprint, explain and message use the current algorithm
// (errtrack.fingerprint()); `errtrack-cli fingerprint fp1` / `explain fp1` /
// `message fp1` use the one named.
//
// A record whose processing throws errtrack::Error (e.g. an input over a size
// limit) still produces exactly one output item, so outputs stay aligned with
// inputs: "error" instead of a uuid, {"error": "..."} in parse mode, and
// "error: ..." in explain mode; the exit status is then 1.
//
// parse output, one line per record:
//   {"lang": "java", "input_truncated": false,
//    "chain": [{"type": "...", "message": "...", "role": "outer|cause|suppressed",
//               "depth": 0, "frames_truncated": false,
//               "frames": [{"function": "...", "module": "...", "file": "...",
//                           "line": 12, "in_app": true, "category": "app",
//                           "key": "java:com.x.Foo::bar"}, ...]}, ...]}
// Frames are innermost first (throw site first), as in model.hpp. Strings are
// valid UTF-8 JSON (invalid input bytes become U+FFFD).
#include <cstdio>
#include <cstring>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "fingerprint.hpp"
#include "message.hpp"
#include "parser.hpp"

namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 if invalid.
size_t
utf8_len(const std::string &s, size_t i)
{
	unsigned char c = static_cast<unsigned char>(s[i]);
	size_t n;
	unsigned min;
	unsigned cp;
	if (c < 0x80)
		return 1;
	if ((c & 0xE0) == 0xC0) {
		n = 2;
		cp = c & 0x1F;
		min = 0x80;
	} else if ((c & 0xF0) == 0xE0) {
		n = 3;
		cp = c & 0x0F;
		min = 0x800;
	} else if ((c & 0xF8) == 0xF0) {
		n = 4;
		cp = c & 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (i + n > s.size())
		return 0;
	for (size_t k = 1; k < n; k++) {
		unsigned char d = static_cast<unsigned char>(s[i + k]);
		if ((d & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (d & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return n;
}

void
json_string(std::string &out, const std::string &s)
{
	static const char hex[] = "0123456789abcdef";
	out.push_back('"');
	for (size_t i = 0; i < s.size();) {
		unsigned char c = static_cast<unsigned char>(s[i]);
		if (c >= 0x80) {
			size_t n = utf8_len(s, i);
			if (n == 0) {
				out.append("\\ufffd");
				i++;
			} else {
				out.append(s, i, n);
				i += n;
			}
			continue;
		}
		switch (c) {
		case '"': out.append("\\\""); break;
		case '\\': out.append("\\\\"); break;
		case '\n': out.append("\\n"); break;
		case '\r': out.append("\\r"); break;
		case '\t': out.append("\\t"); break;
		default:
			if (c < 0x20 || c == 0x7f) {
				out.append("\\u00");
				out.push_back(hex[c >> 4]);
				out.push_back(hex[c & 15]);
			} else {
				out.push_back(static_cast<char>(c));
			}
		}
		i++;
	}
	out.push_back('"');
}

std::string
parse_json(const std::string &stack, const errtrack::Cancel &cancel)
{
	using namespace errtrack;
	ParsedStack ps;
	if (!trim(stack).empty())
		ps = parse_stack(stack, Lang::Unknown, cancel);
	std::string o;
	o.append("{\"lang\": ");
	json_string(o, lang_name(ps.lang));
	o.append(", \"input_truncated\": ").append(ps.input_truncated ? "true" : "false");
	o.append(", \"chain\": [");
	bool first_e = true;
	for (const ExceptionInfo &e : ps.chain) {
		if (!first_e)
			o.append(", ");
		first_e = false;
		o.append("{\"type\": ");
		json_string(o, e.type);
		o.append(", \"message\": ");
		json_string(o, e.message);
		o.append(", \"role\": ");
		json_string(o, role_name(e.role));
		o.append(", \"depth\": ").append(std::to_string(e.depth));
		o.append(", \"frames_truncated\": ").append(e.frames_truncated ? "true" : "false");
		o.append(", \"frames\": [");
		bool first_f = true;
		for (const Frame &f : e.frames) {
			if (!first_f)
				o.append(", ");
			first_f = false;
			o.append("{\"function\": ");
			json_string(o, f.function);
			o.append(", \"module\": ");
			json_string(o, f.module);
			o.append(", \"file\": ");
			json_string(o, f.file);
			o.append(", \"line\": ");
			if (f.line >= 0)
				o.append(std::to_string(f.line));
			else
				o.append("null");
			o.append(", \"in_app\": ").append(f.in_app() ? "true" : "false");
			o.append(", \"category\": ");
			json_string(o, category_name(f.category));
			o.append(", \"key\": ");
			json_string(o, f.key());
			o.push_back('}');
		}
		o.append("]}");
	}
	o.append("]}");
	return o;
}

}  // namespace

int
main(int argc, char **argv)
{
	if (argc < 2) {
		std::fprintf(stderr, "usage: errtrack-cli fingerprint|explain|issues [fp1|fp2] < records\n"
		                     "       errtrack-cli parse < records | stack < file | message [fp1|fp2] < file\n");
		return 2;
	}
	std::string mode = argv[1];
	if (mode != "fingerprint" && mode != "explain" && mode != "parse" && mode != "stack" &&
	    mode != "message" && mode != "issues") {
		std::fprintf(stderr, "errtrack-cli: unknown mode '%s'\n", mode.c_str());
		return 2;
	}
	errtrack::Algorithm algorithm = errtrack::kCurrentAlgorithm;
	if (argc > 2 && !errtrack::algorithm_from_name(argv[2], algorithm)) {
		std::fprintf(stderr, "errtrack-cli: unknown fingerprint algorithm '%s' (fp1, fp2)\n", argv[2]);
		return 2;
	}
	std::ios::sync_with_stdio(false);
	std::string in((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
	errtrack::Cancel cancel;
	try {
		if (mode == "stack") {
			std::cout << errtrack::normalize_stack_text(in, cancel) << "\n";
			return 0;
		}
		if (mode == "message") {
			std::cout << errtrack::normalize_message(in, {}, algorithm) << "\n";
			return 0;
		}
	} catch (const std::exception &e) {
		std::fprintf(stderr, "errtrack-cli: %s\n", e.what());
		return 1;
	}
	size_t pos = 0;
	auto next = [&](std::string &out) {
		size_t z = in.find('\0', pos);
		if (z == std::string::npos)
			return false;
		out.assign(in, pos, z - pos);
		pos = z + 1;
		return true;
	};
	int status = 0;
	size_t n = 0;
	std::string t, m, s, line;
	// issues mode: the issues errtrack.refresh() makes (errtrack::IssueJoiner),
	// each named by the fingerprint that opened it
	errtrack::IssueJoiner joiner;
	std::vector<std::string> issue_ids;
	while (next(t) && next(m) && next(s)) {
		n++;
		try {
			if (mode == "parse") {
				line = parse_json(s, cancel);
			} else {
				auto r = errtrack::compute_fingerprint(t, m, s, cancel, mode == "explain", algorithm);
				line = mode == "explain" ? r.explain : errtrack::digest_to_uuid_text(r.digest);
				if (mode == "issues") {
					size_t issue = joiner.issue(
						r.digest, [&] { return errtrack::join_signature(t, m, s, cancel, algorithm); });
					if (issue == issue_ids.size())
						issue_ids.push_back(line);
					line = issue_ids[issue];
				}
			}
		} catch (const std::exception &e) {
			std::fprintf(stderr, "errtrack-cli: record %zu: %s\n", n, e.what());
			status = 1;
			if (mode == "parse") {
				line = "{\"error\": ";
				json_string(line, e.what());
				line.push_back('}');
			} else if (mode == "explain") {
				line = std::string("error: ") + e.what() + "\n";
			} else {
				line = "error";
			}
		}
		std::cout << line << "\n";
	}
	if (pos < in.size())
		std::fprintf(stderr, "errtrack-cli: ignoring %zu trailing bytes (incomplete record)\n",
		             in.size() - pos);
	std::cout.flush();
	return status;
}
