#!/usr/bin/env python3
"""Writes N hidden dangers over the enterprises listed in ENTERPRISES_CSV (uscc,region_code,industry)
as a CSV of hidden_dangers rows (the columns below), for bench/run-hidden-dangers: three years of
findings; those older than 90 days closed (3 % withdrawn), half of the recent ones too, the other
recent ones open in every state, one in eight of those past its deadline; 重大 ones about 3 %, a
third of the open 重大 ones under 挂牌督办. Deterministic (seed 7)."""
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
    sources = ["self_inspection"] * 6 + ["inspection"] * 3 + ["public_report", "monitoring", "other"]
    with open(out, "w", newline="") as f:
        # Texts quoted (an empty one stays an empty text); an absent deadline unquoted and empty (NULL).
        w = csv.writer(f, quoting=csv.QUOTE_NONNUMERIC)
        for i in range(n):
            uscc, region, industry = ents[rnd.randrange(len(ents))]
            major = rnd.random() < 0.03
            found = now - rnd.randrange(3 * 365) * day - rnd.randrange(day)
            age = (now - found) // day
            # What a province's register looks like: older findings are closed (a few withdrawn);
            # the open ones are recent, most within their deadline, about one in eight overdue.
            if age > 90 or rnd.random() < 0.5:
                state = "withdrawn" if rnd.random() < 0.03 else "closed"
            else:
                state = rnd.choice(["reported", "planned", "rectifying", "rectifying", "rectified"])
            open_ = state not in ("closed", "withdrawn")
            if state == "reported":
                deadline = None
            elif open_:
                deadline = found + rnd.randrange(3, 60) * day if rnd.random() < 0.125 else now + rnd.randrange(1, 60) * day
            else:
                deadline = found + rnd.randrange(3, 60) * day
            supervised = 1 if major and open_ and rnd.random() < 0.3 else 0
            closed = min(found + rnd.randrange(1, 60) * day, now) if not open_ else None
            w.writerow([f"bench{i:08d}", uscc, region, industry, f"隐患{i}", "车间", "site_management", "major" if major else "general",
                        rnd.choice(sources), "检查员", found, "", "", "基准数据" if major else "", state, "", deadline, supervised, "",
                        "", "", "bench", found, closed or found, closed, 1, ""])

if __name__ == "__main__":
    main()
