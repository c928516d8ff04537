//! Rust streams to and from the browser's `ReadableStream`, in the shape the framework's
//! server-function client calls (`from_raw`, `into_raw`, `from_stream`, `into_stream`).
//!
//! The app never calls a server function, so none of this ends up in its wasm. The package it
//! replaces defines its stream sources as exported wasm-bindgen classes, and exports are kept
//! in the wasm whether used or not (about 5 KB brotli with their glue). This one builds the
//! same streams from closures, which the linker drops when nothing calls them.

use std::{cell::RefCell, pin::Pin, rc::Rc};

use futures_util::{Stream, StreamExt};
use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use wasm_bindgen_futures::{future_to_promise, JsFuture};
use web_sys::{ReadableStreamDefaultController, ReadableStreamDefaultReader};

/// A browser `ReadableStream`.
#[derive(Debug)]
pub struct ReadableStream {
    raw: web_sys::ReadableStream,
}

type Source = Pin<Box<dyn Stream<Item = Result<JsValue, JsValue>>>>;

impl ReadableStream {
    /// Wraps a stream the browser made (a response body, say).
    pub fn from_raw(raw: web_sys::ReadableStream) -> Self {
        Self { raw }
    }

    /// The browser's stream, for a request body.
    pub fn into_raw(self) -> web_sys::ReadableStream {
        self.raw
    }

    /// A browser stream that pulls its chunks from `stream`: each item becomes a chunk, an
    /// error errors the stream, the end closes it.
    pub fn from_stream<St>(stream: St) -> Self
    where
        St: Stream<Item = Result<JsValue, JsValue>> + 'static,
    {
        let source: Rc<RefCell<Option<Source>>> = Rc::new(RefCell::new(Some(Box::pin(stream))));
        let pull = Closure::<dyn FnMut(ReadableStreamDefaultController) -> Promise>::new(
            move |controller: ReadableStreamDefaultController| {
                let source = source.clone();
                future_to_promise(async move {
                    // The browser waits for this promise before it pulls again, so the stream
                    // is taken out for the wait and put back after.
                    let Some(mut stream) = source.borrow_mut().take() else {
                        return Ok(JsValue::UNDEFINED);
                    };
                    match stream.next().await {
                        Some(Ok(chunk)) => {
                            controller.enqueue_with_chunk(&chunk)?;
                            *source.borrow_mut() = Some(stream);
                        }
                        Some(Err(error)) => controller.error_with_e(&error),
                        None => controller.close()?,
                    }
                    Ok(JsValue::UNDEFINED)
                })
            },
        );
        let underlying = Object::new();
        Reflect::set(&underlying, &"pull".into(), &pull.into_js_value())
            .expect("setting a property of a new object");
        let raw = web_sys::ReadableStream::new_with_underlying_source(&underlying)
            .expect("a stream with only a pull method");
        Self { raw }
    }

    /// The browser stream's chunks as a Rust stream, read until it ends or errors.
    pub fn into_stream(self) -> impl Stream<Item = Result<JsValue, JsValue>> + Unpin {
        let reader: ReadableStreamDefaultReader = self.raw.get_reader().unchecked_into();
        Box::pin(futures_util::stream::unfold(
            Some(reader),
            |reader| async move {
                let reader = reader?;
                let result = match JsFuture::from(reader.read()).await {
                    Ok(result) => result,
                    Err(error) => return Some((Err(error), None)),
                };
                let done = Reflect::get(&result, &"done".into())
                    .map(|done| done.is_truthy())
                    .unwrap_or(true);
                if done {
                    return None;
                }
                let value = Reflect::get(&result, &"value".into());
                Some((value, Some(reader)))
            },
        ))
    }
}
