#include "db/database.h"

#include <chrono>
#include <string>

namespace anjian::db {

std::int64_t Row::i64(size_t i) const {
  const Value& v = cols_.at(i);
  if (auto p = std::get_if<std::int64_t>(&v)) return *p;
  if (auto p = std::get_if<double>(&v)) return static_cast<std::int64_t>(*p);
  if (auto p = std::get_if<std::string>(&v)) return std::stoll(*p);
  return 0;
}
double Row::f64(size_t i) const {
  const Value& v = cols_.at(i);
  if (auto p = std::get_if<double>(&v)) return *p;
  if (auto p = std::get_if<std::int64_t>(&v)) return static_cast<double>(*p);
  if (auto p = std::get_if<std::string>(&v)) return std::stod(*p);
  return 0;
}
std::string Row::str(size_t i) const {
  const Value& v = cols_.at(i);
  if (auto p = std::get_if<std::string>(&v)) return *p;
  if (auto p = std::get_if<Blob>(&v)) return p->bytes;
  if (auto p = std::get_if<std::int64_t>(&v)) return std::to_string(*p);
  if (auto p = std::get_if<double>(&v)) return std::to_string(*p);
  return {};
}
std::optional<std::string> Row::opt_str(size_t i) const {
  return null(i) ? std::nullopt : std::optional<std::string>(str(i));
}
std::optional<double> Row::opt_f64(size_t i) const {
  return null(i) ? std::nullopt : std::optional<double>(f64(i));
}
std::optional<std::int64_t> Row::opt_i64(size_t i) const {
  return null(i) ? std::nullopt : std::optional<std::int64_t>(i64(i));
}

Result<Row> Connection::query_one(std::string_view sql, const std::vector<Value>& params) {
  auto rows = query(sql, params);
  if (!rows.ok()) return rows.take_error();
  if (rows->empty()) return Error::not_found();
  return std::move(rows->front());
}

Lease::~Lease() {
  if (conn_) pool_->release(conn_);
}

Result<Lease> Pool::acquire() {
  std::unique_lock lock(mu_);
  if (free_.empty() && all_.size() + creating_ < size_) {
    ++creating_;
    lock.unlock();
    auto made = factory_();
    lock.lock();
    --creating_;
    if (!made.ok()) return made.take_error();
    all_.push_back(std::move(made).value());
    ++in_use_;
    return Lease(this, all_.back().get());
  }
  if (!cv_.wait_for(lock, std::chrono::seconds(30), [&] { return !free_.empty(); }))
    return Error{"unavailable", "数据库连接繁忙，请稍后重试", ""};
  Connection* c = free_.back();
  free_.pop_back();
  ++in_use_;
  return Lease(this, c);
}

void Pool::release(Connection* c) {
  {
    std::lock_guard lock(mu_);
    free_.push_back(c);
    --in_use_;
  }
  cv_.notify_one();
}

size_t Pool::in_use() const {
  std::lock_guard lock(mu_);
  return in_use_;
}

Status begin(Connection& c) {
  // SQLite: IMMEDIATE takes the write lock now, so a transaction never fails midway on a lock.
  auto r = c.exec(c.dialect() == Dialect::sqlite ? "BEGIN IMMEDIATE" : "BEGIN");
  if (!r.ok()) return r.take_error();
  return {};
}
Status commit(Connection& c) {
  auto r = c.exec("COMMIT");
  if (!r.ok()) {
    rollback(c);
    return r.take_error();
  }
  return {};
}
void rollback(Connection& c) { (void)c.exec("ROLLBACK"); }

}  // namespace anjian::db
