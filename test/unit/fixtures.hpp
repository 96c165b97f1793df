// fixtures.hpp — reading the real-runtime fixtures under test/fixtures/stacks
// and JSON-lines files (the corpus, the shared data sets).  Used by the unit
// tests and by test/bench/bench_core.cpp.
#pragma once
#include <dirent.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "ingest_json.hpp"

namespace errtrack_test {

struct Fixture {
	std::string lang, file, type, message, label, note, stack;
};

inline std::string
read_file(const std::string &path)
{
	std::ifstream in(path, std::ios::binary);
	std::stringstream ss;
	ss << in.rdbuf();
	return ss.str();
}

// Entries of a directory (no dot files), sorted; empty if it is absent.
inline std::vector<std::string>
list_dir(const std::string &dir)
{
	std::vector<std::string> r;
	if (DIR *d = opendir(dir.c_str())) {
		while (dirent *e = readdir(d))
			if (e->d_name[0] != '.')
				r.push_back(e->d_name);
		closedir(d);
	}
	std::sort(r.begin(), r.end());
	return r;
}

// The string members of each object of a JSON-lines file (other members are
// skipped), at most `limit` lines; empty if the file is absent.  Parsed with
// the core's JSON reader.
inline std::vector<std::map<std::string, std::string>>
read_jsonl(const std::string &path, size_t limit = static_cast<size_t>(-1))
{
	std::vector<std::map<std::string, std::string>> out;
	std::ifstream in(path, std::ios::binary);
	std::string line, scratch, value;
	while (out.size() < limit && std::getline(in, line)) {
		if (line.empty())
			continue;
		errtrack::ingest::JsonReader r(line);
		std::map<std::string, std::string> o;
		r.begin_object();
		bool first = true;
		std::string_view key;
		while (r.next_member(first, key, scratch)) {
			std::string k(key);
			if (r.kind() == 's')
				o[k] = std::string(r.read_string(value));
			else
				r.skip();
		}
		out.push_back(std::move(o));
	}
	return out;
}

inline std::string
unescape(const std::string &s)
{
	std::string r;
	for (size_t i = 0; i < s.size(); i++) {
		if (s[i] == '\\' && i + 1 < s.size()) {
			char n = s[++i];
			r.push_back(n == 'n' ? '\n' : n == 't' ? '\t' : n);
		} else {
			r.push_back(s[i]);
		}
	}
	return r;
}

// Fixtures of one runtime, from its MANIFEST.tsv (file, type, message, label, note).
inline std::vector<Fixture>
load_fixtures(const std::string &lang)
{
	std::vector<Fixture> out;
	std::string dir = std::string(ERRTRACK_SOURCE_DIR) + "/test/fixtures/stacks/" + lang + "/";
	std::ifstream in(dir + "MANIFEST.tsv");
	std::string line;
	bool header = true;
	while (std::getline(in, line)) {
		if (header) {
			header = false;
			continue;
		}
		std::vector<std::string> cols;
		std::string cur;
		for (char c : line) {
			if (c == '\t') {
				cols.push_back(cur);
				cur.clear();
			} else {
				cur.push_back(c);
			}
		}
		cols.push_back(cur);
		if (cols.size() < 4 || cols[0].empty())
			continue;
		Fixture f;
		f.lang = lang;
		f.file = cols[0];
		f.type = cols[1];  // not escaped: PHP types hold backslashes (App\NotFound)
		f.message = unescape(cols[2]);
		f.label = cols[3];
		f.note = cols.size() > 4 ? cols[4] : "";
		f.stack = read_file(dir + f.file);
		out.push_back(f);
	}
	return out;
}

// Every real trace of the repository: the fixtures of each runtime (type and
// message from MANIFEST.tsv) and every row of the labelled corpus
// test/corpus/data/*.jsonl (both deploys), nine runtimes in all.
struct RealError {
	std::string lang, type, message, stack;
};

inline std::vector<RealError>
real_errors()
{
	std::vector<RealError> out;
	const std::string root = std::string(ERRTRACK_SOURCE_DIR) + "/test/";
	for (const std::string &lang : list_dir(root + "fixtures/stacks"))
		for (auto &f : load_fixtures(lang))
			if (!f.stack.empty())
				out.push_back({lang, f.type, f.message, f.stack});
	for (const std::string &f : list_dir(root + "corpus/data")) {
		if (f.size() < 6 || f.substr(f.size() - 6) != ".jsonl")
			continue;
		for (auto &o : read_jsonl(root + "corpus/data/" + f))
			out.push_back({o["runtime"], o["error_type"], o["error_message"], o["error_stack"]});
	}
	return out;
}

inline Fixture
fixture(const std::string &lang, const std::string &file)
{
	for (auto &f : load_fixtures(lang))
		if (f.file == file)
			return f;
	return Fixture{lang, file, "", "", "", "", ""};
}

}  // namespace errtrack_test
