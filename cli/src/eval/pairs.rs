//! Pair lists: LFW `pairs.txt` or CSV `path_a,path_b,same[,fold]`.

use std::path::{Path, PathBuf};

use crate::error::CliError;

/// Number of cross-validation folds.
pub const FOLDS: usize = 10;

/// Two images and whether they show the same person.
#[derive(Clone, Debug, PartialEq)]
pub struct Pair {
    /// First image.
    pub first: PathBuf,
    /// Second image.
    pub second: PathBuf,
    /// Ground truth.
    pub same: bool,
    /// Cross-validation fold, `0..FOLDS`.
    pub fold: usize,
}

/// Reads `file`, resolving image paths under `root`; keeps at most `limit` pairs spread
/// evenly over the list.
pub fn load(file: &Path, root: &Path, limit: Option<usize>) -> Result<Vec<Pair>, CliError> {
    let text = std::fs::read_to_string(file).map_err(CliError::io(file))?;
    let fail = |line: usize, message: String| CliError::Pairs {
        path: file.to_path_buf(),
        line,
        message,
    };
    let first = text.lines().next().unwrap_or_default();
    let pairs = if first.contains(',') {
        parse_csv(&text, root).map_err(|(line, message)| fail(line, message))?
    } else {
        parse_lfw(&text, root).map_err(|(line, message)| fail(line, message))?
    };
    if pairs.is_empty() {
        return Err(fail(1, "no pairs".into()));
    }
    Ok(match limit {
        Some(limit) if limit < pairs.len() => {
            let step = pairs.len() as f64 / limit.max(1) as f64;
            (0..limit)
                .map(|i| pairs[(i as f64 * step) as usize].clone())
                .collect()
        }
        _ => pairs,
    })
}

type ParseResult = Result<Vec<Pair>, (usize, String)>;

/// CSV with a header naming `path_a`, `path_b`, `same` and optionally `fold`.
fn parse_csv(text: &str, root: &Path) -> ParseResult {
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let (_, header) = lines.next().ok_or((1, "empty file".to_owned()))?;
    let columns: Vec<&str> = header.split(',').map(str::trim).collect();
    let column = |name: &str| columns.iter().position(|c| *c == name);
    let (Some(a), Some(b), Some(same)) = (column("path_a"), column("path_b"), column("same"))
    else {
        return Err((1, "the header must name path_a, path_b and same".into()));
    };
    let fold_column = column("fold");
    let rows: Vec<(usize, &str)> = lines.collect();
    rows.into_iter()
        .enumerate()
        .map(|(index, (line, row))| {
            let fields: Vec<&str> = row.split(',').map(str::trim).collect();
            let field = |i: usize| {
                fields
                    .get(i)
                    .copied()
                    .ok_or((line + 1, format!("missing column {}", i + 1)))
            };
            let same = match field(same)? {
                "1" | "true" | "same" => true,
                "0" | "false" | "different" => false,
                other => {
                    return Err((
                        line + 1,
                        format!("`same` must be 1/0 or true/false, not {other:?}"),
                    ));
                }
            };
            let fold = match fold_column {
                Some(i) => {
                    field(i)?
                        .parse::<usize>()
                        .map_err(|e| (line + 1, format!("fold: {e}")))?
                        % FOLDS
                }
                None => index % FOLDS,
            };
            Ok(Pair {
                first: root.join(field(a)?),
                second: root.join(field(b)?),
                same,
                fold,
            })
        })
        .collect()
}

/// LFW `pairs.txt`: a header `folds size`, then per fold `size` same-person lines
/// (`name i j`) followed by `size` different-person lines (`name1 i name2 j`).
fn parse_lfw(text: &str, root: &Path) -> ParseResult {
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let (_, header) = lines.next().ok_or((1, "empty file".to_owned()))?;
    let numbers: Vec<usize> = header
        .split_whitespace()
        .filter_map(|n| n.parse().ok())
        .collect();
    let per_fold = match numbers.as_slice() {
        [_, size] if *size > 0 => 2 * size,
        [size] if *size > 0 => 2 * size,
        _ => return Err((1, "the header must be `folds pairs_per_fold`".into())),
    };
    lines
        .enumerate()
        .map(|(index, (line, row))| {
            let fields: Vec<&str> = row.split_whitespace().collect();
            let number = |s: &str| {
                s.parse::<u32>()
                    .map_err(|e| (line + 1, format!("image number {s:?}: {e}")))
            };
            let (first, second, same) = match fields.as_slice() {
                [name, i, j] => (
                    lfw_path(root, name, number(i)?),
                    lfw_path(root, name, number(j)?),
                    true,
                ),
                [n1, i, n2, j] => (
                    lfw_path(root, n1, number(i)?),
                    lfw_path(root, n2, number(j)?),
                    false,
                ),
                _ => return Err((line + 1, "expected `name i j` or `name1 i name2 j`".into())),
            };
            Ok(Pair {
                first,
                second,
                same,
                fold: (index / per_fold) % FOLDS,
            })
        })
        .collect()
}

/// `root/Name/Name_0001.jpg`, or the same stem with another image extension if that exists.
fn lfw_path(root: &Path, name: &str, number: u32) -> PathBuf {
    let stem = root.join(name).join(format!("{name}_{number:04}"));
    ["jpg", "png", "jpeg", "webp"]
        .iter()
        .map(|ext| stem.with_extension(ext))
        .find(|path| path.is_file())
        .unwrap_or_else(|| stem.with_extension("jpg"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lfw_pairs_get_paths_labels_and_folds() {
        let text = "2\t1\nAlice\t1\t2\nAlice\t1\tBob\t3\nCarol\t2\t4\nDan\t1\tEve\t1\n";
        let pairs = parse_lfw(text, Path::new("/r")).unwrap();
        assert_eq!(pairs.len(), 4);
        assert_eq!(pairs[0].first, Path::new("/r/Alice/Alice_0001.jpg"));
        assert!(pairs[0].same && !pairs[1].same);
        assert_eq!(pairs[1].second, Path::new("/r/Bob/Bob_0003.jpg"));
        assert_eq!(
            pairs.iter().map(|p| p.fold).collect::<Vec<_>>(),
            vec![0, 0, 1, 1]
        );
    }

    #[test]
    fn csv_pairs_read_columns_by_name() {
        let text = "same,path_b,path_a,fold\n1,b.png,a.png,3\nfalse,c.png,a.png,13\n";
        let pairs = parse_csv(text, Path::new("r")).unwrap();
        assert_eq!(pairs[0].first, Path::new("r/a.png"));
        assert_eq!((pairs[0].same, pairs[0].fold), (true, 3));
        assert_eq!((pairs[1].same, pairs[1].fold), (false, 3));
    }

    #[test]
    fn malformed_lines_name_their_line_number() {
        assert_eq!(
            parse_csv("path_a,path_b,same\na,b,maybe\n", Path::new(""))
                .unwrap_err()
                .0,
            2
        );
        assert_eq!(
            parse_lfw("1 1\nAlice x 2\n", Path::new("")).unwrap_err().0,
            2
        );
        assert!(parse_csv("a,b\n", Path::new("")).is_err());
    }
}
