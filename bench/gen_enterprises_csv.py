#!/usr/bin/env python3
"""Writes N enterprise rows as an import CSV (UTF-8, Chinese headers) with valid, unique USCCs
spread over Zhejiang's counties (or all in one county: the second argument). Used by bench/run-load
import and bench/run-exchange."""
import random
import sys

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
COUNTIES = ["330102", "330105", "330106", "330108", "330109", "330110", "330111", "330112", "330203", "330205",
            "330206", "330211", "330302", "330303", "330304", "330402", "330411", "330502", "330503", "330602",
            "330603", "330702", "330703", "330802", "330803", "330902", "330903", "331002", "331003", "331102"]
WORDS = ["恒达", "华盛", "永安", "宏远", "新能", "金泰", "利民", "东方", "汇丰", "瑞丰", "天成", "明华"]
INDUSTRIES = ["危险化学品使用", "危险化学品经营", "机械", "轻工", "纺织", "商贸", "建材", "其他"]


def uscc(county, n):
    body = ""
    for _ in range(8):
        body += ALPHABET[n % 30]
        n //= 30
    body += "0"
    first17 = "91" + county + body
    c = 31 - sum(ALPHABET.index(ch) * w for ch, w in zip(first17, WEIGHTS)) % 31
    return first17 + ALPHABET[0 if c == 31 else c]


def main(n, only_county=None):
    rnd = random.Random(20261129)
    out = sys.stdout
    out.write("统一社会信用代码,企业名称,行政区划代码,监管行业,地址,经度,纬度,企业规模,从业人员数,有效期至,经营状态\n")
    for i in range(n):
        county = only_county or COUNTIES[i % len(COUNTIES)]
        w = rnd.choice(WORDS) + rnd.choice(WORDS)
        out.write(f"{uscc(county, 10_000_000 + i)},浙江{w}实业第{i}有限公司,{county},{rnd.choice(INDUSTRIES)},"
                  f"浙江省{w}路{i % 500}号,{120 + rnd.random():.6f},{29 + rnd.random():.6f},小型,{rnd.randint(5, 500)},"
                  f"2027/{rnd.randint(1, 12)}/{rnd.randint(1, 28)},正常\n")


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else None)
