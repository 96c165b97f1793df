// Every input a fuzzer ever crashed on (test/fuzz/regressions/) runs through
// the whole fingerprint path; the ASan/UBSan build of this test is what
// proves the fix.  Inputs use the fuzz_fingerprint layout: type \0 message
// \0 stack, or the whole file as the stack.
#include <gtest/gtest.h>

#include <dirent.h>

#include "fingerprint.hpp"
#include "fixtures.hpp"
#include "message.hpp"

TEST(FuzzRegressions, AllInputsFingerprintCleanly)
{
	std::string dir = std::string(ERRTRACK_SOURCE_DIR) + "/test/fuzz/regressions";
	DIR *d = opendir(dir.c_str());
	ASSERT_NE(d, nullptr) << dir;
	int n = 0;
	while (dirent *e = readdir(d)) {
		if (e->d_name[0] == '.')
			continue;
		std::string in = errtrack_test::read_file(dir + "/" + e->d_name);
		std::string_view v(in), type, msg, stack = v;
		size_t a = v.find('\0');
		if (a != std::string_view::npos) {
			size_t b = v.find('\0', a + 1);
			if (b != std::string_view::npos) {
				type = v.substr(0, a);
				msg = v.substr(a + 1, b - a - 1);
				stack = v.substr(b + 1);
			}
		}
		errtrack::Cancel cancel;
		auto r1 = errtrack::compute_fingerprint(type, msg, stack, cancel, true);
		auto r2 = errtrack::compute_fingerprint(type, msg, stack, cancel, false);
		EXPECT_EQ(r1.digest, r2.digest) << e->d_name;
		// a join signature is well formed (fuzz_fingerprint's checks)
		errtrack::JoinSignature j = errtrack::join_signature(type, msg, stack, cancel);
		if (j.joinable) {
			EXPECT_GE(j.key.size(), 2u) << e->d_name;
			EXPECT_LE(j.path.size(), 8u) << e->d_name;
			EXPECT_EQ(j.units.size(), j.path.size()) << e->d_name;
			EXPECT_EQ(j.path.at(0), j.key.at(0)) << e->d_name;
		}
		errtrack::normalize_message(v);
		n++;
	}
	closedir(d);
	EXPECT_GT(n, 0);
}
