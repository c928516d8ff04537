//! Idempotency keys: random UUID v4 text from 16 random bytes supplied by the caller.

/// Formats 16 random bytes as a version 4, variant 1 UUID.
pub fn uuid_v4(mut bytes: [u8; 16]) -> String {
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let mut out = String::with_capacity(36);
    for (i, b) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        out.push(char::from_digit(u32::from(b >> 4), 16).unwrap_or('0'));
        out.push(char::from_digit(u32::from(b & 0xf), 16).unwrap_or('0'));
    }
    out
}

/// True for text shaped like a UUID (any version), as the server requires of keys.
pub fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_version_and_variant_bits() {
        assert_eq!(uuid_v4([0; 16]), "00000000-0000-4000-8000-000000000000");
        assert_eq!(uuid_v4([0xff; 16]), "ffffffff-ffff-4fff-bfff-ffffffffffff");
        assert!(is_uuid(&uuid_v4([0x5a; 16])));
    }

    #[test]
    fn recognises_uuid_text() {
        assert!(is_uuid("3f2504e0-4f89-41d3-9a0c-0305e82c3301"));
        assert!(!is_uuid("3f2504e0-4f89-41d3-9a0c-0305e82c330"));
        assert!(!is_uuid("3f2504e0x4f89-41d3-9a0c-0305e82c3301"));
        assert!(!is_uuid(""));
    }
}
