// fixtures.hpp — reading the real-runtime fixtures under test/fixtures/stacks.
#pragma once
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

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
		f.type = unescape(cols[1]);
		f.message = unescape(cols[2]);
		f.label = cols[3];
		f.note = cols.size() > 4 ? cols[4] : "";
		f.stack = read_file(dir + f.file);
		out.push_back(f);
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
