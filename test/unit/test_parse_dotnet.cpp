// test_parse_dotnet.cpp — the .NET parser on real Mono 6.8 output
// (test/fixtures/stacks/dotnet) and the labelled .NET corpus.
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
		if (!skip_plumbing || (f.category != Category::Plumbing && f.category != Category::Generated))
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
bool
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

TEST(ParseDotNet, InnerExceptionChain)
{
	ParsedStack ps = parse(fixture("dotnet", "inner_exception.txt"));
	ASSERT_EQ(ps.lang, Lang::DotNet);
	ASSERT_EQ(ps.chain.size(), 2u);
	EXPECT_EQ(ps.chain[0].type, "System.InvalidOperationException");
	EXPECT_EQ(ps.chain[0].message, "Order 4711 could not be placed");
	EXPECT_EQ(ps.chain[0].role, Role::Outer);
	EXPECT_EQ(ps.chain[1].type, "System.Collections.Generic.KeyNotFoundException");
	EXPECT_EQ(ps.chain[1].role, Role::Cause);
	EXPECT_EQ(ps.chain[1].depth, 1);
	// inner frames come first in the text
	ASSERT_EQ(ps.chain[1].frames.size(), 2u);
	EXPECT_EQ(ps.chain[1].frames[0].module, "Acme.Fixtures.Repository");  // Repository`1[T]
	EXPECT_EQ(ps.chain[1].frames[0].function, "Find");
	EXPECT_EQ(ps.chain[1].frames[0].file, "Fixtures.cs");
	EXPECT_EQ(ps.chain[1].frames[0].line, 25);
	EXPECT_EQ(ps.chain[0].frames[0].function, "Place");
	EXPECT_EQ(ps.chain[0].frames[1].function, "Main.<lambda>");  // <Main>c__AnonStorey0.<>m__0
	EXPECT_EQ(ps.chain[0].frames[1].module, "Acme.Fixtures.Program");
}

TEST(ParseDotNet, SameBugDifferentIdAndLambdaOrdinal)
{
	EXPECT_EQ(fp(fixture("dotnet", "inner_exception.txt")), fp(fixture("dotnet", "inner_exception_2.txt")));
}

TEST(ParseDotNet, LambdasAndLibraryFrames)
{
	ParsedStack ps = parse(fixture("dotnet", "lambda_linq.txt"));
	const auto &fr = ps.chain[0].frames;
	EXPECT_EQ(fr[0].module, "System.Number");
	EXPECT_EQ(fr[0].category, Category::Library);
	EXPECT_EQ(fr[3].function, "SumQuantities.<lambda>");
	EXPECT_EQ(fr[3].module, "Acme.Fixtures.OrderService");
	EXPECT_EQ(fr[3].category, Category::App);
	ParsedStack v = parse(fixture("dotnet", "lambda_func.txt"));
	EXPECT_EQ(v.chain[0].frames[0].function, "Validate.<lambda>");  // <Validate>m__0
	EXPECT_EQ(v.chain[0].message, "invalid email 'bob.example.org'\nParameter name: email");
}

TEST(ParseDotNet, AggregateInnerBlockNotDuplicated)
{
	ParsedStack ps = parse(fixture("dotnet", "aggregate_exception.txt"));
	ASSERT_EQ(ps.chain.size(), 2u);
	EXPECT_EQ(ps.chain[0].type, "System.AggregateException");
	EXPECT_EQ(ps.chain[1].type, "System.FormatException");
	EXPECT_EQ(ps.chain[0].frames[0].category, Category::Plumbing);  // Task.ThrowIfExceptional
	EXPECT_EQ(ps.chain[1].frames.size(), 5u);
}

TEST(ParseDotNet, MonoUnhandledPrintedTwice)
{
	ParsedStack ps = parse(fixture("dotnet", "uncaught_stderr.txt"));
	ASSERT_EQ(ps.chain.size(), 1u);
	EXPECT_EQ(ps.chain[0].type, "System.InvalidOperationException");
	EXPECT_EQ(ps.chain[0].frames.size(), 2u);
	EXPECT_EQ(ps.chain[0].frames[0].file, "");  // "<mvid>:0": no symbols
}

TEST(ParseDotNet, CoreClrSyntaxSameKeys)
{
	// The CoreCLR format of the same frames (no CoreCLR runtime here): the
	// Mono lines rewritten to "at X.M(args) in file:line N" give the same keys.
	std::string mono = fixture("dotnet", "inner_exception.txt");
	std::string core;
	std::istringstream in(mono);
	std::string l;
	while (std::getline(in, l)) {
		size_t b = l.find(" [0x");
		size_t in_ = l.rfind(" in ");
		if (l.rfind("  at ", 0) == 0 && b != std::string::npos && in_ != std::string::npos) {
			std::string head = l.substr(0, b);
			size_t sp = head.find(" (");
			head.erase(sp, 1);
			std::string loc = l.substr(in_ + 4);
			while (!loc.empty() && loc.back() == ' ') loc.pop_back();
			size_t c = loc.rfind(':');
			core += "   " + head.substr(2) + " in " + loc.substr(0, c) + ":line " + loc.substr(c + 1) + "\n";
		} else {
			core += l + "\n";
		}
	}
	ParsedStack a = parse(mono), b = parse(core);
	ASSERT_EQ(b.lang, Lang::DotNet);
	ASSERT_EQ(a.chain.size(), b.chain.size());
	for (size_t k = 0; k < a.chain.size(); k++)
		EXPECT_EQ(keys(a.chain[k]), keys(b.chain[k]));
	EXPECT_EQ(fp(mono), fp(core));
}

TEST(ParseDotNet, DifferentBugsDiffer)
{
	EXPECT_NE(fp(fixture("dotnet", "async_await.txt")), fp(fixture("dotnet", "lambda_linq.txt")));
	EXPECT_NE(fp(fixture("dotnet", "divide_by_zero.txt")), fp(fixture("dotnet", "null_reference.txt")));
}

TEST(ParseDotNet, JavaStaysJava)
{
	ParsedStack ps = parse(fixture("java", "plain_order_not_found_1.txt"));
	EXPECT_EQ(ps.lang, Lang::Java);
}

TEST(ParseDotNet, Corpus)
{
	CorpusResult r;
	if (!corpus("dotnet", r))
		GTEST_SKIP() << "no .NET corpus";
	EXPECT_EQ(r.merged, 0u);
	// order-not-found gains a frame in deploy 2 (fp1 keys 3 in-app frames).
	EXPECT_GE(r.deploys_agree + 1, r.labels);
}
