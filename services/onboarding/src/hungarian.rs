//! Optimal assignment (Hungarian algorithm, Kuhn–Munkres with potentials, O(n²·m)) for a
//! rectangular score matrix: every row gets a distinct column and the total score is maximal.
//! Written here rather than taken from `pathfinding` (whose `kuhn_munkres` wants integer weights
//! and pulls a dozen crates) — a brute-force test checks it on random small cases.

/// For each row of `score` (n rows of m columns), the column it gets, maximising the sum; with
/// more rows than columns some rows get `None`. Scores must be finite.
pub fn maximise(score: &[Vec<f64>]) -> Vec<Option<usize>> {
    let n = score.len();
    let m = score.first().map_or(0, Vec::len);
    if n == 0 || m == 0 {
        return vec![None; n];
    }
    if n <= m {
        let cost: Vec<Vec<f64>> = score.iter().map(|r| r.iter().map(|s| -s).collect()).collect();
        minimise(&cost, n, m).into_iter().map(Some).collect()
    } else {
        // More rows than columns: assign columns to rows instead.
        let cost: Vec<Vec<f64>> = (0..m).map(|j| (0..n).map(|i| -score[i][j]).collect()).collect();
        let mut out = vec![None; n];
        for (j, i) in minimise(&cost, m, n).into_iter().enumerate() {
            out[i] = Some(j);
        }
        out
    }
}

/// Minimum-cost assignment of `n` rows to distinct columns among `m >= n`.
fn minimise(cost: &[Vec<f64>], n: usize, m: usize) -> Vec<usize> {
    let (mut u, mut v) = (vec![0.0f64; n + 1], vec![0.0f64; m + 1]);
    // p[j]: the row (1-based) holding column j; way[j]: the previous column on the path.
    let (mut p, mut way) = (vec![0usize; m + 1], vec![0usize; m + 1]);
    for i in 1..=n {
        p[0] = i;
        let mut j0 = 0;
        let mut minv = vec![f64::INFINITY; m + 1];
        let mut used = vec![false; m + 1];
        loop {
            used[j0] = true;
            let i0 = p[j0];
            let (mut delta, mut j1) = (f64::INFINITY, 0);
            for j in 1..=m {
                if used[j] {
                    continue;
                }
                let cur = cost[i0 - 1][j - 1] - u[i0] - v[j];
                if cur < minv[j] {
                    minv[j] = cur;
                    way[j] = j0;
                }
                if minv[j] < delta {
                    delta = minv[j];
                    j1 = j;
                }
            }
            for j in 0..=m {
                if used[j] {
                    u[p[j]] += delta;
                    v[j] -= delta;
                } else {
                    minv[j] -= delta;
                }
            }
            j0 = j1;
            if p[j0] == 0 {
                break;
            }
        }
        loop {
            let j1 = way[j0];
            p[j0] = p[j1];
            j0 = j1;
            if j0 == 0 {
                break;
            }
        }
    }
    let mut out = vec![0; n];
    for j in 1..=m {
        if p[j] != 0 {
            out[p[j] - 1] = j - 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Best total over every injective assignment (rows ≤ columns), by brute force.
    fn brute(score: &[Vec<f64>]) -> f64 {
        fn go(score: &[Vec<f64>], row: usize, used: &mut Vec<bool>) -> f64 {
            if row == score.len() {
                return 0.0;
            }
            let mut best = f64::NEG_INFINITY;
            for j in 0..used.len() {
                if !used[j] {
                    used[j] = true;
                    best = best.max(score[row][j] + go(score, row + 1, used));
                    used[j] = false;
                }
            }
            best
        }
        let m = score[0].len();
        if score.len() <= m {
            go(score, 0, &mut vec![false; m])
        } else {
            let t: Vec<Vec<f64>> = (0..m).map(|j| score.iter().map(|r| r[j]).collect()).collect();
            go(&t, 0, &mut vec![false; score.len()])
        }
    }

    /// A small deterministic generator (xorshift), so failures reproduce.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
    }

    fn total(score: &[Vec<f64>], a: &[Option<usize>]) -> f64 {
        a.iter().enumerate().filter_map(|(i, j)| j.map(|j| score[i][j])).sum()
    }

    #[test]
    fn optimal_against_brute_force_on_random_small_cases() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for case in 0..600 {
            let n = 1 + (rng.next() % 5) as usize;
            let m = 1 + (rng.next() % 6) as usize;
            // Few distinct values make ties, the hard part.
            let score: Vec<Vec<f64>> =
                (0..n).map(|_| (0..m).map(|_| (rng.next() % 7) as f64 * 12.5).collect()).collect();
            let a = maximise(&score);
            let cols: Vec<usize> = a.iter().flatten().copied().collect();
            let mut dedup = cols.clone();
            dedup.sort_unstable();
            dedup.dedup();
            assert_eq!(dedup.len(), cols.len(), "case {case}: a column twice");
            assert_eq!(cols.len(), n.min(m), "case {case}: everyone who can be matched is");
            let (got, best) = (total(&score, &a), brute(&score));
            assert!((got - best).abs() < 1e-9, "case {case}: {got} vs optimum {best} for {score:?}");
        }
    }

    #[test]
    fn a_greedy_choice_is_not_optimal_but_the_assignment_is() {
        // Greedy gives row 0 its best (column 0, 10) and row 1 then gets 1: total 11.
        let score = vec![vec![10.0, 9.0], vec![9.0, 1.0]];
        assert_eq!(maximise(&score), vec![Some(1), Some(0)]);
    }

    #[test]
    fn fifty_hires_to_two_hundred_places_is_fast_and_complete() {
        let mut rng = Rng(42);
        let score: Vec<Vec<f64>> = (0..50).map(|_| (0..200).map(|_| (rng.next() % 100) as f64).collect()).collect();
        let a = maximise(&score);
        assert!(a.iter().all(Option::is_some));
    }
}
