// test_parse_native.cpp — the C/C++ parser on real gcc 12 / gdb 13 /
// ASan / boost::stacktrace output (test/fixtures/stacks/cpp).
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "fingerprint.hpp"
#include "parser.hpp"

namespace {

using errtrack::Category;
using errtrack::Lang;
using errtrack::ParsedStack;
using errtrack::Role;

std::string
read_file(const std::string &path)
{
	std::ifstream in(path, std::ios::binary);
	std::stringstream ss;
	ss << in.rdbuf();
	return ss.str();
}

// A fixture produced by the real runtime (test/fixtures/stacks/<lang>/).
std::string
fixture(const std::string &lang, const std::string &name)
{
	std::string s = read_file(std::string(ERRTRACK_SOURCE_DIR) + "/test/fixtures/stacks/" + lang + "/" + name);
	EXPECT_FALSE(s.empty()) << "missing fixture " << lang << "/" << name;
	return s;
}

ParsedStack
parse(const std::string &s)
{
	errtrack::Cancel cancel;
	return errtrack::parse_stack(s, Lang::Unknown, cancel);
}

errtrack::Digest128
fp(const std::string &stack, const std::string &type = "", const std::string &msg = "")
{
	errtrack::Cancel cancel;
	return errtrack::compute_fingerprint(type, msg, stack, cancel).digest;
}

std::vector<std::string>
keys(const errtrack::ExceptionInfo &e, bool skip_plumbing = true)
{
	std::vector<std::string> k;
	for (const auto &f : e.frames)
		if (f.function != "??" &&  // unsymbolised frames (kept as "<object>::??") are checked separately
		    (!skip_plumbing || (f.category != Category::Plumbing && f.category != Category::Generated)))
			k.push_back(f.key());
	return k;
}

// Minimal reader for the corpus' flat JSON lines (string and number fields).
std::map<std::string, std::string>
json_fields(const std::string &line)
{
	std::map<std::string, std::string> out;
	size_t i = 0;
	auto str = [&](std::string &s) {
		i++;  // opening quote
		while (i < line.size() && line[i] != '"') {
			char c = line[i++];
			if (c == '\\' && i < line.size()) {
				char e = line[i++];
				switch (e) {
				case 'n': s.push_back('\n'); break;
				case 't': s.push_back('\t'); break;
				case 'r': s.push_back('\r'); break;
				case 'u': {
					unsigned v = std::stoul(line.substr(i, 4), nullptr, 16);
					i += 4;
					if (v < 0x80) s.push_back(static_cast<char>(v));
					else if (v < 0x800) { s.push_back(static_cast<char>(0xC0 | (v >> 6))); s.push_back(static_cast<char>(0x80 | (v & 0x3F))); }
					else { s.push_back(static_cast<char>(0xE0 | (v >> 12))); s.push_back(static_cast<char>(0x80 | ((v >> 6) & 0x3F))); s.push_back(static_cast<char>(0x80 | (v & 0x3F))); }
					break;
				}
				default: s.push_back(e);
				}
			} else {
				s.push_back(c);
			}
		}
		i++;
	};
	while (i < line.size()) {
		if (line[i] != '"') { i++; continue; }
		std::string k, v;
		str(k);
		while (i < line.size() && (line[i] == ':' || line[i] == ' ')) i++;
		if (i < line.size() && line[i] == '"') str(v);
		else { while (i < line.size() && line[i] != ',' && line[i] != '}') v.push_back(line[i++]); }
		out[k] = v;
	}
	return out;
}

struct CorpusResult {
	size_t rows = 0, labels = 0;
	size_t merged = 0;             // fingerprints shared by two different bugs
	size_t deploys_agree = 0;      // labels whose deploy-1 and deploy-2 share a fingerprint
	std::vector<std::string> disagree;
};

// Same bug across deploys (deploy 1 vs 2: new install paths, moved lines)
// and different bugs apart, on the labelled corpus from the real runtimes.
[[maybe_unused]] bool
corpus(const std::string &lang, CorpusResult &r)
{
	std::ifstream in(std::string(ERRTRACK_SOURCE_DIR) + "/test/corpus/data/" + lang + ".jsonl");
	if (!in)
		return false;
	std::map<std::string, std::set<std::string>> fp_labels;
	std::map<std::string, std::map<std::string, std::set<std::string>>> label_deploy_fps;
	std::string line;
	while (std::getline(in, line)) {
		if (line.empty())
			continue;
		auto f = json_fields(line);
		std::string d = errtrack::digest_to_uuid_text(fp(f["error_stack"], f["error_type"], f["error_message"]));
		fp_labels[d].insert(f["label"]);
		label_deploy_fps[f["label"]][f["deploy"]].insert(d);
		r.rows++;
	}
	r.labels = label_deploy_fps.size();
	for (auto &p : fp_labels)
		if (p.second.size() > 1)
			r.merged++;
	for (auto &p : label_deploy_fps) {
		auto &a = p.second["1"], &b = p.second["2"];
		bool common = false;
		for (auto &x : a)
			common = common || b.count(x);
		if (common)
			r.deploys_agree++;
		else
			r.disagree.push_back(p.first);
	}
	return true;
}

}  // namespace

TEST(ParseNative, GdbTemplatesAndLibstdcxx)
{
	ParsedStack ps = parse(fixture("cpp", "gdb_bt_segv_template.txt"));
	ASSERT_EQ(ps.lang, Lang::Native);
	const auto &fr = ps.chain[0].frames;
	ASSERT_EQ(fr.size(), 3u);
	EXPECT_EQ(fr[0].module, "std::basic_string<T>");  // std::__cxx11 + template args normalised
	EXPECT_EQ(fr[0].function, "find");
	EXPECT_EQ(fr[0].category, Category::Library);
	EXPECT_EQ(fr[1].module, "shop");
	EXPECT_EQ(fr[1].function, "domain_of");
	EXPECT_EQ(fr[1].category, Category::App);
	EXPECT_EQ(fr[1].line, 30);
	EXPECT_EQ(fp(fixture("cpp", "gdb_bt_segv_template.txt")), fp(fixture("cpp", "gdb_bt_segv_template_2.txt")));
}

TEST(ParseNative, AbortAssertPlumbing)
{
	ParsedStack ps = parse(fixture("cpp", "gdb_bt_assert_abort.txt"));
	const auto &fr = ps.chain[0].frames;
	for (size_t k = 0; k + 2 < fr.size(); k++)
		EXPECT_EQ(fr[k].category, Category::Plumbing) << fr[k].key();
	EXPECT_EQ(fr[fr.size() - 2].key(), "native:shop::checkout");
	ParsedStack u = parse(fixture("cpp", "gdb_bt_uncaught_exception.txt"));
	for (const auto &f : u.chain[0].frames) {
		if (f.function == "??") {  // unsymbolised: kept only with the object it ran in, as library
			EXPECT_FALSE(f.module.empty());
			EXPECT_EQ(f.category, Category::Library);
		}
	}
	EXPECT_EQ(keys(u.chain[0])[0], "native:::operator()");  // gdb lambda
}

TEST(ParseNative, BacktraceSymbolsDemangledAndOptLevels)
{
	ParsedStack ps = parse(fixture("cpp", "backtrace_symbols.txt"));
	std::vector<std::string> k = keys(ps.chain[0]);
	ASSERT_GE(k.size(), 2u);
	EXPECT_EQ(k[0], "native:shop::print_backtrace_symbols");
	EXPECT_EQ(k[1], "native:shop::charge_card");
	bool main_is_plumbing = false;  // main() is in every crash: plumbing
	for (const auto &f : ps.chain[0].frames)
		main_is_plumbing = main_is_plumbing || (f.function == "main" && f.category == Category::Plumbing);
	EXPECT_TRUE(main_is_plumbing);
	// -O0 vs -O2 build (a static helper without a symbol disappears)
	EXPECT_EQ(fp(fixture("cpp", "backtrace_symbols.txt")), fp(fixture("cpp", "backtrace_symbols_O2.txt")));
}

TEST(ParseNative, BoostLambda)
{
	ParsedStack ps = parse(fixture("cpp", "boost_stacktrace.txt"));
	std::vector<std::string> k = keys(ps.chain[0]);
	ASSERT_GE(k.size(), 3u);
	EXPECT_EQ(k[0], "native:shop::report_invalid_quantity");
	EXPECT_EQ(k[1], "native:shop::parse_quantities::lambda");
	EXPECT_EQ(k[2], "native:shop::parse_quantities");
}

TEST(ParseNative, AsanReport)
{
	ParsedStack ps = parse(fixture("cpp", "asan_heap_use_after_free.txt"));
	ASSERT_EQ(ps.lang, Lang::Native);
	EXPECT_EQ(ps.chain[0].type, "heap-use-after-free");
	const auto &fr = ps.chain[0].frames;
	ASSERT_GE(fr.size(), 2u);
	EXPECT_EQ(fr[0].key(), "native:shop::use_after_free");
	EXPECT_EQ(fr[0].category, Category::App);
	for (const auto &f : fr)
		EXPECT_NE(f.function, "operator delete[]");  // "freed by" stack not read
}

TEST(ParseNative, DifferentBugsDiffer)
{
	EXPECT_NE(fp(fixture("cpp", "gdb_bt_segv_template.txt")), fp(fixture("cpp", "gdb_bt_lambda_segv.txt")));
	EXPECT_NE(fp(fixture("cpp", "gdb_bt_assert_abort.txt")), fp(fixture("cpp", "gdb_bt_uncaught_exception.txt")));
}

TEST(ParseNative, PhpAndGoNotStolen)
{
	EXPECT_EQ(parse(fixture("php", "tostring_simple.txt")).lang, Lang::Php);
	EXPECT_EQ(parse(fixture("go", "panic_nil_map.txt")).lang, Lang::Go);
}
