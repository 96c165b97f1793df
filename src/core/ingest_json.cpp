// ingest_json.cpp — see ingest_json.hpp.
#include "ingest_json.hpp"

#include "ingest_common.hpp"  // json_quote
#include "msgpack.hpp"  // find_invalid_utf8

#include "core_only.hpp"

namespace errtrack {
namespace ingest {

void
JsonReader::fail(size_t at, const std::string &msg) const
{
	if (t_)  // a jsonb value has no byte offsets; the decoders' path says where
		throw Error(ErrorClass::InvalidData, "invalid JSON: " + msg);
	throw Error(ErrorClass::InvalidData, "invalid JSON at byte " + std::to_string(at) + ": " + msg);
}

std::string_view
JsonReader::tok_text(const JsonTok &t) const noexcept
{
	const char *base = t.kind() == JsonTok::Num ? t_->numbers : t_->strings;
	return std::string_view(base + t.off, t.len());
}

void
JsonReader::ws()
{
	while (pos_ < s_.size()) {
		char c = s_[pos_];
		if (c != ' ' && c != '\n' && c != '\r' && c != '\t')
			break;
		pos_++;
	}
}

char
JsonReader::peek()
{
	if (t_) {
		const JsonTok *t = tok_at();
		if (!t)
			return '\0';
		switch (t->kind()) {
		case JsonTok::Obj: return '{';
		case JsonTok::Arr: return '[';
		case JsonTok::EndObj: return '}';
		case JsonTok::EndArr: return ']';
		case JsonTok::Key:
		case JsonTok::Str: return '"';
		case JsonTok::Num: return '0';
		case JsonTok::True: return 't';
		case JsonTok::False: return 'f';
		case JsonTok::Null: return 'n';
		}
		return '?';
	}
	ws();
	return pos_ < s_.size() ? s_[pos_] : '\0';
}

bool
JsonReader::at_end()
{
	if (t_)
		return pos_ >= t_->n;
	ws();
	return pos_ >= s_.size();
}

char
JsonReader::kind()
{
	char c = peek();
	switch (c) {
	case '{': return 'o';
	case '[': return 'a';
	case '"': return 's';
	case 't': return 't';
	case 'f': return 'f';
	case 'n': return 'z';
	default:
		if (c == '-' || (c >= '0' && c <= '9'))
			return 'n';
		return '?';
	}
}

void
JsonReader::expected(const char *what)
{
	static const char *names[] = {"an object", "an array", "a string", "a number", "true", "false", "null"};
	char k = kind();
	const char *found = "end of input";
	if (t_ ? pos_ < t_->n : pos_ < s_.size()) {
		switch (k) {
		case 'o': found = names[0]; break;
		case 'a': found = names[1]; break;
		case 's': found = names[2]; break;
		case 'n': found = names[3]; break;
		case 't': found = names[4]; break;
		case 'f': found = names[5]; break;
		case 'z': found = names[6]; break;
		default: found = "an unexpected character"; break;
		}
	}
	fail(pos_, std::string("expected ") + what + ", found " + found);
}

void
JsonReader::expect_char(char c, const char *what)
{
	if (peek() != c)
		expected(what);
	pos_++;
}

void
JsonReader::begin_object(const char *what)
{
	if (peek() != '{')
		expected(what);
	pos_++;
}

void
JsonReader::begin_array(const char *what)
{
	if (peek() != '[')
		expected(what);
	pos_++;
}

bool
JsonReader::next_member(bool &first, std::string_view &key, std::string &scratch)
{
	if (t_) {
		const JsonTok *t = tok_at();
		if (!t)
			fail(pos_, "truncated token stream");
		if (t->kind() == JsonTok::EndObj) {
			pos_++;
			return false;
		}
		if (t->kind() != JsonTok::Key)
			fail(pos_, "expected a member name");
		first = false;
		key = tok_text(*t);
		if (t_->validate_utf8 && find_invalid_utf8(key) != std::string_view::npos)
			fail(pos_, "invalid UTF-8 in member name");
		pos_++;
		return true;
	}
	char c = peek();
	if (c == '}') {
		pos_++;
		return false;
	}
	if (!first) {
		if (c != ',')
			fail(pos_, "expected ',' or '}' in object");
		pos_++;
	}
	first = false;
	if (peek() != '"')
		fail(pos_, "expected a member name (string)");
	key = read_string(scratch, "member name");
	expect_char(':', "':' after member name");
	return true;
}

bool
JsonReader::next_element(bool &first)
{
	if (t_) {
		const JsonTok *t = tok_at();
		if (!t)
			fail(pos_, "truncated token stream");
		if (t->kind() == JsonTok::EndArr) {
			pos_++;
			return false;
		}
		first = false;
		return true;
	}
	char c = peek();
	if (c == ']') {
		pos_++;
		return false;
	}
	if (!first) {
		if (c != ',')
			fail(pos_, "expected ',' or ']' in array");
		pos_++;
	}
	first = false;
	return true;
}

namespace {
int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

void
put_utf8(std::string &out, uint32_t cp)
{
	if (cp < 0x80) {
		out.push_back((char) cp);
	} else if (cp < 0x800) {
		out.push_back((char) (0xc0 | (cp >> 6)));
		out.push_back((char) (0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		out.push_back((char) (0xe0 | (cp >> 12)));
		out.push_back((char) (0x80 | ((cp >> 6) & 0x3f)));
		out.push_back((char) (0x80 | (cp & 0x3f)));
	} else {
		out.push_back((char) (0xf0 | (cp >> 18)));
		out.push_back((char) (0x80 | ((cp >> 12) & 0x3f)));
		out.push_back((char) (0x80 | ((cp >> 6) & 0x3f)));
		out.push_back((char) (0x80 | (cp & 0x3f)));
	}
}
}  // namespace

std::string_view
JsonReader::read_string(std::string &scratch, const char *what)
{
	if (t_) {
		const JsonTok *t = tok_at();
		if (!t || t->kind() != JsonTok::Str)
			expected(what);
		std::string_view v = tok_text(*t);
		if (t_->validate_utf8 && find_invalid_utf8(v) != std::string_view::npos)
			fail(pos_, "invalid UTF-8 in string");
		pos_++;
		return v;
	}
	if (peek() != '"')
		expected(what);
	size_t start = ++pos_;
	size_t n = s_.size();
	// fast path: no escapes
	size_t i = start;
	while (i < n) {
		unsigned char c = (unsigned char) s_[i];
		if (c == '"' || c == '\\' || c < 0x20)
			break;
		i++;
	}
	if (i >= n)
		fail(start - 1, "unterminated string");
	if (s_[i] == '"') {
		std::string_view v = s_.substr(start, i - start);
		size_t bad = find_invalid_utf8(v);
		if (bad != std::string_view::npos)
			fail(start + bad, "invalid UTF-8 in string");
		pos_ = i + 1;
		return v;
	}
	scratch.assign(s_.data() + start, i - start);
	while (true) {
		if (i >= n)
			fail(start - 1, "unterminated string");
		unsigned char c = (unsigned char) s_[i];
		if (c == '"')
			break;
		if (c < 0x20)
			fail(i, "control character in string");
		if (c != '\\') {
			scratch.push_back((char) c);
			i++;
			continue;
		}
		if (i + 1 >= n)
			fail(i, "unterminated escape");
		char e = s_[i + 1];
		i += 2;
		switch (e) {
		case '"': scratch.push_back('"'); break;
		case '\\': scratch.push_back('\\'); break;
		case '/': scratch.push_back('/'); break;
		case 'b': scratch.push_back('\b'); break;
		case 'f': scratch.push_back('\f'); break;
		case 'n': scratch.push_back('\n'); break;
		case 'r': scratch.push_back('\r'); break;
		case 't': scratch.push_back('\t'); break;
		case 'u': {
			auto hex4 = [&](size_t at) -> uint32_t {
				if (at + 4 > n)
					fail(at, "truncated \\u escape");
				uint32_t v = 0;
				for (size_t k = 0; k < 4; k++) {
					int h = hexval(s_[at + k]);
					if (h < 0)
						fail(at + k, "bad hex digit in \\u escape");
					v = (v << 4) | (uint32_t) h;
				}
				return v;
			};
			uint32_t cp = hex4(i);
			i += 4;
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (i + 6 > n || s_[i] != '\\' || s_[i + 1] != 'u')
					fail(i, "unpaired surrogate in \\u escape");
				uint32_t lo = hex4(i + 2);
				if (lo < 0xdc00 || lo > 0xdfff)
					fail(i, "unpaired surrogate in \\u escape");
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				i += 6;
			} else if (cp >= 0xdc00 && cp <= 0xdfff) {
				fail(i - 6, "unpaired surrogate in \\u escape");
			}
			if (cp == 0)
				fail(i - 6, "\\u0000 cannot be stored in text");
			put_utf8(scratch, cp);
			break;
		}
		default:
			fail(i - 2, "invalid escape");
		}
	}
	size_t bad = find_invalid_utf8(scratch);
	if (bad != std::string_view::npos)
		fail(start, "invalid UTF-8 in string");
	pos_ = i + 1;
	return scratch;
}

std::string_view
JsonReader::read_number_text(const char *what)
{
	if (kind() != 'n')
		expected(what);
	if (t_)
		return tok_text(t_->tok[pos_++]);
	size_t start = pos_, n = s_.size(), i = pos_;
	if (s_[i] == '-')
		i++;
	size_t d0 = i;
	while (i < n && s_[i] >= '0' && s_[i] <= '9')
		i++;
	if (i == d0)
		fail(start, "malformed number");
	if (i < n && s_[i] == '.') {
		size_t f0 = ++i;
		while (i < n && s_[i] >= '0' && s_[i] <= '9')
			i++;
		if (i == f0)
			fail(start, "malformed number");
	}
	if (i < n && (s_[i] == 'e' || s_[i] == 'E')) {
		i++;
		if (i < n && (s_[i] == '+' || s_[i] == '-'))
			i++;
		size_t e0 = i;
		while (i < n && s_[i] >= '0' && s_[i] <= '9')
			i++;
		if (i == e0)
			fail(start, "malformed number");
	}
	pos_ = i;
	return s_.substr(start, i - start);
}

bool
JsonReader::read_bool(const char *what)
{
	char k = kind();
	if (t_) {
		if (k != 't' && k != 'f')
			expected(what);
		pos_++;
		return k == 't';
	}
	if (k == 't' && s_.substr(pos_, 4) == "true") {
		pos_ += 4;
		return true;
	}
	if (k == 'f' && s_.substr(pos_, 5) == "false") {
		pos_ += 5;
		return false;
	}
	expected(what);
}

bool
JsonReader::read_null_if_present()
{
	if (kind() == 'z') {
		if (t_) {
			pos_++;
			return true;
		}
		if (s_.substr(pos_, 4) != "null")
			fail(pos_, "malformed literal");
		pos_ += 4;
		return true;
	}
	return false;
}

void
JsonReader::skip_value(int depth)
{
	if (depth > kMaxDepth)
		fail(pos_, "nesting deeper than " + std::to_string(kMaxDepth) + " levels");
	std::string scratch;
	switch (kind()) {
	case 'o': {
		begin_object();
		bool first = true;
		std::string_view k;
		while (next_member(first, k, scratch))
			skip_value(depth + 1);
		break;
	}
	case 'a': {
		begin_array();
		bool first = true;
		while (next_element(first))
			skip_value(depth + 1);
		break;
	}
	case 's': read_string(scratch); break;
	case 'n': read_number_text(); break;
	case 't':
	case 'f': read_bool(); break;
	case 'z': read_null_if_present(); break;
	default: expected("a JSON value");
	}
}

void
JsonReader::skip()
{
	if (t_) {
		const JsonTok *t = tok_at();
		if (!t)
			expected("a JSON value");
		switch (t->kind()) {
		case JsonTok::Obj:
		case JsonTok::Arr: pos_ = t->off + 1; break;
		case JsonTok::EndObj:
		case JsonTok::EndArr:
		case JsonTok::Key: expected("a JSON value");
		default: pos_++; break;
		}
		return;
	}
	skip_value(0);
}

// Token mode: JSON text of the value at tokens[i] (advances i past it).
void
JsonReader::tok_json(size_t &i, std::string &out, int depth) const
{
	if (depth > kMaxDepth)
		fail(i, "nesting deeper than " + std::to_string(kMaxDepth) + " levels");
	if (i >= t_->n)
		fail(i, "truncated token stream");
	const JsonTok &t = t_->tok[i++];
	switch (t.kind()) {
	case JsonTok::Obj: {
		out.push_back('{');
		bool first = true;
		while (i < t_->n && t_->tok[i].kind() == JsonTok::Key) {
			if (!first)
				out.push_back(',');
			first = false;
			json_quote(out, tok_text(t_->tok[i++]));
			out.push_back(':');
			tok_json(i, out, depth + 1);
		}
		if (i >= t_->n || t_->tok[i].kind() != JsonTok::EndObj)
			fail(i, "malformed token stream (object)");
		i++;
		out.push_back('}');
		break;
	}
	case JsonTok::Arr: {
		out.push_back('[');
		bool first = true;
		while (i < t_->n && t_->tok[i].kind() != JsonTok::EndArr) {
			if (!first)
				out.push_back(',');
			first = false;
			tok_json(i, out, depth + 1);
		}
		if (i >= t_->n)
			fail(i, "malformed token stream (array)");
		i++;
		out.push_back(']');
		break;
	}
	case JsonTok::Str: json_quote(out, tok_text(t)); break;
	case JsonTok::Num: out.append(tok_text(t)); break;
	case JsonTok::True: out.append("true"); break;
	case JsonTok::False: out.append("false"); break;
	case JsonTok::Null: out.append("null"); break;
	default: fail(i - 1, "expected a JSON value");
	}
}

std::string_view
JsonReader::raw_value()
{
	if (t_) {
		const JsonTok *t = tok_at();
		if (!t)
			expected("a JSON value");
		switch (t->kind()) {
		case JsonTok::Num: pos_++; return tok_text(*t);
		case JsonTok::True: pos_++; return "true";
		case JsonTok::False: pos_++; return "false";
		case JsonTok::Null: pos_++; return "null";
		default: break;
		}
		raw_.clear();
		tok_json(pos_, raw_, 0);
		return raw_;
	}
	ws();
	size_t start = pos_;
	skip_value(0);
	return s_.substr(start, pos_ - start);
}

}  // namespace ingest
}  // namespace errtrack
