use super::{
    boosting::{Boosting, Node, Params, Tree},
    logistic::Logistic,
    table::{
        Encoder, Encoding, Kind, Layout, MISSING, Matrix, OTHER, RawTable, is_missing, parse_number, parse_target,
    },
    validate::{Platt, Rng, calibration, roc_auc, sigmoid, stratified_folds},
    *,
};

/// A small HR-like export: risk from OverTime, Age and Department; EmployeeId (identifier),
/// Country (constant), Gender (group, with a group of three), Income with gaps and decimal commas,
/// ExitReason (filled in for leavers only: leakage).
fn export(rows: usize, seed: u64) -> String {
    let mut rng = Rng::new(seed);
    let mut out = String::from("EmployeeId;Age;OverTime;Department;Income;Country;Gender;ExitReason;Left\n");
    for i in 0..rows {
        let age = 20 + rng.below(40);
        let overtime = rng.next_f64() < 0.3;
        let dept = ["Sales", "R&D", "R&D", "HR"][rng.below(4)];
        let dept = if i == 7 { "Board" } else { dept };
        let income =
            if rng.next_f64() < 0.05 { String::new() } else { format!("{},{}", 2000 + rng.below(8000), rng.below(10)) };
        let gender = if i < 3 {
            "X"
        } else if rng.next_f64() < 0.5 {
            "F"
        } else {
            "M"
        };
        let z = -1.5 + 1.6 * f64::from(u8::from(overtime)) - 0.06 * (age as f64 - 40.0)
            + if dept == "Sales" { 0.8 } else { 0.0 };
        let left = rng.next_f64() < sigmoid(z);
        let (exit, left) = if left { (["moved", "pay"][rng.below(2)], "ja") } else { ("", "nee") };
        let overtime = if overtime { "Yes" } else { "No" };
        out += &format!("{};{age};{overtime};{dept};{income};NL;{gender};{exit};{left}\n", 1000 + i);
    }
    out
}

#[test]
fn numbers_labels_and_gaps() {
    for (s, v) in
        [("12", 12.0), ("1,5", 1.5), ("-3.25", -3.25), ("1.234,5", 1234.5), ("1,234.5", 1234.5), ("1 234", 1234.0)]
    {
        assert_eq!(parse_number(s), Some(v), "{s}");
    }
    for s in ["abc", "1.2.3", "inf", "NaN", "12%", "1,2,3"] {
        assert_eq!(parse_number(s), None, "{s}");
    }
    for (s, v) in
        [("Yes", true), ("NO", false), ("true", true), ("0", false), ("Ja", true), ("nee", false), ("Nein", false)]
    {
        assert_eq!(parse_target(s), Some(v), "{s}");
    }
    assert_eq!(parse_target("maybe"), None);
    assert!(is_missing(" ") && is_missing("N/A") && is_missing("null") && !is_missing("0"));
}

#[test]
fn bad_input_names_line_and_column() {
    let e = RawTable::from_csv("a,b\n1,2\n3\n").expect_err("short row");
    assert_eq!(e.line, Some(3));
    let e = RawTable::from_csv("a,A\n1,2\n").expect_err("duplicate");
    assert_eq!(e.column.as_deref(), Some("A"));
    let raw = RawTable::from_csv("x,Left\n1,yes\n2,maybe\n").expect("csv");
    let e = Layout::plan(&raw, "Left", &[]).expect_err("bad label");
    assert_eq!((e.line, e.column.as_deref()), (Some(3), Some("Left")));
    assert!(e.to_string().contains("\"maybe\""), "{e}");
    let e = Layout::plan(&raw, "Attrition", &[]).expect_err("no target");
    assert!(e.to_string().contains("columns are: x, Left"), "{e}");
    let model = train(&export(300, 1), "Left", &[], "t").expect("train");
    let e = model.score_csv("Age;OverTime\n30;Yes\n").expect_err("columns missing");
    assert_eq!(e.column.as_deref(), Some("Department"));
    let csv = "Age;OverTime;Department;Income\nthirty;No;HR;1\n";
    let e = model.score_csv(csv).expect_err("not a number");
    assert_eq!((e.line, e.column.as_deref()), (Some(2), Some("Age")));
}

#[test]
fn columns_are_typed_screened_and_encoded_on_training_rows() {
    let raw = RawTable::from_csv(&export(300, 2)).expect("csv");
    let (layout, y) = Layout::plan(&raw, "left", &[("Gender", "group")]).expect("plan");
    assert_eq!(y.len(), 300);
    let kinds: Vec<(&str, Kind)> = layout.columns.iter().map(|c| (c.name.as_str(), c.kind)).collect();
    let expected = [("Age", Kind::Numeric), ("OverTime", Kind::Categorical)];
    assert_eq!(&kinds[..2], &expected);
    assert!(kinds.contains(&("Income", Kind::Numeric)));
    let reason = |c: &str| layout.dropped.iter().find(|d| d.column == c).map(|d| d.reason.clone()).unwrap_or_default();
    assert!(reason("EmployeeId").starts_with("identifier-like"));
    assert!(reason("Country").starts_with("constant"));
    assert_eq!(reason("Gender"), "group");
    assert!(reason("ExitReason").starts_with("suspected leakage"), "{:?}", layout.dropped);
    let typed = layout.read(&raw).expect("read");
    let train: Vec<usize> = (0..200).collect();
    let enc = Encoder::fit(&layout, &typed, &train);
    let income = layout.columns.iter().position(|c| c.name == "Income").expect("income");
    assert!(matches!(enc.encodings[income], Encoding::Numeric { indicator: true, .. }));
    let dept = layout.columns.iter().position(|c| c.name == "Department").expect("dept");
    let Encoding::Categorical { levels } = &enc.encodings[dept] else { panic!("categorical") };
    assert!(levels.contains(&OTHER.to_owned()) && !levels.contains(&"Board".to_owned()), "{levels:?}");
    let x = enc.transform(&typed, &[7]);
    let other = enc.features.iter().position(|f| f.name == format!("Department={OTHER}")).expect("other");
    assert_eq!(x.row(0)[other], 1.0);
    let gap = (0..300).find(|&i| typed.cells[income][i] == MISSING).expect("a gap");
    let x = enc.transform(&typed, &[gap]);
    let Encoding::Numeric { median, .. } = enc.encodings[income] else { panic!("numeric") };
    let f = enc.features.iter().position(|f| f.name == "Income").expect("income feature");
    assert_eq!((x.row(0)[f], x.row(0)[f + 1]), (median, 1.0));
}

#[test]
fn validation_figures() {
    assert_eq!(roc_auc(&[false, true], &[0.1, 0.9]), Some(1.0));
    assert_eq!(roc_auc(&[false, true], &[0.9, 0.1]), Some(0.0));
    assert_eq!(roc_auc(&[false, true, true], &[0.5, 0.5, 0.9]), Some(0.75));
    assert_eq!(roc_auc(&[true, true], &[0.5, 0.6]), None);
    let y: Vec<bool> = (0..103).map(|i| i % 5 == 0).collect();
    let folds = stratified_folds(&y, 5, 9);
    for k in 0..5 {
        let pos = (0..103).filter(|&i| folds[i] == k && y[i]).count();
        assert!((4..=5).contains(&pos), "fold {k}: {pos}");
    }
    let cal = calibration(&[true, false, false, true], &[0.95, 0.05, 0.15, 0.85], 10);
    assert!((cal.brier - 0.0125).abs() < 1e-12);
    assert!((cal.ece - 0.1).abs() < 1e-12, "{}", cal.ece);
    assert_eq!(cal.bins.len(), 4);
    let mut rng = Rng::new(3);
    let z: Vec<f64> = (0..4000).map(|_| rng.next_f64() * 8.0 - 4.0).collect();
    let y: Vec<bool> = z.iter().map(|&v| rng.next_f64() < sigmoid(0.5 * v - 1.0)).collect();
    let p = Platt::fit(&z, &y);
    assert!((p.a - 0.5).abs() < 0.1 && (p.b + 1.0).abs() < 0.15, "{p:?}");
}

#[test]
fn logistic_recovers_coefficients_and_explains_exactly() {
    let mut rng = Rng::new(5);
    let n = 3000;
    let data: Vec<f64> = (0..n * 2).map(|_| rng.next_f64() * 2.0 - 1.0).collect();
    let x = Matrix { rows: n, cols: 2, data };
    let y: Vec<bool> = (0..n).map(|i| rng.next_f64() < sigmoid(0.5 + 2.0 * x.row(i)[0] - x.row(i)[1])).collect();
    let m = Logistic::fit_fixed(&x, &y, 1e-3);
    let per_unit: Vec<f64> = m.weights.iter().zip(&m.scaler.scale).map(|(w, s)| w / s).collect();
    assert!((per_unit[0] - 2.0).abs() < 0.25 && (per_unit[1] + 1.0).abs() < 0.2, "{per_unit:?}");
    let cv = Logistic::fit_cv(&x, &y, 1);
    assert_eq!(cv.inner_cv.len(), logistic::LAMBDAS.len());
    let (base, parts) = cv.explain(x.row(0), &[0, 1], 2);
    assert!((base + parts.iter().sum::<f64>() - cv.log_odds(x.row(0))).abs() < 1e-12);
}

/// Shapley values over columns by brute force from the cover-weighted expectation.
fn brute_shap(tree: &Tree, row: &[f64], fc: &[usize], columns: usize) -> Vec<f64> {
    fn expect(t: &Tree, n: usize, row: &[f64], fc: &[usize], known: &[bool]) -> f64 {
        let node = &t.nodes[n];
        let Some(f) = node.feature else { return node.value };
        if known[fc[f]] {
            expect(t, if row[f] <= node.threshold { node.left } else { node.right }, row, fc, known)
        } else {
            let (l, r) = (&t.nodes[node.left], &t.nodes[node.right]);
            (l.cover * expect(t, node.left, row, fc, known) + r.cover * expect(t, node.right, row, fc, known))
                / (l.cover + r.cover)
        }
    }
    let fact = |k: usize| (1..=k).product::<usize>() as f64;
    (0..columns)
        .map(|j| {
            (0..1usize << columns)
                .filter(|m| m & (1 << j) == 0)
                .map(|m| {
                    let s = m.count_ones() as usize;
                    let known: Vec<bool> = (0..columns).map(|c| m & (1 << c) != 0).collect();
                    let mut with = known.clone();
                    with[j] = true;
                    fact(s) * fact(columns - s - 1) / fact(columns)
                        * (expect(tree, 0, row, fc, &with) - expect(tree, 0, row, fc, &known))
                })
                .sum()
        })
        .collect()
}

#[test]
fn tree_shap_matches_brute_force_and_adds_up() {
    let (x, y): (Vec<f64>, Vec<bool>) = {
        let mut rng = Rng::new(11);
        let rows: Vec<[f64; 4]> = (0..600)
            .map(|_| {
                let level = rng.below(3);
                [rng.next_f64(), rng.next_f64(), f64::from(u8::from(level == 0)), f64::from(u8::from(level == 1))]
            })
            .collect();
        let y =
            rows.iter().map(|r| rng.next_f64() < sigmoid(3.0 * (r[0] - 0.5) * (r[2] - 0.3) + r[1] + r[3])).collect();
        (rows.into_iter().flatten().collect(), y)
    };
    let x = Matrix { rows: 600, cols: 4, data: x };
    let model = Boosting::fit(&x, &y, &Params { max_rounds: 40, ..Params::default() });
    assert_eq!(model, Boosting::fit(&x, &y, &Params { max_rounds: 40, ..Params::default() }), "deterministic");
    let fc = [0, 1, 2, 2]; // the two one-hot features belong to one column
    for i in [0, 17, 99] {
        let row = x.row(i);
        let (base, parts) = model.explain(row, &fc, 3);
        assert!((base + parts.iter().sum::<f64>() - model.log_odds(row)).abs() < 1e-10);
        let mut brute = [0.0; 3];
        for t in &model.trees {
            brute.iter_mut().zip(brute_shap(t, row, &fc, 3)).for_each(|(b, v)| *b += v);
        }
        for c in 0..3 {
            assert!((parts[c] - brute[c]).abs() < 1e-10, "column {c}: {} vs {}", parts[c], brute[c]);
        }
    }
    let hand = Tree {
        nodes: vec![
            Node { feature: Some(0), threshold: 0.5, left: 1, right: 2, value: 0.0, cover: 10.0 },
            Node { feature: None, threshold: 0.0, left: 0, right: 0, value: -1.0, cover: 4.0 },
            Node { feature: None, threshold: 0.0, left: 0, right: 0, value: 2.0, cover: 6.0 },
        ],
    };
    assert_eq!(brute_shap(&hand, &[0.9], &[0], 1), vec![2.0 - (-4.0 + 12.0) / 10.0]);
}

#[test]
fn train_score_explain_store() {
    let csv = export(400, 7);
    let model = train(&csv, "Left", &["Gender"], "2026-11-01T00:00:00Z").expect("train");
    let card = model.card();
    assert_eq!(card.purpose, PURPOSE);
    assert_eq!((card.data.rows, card.trained_at.as_str()), (400, "2026-11-01T00:00:00Z"));
    assert_eq!(card.cross_validation.candidates.len(), 3);
    assert!(card.cross_validation.candidates.iter().all(|c| c.roc_auc_mean > 0.6), "{:?}", card.cross_validation);
    assert!(card.data.columns_used.iter().all(|c| c.name != "Gender"));
    let fair = &card.fairness[0];
    let x = fair.groups.iter().find(|g| g.group == "X").expect("group X");
    assert!(x.withheld && x.rows.is_none() && x.mean_predicted_risk.is_none());
    assert!(fair.groups.iter().any(|g| g.group == "F" && !g.withheld && g.true_positive_rate.is_some()));
    assert_eq!(card.limits.len(), 5);

    let scores = model.score_csv(&csv).expect("score");
    assert_eq!(scores.len(), 400);
    for s in &scores {
        let sum: f64 = s.contributions.iter().map(|c| c.contribution).sum();
        assert!((s.base + sum - s.log_odds).abs() < 1e-9);
        assert!(s.contributions.windows(2).all(|w| w[0].contribution.abs() >= w[1].contribution.abs()));
        assert!(s.probability > 0.0 && s.probability < 1.0);
    }
    let over = scores[0].contributions.iter().find(|c| c.feature == "OverTime").expect("OverTime explained");
    assert!(over.value == "Yes" || over.value == "No");

    let json = model.to_json().expect("json");
    let back = TrainedModel::from_json(&json).expect("load");
    let again = back.score_csv(&csv).expect("score");
    assert!(again.iter().zip(&scores).all(|(a, b)| (a.probability - b.probability).abs() < 1e-12));
    let wrong = json.replacen("\"format\":1", "\"format\":99", 1);
    assert!(matches!(TrainedModel::from_json(&wrong), Err(LoadError::Format { found: 99 })));

    // the same data as rows gives the same model
    let mut lines = csv.lines().map(|l| l.split(';').map(str::to_owned).collect::<Vec<_>>());
    let header = lines.next().expect("header");
    let rows: Vec<Vec<String>> = lines.collect();
    let from_rows = train_rows(&header, &rows, "Left", &["Gender"], "2026-11-01T00:00:00Z").expect("train rows");
    assert_eq!(from_rows, model);
}

#[test]
fn too_few_leavers_is_an_error() {
    let mut csv = String::from("Age,Left\n");
    (0..100).for_each(|i| csv += &format!("{},{}\n", 20 + i % 40, if i < 5 { "yes" } else { "no" }));
    let e = train(&csv, "Left", &[], "t").expect_err("too few");
    assert!(matches!(e, TrainError::TooFewRows { leavers: 5, stayers: 95 }), "{e}");
    let e = train(&csv, "Left", &["Gender"], "t").expect_err("unknown group column");
    assert!(e.to_string().contains("Gender"), "{e}");
}

#[test]
fn group_labels_band_numbers_and_name_gaps() {
    let cells: Vec<String> = (0..40).map(|i| (20 + i).to_string()).chain([String::new()]).collect();
    let refs: Vec<&str> = cells.iter().map(String::as_str).collect();
    let (labels, order) = card::group_labels(&refs);
    assert_eq!((labels[0].as_str(), labels[15].as_str(), labels[39].as_str()), ("< 30", "30 to < 40", "≥ 50"));
    assert_eq!(labels[40], "(not reported)");
    assert_eq!(order, ["< 30", "30 to < 40", "40 to < 50", "≥ 50", "(not reported)"]);
    let (labels, order) = card::group_labels(&["M", "", "F"]);
    assert_eq!(
        (labels, order),
        (vec!["M".into(), "(not reported)".into(), "F".into()], vec!["F".into(), "M".into(), "(not reported)".into()])
    );
}
