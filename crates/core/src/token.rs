//! Confirmation tokens: what a confirmation mail's links carry (in the address's fragment),
//! and the only form a backend keeps of them, a hash.

use base64::Engine as _;
use sha2::{Digest, Sha256};

/// The random bytes of a token: 128 bits, as the contract asks at least.
pub const TOKEN_BYTES: usize = 16;

/// A token from random bytes, URL-safe (base64url without padding: 22 characters).
pub fn encode_token(bytes: [u8; TOKEN_BYTES]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Whether text is shaped like a token this project makes (before it is looked up).
pub fn is_token(text: &str) -> bool {
    text.len() == 22
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The hash a backend stores and looks tokens up by (SHA-256, hex).
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_url_safe_and_carry_all_their_bits() {
        let token = encode_token([0xff; TOKEN_BYTES]);
        assert_eq!(token, "_____________________w");
        assert!(is_token(&token));
        assert_ne!(
            encode_token([0; TOKEN_BYTES]),
            encode_token([1; TOKEN_BYTES])
        );
        for text in [
            "",
            "abc",
            "_____________________w=",
            "______________________x",
            "+++++++++++++++++++++w",
        ] {
            assert!(!is_token(text), "{text:?}");
        }
    }

    #[test]
    fn the_stored_hash_is_not_the_token_and_is_the_same_each_time() {
        let token = encode_token([7; TOKEN_BYTES]);
        let hash = token_hash(&token);
        assert_eq!(hash.len(), 64);
        assert!(!hash.contains(&token));
        assert_eq!(hash, token_hash(&token));
        assert_ne!(hash, token_hash(&encode_token([8; TOKEN_BYTES])));
        assert_eq!(
            token_hash(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
