//! Documents: the bytes of a file decoded into text, with what is needed to write the text back exactly as it was
//! encoded, and to turn byte offsets into lines and columns.

pub mod html;
pub mod jsonl;
pub mod layout;
pub mod markdown;
pub mod po;
pub mod position;
pub mod tmx;
pub mod tsv;
pub mod xliff;

use layout::Layout;
use std::fmt;
use std::path::Path;

/// The structure of a file: which reader finds its checkable text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InputFormat {
    /// Plain text: everything is checked
    Text,
    /// Markdown: prose only (no code, HTML, link targets or front matter)
    Markdown,
    /// HTML: text nodes only (no script, style, pre or code)
    Html,
    /// XLIFF 1.2 or 2.0: the target of each unit, checked against its source
    Xliff,
    /// gettext PO: msgstr checked against msgid
    Po,
    /// TMX translation memory: the target-language segment of each unit
    Tmx,
    /// Tab-separated source and target columns
    Tsv,
    /// Comma-separated source and target columns
    Csv,
    /// JSON Lines: {"source": …, "target": …} or {"text": …} per line
    Jsonl,
}

impl InputFormat {
    /// The format a file's name suggests; plain text when it suggests none.
    pub fn from_path(path: &Path) -> InputFormat {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
        match ext.as_str() {
            "md" | "markdown" | "mdown" | "mkd" => InputFormat::Markdown,
            "htm" | "html" | "xhtml" => InputFormat::Html,
            "xlf" | "xliff" | "sdlxliff" | "mqxliff" => InputFormat::Xliff,
            "po" | "pot" => InputFormat::Po,
            "tmx" => InputFormat::Tmx,
            "tsv" | "tab" => InputFormat::Tsv,
            "csv" => InputFormat::Csv,
            "jsonl" | "ndjson" => InputFormat::Jsonl,
            _ => InputFormat::Text,
        }
    }
}

/// Options some readers take.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// For TSV/CSV: the source and target columns, by header name or 1-based number.
    pub columns: Option<(String, String)>,
}

/// Reads the structure of a file's text.
pub fn read(format: InputFormat, text: &str, options: &ReadOptions) -> Layout {
    match format {
        InputFormat::Text => Layout::whole(),
        InputFormat::Markdown => markdown::read(text),
        InputFormat::Html => html::read(text),
        InputFormat::Xliff => xliff::read(text),
        InputFormat::Po => po::read(text),
        InputFormat::Tmx => tmx::read(text),
        InputFormat::Tsv => tsv::read(text, options),
        InputFormat::Csv => tsv::read_csv(text, options),
        InputFormat::Jsonl => jsonl::read(text),
    }
}

/// How a file was encoded, so `fix` writes it back the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8 {
        bom: bool,
    },
    Utf16Le,
    Utf16Be,
    /// A legacy encoding named with `--encoding` (GB18030, GBK, Big5, Shift_JIS, …).
    Legacy(&'static encoding_rs::Encoding),
}

/// Bytes that are not text mtlint can read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// Byte offset of the first offending byte in the file.
    pub offset: usize,
    /// 1-based line of that byte.
    pub line: usize,
    pub message: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, byte offset {}: {}", self.line, self.offset, self.message)
    }
}

/// A decoded document.
#[derive(Debug, Clone)]
pub struct Document {
    /// The path as given by the user (`<stdin>` for standard input).
    pub path: String,
    pub text: String,
    pub encoding: Encoding,
}

impl Document {
    pub fn from_bytes(path: impl Into<String>, bytes: &[u8]) -> Result<Document, DecodeError> {
        let (text, encoding) = decode(bytes)?;
        Ok(Document { path: path.into(), text, encoding })
    }

    /// Decodes with a named encoding (a byte-order mark, when present, still wins).
    pub fn from_bytes_as(
        path: impl Into<String>,
        bytes: &[u8],
        legacy: &'static encoding_rs::Encoding,
    ) -> Result<Document, DecodeError> {
        let has_bom = bytes.starts_with(&[0xEF, 0xBB, 0xBF])
            || bytes.starts_with(&[0xFF, 0xFE])
            || bytes.starts_with(&[0xFE, 0xFF]);
        if has_bom || legacy == encoding_rs::UTF_8 {
            return Document::from_bytes(path, bytes);
        }
        let text = decode_legacy(bytes, legacy)?;
        Ok(Document { path: path.into(), text, encoding: Encoding::Legacy(legacy) })
    }

    /// The bytes of `text` in this document's encoding (with its byte-order mark, if it had one), or the first
    /// character the encoding cannot represent.
    pub fn encode(&self, text: &str) -> Result<Vec<u8>, char> {
        encode(text, self.encoding)
    }
}

fn decode_legacy(bytes: &[u8], legacy: &'static encoding_rs::Encoding) -> Result<String, DecodeError> {
    if let Some(text) = legacy.decode_without_bom_handling_and_without_replacement(bytes) {
        return Ok(text.into_owned());
    }
    // Find the first malformed byte to name it.
    let mut decoder = legacy.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(bytes.len() * 2);
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut out, true);
    let offset = match result {
        encoding_rs::DecoderResult::Malformed(bad, _) => read.saturating_sub(bad as usize),
        _ => read,
    };
    Err(DecodeError {
        offset,
        line: lines_before(bytes, offset),
        message: format!("invalid {} byte sequence", legacy.name()),
    })
}

/// Whether the bytes look like a binary file: a NUL byte in the first 8 KiB of a file without a UTF-16 BOM.
pub fn looks_binary(bytes: &[u8]) -> bool {
    let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
    !utf16 && memchr::memchr(0, bytes.get(..8192).unwrap_or(bytes)).is_some()
}

/// The 1-based line of byte `offset` (counting `\n`s before it; an offset past the end is on the last line).
fn lines_before(bytes: &[u8], offset: usize) -> usize {
    bytes.get(..offset).unwrap_or(bytes).iter().filter(|&&b| b == b'\n').count() + 1
}

pub fn decode(bytes: &[u8]) -> Result<(String, Encoding), DecodeError> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return utf8(rest, 3).map(|t| (t, Encoding::Utf8 { bom: true }));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, u16::from_le_bytes).map(|t| (t, Encoding::Utf16Le));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, u16::from_be_bytes).map(|t| (t, Encoding::Utf16Be));
    }
    utf8(bytes, 0).map(|t| (t, Encoding::Utf8 { bom: false }))
}

fn utf8(bytes: &[u8], skipped: usize) -> Result<String, DecodeError> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => {
            let at = e.valid_up_to();
            Err(DecodeError {
                offset: skipped + at,
                line: lines_before(bytes, at),
                message: format!(
                    "invalid UTF-8 (byte 0x{:02X}); mtlint reads UTF-8 or UTF-16 with a byte-order mark, and other \
                     encodings with --encoding (e.g. --encoding gb18030)",
                    bytes.get(at).copied().unwrap_or_default()
                ),
            })
        }
    }
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, DecodeError> {
    // A last odd byte reads as the low byte of a unit; the odd length is reported after decoding.
    let units: Vec<u16> = bytes
        .chunks(2)
        .map(|c| match *c {
            [a, b] => unit([a, b]),
            [a] => unit([a, 0]),
            _ => 0,
        })
        .collect();
    let mut text = String::with_capacity(bytes.len());
    let mut line = 1;
    let mut offset = 2;
    for decoded in char::decode_utf16(units.iter().copied()) {
        match decoded {
            Ok(c) => {
                if c == '\n' {
                    line += 1;
                }
                offset += 2 * c.len_utf16();
                text.push(c);
            }
            Err(e) => {
                return Err(DecodeError {
                    offset,
                    line,
                    message: format!("invalid UTF-16: unpaired surrogate 0x{:04X}", e.unpaired_surrogate()),
                });
            }
        }
    }
    if bytes.len() % 2 == 1 {
        return Err(DecodeError {
            offset: bytes.len() + 1,
            line,
            message: "UTF-16 text with an odd number of bytes".into(),
        });
    }
    Ok(text)
}

pub fn encode(text: &str, encoding: Encoding) -> Result<Vec<u8>, char> {
    Ok(match encoding {
        Encoding::Utf8 { bom } => {
            let mut out = Vec::with_capacity(text.len() + 3);
            if bom {
                out.extend_from_slice(&[0xEF, 0xBB, 0xBF]);
            }
            out.extend_from_slice(text.as_bytes());
            out
        }
        Encoding::Utf16Le => std::iter::once(0xFEFF).chain(text.encode_utf16()).flat_map(u16::to_le_bytes).collect(),
        Encoding::Utf16Be => std::iter::once(0xFEFF).chain(text.encode_utf16()).flat_map(u16::to_be_bytes).collect(),
        Encoding::Legacy(legacy) => {
            let (bytes, _, unmappable) = legacy.encode(text);
            if unmappable {
                let first = text.chars().find(|c| legacy.encode(&c.to_string()).2).unwrap_or('\u{FFFD}');
                return Err(first);
            }
            bytes.into_owned()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_encoding_round_trips() {
        let text = "Line one\r\n国新办 said “yes”.";
        for enc in [Encoding::Utf8 { bom: false }, Encoding::Utf8 { bom: true }, Encoding::Utf16Le, Encoding::Utf16Be] {
            let bytes = encode(text, enc).unwrap();
            assert_eq!(decode(&bytes).unwrap(), (text.to_string(), enc));
        }
    }

    #[test]
    fn invalid_utf8_names_offset_and_line() {
        let err = decode(b"ok\nbad \xFF here").unwrap_err();
        assert_eq!((err.offset, err.line), (7, 2));
    }

    #[test]
    fn unpaired_surrogate_is_an_error() {
        let err = decode(&[0xFF, 0xFE, b'a', 0, 0x00, 0xD8, b'b', 0]).unwrap_err();
        assert!(err.message.contains("surrogate"), "{err}");
    }

    #[test]
    fn legacy_encodings_round_trip_and_name_bad_bytes() {
        let gbk = encoding_rs::GBK;
        let (bytes, _, _) = gbk.encode("国新办 said: growth.");
        let doc = Document::from_bytes_as("x", &bytes, gbk).unwrap();
        assert_eq!(doc.text, "国新办 said: growth.");
        assert_eq!(doc.encode(&doc.text).unwrap(), bytes.to_vec());
        assert_eq!(doc.encode("emoji 😀"), Err('😀'));
        let err = Document::from_bytes_as("x", b"ok\n\x81", gbk).unwrap_err();
        assert_eq!((err.offset, err.line), (3, 2));
    }
}
