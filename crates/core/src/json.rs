//! A small JSON reader and writer for the few documents the app handles: `config.json`, the
//! API's answers and the signature body. The app carries no general serialisation framework:
//! one costs more of the first download than everything the app reads and writes.
//!
//! Numbers keep their text: the app only ever needs whole numbers, read with [`Value::as_u64`].

use std::fmt;

/// Nesting deeper than this is refused (no document of the app comes near it), so hostile
/// input cannot exhaust the stack.
pub const MAX_DEPTH: usize = 64;

/// A parsed JSON value. Objects keep their keys in order; a repeated key counts once, with
/// its last value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// The number as written, already checked against JSON's number grammar.
    Number(String),
    String(String),
    Array(Vec<Value>),
    Object(Vec<(String, Value)>),
}

impl Value {
    /// A whole number as a JSON value.
    pub fn from_u64(n: u64) -> Value {
        Value::Number(n.to_string())
    }

    /// The value of `key` when this is an object that has it.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_object()?
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    pub fn as_object(&self) -> Option<&[(String, Value)]> {
        match self {
            Value::Object(fields) => Some(fields),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// A whole number from 0 to `u64::MAX` written without fraction or exponent.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Value::Number(text) => text.parse().ok(),
            _ => None,
        }
    }

    /// The keys of an object, each once, in the order they first appear.
    pub fn keys(&self) -> Vec<&str> {
        let mut keys: Vec<&str> = Vec::new();
        for (k, _) in self.as_object().unwrap_or_default() {
            if !keys.contains(&k.as_str()) {
                keys.push(k);
            }
        }
        keys
    }

    /// The value as compact JSON text.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            Value::Null => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Number(text) => out.push_str(text),
            Value::String(s) => write_string(out, s),
            Value::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Value::Object(fields) => {
                out.push('{');
                for (i, (k, v)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_string(out, k);
                    out.push(':');
                    v.write(out);
                }
                out.push('}');
            }
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.to_string())
    }
}

impl From<Option<&str>> for Value {
    fn from(s: Option<&str>) -> Value {
        s.map_or(Value::Null, Value::from)
    }
}

fn write_string(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                out.push_str("\\u00");
                out.push(HEX[(c as usize) >> 4] as char);
                out.push(HEX[(c as usize) & 15] as char);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Where and why a text is not JSON, in Dutch for the people who edit `config.json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub column: usize,
    pub reason: &'static str,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (regel {}, teken {})",
            self.reason, self.line, self.column
        )
    }
}

/// Reads one JSON document; whitespace may surround it, nothing else may follow it.
pub fn parse(text: &str) -> Result<Value, ParseError> {
    let mut reader = Reader {
        text: text.as_bytes(),
        at: 0,
    };
    reader.skip_whitespace();
    let value = reader.value(0)?;
    reader.skip_whitespace();
    if reader.at < reader.text.len() {
        return Err(reader.error("na het einde van het document staat nog tekst"));
    }
    Ok(value)
}

struct Reader<'a> {
    text: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn error(&self, reason: &'static str) -> ParseError {
        let before = &self.text[..self.at.min(self.text.len())];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        // Columns count characters, not bytes: continuation bytes are skipped.
        let column = before[line_start..]
            .iter()
            .filter(|&&b| b & 0xC0 != 0x80)
            .count()
            + 1;
        ParseError {
            line,
            column,
            reason,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn expect(&mut self, byte: u8, reason: &'static str) -> Result<(), ParseError> {
        if self.peek() == Some(byte) {
            self.at += 1;
            Ok(())
        } else {
            Err(self.error(reason))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, ParseError> {
        if depth > MAX_DEPTH {
            return Err(self.error("te diep genest"));
        }
        match self.peek() {
            None => Err(self.error("het document houdt op waar een waarde moet staan")),
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => self.string().map(Value::String),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => {
                for (word, value) in [
                    ("true", Value::Bool(true)),
                    ("false", Value::Bool(false)),
                    ("null", Value::Null),
                ] {
                    if self.text[self.at..].starts_with(word.as_bytes()) {
                        self.at += word.len();
                        return Ok(value);
                    }
                }
                Err(self.error("hier hoort een waarde (tekst tussen \"aanhalingstekens\", een getal, true, false, null, [ of {)"))
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, ParseError> {
        self.at += 1;
        let mut fields = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(Value::Object(fields));
        }
        loop {
            self.skip_whitespace();
            if self.peek() != Some(b'"') {
                return Err(self.error("hier hoort een sleutel tussen \"aanhalingstekens\""));
            }
            let key = self.string()?;
            self.skip_whitespace();
            self.expect(b':', "na een sleutel hoort een dubbele punt (:)")?;
            self.skip_whitespace();
            let value = self.value(depth + 1)?;
            fields.push((key, value));
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    return Ok(Value::Object(fields));
                }
                _ => {
                    return Err(
                        self.error("hier hoort een komma (,) of het einde van het object (})")
                    )
                }
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, ParseError> {
        self.at += 1;
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_whitespace();
            items.push(self.value(depth + 1)?);
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(Value::Array(items));
                }
                _ => {
                    return Err(self.error("hier hoort een komma (,) of het einde van de lijst (])"))
                }
            }
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
        self.at - start
    }

    fn number(&mut self) -> Result<Value, ParseError> {
        let start = self.at;
        // A malformed number is reported where it starts.
        let bad = |reader: &mut Self| {
            reader.at = start;
            Err(reader.error("dit getal is niet goed geschreven"))
        };
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        let first = self.peek();
        let whole = self.digits();
        if whole == 0 || (first == Some(b'0') && whole > 1) {
            return bad(self);
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            if self.digits() == 0 {
                return bad(self);
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if self.digits() == 0 {
                return bad(self);
            }
        }
        // Only ASCII was consumed, so this slice is valid UTF-8.
        let text = String::from_utf8_lossy(&self.text[start..self.at]).into_owned();
        Ok(Value::Number(text))
    }

    fn hex4(&mut self) -> Result<u32, ParseError> {
        let mut n = 0;
        for _ in 0..4 {
            let digit = self
                .peek()
                .and_then(|b| (b as char).to_digit(16))
                .ok_or_else(|| self.error("na \\u horen vier hexadecimale tekens"))?;
            n = n * 16 + digit;
            self.at += 1;
        }
        Ok(n)
    }

    fn string(&mut self) -> Result<String, ParseError> {
        self.at += 1;
        let mut out: Vec<u8> = Vec::new();
        loop {
            let Some(byte) = self.peek() else {
                return Err(self.error("de tekst mist zijn sluitende aanhalingsteken (\")"));
            };
            match byte {
                b'"' => {
                    self.at += 1;
                    break;
                }
                b'\\' => {
                    self.at += 1;
                    let escaped = match self.peek() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.at += 1;
                            let unit = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&unit)
                                && self.text[self.at..].starts_with(b"\\u")
                            {
                                let back = self.at;
                                self.at += 2;
                                let low = self.hex4()?;
                                if (0xDC00..0xE000).contains(&low) {
                                    0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                                } else {
                                    self.at = back;
                                    unit
                                }
                            } else {
                                unit
                            };
                            // A lone surrogate has no character; like browsers, use U+FFFD.
                            let c = char::from_u32(code).unwrap_or('\u{FFFD}');
                            let mut buf = [0; 4];
                            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                            continue;
                        }
                        _ => return Err(self.error("onbekend teken na een backslash (\\)")),
                    };
                    self.at += 1;
                    let mut buf = [0; 4];
                    out.extend_from_slice(escaped.encode_utf8(&mut buf).as_bytes());
                }
                0..=0x1F => {
                    return Err(self.error(
                        "een tekst mag geen regeleinde of tab bevatten (schrijf \\n of \\t)",
                    ))
                }
                _ => {
                    out.push(byte);
                    self.at += 1;
                }
            }
        }
        // The input is a &str and escapes add whole characters, so this is valid UTF-8.
        Ok(String::from_utf8(out).unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> Value {
        parse(text).unwrap_or_else(|e| panic!("{text:?}: {e}"))
    }

    #[test]
    fn reads_every_kind_of_value() {
        let v = ok(r#" {"a": [1, -2.5e3, true, false, null], "b": {"c": "d"}} "#);
        let a = v.get("a").and_then(Value::as_array).unwrap();
        assert_eq!(a[0].as_u64(), Some(1));
        assert_eq!(a[1], Value::Number("-2.5e3".into()));
        assert_eq!(a[1].as_u64(), None);
        assert_eq!(a[2].as_bool(), Some(true));
        assert_eq!(a[4], Value::Null);
        assert_eq!(
            v.get("b").and_then(|b| b.get("c")).and_then(Value::as_str),
            Some("d")
        );
        assert_eq!(v.get("z"), None);
        assert_eq!(ok("[]"), Value::Array(vec![]));
        assert_eq!(ok("{}"), Value::Object(vec![]));
    }

    #[test]
    fn reads_escapes_and_characters_beyond_ascii() {
        assert_eq!(
            ok(r#""a\"b\\c\/d\n\t\u00e9\ud83d\ude00 ë""#).as_str(),
            Some("a\"b\\c/d\n\té😀 ë")
        );
        assert_eq!(ok(r#""\ud800x""#).as_str(), Some("\u{FFFD}x"));
    }

    #[test]
    fn reads_whole_numbers_only_as_u64() {
        assert_eq!(ok("18446744073709551615").as_u64(), Some(u64::MAX));
        assert_eq!(ok("18446744073709551616").as_u64(), None);
        for text in ["-1", "1.0", "1e3", "0.5"] {
            assert_eq!(ok(text).as_u64(), None, "{text}");
        }
    }

    #[test]
    fn a_repeated_key_counts_once_with_its_last_value() {
        let v = ok(r#"{"a": 1, "b": 2, "a": 3}"#);
        assert_eq!(v.get("a").and_then(Value::as_u64), Some(3));
        assert_eq!(v.keys(), ["a", "b"]);
    }

    #[test]
    fn refuses_what_is_not_json_and_says_where() {
        for (text, line, column) in [
            ("", 1, 1),
            ("{", 1, 2),
            ("{\"a\": }", 1, 7),
            ("{\"a\" 1}", 1, 6),
            ("[1,]", 1, 4),
            ("[1 2]", 1, 4),
            ("{'a': 1}", 1, 2),
            ("{\n  \"a\": 01\n}", 2, 8),
            ("1.", 1, 1),
            ("-", 1, 1),
            ("\"abc", 1, 5),
            ("\"a\nb\"", 1, 3),
            ("\"\\x\"", 1, 3),
            ("\"\\u12g4\"", 1, 6),
            ("tru", 1, 1),
            ("{} {}", 1, 4),
            ("\u{feff}{}", 1, 1),
            ("{\"é\": x}", 1, 7),
        ] {
            let e = parse(text).expect_err(text);
            assert_eq!((e.line, e.column), (line, column), "{text:?}: {e}");
        }
        assert_eq!(
            parse("{").unwrap_err().to_string(),
            "hier hoort een sleutel tussen \"aanhalingstekens\" (regel 1, teken 2)"
        );
    }

    #[test]
    fn refuses_nesting_deeper_than_the_limit() {
        let deep = "[".repeat(MAX_DEPTH + 2) + &"]".repeat(MAX_DEPTH + 2);
        assert_eq!(parse(&deep).unwrap_err().reason, "te diep genest");
        let fine = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(parse(&fine).is_ok());
        // Far deeper input is refused the same way, without exhausting the stack.
        assert!(parse(&"[".repeat(100_000)).is_err());
    }

    #[test]
    fn writes_compact_json_that_reads_back_the_same() {
        let v = Value::Object(vec![
            ("name".into(), "Zoë \"Z\" \\ \n\u{1}".into()),
            ("phone".into(), Value::from(None::<&str>)),
            ("n".into(), Value::from_u64(8400)),
            ("ok".into(), Value::Bool(true)),
            ("list".into(), Value::Array(vec![Value::Null, "x".into()])),
        ]);
        let text = v.to_json();
        assert_eq!(
            text,
            r#"{"name":"Zoë \"Z\" \\ \n\u0001","phone":null,"n":8400,"ok":true,"list":[null,"x"]}"#
        );
        assert_eq!(ok(&text), v);
    }
}
