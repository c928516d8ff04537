//! Component tests in headless Chromium: each mounts a component into a fresh element and
//! checks the DOM a supporter (or a screen reader) gets.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use petitie::components::counter::{pending_frames, Counter};
use petitie::components::field::TextField;
use petitie::components::sign_form::SignForm;
use petitie::config::LoadedConfig;
use petitie::state::AppState;
use petitie_core::config::Config;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh element in the document to mount into, with the Dutch texts installed (a page
/// carries them; this test page does not).
fn container() -> web_sys::HtmlElement {
    petitie::copy::install(include_str!(concat!(env!("OUT_DIR"), "/nl.json"))).unwrap();
    let el = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&el).unwrap();
    el.unchecked_into()
}

fn query(root: &web_sys::HtmlElement, selector: &str) -> web_sys::HtmlElement {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
        .unchecked_into()
}

#[wasm_bindgen_test]
async fn links_the_error_message_to_the_input_only_while_there_is_one() {
    let root = container();
    let error = RwSignal::new(None::<&'static str>);
    let value = RwSignal::new(String::new());
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        view! {
            <TextField
                id="voornaam"
                label="Voornaam"
                value
                error=error.into()
                autocomplete="given-name"
                on_leave=Callback::new(|_| {})
            />
        }
    });
    leptos::task::tick().await;
    let input = query(&root, "input");
    assert_eq!(
        query(&root, "label").get_attribute("for").as_deref(),
        Some("voornaam")
    );
    assert_eq!(
        input.get_attribute("autocomplete").as_deref(),
        Some("given-name")
    );
    assert_eq!(
        input.get_attribute("aria-invalid").as_deref(),
        Some("false")
    );
    assert!(root.query_selector(".field-error").unwrap().is_none());

    error.set(Some("Vul je voornaam in"));
    leptos::task::tick().await;
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(
        input.get_attribute("aria-describedby").as_deref(),
        Some("voornaam-error")
    );
    assert!(query(&root, "#voornaam-error")
        .text_content()
        .unwrap()
        .contains("Vul je voornaam in"));
}

#[wasm_bindgen_test]
async fn keeps_what_is_typed_in_the_signal() {
    let root = container();
    let value = RwSignal::new(String::from("Anna"));
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        view! {
            <TextField
                id="naam"
                label="Naam"
                value
                error=Signal::derive(|| None)
                autocomplete="given-name"
                on_leave=Callback::new(|_| {})
            />
        }
    });
    leptos::task::tick().await;
    let input: web_sys::HtmlInputElement = query(&root, "input").unchecked_into();
    assert_eq!(input.value(), "Anna");
    input.set_value("Anne-Marie");
    input
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    leptos::task::tick().await;
    assert_eq!(value.get_untracked(), "Anne-Marie");
}

#[wasm_bindgen_test]
async fn shows_the_summary_and_every_field_error_when_an_empty_form_is_submitted() {
    let root = container();
    let config = Config {
        privacy_url: Some("https://www.hetvergetenkind.nl/privacy".into()),
        ..Config::default()
    };
    let signed = RwSignal::new(false);
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        provide_context(AppState::new(
            LoadedConfig {
                config,
                demo_mode: None,
            },
            "",
        ));
        view! { <SignForm on_signed=Callback::new(move |_| signed.set(true)) has_errors=RwSignal::new(false) /> }
    });
    leptos::task::tick().await;
    let form: web_sys::HtmlFormElement = query(&root, "form").unchecked_into();
    assert!(form.has_attribute("novalidate"));
    form.request_submit().unwrap();
    leptos::task::tick().await;
    let summary = query(&root, "#fout-overzicht");
    assert_eq!(summary.get_attribute("role").as_deref(), Some("alert"));
    assert_eq!(
        summary.query_selector_all("a").unwrap().length(),
        3,
        "first name, last name and e-mail"
    );
    for id in ["voornaam", "achternaam", "email"] {
        assert_eq!(
            query(&root, &format!("#{id}"))
                .get_attribute("aria-invalid")
                .as_deref(),
            Some("true"),
            "{id}"
        );
    }
    assert_eq!(
        query(&root, "#telefoon")
            .get_attribute("aria-invalid")
            .as_deref(),
        Some("false")
    );
    assert!(!signed.get_untracked());
}

/// Resolves on the browser's next animation frame.
async fn next_frame() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        window()
            .request_animation_frame(&resolve)
            .expect("requestAnimationFrame");
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

fn mount_counter(root: &web_sys::HtmlElement, target: RwSignal<Option<u64>>) -> impl Drop {
    leptos::mount::mount_to(root.clone(), move || {
        provide_context(AppState::new(
            LoadedConfig {
                config: Config::default(),
                demo_mode: None,
            },
            "",
        ));
        view! { <Counter target=target /> }
    })
}

#[wasm_bindgen_test]
async fn counts_up_to_exactly_the_target_and_then_stops_asking_for_frames() {
    let root = container();
    let target = RwSignal::new(None::<u64>);
    let _handle = mount_counter(&root, target);
    leptos::task::tick().await;
    target.set(Some(41_235));
    leptos::task::tick().await;
    let value = query(&root, "[data-testid=count-value]");
    let mut seen = Vec::new();
    // 1.5 s at 60 frames a second, with room to spare; ends as soon as the number is reached.
    for _ in 0..600 {
        next_frame().await;
        let text = value.text_content().unwrap_or_default();
        let n: u64 = text.replace('.', "").parse().unwrap_or(0);
        seen.push(n);
        if text == "41.235" {
            break;
        }
    }
    assert_eq!(value.text_content().as_deref(), Some("41.235"));
    assert!(
        seen.windows(2).all(|w| w[0] <= w[1]),
        "only rises: {seen:?}"
    );
    assert!(seen.len() > 5, "animated over several frames");
    next_frame().await;
    assert_eq!(
        pending_frames(),
        0,
        "no frame loop after the number is reached"
    );
}

#[wasm_bindgen_test]
async fn an_unmounted_counter_leaves_no_frame_loop_behind() {
    let root = container();
    let target = RwSignal::new(None::<u64>);
    let handle = mount_counter(&root, target);
    leptos::task::tick().await;
    target.set(Some(1_000_000));
    leptos::task::tick().await;
    next_frame().await;
    next_frame().await;
    assert!(pending_frames() > 0, "counting up");
    drop(handle);
    next_frame().await;
    next_frame().await;
    assert_eq!(pending_frames(), 0);
}

#[wasm_bindgen_test]
fn lower_cases_e_mail_domains_in_any_script_with_the_browsers_case_mapping() {
    petitie::use_browser_lowercase();
    for (typed, normalised) in [
        (" Anna@Example.NL ", "Anna@example.nl"),
        ("Anna@ÖRN.SE", "Anna@örn.se"),
        ("Ολγα@ΠΑΡΆΔΕΙΓΜΑ.ΕΛ", "Ολγα@παράδειγμα.ελ"),
        ("anna@İSTANBUL.TR", "anna@i̇stanbul.tr"),
    ] {
        assert_eq!(petitie_core::email::normalise_email(typed), normalised);
        // The same as the standard library's mapping, which the server uses.
        assert_eq!(
            petitie_core::email::normalise_email(typed),
            format!(
                "{}@{}",
                typed.trim().rsplit_once('@').unwrap().0,
                typed.trim().rsplit_once('@').unwrap().1.to_lowercase()
            )
        );
    }
}
