#include "base/geo_index.h"

#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>

#include <cmath>
#include <unordered_map>

namespace anjian {
namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

namespace {
constexpr double kEarthRadiusM = 6'371'008.8;  // mean radius (IUGG)
constexpr double kDeg = 3.14159265358979323846 / 180.0;
using Point = bg::model::point<double, 3, bg::cs::cartesian>;
using Entry = std::pair<Point, std::uint32_t>;  // the point and its slot

Point unit(double lon, double lat) {
  const double l = lon * kDeg, p = lat * kDeg;
  return Point(std::cos(p) * std::cos(l), std::cos(p) * std::sin(l), std::sin(p));
}
// The chord of a great-circle distance (for a radius) on the unit sphere.
double chord_of(double metres) { return 2 * std::sin(std::min(metres / kEarthRadiusM, 3.14159265358979323846) / 2); }
}  // namespace

double great_circle_m(double lon1, double lat1, double lon2, double lat2) {
  const double dlat = (lat2 - lat1) * kDeg, dlon = (lon2 - lon1) * kDeg;
  const double a = std::sin(dlat / 2) * std::sin(dlat / 2) + std::cos(lat1 * kDeg) * std::cos(lat2 * kDeg) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * kEarthRadiusM * std::asin(std::min(1.0, std::sqrt(a)));
}

struct GeoIndex::Impl {
  bgi::rtree<Entry, bgi::rstar<16>> tree;
  struct Slot {
    std::string id;
    double lon = 0, lat = 0;
    bool used = false;
  };
  std::vector<Slot> slots;
  std::vector<std::uint32_t> free;
  std::unordered_map<std::string, std::uint32_t> by_id;
};

GeoIndex::GeoIndex() : impl_(std::make_unique<Impl>()) {}
GeoIndex::~GeoIndex() = default;
GeoIndex::GeoIndex(GeoIndex&&) noexcept = default;
GeoIndex& GeoIndex::operator=(GeoIndex&&) noexcept = default;

void GeoIndex::put(const std::string& id, double lon, double lat) {
  remove(id);
  std::uint32_t slot;
  if (!impl_->free.empty()) {
    slot = impl_->free.back();
    impl_->free.pop_back();
  } else {
    slot = static_cast<std::uint32_t>(impl_->slots.size());
    impl_->slots.emplace_back();
  }
  impl_->slots[slot] = {id, lon, lat, true};
  impl_->by_id[id] = slot;
  impl_->tree.insert({unit(lon, lat), slot});
}

void GeoIndex::remove(const std::string& id) {
  auto it = impl_->by_id.find(id);
  if (it == impl_->by_id.end()) return;
  auto& s = impl_->slots[it->second];
  impl_->tree.remove(Entry{unit(s.lon, s.lat), it->second});
  s.used = false;
  impl_->free.push_back(it->second);
  impl_->by_id.erase(it);
}

size_t GeoIndex::size() const { return impl_->by_id.size(); }

std::vector<GeoIndex::Hit> GeoIndex::nearest(double lon, double lat, size_t k, double radius_m,
                                             const std::function<bool(const std::string&)>& keep) const {
  std::vector<Hit> out;
  if (k == 0) return out;
  const Point at = unit(lon, lat);
  const double limit = radius_m > 0 ? chord_of(radius_m) : 3.0;
  // The R-tree yields entries nearest first; it stops at the first one beyond the radius.
  for (auto it = impl_->tree.qbegin(bgi::nearest(at, static_cast<unsigned>(impl_->tree.size()))); it != impl_->tree.qend(); ++it) {
    if (bg::distance(at, it->first) > limit + 1e-12) break;
    const auto& s = impl_->slots[it->second];
    if (keep && !keep(s.id)) continue;
    const double d = great_circle_m(lon, lat, s.lon, s.lat);
    if (radius_m > 0 && d > radius_m) continue;
    out.push_back({s.id, d});
    if (out.size() == k) break;
  }
  return out;
}

}  // namespace anjian
