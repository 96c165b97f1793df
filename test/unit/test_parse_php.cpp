// test_parse_php.cpp — the PHP parser on real PHP 8.2 output
// (test/fixtures/stacks/php) and the labelled PHP corpus.
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

TEST(ParsePhp, ToStringHeaderAndShiftedFrames)
{
	ParsedStack ps = parse(fixture("php", "tostring_simple.txt"));
	ASSERT_EQ(ps.lang, Lang::Php);
	ASSERT_EQ(ps.chain.size(), 1u);
	EXPECT_EQ(ps.chain[0].type, "App\\NotFound");
	EXPECT_EQ(ps.chain[0].message, "record 4711 not found");
	const auto &f = ps.chain[0].frames[0];
	EXPECT_EQ(f.module, "App\\Service");
	EXPECT_EQ(f.function, "findOrder");
	EXPECT_EQ(f.file, "src/Shop.php");  // where it runs (the header location)
	EXPECT_EQ(f.line, 30);
	EXPECT_EQ(f.category, Category::App);
	EXPECT_EQ(ps.chain[0].frames.back().function, "{main}");
}

TEST(ParsePhp, PreviousChainNextOutermostFirst)
{
	ParsedStack ps = parse(fixture("php", "uncaught_log_errors.txt"));
	ASSERT_EQ(ps.chain.size(), 2u);
	EXPECT_EQ(ps.chain[0].type, "App\\RegistrationFailed");
	EXPECT_EQ(ps.chain[0].role, Role::Outer);
	EXPECT_EQ(ps.chain[1].type, "PDOException");
	EXPECT_EQ(ps.chain[1].role, Role::Cause);
	EXPECT_NE(ps.chain[1].message.find("DETAIL:"), std::string::npos);
	EXPECT_EQ(ps.chain[1].frames[0].function, "insert");
	EXPECT_EQ(fp(fixture("php", "uncaught_log_errors.txt")), fp(fixture("php", "uncaught_display_errors.txt")));
}

TEST(ParsePhp, ArgsDoNotMatter)
{
	for (auto pair : {std::make_pair("previous_chain_next.txt", "previous_chain_next_with_args.txt"),
	                  std::make_pair("closure_array_map.txt", "closure_array_map_with_args.txt"),
	                  std::make_pair("vendor_path.txt", "vendor_path_with_args.txt")}) {
		ParsedStack a = parse(fixture("php", pair.first)), b = parse(fixture("php", pair.second));
		ASSERT_EQ(a.chain.size(), b.chain.size());
		for (size_t k = 0; k < a.chain.size(); k++)
			EXPECT_EQ(keys(a.chain[k]), keys(b.chain[k])) << pair.first;
	}
}

TEST(ParsePhp, InternalFunctionsClosuresVendor)
{
	ParsedStack ps = parse(fixture("php", "closure_array_map.txt"));
	const auto &fr = ps.chain[0].frames;
	EXPECT_EQ(fr[0].function, "{closure}");
	EXPECT_EQ(fr[0].module, "App\\Service");
	EXPECT_EQ(fr[0].category, Category::App);
	EXPECT_EQ(fr[1].function, "array_map");
	EXPECT_EQ(fr[1].module, "php");
	EXPECT_EQ(fr[1].category, Category::Library);
	ParsedStack d = parse(fixture("php", "division_by_zero.txt"));
	EXPECT_EQ(d.chain[0].frames[0].function, "intdiv");
	EXPECT_EQ(d.chain[0].frames[0].category, Category::Library);
	ParsedStack v = parse(fixture("php", "vendor_path.txt"));
	EXPECT_EQ(v.chain[0].frames[0].category, Category::Library);
	EXPECT_EQ(v.chain[0].frames[0].file, "php:acme/http/src/Client.php");
	EXPECT_EQ(v.chain[0].frames[2].function, "fetchInventory");
}

TEST(ParsePhp, Php84ClosureNameSameKey)
{
	// PHP 8.4 names closures "{closure:Class::method():LINE}" (no 8.4
	// runtime here): rewrite the real 8.2 closure frame to 8.4 syntax.
	std::string a = fixture("php", "closure_array_map.txt");
	std::string b = a;
	size_t p = b.find("App\\Service->App\\{closure}(");
	ASSERT_NE(p, std::string::npos);
	b.replace(p, 26, "App\\Service->{closure:App\\Service::totals():36}(");
	EXPECT_EQ(keys(parse(a).chain[0]), keys(parse(b).chain[0]));
	EXPECT_EQ(fp(a), fp(b));
}

TEST(ParsePhp, TraceAsStringOnly)
{
	ParsedStack ps = parse(fixture("php", "trace_as_string.txt"));
	ASSERT_EQ(ps.lang, Lang::Php);
	EXPECT_EQ(ps.chain[0].frames[0].function, "findOrder");
}

TEST(ParsePhp, DifferentBugsDiffer)
{
	EXPECT_NE(fp(fixture("php", "previous_chain_next.txt")), fp(fixture("php", "uncaught_log_errors.txt")));
	EXPECT_NE(fp(fixture("php", "division_by_zero.txt")), fp(fixture("php", "type_error.txt")));
}

TEST(ParsePhp, Corpus)
{
	CorpusResult r;
	if (!corpus("php", r))
		GTEST_SKIP() << "no PHP corpus";
	EXPECT_EQ(r.merged, 0u);
	EXPECT_GE(r.deploys_agree + 1, r.labels);
}
