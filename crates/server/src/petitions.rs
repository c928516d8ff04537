//! The petitions' statuses and counts as the API answers them, held in memory.
//!
//! Reading a count takes a read lock for a moment: no SQLite, no waiting for a commit. Two
//! threads publish: the writer, after each commit and before it answers (so a supporter who
//! got `201` never reads a lower count), and a refresher that rereads the table every
//! `REFRESH` on a read connection of its own, for changes made by other processes (an
//! operator's `erase`, a petition closed by hand). The refresher's snapshot is dropped when
//! the writer published after it was taken, so a count never goes back to an older value.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, RwLock, Weak};
use std::thread;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use crate::db::{self, PetitionRow};

/// How often changes made outside this process are picked up.
pub const REFRESH: Duration = Duration::from_secs(1);

#[derive(Default)]
struct Snapshot {
    /// Bumped by every publication of the writer.
    generation: u64,
    rows: HashMap<String, PetitionRow>,
}

#[derive(Default)]
pub struct Petitions {
    snapshot: RwLock<Snapshot>,
}

impl Petitions {
    pub fn new(rows: HashMap<String, PetitionRow>) -> Self {
        Self {
            snapshot: RwLock::new(Snapshot {
                generation: 0,
                rows,
            }),
        }
    }

    pub fn get(&self, id: &str) -> Option<PetitionRow> {
        self.read().rows.get(id).copied()
    }

    /// The writer's publication, read on its connection right after a commit.
    pub fn publish(&self, rows: HashMap<String, PetitionRow>) {
        let mut snapshot = self.write();
        snapshot.generation += 1;
        snapshot.rows = rows;
    }

    pub fn generation(&self) -> u64 {
        self.read().generation
    }

    /// The refresher's publication of rows read when the generation was `seen`; dropped (and
    /// `false`) when the writer has published since.
    pub fn publish_if_unchanged(&self, seen: u64, rows: HashMap<String, PetitionRow>) -> bool {
        let mut snapshot = self.write();
        if snapshot.generation != seen {
            return false;
        }
        snapshot.rows = rows;
        true
    }

    /// A count this instance answered after its commit on PostgreSQL: never lowered by it
    /// (a reader then sees at least the count a supporter was given here).
    pub fn raise(&self, id: &str, count: u64) {
        let mut snapshot = self.write();
        snapshot.generation += 1;
        if let Some(row) = snapshot.rows.get_mut(id) {
            row.count = row.count.max(count);
        }
    }

    /// The PostgreSQL refresher's publication of rows read when the generation was `seen`:
    /// taken as they are, unless counts were raised since, which it then does not lower.
    pub fn merge(&self, seen: u64, mut rows: HashMap<String, PetitionRow>) {
        let mut snapshot = self.write();
        if snapshot.generation != seen {
            for (id, row) in &mut rows {
                if let Some(current) = snapshot.rows.get(id) {
                    row.count = row.count.max(current.count);
                }
            }
        }
        snapshot.rows = rows;
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Snapshot> {
        // A panic while holding the lock cannot leave a half-written snapshot (each write is
        // one assignment), so a poisoned lock is still good.
        self.snapshot.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Snapshot> {
        self.snapshot.write().unwrap_or_else(|e| e.into_inner())
    }
}

/// A read-only connection for the refresher (WAL: it reads while the writer commits).
pub fn read_connection(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(Duration::from_secs(5))?;
    Ok(conn)
}

/// Rereads the petitions on `conn` every `REFRESH` until `petitions` is dropped.
pub fn spawn_refresher(conn: Connection, petitions: Weak<Petitions>) -> std::io::Result<()> {
    thread::Builder::new()
        .name("petitie-refresh".into())
        .spawn(move || loop {
            thread::sleep(REFRESH);
            let Some(petitions) = petitions.upgrade() else {
                return;
            };
            refresh(&conn, &petitions);
        })
        .map(drop)
}

fn refresh(conn: &Connection, petitions: &Arc<Petitions>) {
    let seen = petitions.generation();
    match db::read_petitions(conn) {
        Ok(rows) => {
            petitions.publish_if_unchanged(seen, rows);
        }
        Err(e) => tracing::error!("storage error: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use petitie_core::contract::PetitionStatus;

    fn rows(count: u64) -> HashMap<String, PetitionRow> {
        HashMap::from([(
            "p".to_string(),
            PetitionRow {
                status: PetitionStatus::Open,
                count,
            },
        )])
    }

    #[test]
    fn a_refresh_taken_before_the_writers_publication_is_dropped() {
        let petitions = Petitions::new(rows(1));
        let seen = petitions.generation();
        petitions.publish(rows(3));
        assert!(!petitions.publish_if_unchanged(seen, rows(2)));
        assert_eq!(petitions.get("p").map(|r| r.count), Some(3));
        let seen = petitions.generation();
        assert!(petitions.publish_if_unchanged(seen, rows(1)));
        assert_eq!(petitions.get("p").map(|r| r.count), Some(1));
        assert_eq!(petitions.get("q"), None);
    }

    #[test]
    fn a_raised_count_is_not_lowered_by_a_refresh_read_before_it() {
        let petitions = Petitions::new(rows(1));
        let seen = petitions.generation();
        petitions.raise("p", 5);
        petitions.raise("p", 4);
        assert_eq!(petitions.get("p").map(|r| r.count), Some(5));
        petitions.merge(seen, rows(3));
        assert_eq!(petitions.get("p").map(|r| r.count), Some(5));
        // Read after the raise: taken as it is, also when lower (an erase).
        let seen = petitions.generation();
        petitions.merge(seen, rows(2));
        assert_eq!(petitions.get("p").map(|r| r.count), Some(2));
        petitions.raise("q", 9);
        assert_eq!(petitions.get("q"), None);
    }
}
