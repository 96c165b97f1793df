// msgpack.hpp — a small pull decoder for MessagePack, written to be fuzzed.
//
// The reader never allocates and never reads outside [data, data + size):
// every length (str/bin/ext payloads, array and map counts) is checked
// against the bytes that remain before it is used, so a hostile header
// ("array of 4 billion elements") fails immediately instead of allocating.
// skip() is iterative (no recursion, so no stack exhaustion on deep nesting)
// and linear in the input.  Every failure throws errtrack::Error(InvalidData)
// whose message names the byte offset and what was expected there.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "error.hpp"

namespace errtrack {

enum class MpType : uint8_t { Nil, Bool, Int, UInt, Float, Str, Bin, Array, Map, Ext, Invalid };

const char *mp_type_name(MpType t);

class MsgpackReader {
public:
	MsgpackReader(const void *data, size_t size) noexcept
		: p_(static_cast<const uint8_t *>(data)), n_(size) {}

	size_t pos() const noexcept { return pos_; }
	size_t size() const noexcept { return n_; }
	bool at_end() const noexcept { return pos_ >= n_; }
	void seek(size_t pos) noexcept { pos_ = pos; }

	// Type of the next value (Invalid for the never-used byte 0xc1).
	// Throws at end of input.
	MpType peek() const;

	// Headers: the count is validated against the remaining bytes (every
	// element needs at least one byte, every map pair two).
	uint32_t read_array(const char *what = "array");
	uint32_t read_map(const char *what = "map");

	// A str value, zero-copy (a view into the input).
	std::string_view read_str(const char *what = "string");
	// str, or nil -> empty (tracers send nil for absent strings).
	std::string_view read_str_or_nil(const char *what = "string");

	// Any integer, returned as its 64 bits: uint64 as is, negative int64 as
	// two's complement (ids are uint64 but some encoders write int64).
	uint64_t read_u64_bits(const char *what = "integer");
	// Any integer that fits in int64.
	int64_t read_i64(const char *what = "integer");
	// Any integer or float as a double (metrics); ints also exactly in *exact.
	double read_number(const char *what = "number", bool *is_int = nullptr, int64_t *as_int = nullptr);
	bool read_bool(const char *what = "boolean");
	bool read_nil_if_present();

	// Skips one complete value of any type (iteratively).
	void skip();

	[[noreturn]] void fail(size_t at, const std::string &msg) const;
	[[noreturn]] void expected(const char *what, size_t at) const;

private:
	MpType peek_at(size_t at) const;
	uint8_t byte_at(size_t at) const;
	uint64_t be(size_t at, int nbytes) const;  // big-endian unsigned
	void need(size_t at, uint64_t nbytes, const char *what) const;
	// Decodes the header at pos_; advances past header; returns type and
	// (for containers/str/bin/ext) the count or payload length.
	MpType header(uint64_t &len, uint64_t &ival, double &dval);

	const uint8_t *p_;
	size_t n_;
	size_t pos_ = 0;
};

// Validates that `s` is UTF-8 without NUL bytes (PostgreSQL text cannot hold
// either).  Returns the offset of the first bad byte or npos.
size_t find_invalid_utf8(std::string_view s) noexcept;

}  // namespace errtrack
