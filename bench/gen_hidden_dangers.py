#!/usr/bin/env python3
"""Writes N hidden dangers over the enterprises listed in ENTERPRISES_CSV (uscc,region_code,industry)
as a CSV of hidden_dangers rows (the columns below), for bench/run-hidden-dangers: three years of
findings, a realistic spread of states (most closed), 重大 ones about 3 %, some under 挂牌督办,
some overdue. Deterministic (seed 7)."""
import csv, random, sys, time

COLUMNS = ["id", "enterprise_uscc", "region_code", "industry", "description", "place", "category", "grade", "found_by", "finder",
           "found_at", "standard", "standard_item", "major_reason", "state", "plan", "deadline", "supervised", "supervision",
           "authority_org_id", "rectified_by", "created_by", "created_at", "updated_at", "closed_at", "version", "checklist_item"]

def main():
    src, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    ents = [r for r in csv.reader(open(src)) if r]
    rnd = random.Random(7)
    now = int(time.time() * 1000)
    day = 86_400_000
    states = ["closed"] * 80 + ["withdrawn"] * 4 + ["reported"] * 4 + ["planned"] * 4 + ["rectifying"] * 5 + ["rectified"] * 3
    sources = ["self_inspection"] * 6 + ["inspection"] * 3 + ["public_report", "monitoring", "other"]
    with open(out, "w", newline="") as f:
        # Texts quoted (an empty one stays an empty text); an absent deadline unquoted and empty (NULL).
        w = csv.writer(f, quoting=csv.QUOTE_NONNUMERIC)
        for i in range(n):
            uscc, region, industry = ents[rnd.randrange(len(ents))]
            major = rnd.random() < 0.03
            found = now - rnd.randrange(3 * 365) * day - rnd.randrange(day)
            state = rnd.choice(states)
            deadline = found + rnd.randrange(3, 60) * day if state != "reported" else None
            supervised = 1 if major and rnd.random() < 0.2 else 0
            closed = found + rnd.randrange(1, 60) * day if state in ("closed", "withdrawn") else None
            w.writerow([f"bench{i:08d}", uscc, region, industry, f"隐患{i}", "车间", "site_management", "major" if major else "general",
                        rnd.choice(sources), "检查员", found, "", "", "基准数据" if major else "", state, "", deadline, supervised, "",
                        "", "", "bench", found, closed or found, closed, 1, ""])

if __name__ == "__main__":
    main()
