#!/usr/bin/env python3
"""Generates services/analytics/eval/attrition-synthetic.csv: a synthetic HR export of 1,500
invented employees in the column layout HR systems commonly export (IBM HR Analytics style), with
a leaver column `Attrition` (Yes/No, about 16 % Yes). Standard library only; the seed is fixed, so
the file is reproducible byte for byte:

    scripts/gen-attrition-data.py
    scripts/gen-attrition-data.py --seed 7 --rows 3000 --out /tmp/other.csv   # another sample

Nobody in it exists. The export is deliberately a little messy, as real ones are: an identifier
column (EmployeeNumber), three constant columns (EmployeeCount, Over18, StandardHours), three
pay-rate columns that are pure noise (DailyRate, HourlyRate, MonthlyRate), Gender voluntarily
reported (about 4 % empty, a handful of "Non-binary"), and a few empty DistanceFromHome and
EducationField cells.

Who leaves: a logistic model with nonlinear terms, interactions and unobserved heterogeneity,

    logit P(leave) = b0
        + 1.55 OverTime + 0.80 OverTime·[WorkLifeBalance = 1] + 0.65 OverTime·[MonthlyIncome < 3000]
        + 1.30 exp(-(Age - 18) / 7)                        # the young leave more, fading by ~35
        - 1.00 ln(MonthlyIncome / 5000)                    # pay, on a log scale
        + 0.70 [YearsAtCompany <= 1] + 0.25 [YearsAtCompany in 2..3]
        + 0.85 [JobSatisfaction = 1] + 0.30 [JobSatisfaction = 2]
        + 0.70 [EnvironmentSatisfaction = 1] + 0.50 [JobInvolvement = 1] + 0.45 [WorkLifeBalance = 1]
        + 0.90 [Travel_Frequently] + 0.30 [Travel_Rarely]
        + 0.60 [Single] + 0.50 [StockOptionLevel = 0]
        + 0.13 max(0, NumCompaniesWorked - 2) + 0.045 max(0, DistanceFromHome - 9)
        + 0.60 [YearsSinceLastPromotion >= 6]·[YearsInCurrentRole >= 6]      # stagnation
        + role: Sales Representative 1.05, Laboratory Technician 0.60, Human Resources 0.40,
                Research Director -0.65, Manufacturing Director -0.40, Manager -0.40
        + u,  u ~ N(0, 0.7²) per employee (what no export shows)

with b0 solved so the expected share of leavers is 16 %. Gender, Education, PerformanceRating,
TrainingTimesLastYear, RelationshipSatisfaction and the pay rates have no effect of their own
(Gender is mildly associated with Department, so group figures can still differ). Ages, careers,
levels and pay are generated jointly (TotalWorkingYears <= Age - 18, YearsAtCompany <=
TotalWorkingYears, JobLevel from experience and role, pay from level and role), so predictors are
correlated as in real exports. The ROC-AUC of the true log-odds without u (the best any model of
these columns can expect) is printed when the file is written; 0.877 for this file.
"""

import argparse
import csv
import math
import os
import random

SEED = 20261101
N = 1500
TARGET_RATE = 0.16

OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                   "services", "analytics", "eval", "attrition-synthetic.csv")

COLUMNS = [
    "Age", "Attrition", "BusinessTravel", "DailyRate", "Department", "DistanceFromHome", "Education",
    "EducationField", "EmployeeCount", "EmployeeNumber", "EnvironmentSatisfaction", "Gender", "HourlyRate",
    "JobInvolvement", "JobLevel", "JobRole", "JobSatisfaction", "MaritalStatus", "MonthlyIncome",
    "MonthlyRate", "NumCompaniesWorked", "Over18", "OverTime", "PercentSalaryHike", "PerformanceRating",
    "RelationshipSatisfaction", "StandardHours", "StockOptionLevel", "TotalWorkingYears",
    "TrainingTimesLastYear", "WorkLifeBalance", "YearsAtCompany", "YearsInCurrentRole",
    "YearsSinceLastPromotion", "YearsWithCurrManager",
]

ROLES = {
    "Research & Development": [("Research Scientist", 28), ("Laboratory Technician", 26),
                               ("Manufacturing Director", 14), ("Healthcare Representative", 14),
                               ("Research Director", 8), ("Manager", 6)],
    "Sales": [("Sales Executive", 66), ("Sales Representative", 19), ("Manager", 15)],
    "Human Resources": [("Human Resources", 80), ("Manager", 20)],
}
ROLE_EFFECT = {"Sales Representative": 1.05, "Laboratory Technician": 0.60, "Human Resources": 0.40,
               "Research Director": -0.65, "Manufacturing Director": -0.40, "Manager": -0.40}
SENIOR = {"Manager", "Research Director"}
JUNIOR = {"Sales Representative", "Laboratory Technician"}
LEVEL_PAY = {1: 2800, 2: 5600, 3: 10000, 4: 15500, 5: 19000}


def pick(rng, weighted):
    total = sum(w for _, w in weighted)
    r = rng.random() * total
    for value, w in weighted:
        r -= w
        if r < 0:
            return value
    return weighted[-1][0]


def clip(x, lo, hi):
    return max(lo, min(hi, x))


def employee(rng, number):
    dept = pick(rng, [("Research & Development", 65), ("Sales", 30), ("Human Resources", 5)])
    role = pick(rng, ROLES[dept])
    age_mean = 41 if role in SENIOR else 31 if role in JUNIOR else 37
    age = int(clip(round(rng.gauss(age_mean, 8.5)), 18, 60))
    twy = int(clip(round(rng.gauss((age - 18) * 0.55, 3.5)), 0, age - 18))
    if role in SENIOR:
        twy = max(twy, min(age - 18, 8))
    if twy < 2:
        ncw = pick(rng, [(0, 5), (1, 5)])
    else:
        ncw = int(clip(round(rng.expovariate(1 / (1 + twy / 8))), 0, 9))
    yac = twy if ncw == 0 else int(round(twy * rng.betavariate(1.3, 2.2)))
    yicr = int(round(yac * rng.betavariate(2.0, 2.0)))
    yslp = int(round(yac * rng.betavariate(1.0, 2.5)))
    ywcm = int(round(yac * rng.betavariate(2.0, 2.0)))
    level = 1 + twy / 8 + rng.gauss(0, 0.6)
    if role in SENIOR:
        level += 1.8
    if role in JUNIOR:
        level -= 0.8
    level = int(clip(round(level), 1, 5))
    pay_factor = {"Sales Executive": 1.05, "Research Director": 1.1, "Manager": 1.1,
                  "Sales Representative": 0.85, "Laboratory Technician": 0.9}.get(role, 1.0)
    income = int(clip(round(LEVEL_PAY[level] * pay_factor * math.exp(rng.gauss(0, 0.2))), 1009, 19999))
    field_weights = {
        "Sales": [("Marketing", 40), ("Life Sciences", 30), ("Medical", 15), ("Technical Degree", 7), ("Other", 8)],
        "Human Resources": [("Human Resources", 60), ("Life Sciences", 15), ("Medical", 10), ("Other", 15)],
    }.get(dept, [("Life Sciences", 45), ("Medical", 35), ("Technical Degree", 12), ("Other", 8)])
    field = "" if rng.random() < 0.015 else pick(rng, field_weights)
    female_share = {"Human Resources": 0.6, "Sales": 0.42}.get(dept, 0.37)
    r = rng.random()
    gender = "" if r < 0.04 else "Non-binary" if r < 0.043 else "Female" if r < 0.043 + female_share * 0.957 else "Male"
    single_w = 55 if age < 30 else 30 if age < 40 else 18
    marital = pick(rng, [("Single", single_w), ("Married", 50), ("Divorced", 20 if age > 30 else 5)])
    stock = pick(rng, [(0, 80), (1, 15), (2, 3), (3, 2)] if marital == "Single"
                 else [(0, 25), (1, 50), (2, 15), (3, 10)])
    overtime = rng.random() < (0.36 if role in ("Sales Executive", "Laboratory Technician", "Research Scientist")
                               else 0.22)
    travel_w = [("Travel_Rarely", 66), ("Travel_Frequently", 26), ("Non-Travel", 8)] if dept == "Sales" \
        else [("Travel_Rarely", 73), ("Travel_Frequently", 16), ("Non-Travel", 11)]
    travel = pick(rng, travel_w)
    distance = int(clip(1 + int(rng.expovariate(1 / 8.0)), 1, 29))
    sat = [(1, 19), (2, 19), (3, 31), (4, 31)]
    wlb = pick(rng, [(1, 10), (2, 27), (3, 52), (4, 11)] if overtime else [(1, 4), (2, 22), (3, 62), (4, 12)])
    hike = int(clip(round(11 + rng.expovariate(1 / 4.0)), 11, 25))
    return {
        "Age": age, "BusinessTravel": travel, "DailyRate": rng.randint(102, 1499), "Department": dept,
        "DistanceFromHome": distance, "Education": pick(rng, [(1, 12), (2, 19), (3, 39), (4, 27), (5, 3)]),
        "EducationField": field, "EmployeeCount": 1, "EmployeeNumber": number,
        "EnvironmentSatisfaction": pick(rng, sat), "Gender": gender, "HourlyRate": rng.randint(30, 100),
        "JobInvolvement": pick(rng, [(1, 6), (2, 26), (3, 59), (4, 9)]), "JobLevel": level, "JobRole": role,
        "JobSatisfaction": pick(rng, sat), "MaritalStatus": marital, "MonthlyIncome": income,
        "MonthlyRate": rng.randint(2094, 26999), "NumCompaniesWorked": ncw, "Over18": "Y",
        "OverTime": "Yes" if overtime else "No", "PercentSalaryHike": hike,
        "PerformanceRating": 4 if hike >= 20 else 3, "RelationshipSatisfaction": pick(rng, sat),
        "StandardHours": 80, "StockOptionLevel": stock, "TotalWorkingYears": twy,
        "TrainingTimesLastYear": pick(rng, [(0, 4), (1, 5), (2, 37), (3, 33), (4, 8), (5, 8), (6, 5)]),
        "WorkLifeBalance": wlb, "YearsAtCompany": yac, "YearsInCurrentRole": yicr,
        "YearsSinceLastPromotion": yslp, "YearsWithCurrManager": ywcm,
    }


def risk(e):
    """The documented log-odds, without intercept and heterogeneity."""
    ot = e["OverTime"] == "Yes"
    z = 1.55 * ot + 0.80 * (ot and e["WorkLifeBalance"] == 1) + 0.65 * (ot and e["MonthlyIncome"] < 3000)
    z += 1.30 * math.exp(-(e["Age"] - 18) / 7)
    z -= 1.00 * math.log(e["MonthlyIncome"] / 5000)
    z += 0.70 * (e["YearsAtCompany"] <= 1) + 0.25 * (2 <= e["YearsAtCompany"] <= 3)
    z += 0.85 * (e["JobSatisfaction"] == 1) + 0.30 * (e["JobSatisfaction"] == 2)
    z += 0.70 * (e["EnvironmentSatisfaction"] == 1) + 0.50 * (e["JobInvolvement"] == 1)
    z += 0.45 * (e["WorkLifeBalance"] == 1)
    z += {"Travel_Frequently": 0.90, "Travel_Rarely": 0.30}.get(e["BusinessTravel"], 0.0)
    z += 0.60 * (e["MaritalStatus"] == "Single") + 0.50 * (e["StockOptionLevel"] == 0)
    z += 0.13 * max(0, e["NumCompaniesWorked"] - 2) + 0.045 * max(0, e["DistanceFromHome"] - 9)
    z += 0.60 * (e["YearsSinceLastPromotion"] >= 6 and e["YearsInCurrentRole"] >= 6)
    z += ROLE_EFFECT.get(e["JobRole"], 0.0)
    return z


def sigmoid(z):
    return 1 / (1 + math.exp(-z))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--rows", type=int, default=N)
    ap.add_argument("--out", default=OUT)
    args = ap.parse_args()
    n, out = args.rows, args.out
    rng = random.Random(args.seed)
    number, people = 0, []
    for _ in range(n):
        number += 1 + (rng.random() < 0.3)  # gaps where people left before this export
        people.append(employee(rng, number))
    signal = [risk(e) for e in people]
    z = [v + rng.gauss(0, 0.7) for v in signal]
    lo, hi = -10.0, 5.0
    for _ in range(60):  # b0 so that the expected leaver share is TARGET_RATE
        mid = (lo + hi) / 2
        if sum(sigmoid(mid + v) for v in z) / n < TARGET_RATE:
            lo = mid
        else:
            hi = mid
    b0 = (lo + hi) / 2
    for e, v in zip(people, z):
        e["Attrition"] = "Yes" if rng.random() < sigmoid(b0 + v) else "No"
        if rng.random() < 0.02:  # the odd empty cell, as exports have
            e["DistanceFromHome"] = ""
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(out, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(people)
    leavers = sum(e["Attrition"] == "Yes" for e in people)
    print(f"{out}: {n} rows, {leavers} leavers ({leavers / n:.1%}), b0 = {b0:.3f}, "
          f"ROC-AUC of the true log-odds without u: {auc([e['Attrition'] == 'Yes' for e in people], signal):.4f}")


def auc(y, score):
    order = sorted(range(len(y)), key=lambda i: score[i])
    ranks = [0.0] * len(y)
    i = 0
    while i < len(order):  # mid-ranks for ties
        j = i
        while j + 1 < len(order) and score[order[j + 1]] == score[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    pos = sum(y)
    neg = len(y) - pos
    return (sum(r for r, t in zip(ranks, y) if t) - pos * (pos + 1) / 2) / (pos * neg)


if __name__ == "__main__":
    main()
