#!/usr/bin/env python3
"""Generates services/people/tests-data/holidays.tsv, the reference public holidays that the
unit test of services/people/src/calendar.rs compares its own computation with: the PyPI
`holidays` package's default (public) category for NL, BE and DE (nationwide, and each of the
16 states by subdivision code), in English.

    pip install holidays==0.109   # PyPI
    scripts/gen-holiday-fixture.py > services/people/tests-data/holidays.tsv
    scripts/gen-holiday-fixture.py 2020 2035 > /tmp/holidays-wide.tsv   # other years: first last

Output: `country<TAB>region<TAB>date<TAB>name`, region empty for a nationwide list, sorted by
country, region, date. Lines starting with `#` are comments.
"""

import sys

import holidays

GERMAN_STATES = ["BW", "BY", "BE", "BB", "HB", "HH", "HE", "MV", "NI", "NW", "RP", "SL", "SN", "ST", "SH", "TH"]


def rows(country, region, years):
    # The default category is "public": days off by law, what calendar.rs models.
    days = holidays.country_holidays(country, subdiv=region, years=years, language="en_US")
    for day, name in sorted(days.items()):
        yield f"{country}\t{region or ''}\t{day.isoformat()}\t{name}"


def main():
    first, last = (int(sys.argv[1]), int(sys.argv[2])) if len(sys.argv) == 3 else (2026, 2027)
    years = list(range(first, last + 1))
    print(f"# holidays {holidays.__version__}, years {first}-{last}: scripts/gen-holiday-fixture.py")
    print("# country\tregion\tdate\tname")
    for country, regions in (("NL", [None]), ("BE", [None]), ("DE", [None] + GERMAN_STATES)):
        for region in regions:
            for row in rows(country, region, years):
                print(row)


if __name__ == "__main__":
    main()
