#pragma once
// Points on the earth found by nearness: the k nearest to a place, or all within a radius, among
// hundreds of thousands (rescue resources, enterprises). An R-tree (Boost.Geometry) over the points
// as unit vectors: the straight chord between two points grows with the great-circle distance, so
// the nearest by chord are the nearest on the earth, with no projection and no seam at ±180°.
// Distances are great-circle (haversine, mean earth radius). Not thread-safe: the owner locks.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace anjian {

class GeoIndex {
 public:
  GeoIndex();
  ~GeoIndex();
  GeoIndex(GeoIndex&&) noexcept;
  GeoIndex& operator=(GeoIndex&&) noexcept;

  // Adds or moves `id` to (lon, lat) degrees.
  void put(const std::string& id, double lon, double lat);
  void remove(const std::string& id);
  size_t size() const;

  struct Hit {
    std::string id;
    double distance_m = 0;
  };
  // The k nearest to (lon, lat) that `keep` accepts (all when empty), within radius_m when > 0,
  // nearest first.
  std::vector<Hit> nearest(double lon, double lat, size_t k, double radius_m = 0,
                           const std::function<bool(const std::string&)>& keep = {}) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Great-circle distance in metres between two points given in degrees.
double great_circle_m(double lon1, double lat1, double lon2, double lat2);

}  // namespace anjian
