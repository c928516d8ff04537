//! Round trips through the browser's own streams: `cargo test -p wasm-streams --target
//! wasm32-unknown-unknown` (headless Chromium).
#![cfg(target_arch = "wasm32")]

use futures_util::{stream, StreamExt};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use wasm_streams::ReadableStream;

wasm_bindgen_test_configure!(run_in_browser);

fn chunks(items: &[&str]) -> Vec<Result<JsValue, JsValue>> {
    items
        .iter()
        .map(|item| Ok(JsValue::from_str(item)))
        .collect()
}

#[wasm_bindgen_test]
async fn chunks_come_back_in_order_and_the_stream_ends() {
    let raw =
        ReadableStream::from_stream(stream::iter(chunks(&["een", "twee", "drie"]))).into_raw();
    let read: Vec<_> = ReadableStream::from_raw(raw).into_stream().collect().await;
    let read: Vec<String> = read
        .into_iter()
        .map(|item| item.unwrap().as_string().unwrap())
        .collect();
    assert_eq!(read, ["een", "twee", "drie"]);
}

#[wasm_bindgen_test]
async fn an_error_in_the_source_errors_the_browser_stream() {
    let items = vec![
        Ok(JsValue::from_str("een")),
        Err(JsValue::from_str("kapot")),
    ];
    let raw = ReadableStream::from_stream(stream::iter(items)).into_raw();
    let read: Vec<_> = ReadableStream::from_raw(raw).into_stream().collect().await;
    assert_eq!(read.len(), 2);
    assert_eq!(
        read[0].as_ref().unwrap().as_string().as_deref(),
        Some("een")
    );
    assert_eq!(
        read[1].as_ref().unwrap_err().as_string().as_deref(),
        Some("kapot")
    );
}

#[wasm_bindgen_test]
async fn a_response_body_is_read_to_the_end() {
    let response = web_sys::Response::new_with_opt_str(Some("gezinshulp eerst")).unwrap();
    let read: Vec<_> = ReadableStream::from_raw(response.body().unwrap())
        .into_stream()
        .collect()
        .await;
    let mut bytes = Vec::new();
    for chunk in read {
        bytes.extend(js_sys::Uint8Array::new(&chunk.unwrap()).to_vec());
    }
    assert_eq!(String::from_utf8(bytes).unwrap(), "gezinshulp eerst");
    // The body is consumed: a second read is refused by the browser.
    assert!(JsFuture::from(response.text().unwrap()).await.is_err());
}
