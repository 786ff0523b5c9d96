//! Attrition-risk evaluation on the synthetic HR export in `eval/attrition-synthetic.csv` (made by
//! `scripts/gen-attrition-data.py`; 1,500 rows, ~16 % leavers). Prints 5-fold stratified CV
//! ROC-AUC (mean ± sd over folds) and calibration (Brier, ECE, reliability bins) of:
//!
//! - floor: plain logistic regression (λ = 1e-3, i.e. essentially unregularised) on the same
//!   standardised one-hot features, per fold;
//! - logistic, boosting, ensemble: the candidates as `train` cross-validates them (same folds;
//!   λ and rounds chosen inside each fold; probabilities uncalibrated);
//! - chosen: the whole `train` pipeline (selection, calibration) run inside each outer fold and
//!   scored on the held-out fold: nested CV, so the selection does not flatter it. A debug build
//!   (the workspace's `cargo test`) skips the nesting, 80 % of the run time, and shows the
//!   full-data model's own CV figures instead; ATTRITION_NESTED=1 forces it.
//!
//! Asserts chosen ≥ floor − 0.005, explanations that add up, and a JSON round trip.
//!
//!     scripts/eval-attrition.sh
//!
//! Another export: ATTRITION_CSV=path ATTRITION_TARGET=Attrition ATTRITION_GROUPS=Gender,Age

#![allow(clippy::print_stdout)]

use std::time::Instant;

use hrmesh_analytics::attrition::{
    self, CV_SEED, FOLDS, TrainOptions,
    boosting::{Boosting, Params},
    logistic::Logistic,
    table::{Encoder, Layout, RawTable},
    validate::{Calibration, calibration, fold_aucs, mean_sd, roc_auc, sigmoid, split, stratified_folds},
};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/eval/attrition-synthetic.csv");
const FLOOR_LAMBDA: f64 = 1e-3;
const TRAINED_AT: &str = "2026-11-01T00:00:00Z";

fn row(name: &str, aucs: &[f64], cal: &Calibration, note: &str) -> f64 {
    let (mean, sd) = mean_sd(aucs);
    println!("{name:<10} {mean:>7.4} ± {sd:.4}   {:>6.4}  {:>6.4}   {note}", cal.brier, cal.ece);
    mean
}

/// Reliability bins side by side: rows, mean predicted → observed rate.
fn bins(models: &[(&str, &Calibration)]) {
    println!("\nreliability (out-of-fold; per bin: rows  mean predicted → observed leaver rate)");
    print!("{:<11}", "bin");
    models.iter().for_each(|(name, _)| print!("{name:<20}"));
    println!();
    for b in 0..10 {
        print!("{:<11}", format!("[{:.1}, {:.1})", b as f64 / 10.0, (b + 1) as f64 / 10.0));
        for (_, cal) in models {
            match cal.bins.iter().find(|x| (x.lower * 10.0).round() as usize == b) {
                Some(x) => print!("{:>5} {:.3} → {:.3} ", x.count, x.mean_predicted, x.observed_rate),
                None => print!("{:>5} {:<14}", 0, ""),
            }
        }
        println!();
    }
}

#[test]
fn attrition_eval() {
    let path = std::env::var("ATTRITION_CSV").unwrap_or_else(|_| DATA.to_owned());
    let target = std::env::var("ATTRITION_TARGET").unwrap_or_else(|_| "Attrition".to_owned());
    let groups: Vec<String> = std::env::var("ATTRITION_GROUPS")
        .unwrap_or_else(|_| "Gender".to_owned())
        .split(',')
        .filter(|g| !g.trim().is_empty())
        .map(|g| g.trim().to_owned())
        .collect();
    let csv = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let raw = RawTable::from_csv(&csv).expect("csv");
    let excluded: Vec<(&str, &str)> = groups.iter().map(|g| (g.as_str(), "group attribute")).collect();
    let (layout, y) = Layout::plan(&raw, &target, &excluded).expect("layout");
    let typed = layout.read(&raw).expect("typed");
    let folds = stratified_folds(&y, FOLDS, CV_SEED);
    let leavers = y.iter().filter(|&&t| t).count();
    println!("\n{path}: {} rows, {leavers} leavers, {} columns used", y.len(), layout.columns.len());
    for d in &layout.dropped {
        println!("  dropped {}: {}", d.column, d.reason);
    }

    // floor
    let t = Instant::now();
    let mut floor = vec![0.0; y.len()];
    for k in 0..FOLDS {
        let (train, test) = split(&folds, k);
        let enc = Encoder::fit(&layout, &typed, &train);
        let yt: Vec<bool> = train.iter().map(|&i| y[i]).collect();
        let m = Logistic::fit_fixed(&enc.transform(&typed, &train), &yt, FLOOR_LAMBDA);
        let xv = enc.transform(&typed, &test);
        test.iter().enumerate().for_each(|(j, &i)| floor[i] = m.log_odds(xv.row(j)));
    }
    let floor_time = t.elapsed();

    // one fit of each candidate on all rows, for its time (release only, like the nesting below)
    let nested = !cfg!(debug_assertions) || std::env::var_os("ATTRITION_NESTED").is_some();
    let single_fits = nested.then(|| {
        let all: Vec<usize> = (0..y.len()).collect();
        let x = Encoder::fit(&layout, &typed, &all).transform(&typed, &all);
        let t = Instant::now();
        let lr = Logistic::fit_cv(&x, &y, 1);
        let lr_time = t.elapsed();
        let t = Instant::now();
        let gb = Boosting::fit(&x, &y, &Params::default());
        format!(
            "one logistic fit with inner CV over {} λ {lr_time:.2?} (λ = {}); one boosting fit with early stopping \
             {:.2?} ({} trees); ",
            lr.inner_cv.len(),
            lr.lambda,
            t.elapsed(),
            gb.trees.len()
        )
    });

    // the candidates, as train() cross-validates them
    let opts = TrainOptions {
        target: target.clone(),
        group_columns: groups.clone(),
        trained_at: TRAINED_AT.to_owned(),
        ..TrainOptions::default()
    };
    let t = Instant::now();
    let model = attrition::train_table(&raw, &opts).expect("train");
    let train_time = t.elapsed();
    let card = model.card();

    // chosen: nested (in release; a debug build, as in the workspace test run, takes the card's figures)
    let t = Instant::now();
    let mut chosen = vec![0.0; y.len()];
    let mut picks = Vec::new();
    for k in (0..FOLDS).filter(|_| nested) {
        let (train, test) = split(&folds, k);
        let part = |rows: &[usize]| RawTable {
            header: raw.header.clone(),
            rows: rows.iter().map(|&i| raw.rows[i].clone()).collect(),
            lines: rows.iter().map(|&i| raw.lines[i]).collect(),
        };
        let m = attrition::train_table(&part(&train), &opts).expect("nested train");
        picks.push(m.card().algorithm.chosen.clone());
        let scores = m.score_table(&part(&test)).expect("nested score");
        test.iter().zip(&scores).for_each(|(&i, s)| chosen[i] = s.probability);
    }
    let nested_time = t.elapsed();

    println!("\n5-fold stratified CV (seed {CV_SEED}); Brier/ECE of out-of-fold probabilities");
    println!("{:<10} {:>16}   {:>6}  {:>6}", "model", "ROC-AUC", "Brier", "ECE");
    let floor_p: Vec<f64> = floor.iter().map(|&z| sigmoid(z)).collect();
    let floor_cal = calibration(&y, &floor_p, 10);
    let floor_mean = row("floor", &fold_aucs(&y, &floor, &folds, FOLDS), &floor_cal, "plain logistic, λ = 1e-3");
    for c in &card.cross_validation.candidates {
        let lambda = card.algorithm.logistic_lambda.map_or(String::new(), |l| format!("final λ = {l}"));
        let rounds = card.algorithm.boosting_rounds.map_or(String::new(), |r| format!("final trees = {r}"));
        let note = match c.name.as_str() {
            "logistic" => format!("λ by inner 5-fold CV; {lambda}"),
            "boosting" => format!("depth 3, rounds by early stopping; {rounds}"),
            _ => "mean of both log-odds".to_owned(),
        };
        row(&c.name, &c.roc_auc_folds, &c.calibration, &format!("{note} (uncalibrated)"));
    }
    let (chosen_aucs, chosen_cal, note) = if nested {
        let note = format!("nested: whole pipeline per outer fold, Platt-calibrated; picked {}", picks.join("/"));
        (fold_aucs(&y, &chosen, &folds, FOLDS), calibration(&y, &chosen, 10), note)
    } else {
        let c = card.cross_validation.candidates.iter().find(|c| c.name == card.algorithm.chosen).expect("chosen");
        let note = "debug build: the full-data model's CV figures, not nested (scripts/eval-attrition.sh runs it)";
        (c.roc_auc_folds.clone(), card.calibration.out_of_fold.clone(), note.to_owned())
    };
    let chosen_mean = row("chosen", &chosen_aucs, &chosen_cal, &note);
    println!(
        "full-data model: {} ({}); card calibration (cross-fitted Platt): Brier {:.4}, ECE {:.4}",
        card.algorithm.chosen,
        card.algorithm.reason,
        card.calibration.out_of_fold.brier,
        card.calibration.out_of_fold.ece
    );
    let mut models = vec![("floor", &floor_cal)];
    models.extend(card.cross_validation.candidates.iter().map(|c| (c.name.as_str(), &c.calibration)));
    models.push(("chosen", &chosen_cal));
    bins(&models);
    for f in &card.fairness {
        println!("\nfairness by {} (out-of-fold, flagged at p ≥ {:.3}):", f.column, f.flag_threshold);
        for g in &f.groups {
            let pct = |v: Option<f64>| v.map_or("  –  ".to_owned(), |v| format!("{:5.1}%", 100.0 * v));
            match g.rows {
                None => println!("  {:<16} withheld (under 5 rows)", g.group),
                Some(n) => println!(
                    "  {:<16} n={n:<5} mean risk {} leavers {} flagged {} TPR {}",
                    g.group,
                    pct(g.mean_predicted_risk),
                    pct(g.leaver_rate),
                    pct(g.flagged_rate),
                    pct(g.true_positive_rate)
                ),
            }
        }
    }

    // explanations, JSON round trip, timings
    let t = Instant::now();
    let scores = model.score_csv(&csv).expect("score");
    let score_time = t.elapsed();
    for s in &scores {
        let sum = s.base + s.contributions.iter().map(|c| c.contribution).sum::<f64>();
        assert!((sum - s.log_odds).abs() < 1e-8, "explanation does not add up: {sum} vs {}", s.log_odds);
    }
    let top =
        &scores[scores.iter().enumerate().max_by(|a, b| a.1.probability.total_cmp(&b.1.probability)).expect("rows").0];
    println!("\nhighest score: p = {:.3}, base log-odds {:.3}, top reasons:", top.probability, top.base);
    for c in top.contributions.iter().take(5) {
        println!("  {:<24} {:<24} {:+.3}", c.feature, c.value, c.contribution);
    }
    let t = Instant::now();
    let json = model.to_json().expect("json");
    let back = attrition::TrainedModel::from_json(&json).expect("from json");
    let json_time = t.elapsed();
    for (a, b) in back.score_csv(&csv).expect("score again").iter().zip(&scores) {
        assert!((a.probability - b.probability).abs() < 1e-12 && (a.log_odds - b.log_odds).abs() < 1e-12);
        assert_eq!(a.contributions.len(), b.contributions.len());
    }
    let auc_in = roc_auc(&y, &scores.iter().map(|s| s.probability).collect::<Vec<_>>()).unwrap_or(0.0);
    println!(
        "\ntimings ({}, one core, {} rows × {} features): {}floor CV {floor_time:.2?}; train with 5-fold CV \
         {train_time:.2?}; nested CV of train {nested_time:.2?}; scoring + explaining {} rows {score_time:.2?}; \
         JSON {} KiB, save + load {json_time:.2?}; in-sample ROC-AUC {auc_in:.4}",
        if cfg!(debug_assertions) { "debug build" } else { "release" },
        y.len(),
        card.features.len(),
        single_fits.unwrap_or_default(),
        scores.len(),
        json.len() / 1024
    );
    assert!(chosen_mean >= floor_mean - 0.005, "chosen {chosen_mean:.4} is below the floor {floor_mean:.4} − 0.005");
}
