//! Bytes of a table → text.
//!
//! UTF-8 (with or without a byte-order mark) is read as is. A file that is
//! not valid UTF-8 but decodes cleanly as Shift_JIS (the WHATWG definition,
//! i.e. Windows-31J/CP932, what Excel writes on Japanese Windows) is decoded
//! and the import says so. Anything else is refused, naming the line and
//! cell of the first byte neither encoding can read.

use encoding_rs::{DecoderResult, SHIFT_JIS};

/// The encoding a table was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 without a byte-order mark.
    Utf8,
    /// UTF-8 with a byte-order mark (as Excel writes "CSV UTF-8").
    Utf8Bom,
    /// Shift_JIS (CP932).
    ShiftJis,
}

impl Encoding {
    /// How the import reports it.
    pub fn label(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 with BOM",
            Encoding::ShiftJis => "Shift_JIS (CP932)",
        }
    }
}

/// A refusal: the position of the first unreadable byte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// 1-based physical line.
    pub line: usize,
    /// 1-based cell index on that line.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

/// Decodes a table. `delimiter` is used only to name the cell of an error.
pub fn decode(bytes: &[u8], delimiter: u8) -> Result<(String, Encoding), DecodeError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return match std::str::from_utf8(rest) {
            Ok(s) => Ok((s.to_string(), Encoding::Utf8Bom)),
            Err(e) => {
                let at = 3 + e.valid_up_to();
                let (line, column) = position(bytes, at, delimiter);
                Err(DecodeError {
                    line,
                    column,
                    message: format!(
                        "the file starts with a UTF-8 byte-order mark but byte {} (0x{:02X}) is not valid UTF-8",
                        at,
                        bytes[at]
                    ),
                })
            }
        };
    }
    let utf8_err = match std::str::from_utf8(bytes) {
        Ok(s) => return Ok((s.to_string(), Encoding::Utf8)),
        Err(e) => e.valid_up_to(),
    };
    let mut decoder = SHIFT_JIS.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(bytes.len() * 3 / 2 + 16);
    let cap = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len() * 3 + 16);
    out.reserve(cap);
    let (res, read) = decoder.decode_to_string_without_replacement(bytes, &mut out, true);
    let sjis_err = match res {
        DecoderResult::InputEmpty => return Ok((out, Encoding::ShiftJis)),
        DecoderResult::Malformed(bad, after) => read - after as usize - bad as usize,
        // The buffer was sized for the whole input; treat as unreadable.
        DecoderResult::OutputFull => read,
    };
    let at = utf8_err.max(sjis_err).min(bytes.len().saturating_sub(1));
    let (line, column) = position(bytes, at, delimiter);
    Err(DecodeError {
        line,
        column,
        message: format!(
            "the file is neither UTF-8 nor Shift_JIS: byte {} (0x{:02X}) cannot be read in either",
            at, bytes[at]
        ),
    })
}

/// Line (1-based) and cell (1-based) of byte offset `at`.
fn position(bytes: &[u8], at: usize, delimiter: u8) -> (usize, usize) {
    let before = &bytes[..at.min(bytes.len())];
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = 1 + before[line_start..]
        .iter()
        .filter(|&&b| b == delimiter)
        .count();
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(
            decode("a\tb".as_bytes(), b'\t').unwrap(),
            ("a\tb".to_string(), Encoding::Utf8)
        );
        assert_eq!(
            decode("\u{feff}世田谷区".as_bytes(), b'\t').unwrap(),
            ("世田谷区".to_string(), Encoding::Utf8Bom)
        );
    }

    #[test]
    fn shift_jis_is_decoded() {
        let (bytes, _, _) = SHIFT_JIS.encode("整理番号\t実施区市町村名\n1\t世田谷区①\n");
        let (text, enc) = decode(&bytes, b'\t').unwrap();
        assert_eq!(enc, Encoding::ShiftJis);
        assert_eq!(text, "整理番号\t実施区市町村名\n1\t世田谷区①\n");
    }

    #[test]
    fn garbage_is_refused_with_its_position() {
        let mut bytes = b"a\tb\nc\td\t".to_vec();
        bytes.extend([0xFF, 0xFE]);
        let e = decode(&bytes, b'\t').unwrap_err();
        assert_eq!((e.line, e.column), (2, 3));
        assert!(e.message.contains("0xFF"), "{}", e.message);
    }
}
