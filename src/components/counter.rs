//! "41.235 mensen tekenden al": the live count, counting up with requestAnimationFrame,
//! and the progress toward the next milestone.

use std::sync::atomic::{AtomicU32, Ordering};

use leptos::prelude::*;
use petitie_core::count::{animated_value, progress};
use petitie_core::template::for_count;

use crate::copy::counter as copy;
use crate::copy::{counted, format_count};
use crate::dom;
use crate::state::use_app;

/// Holds the number's place while the count loads (invisible).
const PLACEHOLDER_COUNT: &str = "00.000";

/// How long a count-up takes.
const ANIMATION_MS: f64 = 1_500.0;

/// Animation frames requested and not yet run or cancelled, across all counters. Tests read
/// it to prove that no frame loop outlives its number or its component.
static PENDING_FRAMES: AtomicU32 = AtomicU32::new(0);

/// The number of animation frames still scheduled by counters.
pub fn pending_frames() -> u32 {
    PENDING_FRAMES.load(Ordering::Relaxed)
}

/// One running count-up.
#[derive(Clone, Copy)]
struct CountUp {
    shown: RwSignal<Option<u64>>,
    frame: StoredValue<Option<AnimationFrameRequestHandle>>,
    from: u64,
    to: u64,
    /// When the first frame ran (NaN until then).
    started: f64,
}

impl CountUp {
    fn schedule(self) {
        PENDING_FRAMES.fetch_add(1, Ordering::Relaxed);
        match request_animation_frame_with_handle(move || {
            PENDING_FRAMES.fetch_sub(1, Ordering::Relaxed);
            self.step();
        }) {
            Ok(handle) => {
                if self.frame.try_set_value(Some(handle)).is_some() {
                    handle.cancel();
                    PENDING_FRAMES.fetch_sub(1, Ordering::Relaxed);
                }
            }
            Err(_) => {
                PENDING_FRAMES.fetch_sub(1, Ordering::Relaxed);
                let _ = self.shown.try_set(Some(self.to));
            }
        }
    }

    fn step(mut self) {
        let now = dom::perf_now();
        // The clock starts at the first frame, not when the count-up was asked for: a busy
        // main thread in between (the app's first layout) must not skip the start.
        if self.started.is_nan() {
            self.started = now;
        }
        let value = animated_value(self.from, self.to, now - self.started, ANIMATION_MS);
        if self.shown.try_set(Some(value)).is_some() {
            return; // unmounted
        }
        if value == self.to {
            let _ = self.frame.try_set_value(None);
        } else {
            self.schedule();
        }
    }

    fn cancel(frame: StoredValue<Option<AnimationFrameRequestHandle>>) {
        if let Some(Some(handle)) = frame.try_get_value() {
            handle.cancel();
            PENDING_FRAMES.fetch_sub(1, Ordering::Relaxed);
            let _ = frame.try_set_value(None);
        }
    }
}

/// The count and the progress bar, or nothing when the count is unknown or too low to show.
#[component]
pub fn Counter(
    /// The count to show; the app's live count by default.
    #[prop(optional, into)]
    target: Option<Signal<Option<u64>>>,
) -> impl IntoView {
    let app = use_app();
    let target = target.unwrap_or_else(|| app.count.into());
    let shown = RwSignal::new(None::<u64>);
    let frame = StoredValue::new(None::<AnimationFrameRequestHandle>);
    let reduced_motion = dom::prefers_reduced_motion();

    Effect::new(move |_| {
        let Some(to) = target.get() else { return };
        CountUp::cancel(frame);
        let from = shown.get_untracked().unwrap_or(0);
        if reduced_motion || to <= from {
            shown.set(Some(to));
            return;
        }
        CountUp {
            shown,
            frame,
            from,
            to,
            started: f64::NAN,
        }
        .schedule();
    });
    on_cleanup(move || CountUp::cancel(frame));

    let (min_to_show, milestones) = app
        .config
        .with_value(|c| (c.min_count_to_show, c.goal_milestones.clone()));
    let hidden = move || {
        app.count_unavailable.get() && target.get().is_none()
            || target.get().is_some_and(|n| n < min_to_show)
    };
    // While loading, a typical number holds the place, so nothing moves when the real one comes.
    let final_text = move || {
        target
            .get()
            .map(format_count)
            .unwrap_or_else(|| PLACEHOLDER_COUNT.to_string())
    };
    let accessible = move || {
        target
            .get()
            .map(|n| counted(n, copy::accessible_one, copy::accessible))
    };

    view! {
        <div class="counter" class:counter--hidden=hidden class:counter--loading=move || target.get().is_none()>
            <p class="count">
                <span class="count-number" aria-hidden="true">
                    <span class="count-sizer">{final_text}</span>
                    <span class="count-value" data-testid="count-value">
                        {move || shown.get().map(format_count)}
                    </span>
                </span>
                <span class="count-label" aria-hidden="true">
                    {move || match target.get() {
                        Some(n) => for_count(n, copy::label_one(), copy::label()),
                        None => copy::label(),
                    }}
                </span>
                <span class="visually-hidden">{move || accessible().unwrap_or_else(|| copy::loading().to_string())}</span>
            </p>
            {move || {
                let Some(count) = target.get() else {
                    return Some(ProgressPlaceholder().into_any());
                };
                let p = progress(count, &milestones);
                let goal = p.next?;
                let goal_text = format_count(goal);
                let to_goal = if p.remaining == 1 { copy::to_goal_one } else { copy::to_goal };
                let to_goal = to_goal(&format_count(p.remaining), &goal_text);
                let reached = p
                    .reached
                    .iter()
                    .map(|m| view! { <li>{copy::reached(&format_count(*m))}</li> })
                    .collect_view();
                Some(
                    view! {
                        <div class="progress">
                            <progress
                                max=goal.to_string()
                                value=count.to_string()
                                aria-label=copy::progress_label(&goal_text)
                            ></progress>
                            <p class="progress-text">{to_goal}</p>
                            <ul class="milestones">
                                {reached}
                            </ul>
                        </div>
                    }
                        .into_any(),
                )
            }}
        </div>
    }
}

/// The progress block's shape while the count loads: same lines, nothing visible or announced.
#[component]
fn ProgressPlaceholder() -> impl IntoView {
    let text = copy::to_goal(PLACEHOLDER_COUNT, PLACEHOLDER_COUNT);
    view! {
        <div class="progress progress--placeholder" aria-hidden="true">
            <progress max="1" value="0"></progress>
            <p class="progress-text">{text}</p>
            <ul class="milestones"></ul>
        </div>
    }
}
