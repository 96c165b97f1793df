// test_parse_go.cpp — the Go parser on real go1.19 output (test/fixtures/stacks/go)
// and the labelled Go corpus.
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

TEST(ParseGo, PanicNilMapHeaderAndFrames)
{
	ParsedStack ps = parse(fixture("go", "panic_nil_map.txt"));
	ASSERT_EQ(ps.lang, Lang::Go);
	ASSERT_EQ(ps.chain.size(), 1u);
	EXPECT_EQ(ps.chain[0].type, "panic");
	EXPECT_EQ(ps.chain[0].message, "assignment to entry in nil map");
	EXPECT_EQ(ps.chain[0].role, Role::Outer);
	ASSERT_GE(ps.chain[0].frames.size(), 3u);
	const auto &f = ps.chain[0].frames[0];
	EXPECT_EQ(f.module, "main");
	EXPECT_EQ(f.function, "(*Cache).Put");  // "(...)" and pointer args dropped
	EXPECT_EQ(f.category, Category::App);
	EXPECT_EQ(f.line, 21);
	EXPECT_EQ(f.file, "app/main.go");
}

TEST(ParseGo, ClosuresCanonical)
{
	ParsedStack ps = parse(fixture("go", "panic_goroutine_closure.txt"));
	ASSERT_EQ(ps.chain.size(), 1u);
	const auto &fr = ps.chain[0].frames;
	ASSERT_GE(fr.size(), 2u);
	// (*Worker).Start.func1.1 and (*Worker).Start.func1 are the same canonical closure (collapsed)
	EXPECT_EQ(fr[0].function, "(*Worker).Start.<closure>");
	EXPECT_EQ(fr.back().category, Category::Plumbing);  // "created by"
	ParsedStack g = parse(fixture("go", "panic_generics.txt"));
	EXPECT_EQ(g.chain[0].frames[0].function, "parsePrices.<closure>");
	EXPECT_EQ(g.chain[0].frames[1].function, "Map[...]");
}

TEST(ParseGo, ModuleCacheIsLibraryWithoutVersion)
{
	ParsedStack ps = parse(fixture("go", "panic_module_dep.txt"));
	const auto &f = ps.chain[0].frames[0];
	EXPECT_EQ(f.module, "example.com/fakelib");
	EXPECT_EQ(f.function, "(*Decoder).Set");
	EXPECT_EQ(f.category, Category::Library);
	EXPECT_EQ(f.file, "example.com/fakelib/codec.go");
	EXPECT_EQ(ps.chain[0].frames[1].category, Category::App);
}

TEST(ParseGo, RepanicAndRecoveredHandlerArePlumbing)
{
	ParsedStack ps = parse(fixture("go", "panic_repanic_recovered.txt"));
	EXPECT_EQ(ps.chain[0].message, "cleanup failed after step 3: assignment to entry in nil map");
	const auto &fr = ps.chain[0].frames;
	ASSERT_GE(fr.size(), 3u);
	EXPECT_EQ(fr[0].function, "process.<closure>");
	EXPECT_EQ(fr[0].category, Category::Plumbing);  // deferred handler above panic()
	EXPECT_EQ(fr[1].module, "runtime");
	EXPECT_EQ(fr[1].function, "panic");
	EXPECT_EQ(fr[1].category, Category::Plumbing);
	EXPECT_EQ(fr[2].function, "process");
	EXPECT_EQ(fr[2].category, Category::App);
}

TEST(ParseGo, OnlyPanickingGoroutine)
{
	ParsedStack ps = parse(fixture("go", "panic_gotraceback_all.txt"));
	for (const auto &f : ps.chain[0].frames)
		EXPECT_NE(f.function, "(*Server).block");
	EXPECT_EQ(ps.chain[0].frames[0].function, "(*Cache).Put");
}

TEST(ParseGo, DebugStackWithoutHeader)
{
	ParsedStack ps = parse(fixture("go", "debug_stack_error.txt"));
	ASSERT_EQ(ps.lang, Lang::Go);
	const auto &fr = ps.chain[0].frames;
	EXPECT_EQ(fr[0].module, "runtime/debug");
	EXPECT_EQ(fr[0].category, Category::Plumbing);
	EXPECT_EQ(fr[1].function, "reportError");
}

TEST(ParseGo, NonErrorPanicValueType)
{
	ParsedStack ps = parse(fixture("go", "panic_non_error_value_panic.txt"));
	EXPECT_EQ(ps.chain[0].type, "main.point");
}

TEST(ParseGo, InstallPathDoesNotChangeFingerprint)
{
	std::string a = fixture("go", "panic_nil_map.txt");
	std::string b = a;
	for (size_t p; (p = b.find("/tmp/errtrack-fixtures/go/app/")) != std::string::npos;)
		b.replace(p, 30, "/srv/releases/20240101/build/");
	EXPECT_EQ(fp(a), fp(b));
}

TEST(ParseGo, DifferentBugsDiffer)
{
	// same type+message (nil map assignment) from different sites
	EXPECT_NE(fp(fixture("go", "panic_nil_map.txt")), fp(fixture("go", "panic_module_dep.txt")));
	EXPECT_NE(fp(fixture("go", "panic_nil_pointer.txt")), fp(fixture("go", "panic_gotraceback_all.txt")));
}

TEST(ParseGo, DdTraceGoPairsForm)
{
	// dd-trace-go's takeStacktrace form is the debug.Stack frames without
	// header, args and offsets: derive it from the real dump.
	std::string real = fixture("go", "panic_module_dep_callback_panic.txt");
	std::string dd;
	std::istringstream in(real);
	std::string l;
	bool started = false;
	while (std::getline(in, l)) {
		if (l.rfind("goroutine ", 0) == 0) { started = true; continue; }
		if (!started || l.empty()) continue;
		if (l[0] == '\t') {
			size_t off = l.find(" +0x");
			dd += (off == std::string::npos ? l : l.substr(0, off)) + "\n";
		} else {
			size_t open = l.rfind('(');
			dd += (open == std::string::npos || open == 0 ? l : l.substr(0, open)) + "\n";
		}
	}
	ParsedStack a = parse(real), b = parse(dd);
	ASSERT_EQ(b.lang, Lang::Go);
	EXPECT_EQ(keys(a.chain[0]), keys(b.chain[0]));
}

TEST(ParseGo, Corpus)
{
	CorpusResult r;
	if (!corpus("go", r))
		GTEST_SKIP() << "no Go corpus";
	EXPECT_EQ(r.merged, 0u) << "different bugs share a fingerprint";
	// Known splits: frames inserted between deploys (fp1 keys 3 frames) and
	// message templates (message.cpp) — not parser issues.
	EXPECT_GE(r.deploys_agree + 2, r.labels);
}
