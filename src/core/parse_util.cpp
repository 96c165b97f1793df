// parse_util.cpp — see parse_util.hpp.
#include "parse_util.hpp"

#include <vector>

#include "core_only.hpp"

namespace errtrack {
namespace putil {

int64_t
to_int(std::string_view s)
{
	if (s.empty() || s.size() > 18)
		return -1;
	int64_t v = 0;
	for (char c : s) {
		if (!is_digit(c))
			return -1;
		v = v * 10 + (c - '0');
	}
	return v;
}

bool
starts_with_any(std::string_view s, std::initializer_list<std::string_view> prefixes)
{
	if (s.empty())
		return false;  // (no list holds an empty prefix)
	for (std::string_view p : prefixes)
		if (starts_with(s, p))
			return true;
	return false;
}

bool
in_any_namespace(std::string_view s, std::initializer_list<std::string_view> nss, char sep)
{
	for (std::string_view n : nss)
		if (in_namespace(s, n, sep))
			return true;
	return false;
}

bool
is_version(std::string_view s)
{
	if (!s.empty() && (s[0] == 'v' || s[0] == 'V'))
		s.remove_prefix(1);
	if (s.empty() || !is_digit(s[0]))
		return false;
	size_t i = 0;
	bool dot = false;
	while (i < s.size() && (is_digit(s[i]) || s[i] == '.')) {
		dot = dot || s[i] == '.';
		i++;
	}
	if (i == s.size())
		return dot || s.size() <= 4;
	// pre-release / build metadata / gem platform: 1.2.3-x86_64-linux, 1.0.0.rc1
	return dot && (s[i] == '-' || s[i] == '+' || is_alpha(s[i]));
}

std::string
strip_version_suffix(std::string_view name)
{
	size_t at = name.find('@');
	if (at != std::string_view::npos && at > 0 && is_version(name.substr(at + 1)))
		return std::string(name.substr(0, at));
	// gem style: the first "-<digit>" starts the version
	for (size_t i = 1; i + 1 < name.size(); i++)
		if (name[i] == '-' && is_version(name.substr(i + 1)))
			return std::string(name.substr(0, i));
	return std::string(name);
}

namespace {

bool
is_root_segment(std::string_view seg)
{
	static constexpr std::string_view roots[] = {"app", "lib", "src", "source", "sources", "public", "www", "htdocs", "current"};
	if (seg.size() < 3 || seg.size() > 7)
		return false;
	for (std::string_view r : roots)
		if (seg == r)
			return true;
	return false;
}

}  // namespace

std::string
app_relative_path(std::string_view raw, bool fp2_roots)
{
	std::string p_buf;
	std::string_view p = slashes_view(raw, p_buf);
	std::string_view v(p);
	// Windows drive letter
	if (v.size() > 2 && is_alpha(v[0]) && v[1] == ':' && v[2] == '/')
		v.remove_prefix(2);
	while (eat(v, "./"))
		;
	// Split into segments; remember the start of the segment after the last
	// root or release directory.
	size_t cut = std::string_view::npos;
	bool web_root = false;  // the last root is www / htdocs (fp2)
	size_t i = 0;
	std::string_view prev;
	while (i <= v.size()) {
		size_t slash = v.find('/', i);
		size_t end = slash == std::string_view::npos ? v.size() : slash;
		std::string_view seg = v.substr(i, end - i);
		if (slash == std::string_view::npos)
			break;  // last segment is the file name
		if (is_root_segment(seg)) {
			cut = i;  // keep the root segment itself
			web_root = seg == "www" || seg == "htdocs";
		} else if (prev == "releases") {
			cut = slash + 1;  // capistrano/deployer release dir
			web_root = false;
		}
		prev = seg;
		i = slash + 1;
	}
	if (cut == std::string_view::npos)
		return std::string(basename(v));
	std::string_view rel = v.substr(cut);
	size_t s = rel.find('/');
	if (fp2_roots && s != std::string_view::npos && is_root_segment(rel.substr(0, s))) {
		std::string_view below = rel.substr(s + 1);  // (not after a release directory)
		size_t site = below.find('/');
		if (site == std::string_view::npos)
			rel = below;  // root/file: the file
		else if (web_root)
			rel = below.substr(site + 1);  // www/<site>/...: without the site directory
	}
	return std::string(rel);
}

void
append_message_line(std::string &msg, std::string_view t)
{
	if (msg.size() >= Limits::max_message_bytes)
		return;
	if (!msg.empty())
		msg.push_back('\n');
	msg.append(t.substr(0, Limits::max_message_bytes - msg.size() < t.size() ? Limits::max_message_bytes - msg.size() : t.size()));
}

ExceptionInfo &
current(ParsedStack &out)
{
	if (out.chain.empty())
		out.chain.emplace_back();
	return out.chain.back();
}

}  // namespace putil
}  // namespace errtrack
