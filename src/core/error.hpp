// error.hpp — the only exception type the core throws on purpose.
//
// Each error carries a class that the glue maps to a SQLSTATE.  Exceptions
// never leave the core's boundary functions (src/glue/boundary.hpp).
#pragma once
#include <stdexcept>
#include <string>

namespace errtrack {

enum class ErrorClass {
	InvalidInput,      // malformed argument              -> 22023 invalid_parameter_value
	InvalidData,       // malformed payload (msgpack,...) -> 22P02 / 08P01 style: 22000 data_exception
	TooLarge,          // over a documented size limit    -> 54000 program_limit_exceeded
	Interrupted,       // InterruptPending was seen        -> glue runs CHECK_FOR_INTERRUPTS
	Internal           // a bug                            -> XX000
};

class Error : public std::runtime_error {
public:
	Error(ErrorClass cls, const std::string &msg) : std::runtime_error(msg), cls_(cls) {}
	ErrorClass cls() const noexcept { return cls_; }

private:
	ErrorClass cls_;
};

// Cooperative cancellation: the glue points this at PostgreSQL's
// InterruptPending; the core polls it in long loops and throws
// Error(Interrupted) so the stack unwinds before PostgreSQL handles the
// interrupt.  nullptr means "never interrupted" (unit tests, CLI).
struct Cancel {
	const volatile int *flag = nullptr;
	void poll() const {
		if (flag && *flag)
			throw Error(ErrorClass::Interrupted, "interrupted");
	}
};

}  // namespace errtrack
