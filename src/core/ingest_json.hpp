// ingest_json.hpp — a small pull reader for JSON (the span decoders' JSON
// front end), over either
//   * JSON text: zero-copy for strings without escapes; positions are byte
//     offsets; errors throw Error(InvalidData) naming the offset and what was
//     expected.  Nesting is bounded (kMaxDepth) so skip() cannot exhaust the
//     stack; or
//   * a token stream (JsonTokens): a JSON value that was already parsed —
//     PostgreSQL's jsonb, flattened by the glue into plain tokens whose
//     strings point into the jsonb and whose numbers are exact decimal text.
//     Positions are token indexes; skip() is O(1) (containers know their end).
// The decoders are written once against this interface.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "error.hpp"

namespace errtrack {
namespace ingest {

// One token of a flattened JSON value (8 bytes).  Plain data shared with the
// glue, which builds the array; the core only reads it.
struct JsonTok {
	enum Kind : uint32_t { Obj = 1, Arr, EndObj, EndArr, Key, Str, Num, True, False, Null };
	static constexpr uint32_t kMaxLen = 0x0FFFFFFF;  // 28 bits (a jsonb string is shorter)
	// Obj/Arr: index of the matching EndObj/EndArr; Key/Str: byte offset in
	// JsonTokens::strings; Num: byte offset in JsonTokens::numbers.
	uint32_t off;
	uint32_t kind_len;  // kind << 28 | length in bytes (Key/Str/Num)
	Kind kind() const noexcept { return static_cast<Kind>(kind_len >> 28); }
	uint32_t len() const noexcept { return kind_len & kMaxLen; }
	static uint32_t pack(Kind k, uint32_t len) noexcept { return (static_cast<uint32_t>(k) << 28) | len; }
};

// A whole JSON value as tokens, in document order (object members in the
// order the producer stored them; jsonb sorts keys).  Keys and strings are
// unescaped UTF-8 without NUL when validate_utf8 is false (the producer
// guarantees it); numbers are JSON number text, exact.
struct JsonTokens {
	const JsonTok *tok = nullptr;
	size_t n = 0;
	const char *strings = nullptr;
	const char *numbers = nullptr;
	bool validate_utf8 = false;
};

class JsonReader {
public:
	static constexpr int kMaxDepth = 256;

	explicit JsonReader(std::string_view text) noexcept : s_(text) {}
	explicit JsonReader(const JsonTokens &toks) noexcept : t_(&toks) {}
	bool tokens() const noexcept { return t_ != nullptr; }

	size_t pos() const noexcept { return pos_; }
	void seek(size_t p) noexcept { pos_ = p; }

	// Next non-space character, or '\0' at end.
	char peek();
	bool at_end();  // only whitespace remains

	// Containers.  Usage:
	//   r.begin_object(); bool first = true; std::string_view k;
	//   while (r.next_member(first, k, scratch)) { ...read the value... }
	void begin_object(const char *what = "object");
	bool next_member(bool &first, std::string_view &key, std::string &scratch);
	void begin_array(const char *what = "array");
	bool next_element(bool &first);

	// Scalars.  read_string returns a view into the input, or into `scratch`
	// when the string had escapes.
	std::string_view read_string(std::string &scratch, const char *what = "string");
	std::string_view read_number_text(const char *what = "number");
	bool read_bool(const char *what = "boolean");
	bool read_null_if_present();
	// Copies one value of any type verbatim (for nested JSON kept as text).
	std::string_view raw_value();
	void skip();

	[[noreturn]] void fail(size_t at, const std::string &msg) const;
	[[noreturn]] void expected(const char *what) ;

	// JSON kind of the next value: 'o','a','s','n','t'(rue),'f'(alse),'z'(null) or '?'.
	char kind();

private:
	void ws();
	void expect_char(char c, const char *what);
	void skip_value(int depth);
	// token mode
	const JsonTok *tok_at() const noexcept { return pos_ < t_->n ? &t_->tok[pos_] : nullptr; }
	std::string_view tok_text(const JsonTok &t) const noexcept;
	void tok_json(size_t &i, std::string &out, int depth) const;

	std::string_view s_;
	const JsonTokens *t_ = nullptr;
	std::string raw_;  // token mode: raw_value() of a string or container
	size_t pos_ = 0;
};

}  // namespace ingest
}  // namespace errtrack
