//! `petitie-server export`: a petition's signatures as CSV for the hand-over (for example to
//! the Tweede Kamer) and for spreadsheets.
//!
//! UTF-8 with a byte-order mark, so spreadsheet programs read the accents right; a fixed header
//! row; and every cell that a spreadsheet would take for a formula made inert with a leading
//! `'` (CSV injection: a supporter's name is whatever they typed).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::Write;

use petitie_core::attribution::EXPORTED_KEYS;
use petitie_core::time::{format_rfc3339_ms, parse_rfc3339_ms};

use crate::db::{ExportError, ExportRow};

/// The columns about the signer, before the attribution's (`EXPORTED_KEYS`).
const SIGNER_COLUMNS: [&str; 6] = [
    "first_name",
    "last_name",
    "email",
    "phone",
    "created_at",
    "confirmed_at",
];

/// The header row: the signer's columns, then one per exported attribution key.
pub fn header() -> Vec<&'static str> {
    SIGNER_COLUMNS
        .into_iter()
        .chain(EXPORTED_KEYS.iter().copied())
        .collect()
}

const BOM: &str = "\u{feff}";

/// A cell as it is safe to open in a spreadsheet: one beginning with `=`, `+`, `-`, `@`, a
/// tab or a carriage return gets a leading `'`.
pub fn inert(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// An RFC 3339 time as `--since` takes it (`2026-12-01T00:00:00Z`,
/// `2026-12-01T09:30:00.5+01:00`), read by the same rules as `config.json`'s times, as the
/// UTC time the database stores (`2026-12-01T08:30:00.500Z`); or a message naming what is
/// wrong.
pub fn parse_since(text: &str) -> Result<String, String> {
    parse_rfc3339_ms(text)
        .map(format_rfc3339_ms)
        .ok_or_else(|| format!("`{text}` is not an RFC 3339 time like 2026-12-01T00:00:00Z"))
}

/// One CSV record for a stored signature.
pub fn record(row: &ExportRow) -> Vec<String> {
    let attribution: BTreeMap<String, String> =
        serde_json::from_str(&row.attribution_json).unwrap_or_default();
    [
        row.first_name.as_str(),
        &row.last_name,
        &row.email,
        row.phone.as_deref().unwrap_or(""),
        &row.created_at,
        row.confirmed_at.as_deref().unwrap_or(""),
    ]
    .into_iter()
    .chain(
        EXPORTED_KEYS
            .iter()
            .map(|key| attribution.get(*key).map_or("", String::as_str)),
    )
    .map(|cell| inert(cell).into_owned())
    .collect()
}

/// Writes the export to `out` and returns how many signatures it holds. `rows` calls the
/// function it is given with each signature to export, in order (`db::Store::export`, or the
/// PostgreSQL store's), and returns how many there were.
pub fn write(
    rows: impl FnOnce(&mut dyn FnMut(ExportRow) -> std::io::Result<()>) -> Result<usize, ExportError>,
    out: impl Write,
) -> Result<usize, ExportError> {
    let mut out = std::io::BufWriter::new(out);
    out.write_all(BOM.as_bytes())?;
    let mut csv = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    let io = |e: csv::Error| ExportError::Write(std::io::Error::other(e));
    csv.write_record(header()).map_err(io)?;
    let n = rows(&mut |row| {
        csv.write_record(record(&row))
            .map_err(std::io::Error::other)
    })?;
    csv.flush()?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn makes_cells_that_start_like_a_formula_inert() {
        let table = [
            ("Anna", "Anna"),
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+31612345678", "'+31612345678"),
            ("-1+2", "'-1+2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tcmd", "'\tcmd"),
            ("\rcmd", "'\rcmd"),
            ("van der Berg", "van der Berg"),
            ("a=b", "a=b"),
            ("", ""),
            ("'quoted", "'quoted"),
        ];
        for (cell, expected) in table {
            assert_eq!(inert(cell), expected, "{cell:?}");
        }
    }

    #[test]
    fn takes_rfc_3339_times_only() {
        let table: &[(&str, Option<&str>)] = &[
            ("2026-12-01T00:00:00Z", Some("2026-12-01T00:00:00.000Z")),
            (
                "2026-12-01t09:30:00.5+01:00",
                Some("2026-12-01T08:30:00.500Z"),
            ),
            (
                "2026-12-01T09:30:00-05:30",
                Some("2026-12-01T15:00:00.000Z"),
            ),
            ("2026-12-01", None),
            ("2026-12-01T09:30:00", None),
            ("2026-13-01T00:00:00Z", None),
            ("2026-12-01T24:00:00Z", None),
            ("2026-12-01T09:30:00.Z", None),
            ("2026-12-01T09:30:00+0100", None),
            ("gisteren", None),
            ("", None),
        ];
        for (text, expected) in table {
            match expected {
                Some(value) => assert_eq!(parse_since(text).as_deref(), Ok(*value), "{text}"),
                None => assert!(parse_since(text).is_err(), "{text}"),
            }
        }
    }

    #[test]
    fn puts_the_attribution_in_its_columns_and_leaves_missing_ones_empty() {
        let row = ExportRow {
            first_name: "Anna".into(),
            last_name: "=1+1".into(),
            email: "anna@example.nl".into(),
            phone: Some("+31612345678".into()),
            created_at: "2026-12-03T10:00:00.000Z".into(),
            confirmed_at: Some("2026-12-03T10:05:00.000Z".into()),
            attribution_json: r#"{"sfc":"701P4","utm_source":"pr","embed_host":"https://www.hetvergetenkind.nl","referrer":"x"}"#.into(),
        };
        assert_eq!(
            record(&row),
            [
                "Anna",
                "'=1+1",
                "anna@example.nl",
                "'+31612345678",
                "2026-12-03T10:00:00.000Z",
                "2026-12-03T10:05:00.000Z",
                "701P4",
                "pr",
                "",
                "",
                "",
                "",
                "https://www.hetvergetenkind.nl"
            ]
        );
    }
}
