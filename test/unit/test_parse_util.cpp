// test_parse_util.cpp — putil::PrefixSet gives the same answers as the plain
// linear scans (starts_with_any / in_any_namespace) it replaces.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "parse_util.hpp"

namespace {

using errtrack::putil::in_any_namespace;
using errtrack::putil::PrefixSet;
using errtrack::putil::starts_with_any;

// Long shared heads ("org.", "com."), every tier length (1-3, 4-7, >= 8),
// prefixes that are prefixes of each other, and a separator inside entries.
#define PREFIXES                                                                                         \
	"a", "io", "sun", "java.", "javax.", "jdk.", "org.", "org.apache.", "org.apache.commons.",          \
		"org.eclipse.jetty.", "org.springframework.", "org.springframework.aop.", "com.google.",        \
		"com.sun.", "System", "System.Runtime", "Microsoft.Extensions", "x.y", "zzzzzzzz", "zzzzzzz"

std::vector<std::string>
probes()
{
	std::vector<std::string> v = {"", "a", "ab", "i", "io", "io.netty", "sun", "sun.", "su", "java", "java.",
	                              "java.lang.Thread", "javax", "javax.servlet", "jdk", "org", "org.",
	                              "org.eclipse.jetty", "org.eclipse.jetty.server.Server", "org.eclipse.ui.X",
	                              "org.apache", "org.apache.", "org.apache.commons.lang3.X",
	                              "org.springframework.aop.X", "org.springframeworkx", "com.google", "com.googlex",
	                              "com.acme.Foo", "System", "System.IO", "SystemX", "System.Runtime.Foo",
	                              "Microsoft.Extensions", "Microsoft.Extensions.Logging", "x.y", "x.yz", "x",
	                              "zzzzzzz", "zzzzzzzz", "zzzzzzzzz", "zzzzzz"};
	// Random strings over a small alphabet, so heads of the list recur.
	std::mt19937 rng(42);
	const std::string alphabet = "ajvorgsmcSyzxi.ecpl";
	for (int i = 0; i < 20000; i++) {
		std::string s;
		size_t n = rng() % 24;
		for (size_t k = 0; k < n; k++)
			s.push_back(alphabet[rng() % alphabet.size()]);
		v.push_back(s);
	}
	// Random prefixes of list entries, with random tails.
	const std::vector<std::string> entries = {PREFIXES};
	for (int i = 0; i < 20000; i++) {
		std::string s = entries[rng() % entries.size()];
		s = s.substr(0, rng() % (s.size() + 1));
		size_t tail = rng() % 6;
		for (size_t k = 0; k < tail; k++)
			s.push_back(alphabet[rng() % alphabet.size()]);
		v.push_back(s);
	}
	return v;
}

TEST(PrefixSet, SameAnswersAsLinearScans)
{
	const PrefixSet set{PREFIXES};
	size_t starts = 0, in_ns = 0;
	for (const std::string &s : probes()) {
		bool want_starts = starts_with_any(s, {PREFIXES});
		ASSERT_EQ(set.starts(s), want_starts) << "starts(\"" << s << "\")";
		for (char sep : {'.', ':'}) {
			bool want_ns = in_any_namespace(s, {PREFIXES}, sep);
			ASSERT_EQ(set.in_namespace(s, sep), want_ns) << "in_namespace(\"" << s << "\", '" << sep << "')";
			in_ns += want_ns;
		}
		starts += want_starts;
	}
	// The probes exercise both answers.
	EXPECT_GT(starts, 1000u);
	EXPECT_GT(in_ns, 100u);
}

TEST(PrefixSet, EmptyEntryMatchesEverythingAndEmptySetNothing)
{
	const PrefixSet with_empty{"", "org."};
	EXPECT_TRUE(with_empty.starts("anything"));
	EXPECT_TRUE(with_empty.starts(""));
	EXPECT_TRUE(with_empty.in_namespace("", '.'));
	EXPECT_TRUE(with_empty.in_namespace(".x", '.'));
	EXPECT_FALSE(with_empty.in_namespace("x", '.'));
	const PrefixSet none{};
	EXPECT_FALSE(none.starts("org.x"));
	EXPECT_FALSE(none.starts(""));
	EXPECT_FALSE(none.in_namespace("org", '.'));
}

}  // namespace
