//! The unified diff `populate --dry-run` prints: line-based, patience-anchored (lines unique to
//! both sides, such as section headers, pin the alignment; the gaps between them are diffed
//! by LCS when small), three lines of context, `diff -u` hunk headers.

use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Equal(usize, usize),
    Delete(usize),
    Insert(usize),
}

/// Largest gap (old lines × new lines) diffed by the quadratic LCS; a bigger gap without any
/// unique line is shown as removed then added.
const LCS_LIMIT: usize = 4_000_000;

fn lines(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

/// The edit script turning `a` into `b`.
fn script(a: &[&str], b: &[&str]) -> Vec<Op> {
    let mut out = Vec::with_capacity(a.len().max(b.len()));
    diff_range(a, b, 0, a.len(), 0, b.len(), &mut out);
    out
}

fn diff_range(
    a: &[&str],
    b: &[&str],
    mut a0: usize,
    mut a1: usize,
    mut b0: usize,
    mut b1: usize,
    out: &mut Vec<Op>,
) {
    while a0 < a1 && b0 < b1 && a[a0] == b[b0] {
        out.push(Op::Equal(a0, b0));
        a0 += 1;
        b0 += 1;
    }
    let mut tail = Vec::new();
    while a0 < a1 && b0 < b1 && a[a1 - 1] == b[b1 - 1] {
        a1 -= 1;
        b1 -= 1;
        tail.push(Op::Equal(a1, b1));
    }
    if a0 == a1 || b0 == b1 {
        out.extend((a0..a1).map(Op::Delete));
        out.extend((b0..b1).map(Op::Insert));
    } else {
        let anchors = unique_anchors(a, b, a0, a1, b0, b1);
        if anchors.is_empty() {
            lcs(a, b, a0, a1, b0, b1, out);
        } else {
            let (mut pa, mut pb) = (a0, b0);
            for (i, j) in anchors {
                diff_range(a, b, pa, i, pb, j, out);
                out.push(Op::Equal(i, j));
                pa = i + 1;
                pb = j + 1;
            }
            diff_range(a, b, pa, a1, pb, b1, out);
        }
    }
    out.extend(tail.into_iter().rev());
}

/// Lines that occur exactly once in each range, as (old, new) index pairs, reduced to the
/// longest chain increasing on both sides (patience sorting).
fn unique_anchors(
    a: &[&str],
    b: &[&str],
    a0: usize,
    a1: usize,
    b0: usize,
    b1: usize,
) -> Vec<(usize, usize)> {
    let mut seen: HashMap<&str, (u32, u32, usize, usize)> = HashMap::new();
    for (i, l) in a.iter().enumerate().take(a1).skip(a0) {
        let e = seen.entry(l).or_insert((0, 0, i, 0));
        e.0 += 1;
    }
    for (j, l) in b.iter().enumerate().take(b1).skip(b0) {
        if let Some(e) = seen.get_mut(l) {
            e.1 += 1;
            e.3 = j;
        }
    }
    let mut pairs: Vec<(usize, usize)> = seen
        .values()
        .filter(|e| e.0 == 1 && e.1 == 1)
        .map(|e| (e.2, e.3))
        .collect();
    pairs.sort_unstable();
    // Longest increasing subsequence of the new-side indices.
    let mut piles: Vec<usize> = Vec::new(); // index into pairs of each pile's top
    let mut prev: Vec<Option<usize>> = vec![None; pairs.len()];
    for (k, &(_, j)) in pairs.iter().enumerate() {
        let pos = piles.partition_point(|&t| pairs[t].1 < j);
        if pos > 0 {
            prev[k] = Some(piles[pos - 1]);
        }
        if pos == piles.len() {
            piles.push(k);
        } else {
            piles[pos] = k;
        }
    }
    let mut chain = Vec::with_capacity(piles.len());
    let mut at = piles.last().copied();
    while let Some(k) = at {
        chain.push(pairs[k]);
        at = prev[k];
    }
    chain.reverse();
    chain
}

fn lcs(a: &[&str], b: &[&str], a0: usize, a1: usize, b0: usize, b1: usize, out: &mut Vec<Op>) {
    let (n, m) = (a1 - a0, b1 - b0);
    if n.saturating_mul(m) > LCS_LIMIT {
        out.extend((a0..a1).map(Op::Delete));
        out.extend((b0..b1).map(Op::Insert));
        return;
    }
    // len[i][j]: LCS length of a[a0+i..a1] and b[b0+j..b1].
    let w = m + 1;
    let mut len = vec![0u32; (n + 1) * w];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            len[i * w + j] = if a[a0 + i] == b[b0 + j] {
                len[(i + 1) * w + j + 1] + 1
            } else {
                len[(i + 1) * w + j].max(len[i * w + j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if a[a0 + i] == b[b0 + j] {
            out.push(Op::Equal(a0 + i, b0 + j));
            i += 1;
            j += 1;
        } else if len[(i + 1) * w + j] >= len[i * w + j + 1] {
            out.push(Op::Delete(a0 + i));
            i += 1;
        } else {
            out.push(Op::Insert(b0 + j));
            j += 1;
        }
    }
    out.extend((a0 + i..a1).map(Op::Delete));
    out.extend((b0 + j..b1).map(Op::Insert));
}

fn push_line(out: &mut String, mark: char, line: &str) {
    out.push(mark);
    match line.strip_suffix('\n') {
        Some(l) => {
            out.push_str(l.strip_suffix('\r').unwrap_or(l));
            out.push('\n');
        }
        None => {
            out.push_str(line);
            out.push_str("\n\\ No newline at end of file\n");
        }
    }
}

/// The unified diff from `old` to `new` (empty when they are equal), with `context` lines
/// around each change and `--- old_label` / `+++ new_label` headers.
pub fn unified(old: &str, new: &str, old_label: &str, new_label: &str, context: usize) -> String {
    if old == new {
        return String::new();
    }
    let (a, b) = (lines(old), lines(new));
    let ops = script(&a, &b);
    let mut out = format!("--- {old_label}\n+++ {new_label}\n");
    let changed: Vec<usize> = ops
        .iter()
        .enumerate()
        .filter(|(_, op)| !matches!(op, Op::Equal(..)))
        .map(|(k, _)| k)
        .collect();
    let mut k = 0;
    while k < changed.len() {
        // A hunk: changes whose context overlaps.
        let start = changed[k].saturating_sub(context);
        let mut end = changed[k];
        while k < changed.len() && changed[k] <= end + 2 * context + 1 {
            end = changed[k];
            k += 1;
        }
        let end = (end + context + 1).min(ops.len());
        let hunk = &ops[start..end];
        // Where the hunk starts on each side: the first old/new line it shows, else the line
        // before it (0 for none), as diff -u counts.
        let old_first = hunk.iter().find_map(|op| match op {
            Op::Equal(i, _) | Op::Delete(i) => Some(*i),
            Op::Insert(_) => None,
        });
        let new_first = hunk.iter().find_map(|op| match op {
            Op::Equal(_, j) | Op::Insert(j) => Some(*j),
            Op::Delete(_) => None,
        });
        let old_len = hunk
            .iter()
            .filter(|op| !matches!(op, Op::Insert(_)))
            .count();
        let new_len = hunk
            .iter()
            .filter(|op| !matches!(op, Op::Delete(_)))
            .count();
        let before = |first: Option<usize>, side_old: bool| {
            first.map_or_else(
                || {
                    // No line of this side in the hunk: the count of lines before it.
                    ops[..start]
                        .iter()
                        .filter(|op| match op {
                            Op::Equal(..) => true,
                            Op::Delete(_) => side_old,
                            Op::Insert(_) => !side_old,
                        })
                        .count()
                },
                |f| f + 1,
            )
        };
        out.push_str(&format!(
            "@@ -{},{} +{},{} @@\n",
            before(old_first, true),
            old_len,
            before(new_first, false),
            new_len
        ));
        for op in hunk {
            match *op {
                Op::Equal(i, _) => push_line(&mut out, ' ', a[i]),
                Op::Delete(i) => push_line(&mut out, '-', a[i]),
                Op::Insert(j) => push_line(&mut out, '+', b[j]),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_have_no_diff() {
        assert_eq!(unified("a\nb\n", "a\nb\n", "a", "b", 3), "");
    }

    #[test]
    fn an_append_is_one_hunk_with_leading_context() {
        let old = "1\n2\n3\n4\n5\n";
        let new = "1\n2\n3\n4\n5\n[profile x]\nk = v\n";
        assert_eq!(
            unified(old, new, "a/config", "b/config", 3),
            "--- a/config\n+++ b/config\n@@ -3,3 +3,5 @@\n 3\n 4\n 5\n+[profile x]\n+k = v\n"
        );
    }

    #[test]
    fn far_apart_changes_are_separate_hunks_and_near_ones_merge() {
        let text = |f: &dyn Fn(u32) -> Option<String>| -> String {
            (1..=20).filter_map(f).map(|l| l + "\n").collect()
        };
        let old = text(&|i| Some(i.to_string()));
        let new = text(&|i| match i {
            2 => Some("two".into()),
            18 => None,
            _ => Some(i.to_string()),
        });
        let d = unified(&old, &new, "a", "b", 3);
        assert_eq!(d.matches("@@ ").count(), 2, "{d}");
        assert!(d.contains("@@ -1,5 +1,5 @@\n 1\n-2\n+two\n 3\n"), "{d}");
        assert!(
            d.contains("@@ -15,6 +15,5 @@\n 15\n 16\n 17\n-18\n 19\n 20\n"),
            "{d}"
        );
        // Six equal lines between two changes still make one hunk (diff -u merges them).
        let new = text(&|i| match i {
            2 => Some("two".into()),
            9 => Some("nine".into()),
            _ => Some(i.to_string()),
        });
        assert_eq!(unified(&old, &new, "a", "b", 3).matches("@@ ").count(), 1);
        let new = text(&|i| match i {
            2 => Some("two".into()),
            10 => Some("ten".into()),
            _ => Some(i.to_string()),
        });
        assert_eq!(unified(&old, &new, "a", "b", 3).matches("@@ ").count(), 2);
    }

    #[test]
    fn removed_sections_among_repeated_lines_align_on_the_headers() {
        let section = |n: u32| format!("[profile p{n}]\nsso_session = corp\nregion = x\n");
        let old: String = (0..50).map(section).collect();
        let new: String = (0..50).filter(|n| n % 10 != 3).map(section).collect();
        let d = unified(&old, &new, "a", "b", 0);
        assert_eq!(d.matches("@@ ").count(), 5, "{d}");
        assert_eq!(
            d.lines()
                .filter(|l| l.starts_with('-') && !l.starts_with("---"))
                .count(),
            15
        );
        assert_eq!(
            d.lines()
                .filter(|l| l.starts_with('+') && !l.starts_with("+++"))
                .count(),
            0
        );
        assert!(d.contains("-[profile p13]\n"), "{d}");
    }

    #[test]
    fn a_missing_final_line_break_is_marked_and_crlf_is_shown_plainly() {
        let d = unified("a\r\nb", "a\r\nc", "x", "y", 1);
        assert_eq!(
            d,
            "--- x\n+++ y\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n"
        );
        let d = unified("", "a\n", "x", "y", 3);
        assert_eq!(d, "--- x\n+++ y\n@@ -0,0 +1,1 @@\n+a\n");
    }
}
