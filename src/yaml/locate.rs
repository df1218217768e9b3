//! Lines and columns: of a path in a document ([`locate`], for values that
//! parsed but are wrong) and of a byte offset.

use super::path::Seg;

/// Finds the 1-based line and column of `path` in YAML `text`.
///
/// Works on the block style mieruka writes and people edit (mappings,
/// `- ` sequences, one-line flow collections, block scalars). Where the path
/// cannot be followed to the end, the deepest part found is returned, and
/// (1, 1) when nothing is found.
pub fn locate(text: &str, path: &[Seg]) -> (usize, usize) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text.lines().collect();
    let mut block = Block {
        lines: &lines,
        start: 0,
        end: lines.len(),
        first_col: None,
    };
    let mut best = (1usize, 1usize);
    let mut segs = path.iter().peekable();
    while let Some(seg) = segs.next() {
        let Some(indent) = block.indent() else {
            return best;
        };
        let Some((li, byte_col)) = block.find(seg, indent) else {
            // Maybe a flow collection on the parent's line.
            return block.in_parent_flow(seg).unwrap_or(best);
        };
        best = (li + 1, column(lines[li], byte_col));
        if segs.peek().is_none() {
            return value_on_line(lines[li], byte_col, seg)
                .map_or(best, |c| (li + 1, column(lines[li], c)));
        }
        // Descend.
        match seg {
            Seg::Key(_) => {
                if let Some(after_colon) = inline_value(lines[li], byte_col) {
                    // Inline value: a flow collection on this line.
                    let next = segs.next().unwrap();
                    return locate_in_flow(&lines[li][after_colon..], next)
                        .map_or(best, |c| (li + 1, column(lines[li], after_colon + c)));
                }
                block.start = li + 1;
                block.first_col = None;
            }
            Seg::Index(_) => {
                let after = lines[li][byte_col + 1..].trim_start();
                if after.is_empty() {
                    block.start = li + 1;
                    block.first_col = None;
                } else {
                    block.start = li;
                    block.first_col = Some(lines[li].len() - after.len());
                }
            }
        }
        block.end = block_end(&lines, li, byte_col, seg);
    }
    best
}

/// The block [`locate`] searches: lines `[start, end)`; on the first line
/// the content starts at byte `first_col` (after "- ") when set.
struct Block<'a> {
    lines: &'a [&'a str],
    start: usize,
    end: usize,
    first_col: Option<usize>,
}

impl Block<'_> {
    /// The block's indentation, from its first meaningful line.
    fn indent(&self) -> Option<usize> {
        for (i, l) in self
            .lines
            .iter()
            .enumerate()
            .take(self.end)
            .skip(self.start)
        {
            if i == self.start {
                if let Some(c) = self.first_col {
                    return Some(c);
                }
            }
            let t = l.trim_start();
            if t.is_empty() || t.starts_with('#') || t == "---" {
                continue;
            }
            return Some(l.len() - t.len());
        }
        None
    }

    /// The content of line `i` when it is an item of the block (at
    /// `indent`), else None.
    fn content_at(&self, i: usize, indent: usize) -> Option<&str> {
        let l = self.lines[i];
        if i == self.start {
            if let Some(c) = self.first_col {
                return l.get(c..);
            }
        }
        let t = l.trim_start();
        if t.is_empty() || t.starts_with('#') {
            return None;
        }
        if l.len() - t.len() == indent {
            Some(t)
        } else {
            None
        }
    }

    /// The line and byte column of the item `seg` names: a key (quoted or
    /// not) followed by `:`, or the n-th `- ` item.
    fn find(&self, seg: &Seg, indent: usize) -> Option<(usize, usize)> {
        let mut count = 0;
        for i in self.start..self.end {
            let Some(t) = self.content_at(i, indent) else {
                continue;
            };
            let at = (i, self.lines[i].len() - t.len());
            match seg {
                Seg::Key(k) => {
                    let t2 = t.trim_start_matches(['"', '\'']);
                    if t2.starts_with(k.as_str())
                        && t2[k.len()..]
                            .trim_start_matches(['"', '\''])
                            .starts_with(':')
                    {
                        return Some(at);
                    }
                }
                Seg::Index(n) => {
                    if t == "-" || t.starts_with("- ") {
                        if count == *n {
                            return Some(at);
                        }
                        count += 1;
                    }
                }
            }
        }
        None
    }

    /// Where `seg` is in a flow collection on the line that opened the
    /// block (the parent's line), when there is one.
    fn in_parent_flow(&self, seg: &Seg) -> Option<(usize, usize)> {
        if self.start == 0 && self.first_col.is_none() {
            return None;
        }
        let pl = if self.first_col.is_some() {
            self.start
        } else {
            self.start - 1
        };
        let c = locate_in_flow(self.lines[pl], seg)?;
        Some((pl + 1, column(self.lines[pl], c)))
    }
}

/// The byte column of a key's value written on the key's own line (at
/// `byte_col` of `line`), when `seg` is a key and there is one.
fn value_on_line(line: &str, byte_col: usize, seg: &Seg) -> Option<usize> {
    let Seg::Key(_) = seg else { return None };
    let rest = &line[byte_col..];
    let colon = rest.find(':')?;
    let after = &rest[colon + 1..];
    let skip = after.len() - after.trim_start().len();
    if after.trim().is_empty() || after.trim_start().starts_with('#') {
        return None;
    }
    Some(byte_col + colon + 1 + skip)
}

/// When the key at `byte_col` of `line` has an inline value (not a
/// comment or a block scalar header): the byte offset just after its `:`.
fn inline_value(line: &str, byte_col: usize) -> Option<usize> {
    let rest = &line[byte_col..];
    let colon = rest.find(':').unwrap_or(0);
    let after = rest[colon + 1..].trim();
    let inline = !after.is_empty()
        && !after.starts_with('#')
        && !after.starts_with('|')
        && !after.starts_with('>');
    inline.then_some(byte_col + colon + 1)
}

/// The end of the block of the item at line `li`, byte column `item_indent`:
/// the first later line indented no deeper. A sibling "- " at the same
/// indent as a key closes the key's block only when it is not the key's
/// own block sequence.
fn block_end(lines: &[&str], li: usize, item_indent: usize, seg: &Seg) -> usize {
    for (i, l) in lines.iter().enumerate().skip(li + 1) {
        let t = l.trim_start();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        if l.len() - t.len() <= item_indent {
            if matches!(seg, Seg::Key(_)) && l.len() - t.len() == item_indent && t.starts_with("- ")
            {
                continue;
            }
            return i;
        }
    }
    lines.len()
}

/// The 1-based column, in characters, of byte `byte` of `line`.
fn column(line: &str, byte: usize) -> usize {
    line[..byte].chars().count() + 1
}

/// Byte offset of a key or index inside a one-line flow collection.
fn locate_in_flow(s: &str, seg: &Seg) -> Option<usize> {
    let open = s.find(['[', '{'])?;
    let mut depth = 0i32;
    let mut idx = 0usize;
    let mut item_start = open + 1;
    let bytes: Vec<(usize, char)> = s.char_indices().collect();
    for &(b, ch) in bytes.iter() {
        if b < open {
            continue;
        }
        match ch {
            '[' | '{' => {
                depth += 1;
                if depth == 1 {
                    item_start = b + 1;
                }
            }
            ']' | '}' | ',' if depth == 1 => {
                let item = &s[item_start..b];
                let lead = item.len() - item.trim_start().len();
                match seg {
                    Seg::Index(n) if *n == idx => return Some(item_start + lead),
                    Seg::Key(k) if item.trim_start().starts_with(k.as_str()) => {
                        return Some(item_start + lead)
                    }
                    _ => {}
                }
                idx += 1;
                item_start = b + 1;
                if ch != ',' {
                    depth -= 1;
                }
            }
            ']' | '}' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// Line and column of byte `pos` of `text` (1-based, columns in characters).
pub(super) fn position_of(text: &str, pos: usize) -> (usize, usize) {
    let mut pos = pos.min(text.len());
    while !text.is_char_boundary(pos) {
        pos -= 1;
    }
    let before = &text[..pos];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(s: &str) -> Seg {
        Seg::Key(s.to_string())
    }

    const DOC: &str = "a: 1\nb:\n  c: x\n  d:\n    - p\n    - q\ne: [1, 2, 3]\nf:\n  - name: n1\n    code: 1\n  - name: n2\n    code: 2\ng: {amount: 5, covers: [x, y]}\n";

    #[test]
    fn locates_keys_items_and_flow() {
        assert_eq!(locate(DOC, &[k("a")]), (1, 4));
        assert_eq!(locate(DOC, &[k("b"), k("c")]), (3, 6));
        assert_eq!(locate(DOC, &[k("b"), k("d"), Seg::Index(1)]), (6, 5));
        assert_eq!(locate(DOC, &[k("e"), Seg::Index(2)]), (7, 11));
        assert_eq!(locate(DOC, &[k("f"), Seg::Index(1), k("code")]), (12, 11));
        assert_eq!(locate(DOC, &[k("f"), Seg::Index(1), k("name")]), (11, 11));
        assert_eq!(locate(DOC, &[k("g"), k("covers")]), (13, 16));
        assert_eq!(locate(DOC, &[k("zzz")]), (1, 1));
    }

    #[test]
    fn locates_japanese_columns_in_characters() {
        let doc = "name: 世田谷区\ntargets:\n  employed: 五\n";
        assert_eq!(locate(doc, &[k("targets"), k("employed")]), (3, 13));
    }
}
