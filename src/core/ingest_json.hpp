// ingest_json.hpp — a small pull reader for JSON text (the span decoders'
// JSON front end).  Zero-copy for strings without escapes; positions are byte
// offsets; errors throw Error(InvalidData) naming the offset and what was
// expected.  Nesting is bounded (kMaxDepth) so skip() cannot exhaust the stack.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "error.hpp"

namespace errtrack {
namespace ingest {

class JsonReader {
public:
	static constexpr int kMaxDepth = 256;

	explicit JsonReader(std::string_view text) noexcept : s_(text) {}

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

	std::string_view s_;
	size_t pos_ = 0;
};

}  // namespace ingest
}  // namespace errtrack
