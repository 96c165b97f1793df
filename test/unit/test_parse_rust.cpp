// test_parse_rust.cpp — the Rust parser on real rustc 1.95 panics
// (test/fixtures/stacks/rust).
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

TEST(ParseRust, NewHeaderAndFrames)
{
	ParsedStack ps = parse(fixture("rust", "panic_unwrap_none.txt"));
	ASSERT_EQ(ps.lang, Lang::Rust);
	ASSERT_EQ(ps.chain.size(), 1u);
	EXPECT_EQ(ps.chain[0].type, "panic");
	EXPECT_EQ(ps.chain[0].message, "called `Option::unwrap()` on a `None` value");
	const auto &fr = ps.chain[0].frames;
	EXPECT_EQ(fr[0].category, Category::Plumbing);  // rust_begin_unwind
	bool found = false;
	for (const auto &f : fr)
		if (f.function == "email_domain") {
			found = true;
			EXPECT_EQ(f.module, "fx::shop");
			EXPECT_EQ(f.category, Category::App);
			EXPECT_EQ(f.line, 12);
		}
	EXPECT_TRUE(found);
}

TEST(ParseRust, FullBacktraceSameKeysAsShort)
{
	// RUST_BACKTRACE=full: addresses, ::h<hash> suffixes, std[..] crate ids
	ParsedStack a = parse(fixture("rust", "panic_unwrap_none.txt"));
	ParsedStack b = parse(fixture("rust", "panic_unwrap_none_full.txt"));
	EXPECT_EQ(keys(a.chain[0]), keys(b.chain[0]));
	EXPECT_EQ(fp(fixture("rust", "panic_unwrap_none.txt")), fp(fixture("rust", "panic_unwrap_none_full.txt")));
}

TEST(ParseRust, TraitImplClosuresGenerics)
{
	ParsedStack ps = parse(fixture("rust", "panic_closure_trait_generic.txt"));
	std::vector<std::string> k = keys(ps.chain[0]);
	ASSERT_GE(k.size(), 3u);
	EXPECT_EQ(k[0], "rust:fx::shop::Doubler::handle");  // <Doubler as Handler>::handle
	EXPECT_EQ(k[1], "rust:fx::shop::apply::{{closure}}");
	ParsedStack t = parse(fixture("rust", "panic_thread_named.txt"));
	bool lib = false;
	for (const auto &f : t.chain[0].frames)
		if (f.module == "core::option::Option" && f.function == "expect")
			lib = f.category == Category::Library;  // Option<T>::expect
	EXPECT_TRUE(lib);
}

TEST(ParseRust, OldHeaderFormat)
{
	// Rust < 1.73 prints "panicked at 'msg', file:line:col" (no old toolchain
	// here): rewrite the real header, frames unchanged.
	std::string a = fixture("rust", "panic_index_oob.txt");
	std::string b = a;
	size_t h = b.find("thread 'main'");
	size_t eol = b.find('\n', h);
	size_t eol2 = b.find('\n', eol + 1);
	std::string msg = b.substr(eol + 1, eol2 - eol - 1);
	b.replace(h, eol2 - h, "thread 'main' panicked at '" + msg + "', src/fx.rs:21:9");
	ParsedStack pa = parse(a), pb = parse(b);
	EXPECT_EQ(pb.chain[0].message, msg);
	EXPECT_EQ(keys(pa.chain[0]), keys(pb.chain[0]));
	EXPECT_EQ(fp(a), fp(b));
}

TEST(ParseRust, DifferentBugsDiffer)
{
	EXPECT_NE(fp(fixture("rust", "panic_unwrap_err.txt")), fp(fixture("rust", "panic_unwrap_none.txt")));
	EXPECT_NE(fp(fixture("rust", "panic_expect_err.txt")), fp(fixture("rust", "panic_index_oob.txt")));
}

TEST(ParseRust, NodeDoesNotStealRust)
{
	EXPECT_EQ(parse(fixture("rust", "panic_expect_err.txt")).lang, Lang::Rust);
}
