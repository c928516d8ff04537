//! The confirmation mails (`--confirm-by-email`): written with `lettre` from the texts of the
//! locale files, in the signer's language, as plain text and HTML; sent by a thread of their
//! own that works through the mail jobs in the database (`confirmation.rs`), with retries and
//! backoff while the mail server is away or answers 4xx. A 5xx answer is final. The log names
//! a job by its number, never its address, name or token.

use std::path::Path;
use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::{Message, SmtpTransport, Transport};
use rusqlite::Connection;

use petitie_core::lang::Lang;
use petitie_core::page::escape_html;
use petitie_core::route::Route;
use petitie_core::template::fill;
use petitie_core::token::{encode_token, TOKEN_BYTES};

use crate::confirmation::{self, MailJob, MailKind};
use crate::db;

/// How the server confirms signatures by e-mail (the command line's `--confirm-by-email`).
#[derive(Debug, Clone)]
pub struct ConfirmSettings {
    /// `smtp://host:port`, `smtps://user:password@host` (lettre's URL form).
    pub smtp_url: String,
    pub mail_from: Mailbox,
    /// The app's public address, ending in `/`: the mail's links point below it.
    pub public_url: String,
    /// One reminder this long after signing, while still pending and open.
    pub remind_after: Duration,
    /// Pending signatures older than this are deleted, with their tokens.
    pub pending_ttl: Duration,
}

/// How long the sender rests when no mail is due.
const IDLE: Duration = Duration::from_millis(200);
/// Jobs taken at a time.
const BATCH: usize = 256;
/// Mails sent at once, each on a connection of the transport's pool: one SMTP connection
/// carries about 20 mails a second here (each command waits for its answer), so the batch is
/// spread over this many.
const CONNECTIONS: usize = 16;
/// How often reminders and the deletion of pending signatures past their time are looked for.
const HOUSEKEEPING_MS: i64 = 10_000;

/// The wait before try number `tries + 1` of a mail that could not go out: 1 s, doubling,
/// at most 5 minutes.
pub fn backoff_ms(tries: u32) -> i64 {
    (1000_i64 << tries.min(9)).min(300_000)
}

/// The texts of one language's mails (`[mail]` in its locale file).
#[derive(Debug, Clone)]
struct Texts {
    subject: String,
    reminder_subject: String,
    greeting: String,
    intro: String,
    reminder_intro: String,
    confirm: String,
    confirm_text: String,
    withdraw: String,
    expires: String,
    closing: String,
}

impl Texts {
    fn of(lang: Lang) -> Texts {
        let file = match lang {
            Lang::Nl => include_str!("../../../locales/nl.toml"),
            Lang::En => include_str!("../../../locales/en.toml"),
        };
        let table: toml::Table = file
            .parse()
            .expect("the locale files are checked by the build");
        let mail = table["mail"]
            .as_table()
            .expect("[mail] in the locale files");
        let text = |key: &str| {
            mail[key]
                .as_str()
                .expect("the locale files' texts are checked by the build")
                .trim()
                .to_string()
        };
        Texts {
            subject: text("subject"),
            reminder_subject: text("reminder_subject"),
            greeting: text("greeting"),
            intro: text("intro"),
            reminder_intro: text("reminder_intro"),
            confirm: text("confirm"),
            confirm_text: text("confirm_text"),
            withdraw: text("withdraw"),
            expires: text("expires"),
            closing: text("closing"),
        }
    }
}

/// The mail's two links on the app's public address, the token in the fragment (it never
/// reaches a server log, a proxy or a `Referer`).
pub fn links(public_url: &str, lang: Lang, token: &str) -> (String, String) {
    let base = public_url.trim_end_matches('/');
    let link = |route: Route| format!("{base}{}#{token}", route.full_path(lang));
    (link(Route::Confirm), link(Route::Withdraw))
}

/// Writes the mails of a job.
pub struct Composer {
    from: Mailbox,
    public_url: String,
    dutch: Texts,
    english: Texts,
}

impl Composer {
    pub fn new(from: Mailbox, public_url: &str) -> Composer {
        let public_url = format!("{}/", public_url.trim_end_matches('/'));
        Composer {
            from,
            public_url,
            dutch: Texts::of(Lang::Nl),
            english: Texts::of(Lang::En),
        }
    }

    /// The job's mail carrying `token`; `None` when the stored address is not one (it was
    /// checked when signing, so this does not happen).
    pub fn compose(&self, job: &MailJob, token: &str) -> Option<Message> {
        let lang = Lang::from_code(&job.locale).unwrap_or_default();
        let texts = match lang {
            Lang::Nl => &self.dutch,
            Lang::En => &self.english,
        };
        let (confirm_url, withdraw_url) = links(&self.public_url, lang, token);
        let (subject, intro) = match job.kind {
            MailKind::Confirm => (&texts.subject, &texts.intro),
            MailKind::Reminder => (&texts.reminder_subject, &texts.reminder_intro),
        };
        let greeting = fill(&texts.greeting, &[("name", &job.first_name)]);
        let plain = format!(
            "{greeting}\n\n{intro}\n\n{}\n{confirm_url}\n\n{}:\n{withdraw_url}\n\n{}\n\n{}\n",
            texts.confirm_text, texts.withdraw, texts.expires, texts.closing
        );
        let html = format!(
            "<!doctype html><html lang=\"{lang}\"><body>\
             <p>{}</p><p>{}</p>\
             <p><a href=\"{}\">{}</a></p>\
             <p><a href=\"{}\">{}</a></p>\
             <p>{}</p><p>{}</p></body></html>",
            escape_html(&greeting),
            escape_html(intro),
            escape_html(&confirm_url),
            escape_html(&texts.confirm),
            escape_html(&withdraw_url),
            escape_html(&texts.withdraw),
            escape_html(&texts.expires),
            escape_html(&texts.closing),
            lang = lang.code(),
        );
        // The address alone, no display name: nothing typed reaches a header as text.
        let to = Mailbox::new(None, job.email.parse().ok()?);
        let domain = self.from.email.domain().to_string();
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            // One per job: a mail delivered twice (a crash after sending) is one message.
            .message_id(Some(format!(
                "<petitie.{}.{}@{domain}>",
                job.signature_id, job.id
            )))
            .multipart(
                MultiPart::alternative()
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_PLAIN)
                            .body(plain),
                    )
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_HTML)
                            .body(html),
                    ),
            )
            .ok()
    }
}

/// Where the sender finds its jobs: the SQLite file ([`SqliteJobs`]) or the PostgreSQL
/// database (`pg::Jobs`, which several instances share).
pub trait JobStore: Send + 'static {
    /// Takes the jobs due at `now`, oldest first, at most `limit`, each with its mail made by
    /// `prepare`; the hashes of the tokens of the mails that could be written are committed
    /// before this returns (a link in a mail always works). A job taken is not taken again
    /// until settled (or, on PostgreSQL, until its lease ends).
    fn take(
        &mut self,
        now: i64,
        limit: usize,
        prepare: &mut dyn FnMut(&MailJob) -> Prepared,
    ) -> Result<Vec<(MailJob, Prepared)>, String>;
    /// What became of the mails, in one commit.
    fn settle(&mut self, outcomes: &[(&MailJob, &str, Settle)]) -> Result<(), String>;
    /// Reminders due at `now`, and the deletion of pending signatures past their time;
    /// returns how many were deleted.
    fn housekeeping(
        &mut self,
        now: i64,
        remind_after_ms: i64,
        ttl_ms: i64,
    ) -> Result<usize, String>;
}

/// A job's mail: its token, and the message (`None` when the stored address cannot be
/// written, which signing prevents).
pub struct Prepared {
    pub token: String,
    pub message: Option<Message>,
}

/// What became of a job's mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settle {
    /// Out (or never to be written): the job is done.
    Sent,
    /// Refused for good (5xx): the job is done, its token dropped.
    Refused,
    /// Not sent now: its token is dropped and it is tried again at this time.
    Retry(i64),
}

/// The mail jobs of a SQLite file, on a connection of the sender's own.
pub struct SqliteJobs(pub Connection);

impl SqliteJobs {
    pub fn open(path: &Path) -> Result<SqliteJobs, String> {
        db::connect(path)
            .map(SqliteJobs)
            .map_err(|e| format!("cannot open the database: {e}"))
    }
}

impl JobStore for SqliteJobs {
    fn take(
        &mut self,
        now: i64,
        limit: usize,
        prepare: &mut dyn FnMut(&MailJob) -> Prepared,
    ) -> Result<Vec<(MailJob, Prepared)>, String> {
        let mut run = || -> rusqlite::Result<_> {
            let jobs = confirmation::due_jobs(&self.0, now, limit)?;
            let tx = self.0.transaction()?;
            let mut taken = Vec::with_capacity(jobs.len());
            for job in jobs {
                let prepared = prepare(&job);
                if prepared.message.is_some() {
                    confirmation::issue_token(&tx, job.signature_id, &prepared.token, now)?;
                }
                taken.push((job, prepared));
            }
            tx.commit()?;
            Ok(taken)
        };
        run().map_err(|e| e.to_string())
    }

    fn settle(&mut self, outcomes: &[(&MailJob, &str, Settle)]) -> Result<(), String> {
        let mut run = || -> rusqlite::Result<()> {
            let tx = self.0.transaction()?;
            for (job, token, settle) in outcomes {
                match settle {
                    Settle::Sent => confirmation::finish(&tx, job.id)?,
                    Settle::Refused => {
                        confirmation::retry_at(&tx, job, token, 0)?;
                        confirmation::finish(&tx, job.id)?;
                    }
                    Settle::Retry(due) => confirmation::retry_at(&tx, job, token, *due)?,
                }
            }
            tx.commit()
        };
        run().map_err(|e| e.to_string())
    }

    fn housekeeping(
        &mut self,
        now: i64,
        remind_after_ms: i64,
        ttl_ms: i64,
    ) -> Result<usize, String> {
        let run = || -> rusqlite::Result<usize> {
            confirmation::remind(&self.0, now, remind_after_ms)?;
            confirmation::expire(&self.0, now, ttl_ms)
        };
        run().map_err(|e| e.to_string())
    }
}

/// Starts the thread that sends the mail jobs of `jobs`, sends reminders and deletes pending
/// signatures past their time.
pub fn spawn_sender(mut jobs: Box<dyn JobStore>, settings: &ConfirmSettings) -> Result<(), String> {
    let transport = SmtpTransport::from_url(&settings.smtp_url)
        .map_err(|_| "--smtp-url is not an SMTP address like smtp://127.0.0.1:2525".to_string())?
        .timeout(Some(Duration::from_secs(10)))
        .build();
    let composer = Composer::new(settings.mail_from.clone(), &settings.public_url);
    let (remind_after, ttl) = (
        settings.remind_after.as_millis() as i64,
        settings.pending_ttl.as_millis() as i64,
    );
    std::thread::Builder::new()
        .name("petitie-mail".into())
        .spawn(move || {
            let mut housekept = i64::MIN;
            loop {
                let now = confirmation::now_ms();
                if now.saturating_sub(housekept) >= HOUSEKEEPING_MS {
                    housekept = now;
                    match jobs.housekeeping(now, remind_after, ttl) {
                        Ok(0) => {}
                        Ok(expired) => tracing::info!(
                            "mail: {expired} pending signatures past their time deleted"
                        ),
                        Err(e) => tracing::error!("mail: storage error: {e}"),
                    }
                }
                match run_once(jobs.as_mut(), &transport, &composer, now) {
                    Ok(0) => std::thread::sleep(IDLE),
                    Ok(_) => {}
                    Err(e) => {
                        tracing::error!("mail: storage error: {e}");
                        std::thread::sleep(IDLE);
                    }
                }
            }
        })
        .map_err(|e| format!("cannot start the mail sender: {e}"))?;
    Ok(())
}

/// A job's mail with a new token.
fn prepare(composer: &Composer, job: &MailJob) -> Prepared {
    let mut bytes = [0u8; TOKEN_BYTES];
    if getrandom::fill(&mut bytes).is_err() {
        tracing::error!("mail job {}: no random source", job.id);
        return Prepared {
            token: String::new(),
            message: None,
        };
    }
    let token = encode_token(bytes);
    let message = composer.compose(job, &token);
    if message.is_none() {
        tracing::error!("mail job {}: the stored address cannot be written", job.id);
    }
    Prepared { token, message }
}

/// One round at `now`: the mails due. Returns how many jobs it handled.
pub fn run_once(
    jobs: &mut dyn JobStore,
    transport: &SmtpTransport,
    composer: &Composer,
    now: i64,
) -> Result<usize, String> {
    let ready = jobs.take(now, BATCH, &mut |job| prepare(composer, job))?;
    // Sent at once over several pooled connections.
    let chunk = ready.len().div_ceil(CONNECTIONS).max(1);
    let outcomes: Vec<_> = std::thread::scope(|scope| {
        let senders: Vec<_> = ready
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|(job, prepared)| {
                            let settle = match &prepared.message {
                                None => Settle::Sent,
                                Some(message) => settle(job, transport.send(message), now),
                            };
                            (job, prepared.token.as_str(), settle)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        senders
            .into_iter()
            .flat_map(|sender| sender.join().unwrap_or_default())
            .collect()
    });
    // What became of them, one commit again. A crash before it sends those mails again, with
    // the same Message-ID.
    jobs.settle(&outcomes)?;
    Ok(ready.len())
}

/// What a mail server's answer means for the job.
fn settle(
    job: &MailJob,
    sent: Result<lettre::transport::smtp::response::Response, lettre::transport::smtp::Error>,
    now: i64,
) -> Settle {
    match sent {
        Ok(_) => Settle::Sent,
        Err(e) if e.is_permanent() => {
            let code = e.status().map(|c| c.to_string()).unwrap_or_default();
            tracing::warn!("mail job {}: refused for good ({code})", job.id);
            Settle::Refused
        }
        Err(e) => {
            let code = e
                .status()
                .map(|c| c.to_string())
                .unwrap_or_else(|| "no answer".into());
            let wait = backoff_ms(job.tries);
            tracing::info!("mail job {}: not sent ({code}), again in {wait} ms", job.id);
            Settle::Retry(now + wait)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(first_name: &str, locale: &str) -> MailJob {
        MailJob {
            id: 7,
            signature_id: 3,
            kind: MailKind::Confirm,
            tries: 0,
            first_name: first_name.into(),
            email: "anna@example.nl".into(),
            locale: locale.into(),
        }
    }

    fn composer() -> Composer {
        Composer::new(
            "Het Vergeten Kind <petitie@hetvergetenkind.nl>"
                .parse()
                .unwrap(),
            "https://www.hetvergetenkind.nl/gezinshulp-eerst",
        )
    }

    #[test]
    fn a_name_never_reaches_a_header_or_runs_in_the_html() {
        for name in [
            "<script>alert(1)</script>",
            "Anna\r\nBcc: evil@example.org",
            "=HYPERLINK(\"http://x\")",
        ] {
            let message = composer().compose(&job(name, "nl"), "TOKEN").unwrap();
            let raw = String::from_utf8(message.formatted()).unwrap();
            let headers = &raw[..raw.find("\r\n\r\n").unwrap()];
            assert!(!headers.contains("Bcc"), "{headers}");
            assert!(!headers.contains("script"), "{headers}");
            assert!(!headers.contains("HYPERLINK"), "{headers}");
            // In the HTML part, as text (the plain part is text anyway).
            let html = &raw[raw.find("Content-Type: text/html").unwrap()..];
            assert!(!html.contains("<script>"), "{html}");
            if name.contains("script") {
                assert!(html.contains("&lt;script&gt;"), "{html}");
            }
        }
    }

    #[test]
    fn both_links_carry_the_token_in_the_fragment_in_the_signers_language() {
        assert_eq!(
            links("https://x.nl/p/", Lang::Nl, "T"),
            (
                "https://x.nl/p/bevestigen#T".into(),
                "https://x.nl/p/intrekken#T".into()
            )
        );
        assert_eq!(
            links("https://x.nl/p/", Lang::En, "T"),
            (
                "https://x.nl/p/en/confirm#T".into(),
                "https://x.nl/p/en/withdraw#T".into()
            )
        );
        let message = composer().compose(&job("Zoë", "en"), "TOKEN").unwrap();
        let raw = String::from_utf8(message.formatted()).unwrap();
        assert!(
            raw.contains("Message-ID: <petitie.3.7@hetvergetenkind.nl>"),
            "{raw}"
        );
        assert!(raw.contains("Subject: Confirm your signature"), "{raw}");
    }
}
