// msgpack.cpp — see msgpack.hpp.
#include "msgpack.hpp"

#include <cstring>

#include "core_only.hpp"

namespace errtrack {

const char *
mp_type_name(MpType t)
{
	switch (t) {
	case MpType::Nil: return "nil";
	case MpType::Bool: return "boolean";
	case MpType::Int: return "integer";
	case MpType::UInt: return "integer";
	case MpType::Float: return "float";
	case MpType::Str: return "string";
	case MpType::Bin: return "binary";
	case MpType::Array: return "array";
	case MpType::Map: return "map";
	case MpType::Ext: return "extension";
	case MpType::Invalid: return "invalid byte 0xc1";
	}
	return "?";
}

void
MsgpackReader::fail(size_t at, const std::string &msg) const
{
	throw Error(ErrorClass::InvalidData, "invalid msgpack at byte " + std::to_string(at) + ": " + msg);
}

uint8_t
MsgpackReader::byte_at(size_t at) const
{
	if (at >= n_)
		fail(at, "unexpected end of data (payload is " + std::to_string(n_) + " bytes)");
	return p_[at];
}

void
MsgpackReader::need(size_t at, uint64_t nbytes, const char *what) const
{
	if (at > n_ || nbytes > n_ - at)
		fail(at, std::string("truncated ") + what + ": needs " + std::to_string(nbytes) +
		             " bytes, " + std::to_string(at > n_ ? 0 : n_ - at) + " left");
}

uint64_t
MsgpackReader::be(size_t at, int nbytes) const
{
	need(at, (uint64_t) nbytes, "number");
	uint64_t v = 0;
	for (int i = 0; i < nbytes; i++)
		v = (v << 8) | p_[at + i];
	return v;
}

MpType
MsgpackReader::peek() const
{
	uint8_t b = byte_at(pos_);
	if (b <= 0x7f || b >= 0xe0)
		return b <= 0x7f ? MpType::UInt : MpType::Int;
	if (b <= 0x8f)
		return MpType::Map;
	if (b <= 0x9f)
		return MpType::Array;
	if (b <= 0xbf)
		return MpType::Str;
	switch (b) {
	case 0xc0: return MpType::Nil;
	case 0xc1: return MpType::Invalid;
	case 0xc2: case 0xc3: return MpType::Bool;
	case 0xc4: case 0xc5: case 0xc6: return MpType::Bin;
	case 0xc7: case 0xc8: case 0xc9: return MpType::Ext;
	case 0xca: case 0xcb: return MpType::Float;
	case 0xcc: case 0xcd: case 0xce: case 0xcf: return MpType::UInt;
	case 0xd0: case 0xd1: case 0xd2: case 0xd3: return MpType::Int;
	case 0xd4: case 0xd5: case 0xd6: case 0xd7: case 0xd8: return MpType::Ext;
	case 0xd9: case 0xda: case 0xdb: return MpType::Str;
	case 0xdc: case 0xdd: return MpType::Array;
	default: return MpType::Map; /* 0xde, 0xdf */
	}
}

MpType
MsgpackReader::header(uint64_t &len, uint64_t &ival, double &dval)
{
	size_t at = pos_;
	uint8_t b = byte_at(at);
	MpType t = peek();
	len = 0;
	ival = 0;
	dval = 0;
	size_t h = 1;  // header size
	if (b <= 0x7f) {
		ival = b;
	} else if (b >= 0xe0) {
		ival = (uint64_t) (int64_t) (int8_t) b;
	} else if (b <= 0x8f) {
		len = b & 0x0f;
	} else if (b <= 0x9f) {
		len = b & 0x0f;
	} else if (b <= 0xbf) {
		len = b & 0x1f;
	} else {
		switch (b) {
		case 0xc0: break;
		case 0xc1: fail(at, "byte 0xc1 is never used in msgpack");
		case 0xc2: ival = 0; break;
		case 0xc3: ival = 1; break;
		case 0xc4: len = be(at + 1, 1); h = 2; break;
		case 0xc5: len = be(at + 1, 2); h = 3; break;
		case 0xc6: len = be(at + 1, 4); h = 5; break;
		case 0xc7: len = be(at + 1, 1) + 1; h = 2; break;  // + type byte
		case 0xc8: len = be(at + 1, 2) + 1; h = 3; break;
		case 0xc9: len = be(at + 1, 4) + 1; h = 5; break;
		case 0xca: {
			uint32_t bits = (uint32_t) be(at + 1, 4);
			float f;
			std::memcpy(&f, &bits, 4);
			dval = f;
			h = 5;
			break;
		}
		case 0xcb: {
			uint64_t bits = be(at + 1, 8);
			std::memcpy(&dval, &bits, 8);
			h = 9;
			break;
		}
		case 0xcc: ival = be(at + 1, 1); h = 2; break;
		case 0xcd: ival = be(at + 1, 2); h = 3; break;
		case 0xce: ival = be(at + 1, 4); h = 5; break;
		case 0xcf: ival = be(at + 1, 8); h = 9; break;
		case 0xd0: ival = (uint64_t) (int64_t) (int8_t) be(at + 1, 1); h = 2; break;
		case 0xd1: ival = (uint64_t) (int64_t) (int16_t) be(at + 1, 2); h = 3; break;
		case 0xd2: ival = (uint64_t) (int64_t) (int32_t) be(at + 1, 4); h = 5; break;
		case 0xd3: ival = be(at + 1, 8); h = 9; break;
		case 0xd4: len = 2; break;
		case 0xd5: len = 3; break;
		case 0xd6: len = 5; break;
		case 0xd7: len = 9; break;
		case 0xd8: len = 17; break;
		case 0xd9: len = be(at + 1, 1); h = 2; break;
		case 0xda: len = be(at + 1, 2); h = 3; break;
		case 0xdb: len = be(at + 1, 4); h = 5; break;
		case 0xdc: len = be(at + 1, 2); h = 3; break;
		case 0xdd: len = be(at + 1, 4); h = 5; break;
		case 0xde: len = be(at + 1, 2); h = 3; break;
		case 0xdf: len = be(at + 1, 4); h = 5; break;
		}
	}
	need(at, h, "header");
	pos_ = at + h;
	// Validate lengths against what remains, before anyone uses them.
	switch (t) {
	case MpType::Str: need(pos_, len, "string"); break;
	case MpType::Bin: need(pos_, len, "binary"); break;
	case MpType::Ext: need(pos_, len, "extension"); break;
	case MpType::Array:
		if (len > n_ - pos_)
			fail(at, "array header claims " + std::to_string(len) + " elements but only " +
			             std::to_string(n_ - pos_) + " bytes remain");
		break;
	case MpType::Map:
		if (len > (n_ - pos_) / 2)
			fail(at, "map header claims " + std::to_string(len) + " entries but only " +
			             std::to_string(n_ - pos_) + " bytes remain");
		break;
	default: break;
	}
	return t;
}

void
MsgpackReader::expected(const char *what, size_t at) const
{
	MpType t = at < n_ ? MsgpackReader(p_, n_).peek_at(at) : MpType::Invalid;
	if (at >= n_)
		fail(at, std::string("expected ") + what + ", found end of data");
	fail(at, std::string("expected ") + what + ", found " + mp_type_name(t));
}

uint32_t
MsgpackReader::read_array(const char *what)
{
	size_t at = pos_;
	if (at >= n_ || peek() != MpType::Array)
		expected(what, at);
	uint64_t len, iv;
	double dv;
	header(len, iv, dv);
	return (uint32_t) len;
}

uint32_t
MsgpackReader::read_map(const char *what)
{
	size_t at = pos_;
	if (at >= n_ || peek() != MpType::Map)
		expected(what, at);
	uint64_t len, iv;
	double dv;
	header(len, iv, dv);
	return (uint32_t) len;
}

std::string_view
MsgpackReader::read_str(const char *what)
{
	size_t at = pos_;
	if (at >= n_ || peek() != MpType::Str)
		expected(what, at);
	uint64_t len, iv;
	double dv;
	header(len, iv, dv);
	std::string_view s(reinterpret_cast<const char *>(p_ + pos_), (size_t) len);
	pos_ += (size_t) len;
	return s;
}

std::string_view
MsgpackReader::read_str_or_nil(const char *what)
{
	if (pos_ < n_ && p_[pos_] == 0xc0) {
		pos_++;
		return std::string_view();
	}
	return read_str(what);
}

bool
MsgpackReader::read_nil_if_present()
{
	if (pos_ < n_ && p_[pos_] == 0xc0) {
		pos_++;
		return true;
	}
	return false;
}

uint64_t
MsgpackReader::read_u64_bits(const char *what)
{
	size_t at = pos_;
	MpType t = at < n_ ? peek() : MpType::Invalid;
	if (t != MpType::Int && t != MpType::UInt)
		expected(what, at);
	uint64_t len, iv;
	double dv;
	header(len, iv, dv);
	return iv;
}

int64_t
MsgpackReader::read_i64(const char *what)
{
	size_t at = pos_;
	MpType t = at < n_ ? peek() : MpType::Invalid;
	if (t != MpType::Int && t != MpType::UInt)
		expected(what, at);
	uint64_t len, iv;
	double dv;
	header(len, iv, dv);
	if (t == MpType::UInt && iv > (uint64_t) INT64_MAX)
		fail(at, std::string(what) + " " + std::to_string(iv) + " does not fit in a signed 64-bit integer");
	return (int64_t) iv;
}

double
MsgpackReader::read_number(const char *what, bool *is_int, int64_t *as_int)
{
	size_t at = pos_;
	MpType t = at < n_ ? peek() : MpType::Invalid;
	if (t != MpType::Int && t != MpType::UInt && t != MpType::Float)
		expected(what, at);
	uint64_t len, iv;
	double dv;
	header(len, iv, dv);
	if (is_int)
		*is_int = false;
	if (t == MpType::Float)
		return dv;
	if (t == MpType::UInt && iv > (uint64_t) INT64_MAX)
		return (double) iv;  // beyond int64: only as a double
	if (is_int)
		*is_int = true;
	if (as_int)
		*as_int = (int64_t) iv;
	return (double) (int64_t) iv;
}

bool
MsgpackReader::read_bool(const char *what)
{
	size_t at = pos_;
	if (at >= n_ || peek() != MpType::Bool)
		expected(what, at);
	return p_[pos_++] == 0xc3;
}

void
MsgpackReader::skip()
{
	// Number of values still to skip; bounded by 2 * size (validated headers).
	uint64_t pending = 1;
	while (pending > 0) {
		pending--;
		uint64_t len, iv;
		double dv;
		MpType t = header(len, iv, dv);
		switch (t) {
		case MpType::Str:
		case MpType::Bin:
		case MpType::Ext:
			pos_ += (size_t) len;
			break;
		case MpType::Array: pending += len; break;
		case MpType::Map: pending += 2 * len; break;
		default: break;
		}
	}
}

MpType
MsgpackReader::peek_at(size_t at) const
{
	MsgpackReader r(p_, n_);
	r.pos_ = at;
	return r.peek();
}

size_t
find_invalid_utf8(std::string_view s) noexcept
{
	const auto *p = reinterpret_cast<const unsigned char *>(s.data());
	size_t n = s.size(), i = 0;
	while (i < n) {
		unsigned char c = p[i];
		if (c >= 0x01 && c < 0x80) {
			i++;
			continue;
		}
		if (c == 0)
			return i;
		size_t len;
		uint32_t cp;
		if ((c & 0xe0) == 0xc0) {
			len = 2;
			cp = c & 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			len = 3;
			cp = c & 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			len = 4;
			cp = c & 0x07;
		} else {
			return i;
		}
		if (n - i < len)
			return i;
		for (size_t k = 1; k < len; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return i;
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return i;
		i += len;
	}
	return std::string_view::npos;
}

}  // namespace errtrack
