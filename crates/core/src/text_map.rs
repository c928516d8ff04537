//! A small map of text to text, kept sorted by key: the attribution of a signature and the
//! field errors of an answer. A few entries each; a sorted list gives the same order and
//! lookups as an ordered map without bringing the ordered map's code into the wasm
//! (about 2 KB brotli).

use std::ops::Index;

/// Text keys to text values, in key order; a key appears once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextMap(Vec<(String, String)>);

impl TextMap {
    pub fn new() -> Self {
        Self::default()
    }

    fn position(&self, key: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(key))
    }

    pub fn get(&self, key: &str) -> Option<&String> {
        self.position(key).ok().map(|i| &self.0[i].1)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.position(key).is_ok()
    }

    /// Sets `key` to `value`, replacing an earlier value.
    pub fn insert(&mut self, key: String, value: String) {
        match self.position(&key) {
            Ok(i) => self.0[i].1 = value,
            Err(i) => self.0.insert(i, (key, value)),
        }
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The entries in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &String)> {
        self.into_iter()
    }
}

impl Index<&str> for TextMap {
    type Output = String;

    fn index(&self, key: &str) -> &String {
        self.get(key).expect("no entry for this key")
    }
}

impl FromIterator<(String, String)> for TextMap {
    /// Later entries replace earlier ones with the same key.
    fn from_iter<I: IntoIterator<Item = (String, String)>>(entries: I) -> Self {
        let mut map = Self::new();
        for (key, value) in entries {
            map.insert(key, value);
        }
        map
    }
}

impl IntoIterator for TextMap {
    type Item = (String, String);
    type IntoIter = std::vec::IntoIter<(String, String)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

type RefEntry<'a> = fn(&'a (String, String)) -> (&'a String, &'a String);

impl<'a> IntoIterator for &'a TextMap {
    type Item = (&'a String, &'a String);
    type IntoIter = std::iter::Map<std::slice::Iter<'a, (String, String)>, RefEntry<'a>>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

/// A JSON object on the wire (the server's side).
#[cfg(any(test, feature = "serde"))]
mod wire {
    use super::TextMap;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    impl Serialize for TextMap {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.collect_map(self.iter())
        }
    }

    impl<'de> Deserialize<'de> for TextMap {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let map = std::collections::BTreeMap::<String, String>::deserialize(deserializer)?;
            Ok(map.into_iter().collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_keys_sorted_and_once() {
        let mut map = TextMap::new();
        map.insert("utm_source".into(), "nieuwsbrief".into());
        map.insert("sfc".into(), "701".into());
        map.insert("referrer".into(), "https://example.nl/".into());
        map.insert("sfc".into(), "702".into());
        let keys: Vec<&str> = map.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["referrer", "sfc", "utm_source"]);
        assert_eq!(map["sfc"], "702");
        assert_eq!(map.get("utm_term"), None);
        assert!(map.contains_key("referrer") && !map.contains_key("embed_host"));
        assert_eq!(map.len(), 3);
    }

    #[test]
    fn is_a_json_object_on_the_wire() {
        let map: TextMap = [("b", "2"), ("a", "1")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(serde_json::to_string(&map).unwrap(), r#"{"a":"1","b":"2"}"#);
        let back: TextMap = serde_json::from_str(r#"{"b":"2","a":"1"}"#).unwrap();
        assert_eq!(back, map);
        assert!(serde_json::from_str::<TextMap>(r#"["a","1"]"#).is_err());
    }
}
