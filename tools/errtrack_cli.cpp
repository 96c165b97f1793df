// errtrack_cli.cpp — the core's fingerprint outside PostgreSQL, for the
// grouping-quality scorer and for debugging.
//
//   errtrack-cli fingerprint < records     records: type \0 message \0 stack \0 ...
//                                          prints one uuid per record
//   errtrack-cli explain     < records     prints the explain text per record
//   errtrack-cli stack       < file        prints normalize_stack of the file
#include <cstdio>
#include <cstring>
#include <iostream>
#include <iterator>
#include <string>

#include "fingerprint.hpp"
#include "message.hpp"

int
main(int argc, char **argv)
{
	if (argc < 2) {
		std::fprintf(stderr, "usage: errtrack-cli fingerprint|explain|stack|message < input\n");
		return 2;
	}
	std::string mode = argv[1];
	std::string in((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
	errtrack::Cancel cancel;
	try {
		if (mode == "stack") {
			std::cout << errtrack::normalize_stack_text(in, cancel) << "\n";
			return 0;
		}
		if (mode == "message") {
			std::cout << errtrack::normalize_message(in) << "\n";
			return 0;
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
		std::string t, m, s;
		while (next(t) && next(m) && next(s)) {
			auto r = errtrack::compute_fingerprint(t, m, s, cancel, mode == "explain");
			if (mode == "explain")
				std::cout << r.explain << "\n";
			else
				std::cout << errtrack::digest_to_uuid_text(r.digest) << "\n";
		}
	} catch (const std::exception &e) {
		std::fprintf(stderr, "errtrack-cli: %s\n", e.what());
		return 1;
	}
	return 0;
}
