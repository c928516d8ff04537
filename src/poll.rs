//! Keeps the signature count fresh: one request at a time, every `count_poll_seconds` with
//! jitter while the page is visible, paused while hidden, backing off on errors.

use futures::channel::mpsc;
use futures::future::{select, Either};
use futures::StreamExt;
use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use petitie_core::contract::{Confirmation, PetitionStatus};
use petitie_core::retry::poll_delay_ms;

use crate::api::ApiError;
use crate::dom;
use crate::state::AppState;

/// Starts the poll loop; it ends when the owner (the app) is cleaned up.
pub fn start_count_poll(state: AppState) {
    let (tx, mut rx) = mpsc::unbounded::<()>();
    let listener = window_event_listener_untyped("visibilitychange", move |_| {
        let _ = tx.unbounded_send(());
    });
    // Dropping the listener drops the sender, which ends the loop below.
    on_cleanup(move || listener.remove());

    leptos::task::spawn_local(async move {
        let interval = state.config.with_value(|c| c.count_poll_seconds);
        let mut failures = 0u32;
        loop {
            while dom::page_hidden() {
                if rx.next().await.is_none() {
                    return;
                }
            }
            let Some(backend) = state.backend.try_get_value() else {
                return;
            };
            let mut retry_after = None;
            match backend.petition().await {
                Ok(petition) => {
                    failures = 0;
                    // Only changes are written: every write wakes what reads the signal, and
                    // a form rebuilt by a routine refresh would lose what is being typed.
                    let Some(known) = state.count.try_get_untracked() else {
                        return;
                    };
                    if known != Some(petition.count) {
                        state.count.set(Some(petition.count));
                    }
                    let confirming = petition.confirmation == Confirmation::Email;
                    if state.confirming.get_untracked() != confirming {
                        state.confirming.set(confirming);
                    }
                    if state.count_unavailable.get_untracked() {
                        state.count_unavailable.set(false);
                    }
                    let closed = petition.status == PetitionStatus::Closed;
                    if state.api_closed.get_untracked() != closed {
                        state.api_closed.set(closed);
                    }
                }
                Err(error) => {
                    failures += 1;
                    if let ApiError::RateLimited { retry_after_s } = error {
                        retry_after = retry_after_s;
                    }
                    if state.count.try_with_untracked(Option::is_none) == Some(true) {
                        let _ = state.count_unavailable.try_set(true);
                    }
                }
            }
            let mut sleep = TimeoutFuture::new(poll_delay_ms(
                interval,
                failures,
                dom::random_unit(),
                retry_after,
            ));
            loop {
                match select(sleep, rx.next()).await {
                    Either::Left(_) => break,
                    Either::Right((Some(()), pending)) => {
                        if !dom::page_hidden() {
                            break;
                        }
                        sleep = pending;
                    }
                    Either::Right((None, _)) => return,
                }
            }
        }
    });
}
