//! E016 and W106: control and invisible characters in any text of any
//! content file (keys and values, escapes decoded).

use super::context::{Ctx, REFUSED_HELP};
use crate::diag::chars;
use crate::diag::{Code, Diagnostic};
use crate::yaml;

/// The pass over the site config, sources and registries (programme files
/// are scanned as they are parsed).
pub(super) fn scan_top_files(cx: &mut Ctx, count: usize) {
    for fi in 0..count {
        let f = cx.files[fi];
        for d in text_diagnostics(&f.display, &f.text) {
            if cx.diags.is_full(&f.display) {
                cx.diags.note_dropped(&f.display);
                break;
            }
            cx.diags.push(d);
        }
    }
}

/// E016 and W106 over every text of a file (keys and values, escapes
/// decoded): refused characters are errors, invisible ones warnings, one
/// diagnostic per text and kind, at the first such character.
pub fn text_diagnostics(display: &str, text: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for m in yaml::scalars_with(text, &chars::is_suspect) {
        let (refused, invisible): (Vec<_>, Vec<_>) =
            m.at.iter().partition(|(_, _, _, c)| chars::is_refused(*c));
        if let Some(&&(line, column, index, first)) = refused.first() {
            let what = names(&refused);
            let noun = if refused.iter().all(|a| chars::is_noncharacter(a.3)) {
                "noncharacter"
            } else {
                "control character"
            };
            let plural = if distinct(&refused).len() > 1 {
                "s"
            } else {
                ""
            };
            let help = if distinct(&refused) == ['\r'] {
                "text ends its lines with a line feed only: write `\\n` for `\\r`, or delete it (the file's own CRLF line ends are fine)".to_string()
            } else if chars::is_noncharacter(first) {
                "a noncharacter is not text (XML and HTML refuse it): delete it; it is written as an escape such as `\\uFFFF`".to_string()
            } else {
                REFUSED_HELP.to_string()
            };
            out.push(
                Diagnostic::new(
                    Code::E016,
                    display,
                    line,
                    column,
                    format!(
                        "{noun}{plural} {what} in text: `{}`",
                        chars::excerpt(&m.value, index)
                    ),
                )
                .with_help(help)
                .with_source(text),
            );
        }
        if let Some(&&(line, column, index, _)) = invisible.first() {
            let what = names(&invisible);
            let plural = if distinct(&invisible).len() > 1 {
                "s"
            } else {
                ""
            };
            let mut kinds: Vec<chars::Invisible> = invisible
                .iter()
                .filter_map(|a| chars::invisible(a.3))
                .collect();
            kinds.sort();
            kinds.dedup();
            let help: Vec<&str> = kinds.iter().map(|k| invisible_help(*k)).collect();
            out.push(
                Diagnostic::new(
                    Code::W106,
                    display,
                    line,
                    column,
                    format!(
                        "invisible character{plural} {what} in text: `{}`",
                        chars::excerpt(&m.value, index)
                    ),
                )
                .with_help(help.join("; "))
                .with_source(text),
            );
        }
    }
    out
}

/// The distinct characters of a list of picked characters, in order.
fn distinct(list: &[&(usize, usize, usize, char)]) -> Vec<char> {
    let mut v: Vec<char> = Vec::new();
    for a in list {
        if !v.contains(&a.3) {
            v.push(a.3);
        }
    }
    v
}

/// `U+001B ESCAPE`, `U+0000 NULL and U+001B ESCAPE`, `… and 3 more`.
fn names(list: &[&(usize, usize, usize, char)]) -> String {
    let d = distinct(list);
    let shown: Vec<String> = d.iter().take(3).map(|&c| chars::name(c)).collect();
    match d.len() {
        1 => shown[0].clone(),
        2 | 3 => format!(
            "{} and {}",
            shown[..shown.len() - 1].join(", "),
            shown[shown.len() - 1]
        ),
        n => format!("{} and {} more", shown.join(", "), n - 3),
    }
}

fn invisible_help(k: chars::Invisible) -> &'static str {
    use chars::Invisible::*;
    match k {
        Bidi => "a bidi control reorders the text around it (a right-to-left override can make `2024` read `4202`): delete it unless the text mixes scripts on purpose",
        ZeroWidth => "a zero-width space or word joiner cannot be seen, yet a name holding one does not match, search or sort like the same name without it (it often comes from copying out of a PDF or a web page): delete it",
        Joiner => "a zero-width joiner or non-joiner belongs inside an emoji sequence (👨‍👩‍👧) or some scripts; elsewhere it is invisible noise: delete it",
        VariationSelector => "a variation selector picks a glyph variant (an 異体字 such as 葛󠄀, or an emoji's presentation): keep it if the variant is meant, but the text then differs from the same text without it (references, search)",
        ByteOrderMark => "a byte order mark (U+FEFF) inside text is left over from joining files: delete it",
        SoftHyphen => "a soft hyphen is an invisible hyphenation hint: delete it unless it is meant",
        Tag => "tag characters are invisible (they belong only inside flag emoji, and can hide text): delete them",
    }
}
