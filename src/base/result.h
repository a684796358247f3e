#pragma once
// Result<T>: a value or an Error (GCC 12 in C++20 has no std::expected).
#include <cassert>
#include <utility>
#include <variant>

#include "base/error.h"

namespace anjian {

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}                 // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}             // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // REQUIRES: ok()
  T& value() & { assert(ok()); return std::get<0>(v_); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  // REQUIRES: !ok()
  const Error& error() const { assert(!ok()); return std::get<1>(v_); }
  Error&& take_error() { assert(!ok()); return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

// Result<void>: success or an Error.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT(google-explicit-constructor)
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { assert(!ok_); return error_; }
  Error&& take_error() { assert(!ok_); return std::move(error_); }

 private:
  Error error_;
  bool ok_ = true;
};

}  // namespace anjian

// Returns early with the error of a Result or Status expression.
#define ANJIAN_TRY(expr)                                   \
  do {                                                     \
    auto&& anjian_try_ = (expr);                           \
    if (!anjian_try_.ok()) return anjian_try_.take_error(); \
  } while (0)

#define ANJIAN_CONCAT_(a, b) a##b
#define ANJIAN_CONCAT(a, b) ANJIAN_CONCAT_(a, b)
// Declares `lhs` from a Result expression, or returns its error.
#define ANJIAN_ASSIGN(lhs, expr) ANJIAN_ASSIGN_IMPL(ANJIAN_CONCAT(anjian_r_, __LINE__), lhs, expr)
#define ANJIAN_ASSIGN_IMPL(tmp, lhs, expr)         \
  auto tmp = (expr);                               \
  if (!tmp.ok()) return tmp.take_error();          \
  lhs = std::move(tmp).value()
