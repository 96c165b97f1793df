// test_detection.cpp — runtime detection's fast path (chunked scoring with
// pruning by max_line_points()) must choose exactly what the exhaustive
// loop chooses, on every real trace we can read: the fixtures, the corpus,
// the fuzz regressions and the shared data sets (skipped when absent), plus
// splices of two traces of different runtimes (close scores, ties).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fixtures.hpp"
#include "parser.hpp"
#include "text.hpp"

namespace {

using errtrack::StackParser;
using errtrack_test::list_dir;

std::vector<std::string>
jsonl_field(const std::string &path, const std::string &field, size_t limit)
{
	std::vector<std::string> out;
	for (auto &o : errtrack_test::read_jsonl(path, limit)) {
		auto it = o.find(field);
		if (it != o.end())
			out.push_back(std::move(it->second));
	}
	return out;
}

std::vector<std::string>
all_stacks()
{
	std::vector<std::string> out;
	for (auto &e : errtrack_test::real_errors())
		out.push_back(std::move(e.stack));
	std::string regs = std::string(ERRTRACK_SOURCE_DIR) + "/test/fuzz/regressions/";
	for (const std::string &f : list_dir(regs))
		out.push_back(errtrack_test::read_file(regs + f));
	std::string shared = std::string(ERRTRACK_SHARED_DIR) + "/datasets/";
	for (const char *set : {"eclipse_bugzilla_stacktraces", "ubuntu_launchpad_gdb_subset"}) {
		std::string p = shared + set + "/reports.jsonl";
		if (!errtrack_test::read_file(p).empty())
			for (auto &s : jsonl_field(p, "stack_text", 3000))
				out.push_back(s);
	}
	return out;
}

const char *
name(const StackParser *p)
{
	return p ? errtrack::lang_name(p->lang()) : "(none)";
}

void
expect_same_choice(const std::string &stack, size_t &checked)
{
	errtrack::Cancel cancel;
	errtrack::Lines lines = errtrack::split_lines(stack, cancel);
	const StackParser *fast = errtrack::detect_parser(lines.lines);
	const StackParser *ref = errtrack::detect_parser(lines.lines, true);
	EXPECT_EQ(fast, ref) << "fast " << name(fast) << " vs exhaustive " << name(ref) << " on:\n"
	                     << stack.substr(0, 600);
	checked++;
}

TEST(Detection, MaxLinePointsBoundsEveryLine)
{
	errtrack::Cancel cancel;
	size_t lines_checked = 0;
	for (const std::string &stack : all_stacks()) {
		errtrack::Lines lines = errtrack::split_lines(stack, cancel);
		size_t n = std::min<size_t>(lines.lines.size(), 64);
		for (size_t k = 0; k < n; k++) {
			std::vector<std::string_view> one{lines.lines[k]};
			for (const StackParser *p : errtrack::all_parsers())
				ASSERT_LE(p->score(one), p->max_line_points())
					<< errtrack::lang_name(p->lang()) << " on line: " << lines.lines[k];
			lines_checked++;
		}
	}
	EXPECT_GT(lines_checked, 10000u);
}

TEST(Detection, FastPathChoosesLikeExhaustiveScoring)
{
	std::vector<std::string> stacks = all_stacks();
	ASSERT_GT(stacks.size(), 2000u);  // fixtures + corpus at least
	size_t checked = 0;
	for (const std::string &s : stacks)
		expect_same_choice(s, checked);
	// Splices: the head of one trace on the tail of another of a different
	// runtime, so that two or three parsers score close to each other.
	for (size_t i = 0; i + 1 < stacks.size() && i < 4000; i += 7) {
		const std::string &a = stacks[i];
		const std::string &b = stacks[(i * 31 + 17) % stacks.size()];
		for (size_t cut : {size_t(2), size_t(5), size_t(11)}) {
			size_t pos = 0;
			for (size_t k = 0; k < cut && pos != std::string::npos; k++)
				pos = a.find('\n', pos + 1);
			std::string head = pos == std::string::npos ? a : a.substr(0, pos + 1);
			expect_same_choice(head + b, checked);
			expect_same_choice(b.substr(0, b.size() / 2) + "\n" + head, checked);
		}
	}
	EXPECT_GT(checked, 5000u);
}

}  // namespace
