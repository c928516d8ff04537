//! Dates live: a page left open changes at the petition's `opens_at` (the form appears) and
//! `closes_at` (it gives way to the closed notice), without a reload. One timer at a time, set
//! to the next of those instants, released with the app.

use futures::channel::oneshot;
use futures::future::{select, Either};
use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;

use crate::dom;
use crate::state::AppState;

/// The longest delay a browser timer takes (2^31 - 1 ms, about 24.8 days): a later date is
/// reached in steps.
const LONGEST_TIMER_MS: i64 = i32::MAX as i64;

/// Notifies `state.dates_passed` at each opening or closing date still to come, until the
/// owner (the app) is cleaned up.
pub fn watch(state: AppState) {
    let (released, mut cleaned_up) = oneshot::channel::<()>();
    // Dropping the sender ends the loop, and the timer with it.
    on_cleanup(move || drop(released));
    leptos::task::spawn_local(async move {
        loop {
            let now = dom::now_ms() as i64;
            let Some(next) = state.config.with_value(|c| c.next_date_after(now)) else {
                return;
            };
            let delay = (next - now).clamp(0, LONGEST_TIMER_MS) as u32;
            match select(TimeoutFuture::new(delay), cleaned_up).await {
                Either::Left((_, still)) => cleaned_up = still,
                Either::Right(_) => return,
            }
            // A timer may fire a little early, or be a step towards a far date: then the
            // loop sets the next one for what is left.
            if dom::now_ms() as i64 >= next {
                state.dates_passed.notify();
            }
        }
    });
}
