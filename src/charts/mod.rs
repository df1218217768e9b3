//! SVG charts drawn at build time with plotters (SVG backend only, no font
//! files: the browser lays out the text, so output is the same on every
//! machine).
//!
//! plotters measures CJK text ~1.65× too wide without fonts, so mieruka does
//! its own layout: label widths are estimated with [`text_width`] (wide
//! characters 1 em, others 0.6 em), bars are drawn as rectangles on a
//! drawing area, and labels that would not fit are truncated with "…" (the
//! full text is in the table beside every chart). The SVG is then made
//! accessible (`role="img"`, `<title>`, `<desc>`), sized by its viewBox only, and
//! its text inherits the page colour (dark mode).

pub mod site;

use crate::format::group_digits;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::Serialize;

/// Colour-blind-safe palette (Okabe–Ito), ordered so neighbours differ in
/// lightness too (they stay distinct in greyscale print).
pub const PALETTE: [RGBColor; 6] = [
    RGBColor(0x00, 0x72, 0xB2),
    RGBColor(0xE6, 0x9F, 0x00),
    RGBColor(0x00, 0x9E, 0x73),
    RGBColor(0xCC, 0x79, 0xA7),
    RGBColor(0x56, 0xB4, 0xE9),
    RGBColor(0xD5, 0x5E, 0x00),
];

/// Most bars in one chart; the rest are summed into one "その他" bar.
pub const MAX_BARS: usize = 20;
const FONT_PX: f64 = 13.0;
const ROW_H: i32 = 26;
const WIDTH: i32 = 720;

/// The narrow layout, for phones: labels on their own line above each bar,
/// drawn on a 320-unit-wide viewBox at 14 px, so that at a 320 px screen
/// (288 px of content) the text still renders at 12.6 CSS px.
const NARROW_W: i32 = 320;
const NARROW_FONT_PX: f64 = 14.0;
/// A label line, a bar, and the gap after it.
const NARROW_LINE_H: i32 = 19;
const NARROW_BAR_H: i32 = 16;
const NARROW_GAP: i32 = 10;
/// Room above the first label: a 14 px line's box reaches above its row.
const NARROW_TOP: i32 = 5;
/// Most lines a label wraps to in the narrow layout.
const NARROW_LINES: usize = 2;

/// The size to ask plotters for so that its SVG says `font-size="px"`:
/// its SVG backend writes the size divided by 1.24 (points to pixels), so
/// a 13 px request used to render at 10.5 px.
fn svg_font(px: f64) -> f64 {
    px * 1.24
}

/// Estimated rendered width in px: wide (CJK) characters 1 em, others 0.6 em.
pub fn text_width(s: &str, font_px: f64) -> f64 {
    s.chars()
        .map(|c| {
            if unicode_width::UnicodeWidthChar::width(c).unwrap_or(1) >= 2 {
                1.0
            } else {
                0.6
            }
        })
        .sum::<f64>()
        * font_px
}

/// Truncates `s` to fit `max_px`, ending in "…".
pub fn fit(s: &str, max_px: f64) -> String {
    fit_at(s, max_px, FONT_PX)
}

/// Truncates `s` to fit `max_px` at `font_px`, ending in "…".
fn fit_at(s: &str, max_px: f64, font_px: f64) -> String {
    if text_width(s, font_px) <= max_px {
        return s.to_string();
    }
    let mut out = String::new();
    for c in s.chars() {
        if text_width(&out, font_px) + text_width(&c.to_string(), font_px) + font_px > max_px {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// Wraps `s` into at most `NARROW_LINES` lines of `max_px` at
/// `NARROW_FONT_PX`; the last line is cut with "…" if the rest does not
/// fit (the table under the chart has the label whole).
fn wrap(s: &str, max_px: f64) -> Vec<String> {
    let mut lines = Vec::new();
    let mut rest: &str = s;
    while lines.len() + 1 < NARROW_LINES && text_width(rest, NARROW_FONT_PX) > max_px {
        let mut w = 0.0;
        let cut = rest
            .char_indices()
            .find(|(_, c)| {
                w += text_width(&c.to_string(), NARROW_FONT_PX);
                w > max_px
            })
            .map_or(rest.len(), |(i, _)| i);
        lines.push(rest[..cut].to_string());
        rest = &rest[cut..];
    }
    lines.push(fit_at(rest, max_px, NARROW_FONT_PX));
    lines
}

/// Truncates `s` to fit `max_px` keeping its start and its end, with "…"
/// between them (「東京都フリー…支援事業補助金」).
fn fit_middle(s: &str, max_px: f64) -> String {
    let chars: Vec<char> = s.chars().collect();
    let budget = max_px - FONT_PX;
    let (mut head, mut tail) = (0, 0);
    loop {
        let (h, t) = (&chars[..head], &chars[chars.len() - tail..]);
        let width = |v: &[char]| text_width(&v.iter().collect::<String>(), FONT_PX);
        let grow_tail = width(t) <= width(h);
        let next = if grow_tail {
            (head, tail + 1)
        } else {
            (head + 1, tail)
        };
        if next.0 + next.1 >= chars.len()
            || width(&chars[..next.0]) + width(&chars[chars.len() - next.1..]) > budget
        {
            break;
        }
        (head, tail) = next;
    }
    let mut out: String = chars[..head].iter().collect();
    out.push('…');
    out.extend(&chars[chars.len() - tail..]);
    out
}

/// Every bar's label as drawn: fitted to `max_px`, and where two different
/// labels would be cut to the same text, cut in the middle instead so that
/// their ends tell them apart (the table under the chart has them whole).
fn fit_all(bars: &[Bar], max_px: f64) -> Vec<String> {
    let mut shown: Vec<String> = bars.iter().map(|b| fit(&b.label, max_px)).collect();
    let clashing: Vec<usize> = (0..bars.len())
        .filter(|&i| {
            shown[i] != bars[i].label
                && (0..bars.len())
                    .any(|j| j != i && shown[j] == shown[i] && bars[j].label != bars[i].label)
        })
        .collect();
    for i in clashing {
        shown[i] = fit_middle(&bars[i].label, max_px);
    }
    shown
}

/// One bar: a label and one segment per series.
#[derive(Debug, Clone)]
pub struct Bar {
    /// What the bar stands for (a value's name).
    pub label: String,
    /// One figure per series, stacked in order.
    pub segments: Vec<u64>,
}

/// A chart ready for a template: the SVG, and the same figures as a table.
#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    /// The chart's id within the page (for its heading and table).
    pub id: String,
    /// The heading.
    pub title: String,
    /// The unit of its figures (千円).
    pub unit: String,
    /// The SVG, escaped, ready to be inlined.
    pub svg: String,
    /// The same chart laid out for a phone (labels above the bars), shown
    /// instead of `svg` on narrow screens.
    pub svg_narrow: String,
    /// Legend: (series name, css class).
    pub legend: Vec<(String, String)>,
    /// Table header.
    pub columns: Vec<String>,
    /// Table rows: label then figures (formatted).
    pub rows: Vec<Vec<String>>,
    /// A note under the chart (what is left out, how it is ordered).
    pub note: String,
    /// Whether it compares anything: two bars or more, or one bar of
    /// several segments. A chart of a single plain bar says nothing and
    /// pages leave it out.
    #[serde(skip)]
    pub informative: bool,
}

/// Keeps the largest `MAX_BARS - 1` bars and sums the rest into その他.
pub fn top_n(mut bars: Vec<Bar>) -> (Vec<Bar>, usize) {
    bars.sort_by(|a, b| {
        let (ta, tb): (u64, u64) = (a.segments.iter().sum(), b.segments.iter().sum());
        tb.cmp(&ta).then_with(|| a.label.cmp(&b.label))
    });
    if bars.len() <= MAX_BARS {
        return (bars, 0);
    }
    let rest = bars.split_off(MAX_BARS - 1);
    let n = rest.len();
    let mut other = Bar {
        label: format!("その他（{}件）", crate::format::count(n as i64)),
        segments: vec![0; bars[0].segments.len()],
    };
    for b in rest {
        for (i, v) in b.segments.iter().enumerate() {
            other.segments[i] = other.segments[i].saturating_add(*v);
        }
    }
    bars.push(other);
    (bars, n)
}

/// A horizontal (stacked) bar chart.
pub fn hbar(
    id: &str,
    title: &str,
    desc: &str,
    unit: &str,
    series: &[String],
    bars: &[Bar],
) -> Chart {
    let layout = Layout::of(bars);
    let svg = accessible(&draw(bars, &layout), (id, "chart-wide"), title, desc);
    let svg_narrow = accessible(
        &draw_narrow(bars),
        (&format!("{id}-n"), "chart-narrow"),
        title,
        desc,
    );
    let (columns, rows) = table(series, bars);
    Chart {
        id: id.to_string(),
        title: title.to_string(),
        unit: unit.to_string(),
        svg,
        svg_narrow,
        legend: legend(series),
        columns,
        rows,
        note: String::new(),
        informative: bars.len() > 1
            || bars
                .first()
                .is_some_and(|b| b.segments.iter().filter(|&&v| v > 0).count() > 1),
    }
}

/// The sizes of a bar chart, in px.
struct Layout {
    /// The label column (labels end 8 px before it, the bars start at it).
    label_w: i32,
    /// The largest bar total (at least 1), drawn `bar_w` long.
    max_total: u64,
    bar_w: i32,
    height: i32,
}

impl Layout {
    fn of(bars: &[Bar]) -> Layout {
        let label_w = bars
            .iter()
            .map(|b| text_width(&b.label, FONT_PX))
            .fold(0.0, f64::max)
            .clamp(48.0, 220.0)
            .ceil() as i32
            + 12;
        let max_total = max_total(bars);
        let value_w = text_width(&group_digits(u128::from(max_total)), FONT_PX).ceil() as i32 + 12;
        Layout {
            label_w,
            max_total,
            bar_w: (WIDTH - label_w - value_w - 8).max(40),
            height: (bars.len() as i32).max(1) * ROW_H + 16,
        }
    }
}

/// The chart as plotters draws it: per bar its label, its segments and its
/// total.
fn draw(bars: &[Bar], layout: &Layout) -> String {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH as u32, layout.height as u32))
            .into_drawing_area();
        let font = ("sans-serif", svg_font(FONT_PX)).into_font();
        let right = TextStyle::from(font.clone())
            .color(&BLACK)
            .pos(Pos::new(HPos::Right, VPos::Center));
        let left = TextStyle::from(font)
            .color(&BLACK)
            .pos(Pos::new(HPos::Left, VPos::Center));
        let labels = fit_all(bars, f64::from(layout.label_w - 12));
        for (i, (b, label)) in bars.iter().zip(&labels).enumerate() {
            draw_bar(
                &root,
                layout,
                8 + i as i32 * ROW_H,
                (b, label),
                (&right, &left),
            );
        }
        let _ = root.present();
    }
    svg
}

/// One bar in its row (starting at `y0`): the label right-aligned before
/// it, the segments, and the total left-aligned after it (`styles`: right,
/// left).
fn draw_bar(
    root: &DrawingArea<SVGBackend<'_>, Shift>,
    layout: &Layout,
    y0: i32,
    (b, label): (&Bar, &str),
    (right, left): (&TextStyle<'_>, &TextStyle<'_>),
) {
    let yc = y0 + ROW_H / 2;
    let label_w = layout.label_w;
    let _ = root.draw(&Text::new(
        label.to_string(),
        (label_w - 8, yc),
        right.clone(),
    ));
    segments_and_total(
        root,
        b,
        (label_w, y0 + 4, ROW_H - 8),
        (layout.max_total, layout.bar_w),
        left,
    );
}

/// The largest bar total, at least 1 (it is drawn the full bar width).
fn max_total(bars: &[Bar]) -> u64 {
    bars.iter()
        .map(|b| b.segments.iter().sum::<u64>())
        .max()
        .unwrap_or(0)
        .max(1)
}

/// A bar's segments from `x0`, in a band from `y` of height `h`, `max`
/// drawn `bar_w` long, each with a thin white separator that keeps stacked
/// segments apart in greyscale; then its total after it, in `style`.
fn segments_and_total(
    root: &DrawingArea<SVGBackend<'_>, Shift>,
    b: &Bar,
    (x0, y, h): (i32, i32, i32),
    (max, bar_w): (u64, i32),
    style: &TextStyle<'_>,
) {
    let mut x = x0;
    for (si, v) in b.segments.iter().enumerate() {
        let w = ((*v as f64 / max as f64) * f64::from(bar_w)).round() as i32;
        if w > 0 {
            let area = [(x, y), (x + w, y + h)];
            let _ = root.draw(&Rectangle::new(area, PALETTE[si % PALETTE.len()].filled()));
            let _ = root.draw(&Rectangle::new(area, WHITE.stroke_width(1)));
        }
        x += w;
    }
    let total: u64 = b.segments.iter().sum();
    let _ = root.draw(&Text::new(
        group_digits(u128::from(total)),
        (x + 6, y + h / 2),
        style.clone(),
    ));
}

/// The chart laid out for a phone: per bar its label (wrapped to two
/// lines at most) on the full width, and under it the bar with its total.
fn draw_narrow(bars: &[Bar]) -> String {
    let max_total = max_total(bars);
    let value_w =
        text_width(&group_digits(u128::from(max_total)), NARROW_FONT_PX).ceil() as i32 + 8;
    let bar_w = (NARROW_W - value_w - 2).max(40);
    let labels: Vec<Vec<String>> = bars
        .iter()
        .map(|b| wrap(&b.label, f64::from(NARROW_W - 2)))
        .collect();
    let height: i32 = labels
        .iter()
        .map(|l| l.len() as i32 * NARROW_LINE_H + NARROW_BAR_H + NARROW_GAP)
        .sum::<i32>()
        .max(1)
        + NARROW_TOP
        + 2;
    let mut svg = String::new();
    {
        let root =
            SVGBackend::with_string(&mut svg, (NARROW_W as u32, height as u32)).into_drawing_area();
        let left = TextStyle::from(("sans-serif", svg_font(NARROW_FONT_PX)).into_font())
            .color(&BLACK)
            .pos(Pos::new(HPos::Left, VPos::Center));
        let mut y = NARROW_TOP;
        for (b, lines) in bars.iter().zip(&labels) {
            for line in lines {
                let _ = root.draw(&Text::new(
                    line.clone(),
                    (0, y + NARROW_LINE_H / 2),
                    left.clone(),
                ));
                y += NARROW_LINE_H;
            }
            segments_and_total(&root, b, (0, y, NARROW_BAR_H), (max_total, bar_w), &left);
            y += NARROW_BAR_H + NARROW_GAP;
        }
        let _ = root.present();
    }
    svg
}

/// The chart's figures as a table: the header (a blank, the series, 計
/// when there are several) and per bar its label, figures and total.
fn table(series: &[String], bars: &[Bar]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut columns = vec!["".to_string()];
    columns.extend(series.iter().cloned());
    if series.len() > 1 {
        columns.push("計".into());
    }
    let rows = bars
        .iter()
        .map(|b| {
            let mut r = vec![b.label.clone()];
            r.extend(b.segments.iter().map(|v| group_digits(u128::from(*v))));
            if series.len() > 1 {
                r.push(group_digits(
                    b.segments.iter().map(|v| u128::from(*v)).sum(),
                ));
            }
            r
        })
        .collect();
    (columns, rows)
}

/// The legend: per series its name and the CSS class of its colour.
fn legend(series: &[String]) -> Vec<(String, String)> {
    series
        .iter()
        .enumerate()
        .map(|(i, s)| (s.clone(), format!("sw-{}", i % PALETTE.len())))
        .collect()
}

/// Makes plotters' SVG accessible and responsive: role, title, desc; no
/// fixed width/height (the viewBox sizes it); text in the page's colour.
/// `(id, class)`: the ids of its title and description start with `id`;
/// `class` is added to `chart`.
pub fn accessible(svg: &str, (id, class): (&str, &str), title: &str, desc: &str) -> String {
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let Some(open_end) = svg.find('>') else {
        return String::new();
    };
    let open = &svg[..open_end];
    let body = &svg[open_end + 1..];
    // Drop width="…" height="…" from the root element.
    let mut attrs = String::new();
    for part in open.trim_start_matches("<svg").split("\" ") {
        let p = part.trim();
        if p.starts_with("width=") || p.starts_with("height=") || p.is_empty() {
            continue;
        }
        attrs.push(' ');
        attrs.push_str(p.trim_end_matches('"'));
        attrs.push('"');
    }
    let mut out = format!(
        "<svg{attrs} class=\"chart {class}\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\"><title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>",
        esc(title),
        esc(desc)
    );
    // Compact: plotters puts every tag and text on its own line.
    let mut body_out = String::with_capacity(body.len());
    for line in body.lines() {
        body_out.push_str(line.trim());
    }
    let body_out = body_out
        .replace("fill=\"#000000\"", "fill=\"currentColor\"")
        .replace("<text></text>", "");
    out.push_str(&body_out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_count_wide_characters_as_one_em() {
        assert_eq!(text_width("世田谷区", 10.0), 40.0);
        assert_eq!(text_width("ab", 10.0), 12.0);
        assert!(fit("東久留米市商工会東久留米市商工会", 100.0).ends_with('…'));
        assert!(text_width(&fit("東久留米市商工会東久留米市商工会", 100.0), FONT_PX) <= 100.0);
    }

    #[test]
    fn svg_is_accessible_deterministic_and_escaped() {
        let bars = vec![
            Bar {
                label: "A&B <test>".into(),
                segments: vec![86314, 0],
            },
            Bar {
                label: "東久留米市商工会".into(),
                segments: vec![396, 20],
            },
        ];
        let a = hbar(
            "c1",
            "事業額",
            "説明",
            "千円",
            &["x".into(), "y".into()],
            &bars,
        );
        let b = hbar(
            "c1",
            "事業額",
            "説明",
            "千円",
            &["x".into(), "y".into()],
            &bars,
        );
        assert_eq!(a.svg, b.svg);
        assert!(
            a.svg.starts_with("<svg viewBox=\"0 0 720 "),
            "{}",
            &a.svg[..80]
        );
        assert!(
            a.svg.contains("role=\"img\"") && a.svg.contains("<title id=\"c1-t\">事業額</title>")
        );
        assert!(a.svg.contains("A&amp;B &lt;test&gt;"));
        assert!(!a.svg.contains("<test>"));
        assert!(a.svg.contains("86,314"));
        assert!(!a.svg.contains(" width=\"720\""));
    }

    #[test]
    fn svg_is_well_formed_and_labels_fit_by_the_width_rule() {
        let long =
            "建設業人材確保・区内中小企業等人材マッチング及び定着促進事業（就業マッチング事業）";
        let bars = vec![
            Bar {
                label: long.into(),
                segments: vec![86_314],
            },
            Bar {
                label: "東久留米市商工会".into(),
                segments: vec![396],
            },
            Bar {
                label: "x".into(),
                segments: vec![0],
            },
        ];
        let c = hbar("c2", "t", "d", "千円", &["事業額".into()], &bars);
        let doc = roxmltree::Document::parse(&c.svg).expect("well-formed SVG");
        let root = doc.root_element();
        let vb: Vec<f64> = root
            .attribute("viewBox")
            .unwrap()
            .split(' ')
            .map(|v| v.parse().unwrap())
            .collect();
        let mut n = 0;
        for t in root.descendants().filter(|n| n.has_tag_name("text")) {
            let text = t.text().unwrap_or("");
            let x: f64 = t.attribute("x").unwrap().parse().unwrap();
            let w = text_width(text, FONT_PX);
            let (left, right) = match t.attribute("text-anchor") {
                Some("end") => (x - w, x),
                Some("middle") => (x - w / 2.0, x + w / 2.0),
                _ => (x, x + w),
            };
            assert!(
                left >= 0.0 && right <= vb[2],
                "{text:?} spans {left}..{right} outside 0..{}",
                vb[2]
            );
            n += 1;
        }
        assert_eq!(n, 6, "a label and a value per bar");
        assert!(c.svg.contains('…'), "the long label is truncated");
        assert_eq!(c.rows[0][0], long, "the table keeps the full label");
    }

    /// The widest label fits whole: its width is not cut to an integer
    /// below it (「2024年10月」 was drawn as 「2024年1…」).
    #[test]
    fn the_widest_label_is_drawn_whole() {
        let bars: Vec<Bar> = ["2024年4月", "2024年10月"]
            .iter()
            .map(|l| Bar {
                label: l.to_string(),
                segments: vec![1],
            })
            .collect();
        let layout = Layout::of(&bars);
        let shown = fit_all(&bars, f64::from(layout.label_w - 12));
        assert_eq!(shown, vec!["2024年4月", "2024年10月"]);
    }

    /// Two long labels that would be cut to the same text are cut in the
    /// middle instead, so that they stay apart; a single plain bar says
    /// nothing.
    #[test]
    fn labels_cut_alike_are_told_apart_and_one_bar_is_not_a_chart() {
        let a = "東京都フリースクール等利用者支援事業助成金の長い名称その一";
        let b = "東京都フリースクール等利用者支援事業助成金の長い名称その二";
        let bars: Vec<Bar> = [a, b]
            .iter()
            .map(|l| Bar {
                label: l.to_string(),
                segments: vec![1],
            })
            .collect();
        let shown = fit_all(&bars, 200.0);
        assert_ne!(shown[0], shown[1], "{shown:?}");
        assert!(
            shown[0].ends_with("その一") && shown[1].ends_with("その二"),
            "{shown:?}"
        );
        assert!(shown
            .iter()
            .all(|s| s.contains('…') && text_width(s, FONT_PX) <= 200.0));
        let one = hbar("c", "t", "d", "千円", &["x".into()], &bars[..1]);
        assert!(!one.informative);
        let two = hbar("c", "t", "d", "千円", &["x".into()], &bars);
        assert!(two.informative);
        let stacked = hbar(
            "c",
            "t",
            "d",
            "千円",
            &["x".into(), "y".into()],
            &[Bar {
                label: "a".into(),
                segments: vec![1, 2],
            }],
        );
        assert!(stacked.informative, "one bar of two segments compares them");
    }

    #[test]
    fn many_bars_become_top_n_plus_other() {
        let bars: Vec<Bar> = (0..1741)
            .map(|i| Bar {
                label: format!("m{i}"),
                segments: vec![i as u64],
            })
            .collect();
        let (top, rest) = top_n(bars);
        assert_eq!(top.len(), MAX_BARS);
        assert_eq!(rest, 1741 - (MAX_BARS - 1));
        assert!(top.last().unwrap().label.starts_with("その他"));
    }
}
