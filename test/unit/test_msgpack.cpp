// Unit tests of the msgpack reader (src/core/msgpack.hpp).
#include <gtest/gtest.h>

#include <string>

#include "msgpack.hpp"

using errtrack::Error;
using errtrack::MpType;
using errtrack::MsgpackReader;

namespace {
std::string
bytes(std::initializer_list<int> b)
{
	std::string s;
	for (int c : b)
		s.push_back((char) c);
	return s;
}
}  // namespace

TEST(Msgpack, Scalars)
{
	std::string in = bytes({0x07, 0xff, 0xcc, 0xc8, 0xcf, 0x80, 0, 0, 0, 0, 0, 0, 1, 0xd3, 0xff, 0xff, 0xff, 0xff,
	                        0xff, 0xff, 0xff, 0xfe, 0xa3, 'a', 'b', 'c', 0xc0, 0xc3, 0xcb, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0});
	MsgpackReader r(in.data(), in.size());
	EXPECT_EQ(r.read_i64(), 7);
	EXPECT_EQ(r.read_i64(), -1);
	EXPECT_EQ(r.read_u64_bits(), 200u);
	EXPECT_EQ(r.read_u64_bits(), 0x8000000000000001ull);
	EXPECT_EQ(r.read_u64_bits(), (uint64_t) -2);  // int64 as two's complement bits
	EXPECT_EQ(r.read_str(), "abc");
	EXPECT_EQ(r.read_str_or_nil(), "");
	EXPECT_TRUE(r.read_bool());
	bool is_int = true;
	EXPECT_DOUBLE_EQ(r.read_number("n", &is_int), 1.5);
	EXPECT_FALSE(is_int);
	EXPECT_TRUE(r.at_end());
}

TEST(Msgpack, UInt64AboveInt64IsNotI64)
{
	std::string in = bytes({0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff});
	MsgpackReader r(in.data(), in.size());
	EXPECT_THROW(r.read_i64("start"), Error);
}

TEST(Msgpack, LengthsAreValidatedBeforeUse)
{
	// str32 of 4 GiB with 3 bytes, array32 / map32 of 4 billion entries
	for (std::string in : {bytes({0xdb, 0xff, 0xff, 0xff, 0xff, 'a', 'b', 'c'}), bytes({0xdd, 0xff, 0xff, 0xff, 0xff, 0x90}),
	                       bytes({0xdf, 0x7f, 0xff, 0xff, 0xff, 0x90, 0x90}), bytes({0xc6, 0, 0, 0, 9, 1}),
	                       bytes({0xc9, 0xff, 0xff, 0xff, 0xff, 1})}) {
		MsgpackReader r(in.data(), in.size());
		EXPECT_THROW(r.skip(), Error);
	}
}

TEST(Msgpack, TruncationAnywhereThrows)
{
	std::string full = bytes({0x92, 0x81, 0xa1, 'k', 0xcb, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0, 0xda, 0, 2, 'h', 'i'});
	{
		MsgpackReader r(full.data(), full.size());
		r.skip();
		EXPECT_TRUE(r.at_end());
	}
	for (size_t n = 0; n < full.size(); n++) {
		MsgpackReader r(full.data(), n);
		EXPECT_THROW(r.skip(), Error) << n;
	}
}

TEST(Msgpack, ErrorNamesOffsetAndExpectation)
{
	std::string in = bytes({0x91, 0xa1, 'x'});
	MsgpackReader r(in.data(), in.size());
	r.read_array();
	try {
		r.read_map("span (a map)");
		FAIL();
	} catch (const Error &e) {
		EXPECT_EQ(e.cls(), errtrack::ErrorClass::InvalidData);
		EXPECT_STREQ(e.what(), "invalid msgpack at byte 1: expected span (a map), found string");
	}
}

TEST(Msgpack, DeepNestingSkipsWithoutRecursion)
{
	std::string in(200000, (char) 0x91);
	in.push_back((char) 0xc0);
	MsgpackReader r(in.data(), in.size());
	r.skip();
	EXPECT_TRUE(r.at_end());
}

TEST(Msgpack, NeverUsedByte)
{
	std::string in = bytes({0xc1});
	MsgpackReader r(in.data(), in.size());
	EXPECT_EQ(r.peek(), MpType::Invalid);
	EXPECT_THROW(r.skip(), Error);
}

TEST(Msgpack, Utf8Validation)
{
	EXPECT_EQ(errtrack::find_invalid_utf8("plain ascii"), std::string_view::npos);
	EXPECT_EQ(errtrack::find_invalid_utf8("caf\xc3\xa9 \xf0\x9f\x98\x80"), std::string_view::npos);
	EXPECT_EQ(errtrack::find_invalid_utf8("caf\xe9"), 3u);
	EXPECT_EQ(errtrack::find_invalid_utf8(std::string_view("a\0b", 3)), 1u);
	EXPECT_EQ(errtrack::find_invalid_utf8("\xc0\x80"), 0u);       // overlong
	EXPECT_EQ(errtrack::find_invalid_utf8("\xed\xa0\x80"), 0u);   // surrogate
	EXPECT_EQ(errtrack::find_invalid_utf8("\xe2\x82"), 0u);       // truncated
}
