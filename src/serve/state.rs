//! What the serve threads share: the messages between them, what the pages
//! are made from, and the version the browsers poll.

use crate::model::Site;
use crate::output::OutputFile;
use crate::render::Theme;
use std::sync::mpsc::Sender;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// The version the browsers poll, bumped after each rebuild is in place.
pub(super) struct Shared {
    /// The version, and whether the content has errors.
    state: Mutex<(u64, bool)>,
    changed: Condvar,
}

impl Shared {
    pub(super) fn new() -> Shared {
        Shared {
            state: Mutex::new((0, false)),
            changed: Condvar::new(),
        }
    }

    /// A new version is in place (`error`: the overlay page).
    pub(super) fn publish(&self, error: bool) {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        s.0 += 1;
        s.1 = error;
        self.changed.notify_all();
    }

    /// The version and whether it has errors: at once without `since`,
    /// else once the version differs from `since` or `wait` has passed.
    pub(super) fn wait_for_change(&self, since: Option<u64>, wait: Duration) -> (u64, bool) {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(v) = since {
            let deadline = Instant::now() + wait;
            while s.0 == v {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    break;
                }
                s = self
                    .changed
                    .wait_timeout(s, left)
                    .unwrap_or_else(|e| e.into_inner())
                    .0;
            }
        }
        *s
    }
}

/// What the pages are made from.
pub(super) enum Content {
    Site(Arc<Site>, Arc<Theme>),
    /// The overlay page (HTML) listing the problems.
    Error(String),
}

/// A file for the HTTP thread: its status, its path (which names its
/// content type) and its bytes.
pub(super) struct Reply {
    pub status: u16,
    pub path: String,
    pub body: Arc<Vec<u8>>,
}

/// What the render thread is sent.
pub(super) enum Msg {
    /// A request for the file at a path (relative, `…/index.html` for a
    /// folder), to be answered on the sender.
    Get(String, Sender<Reply>),
    /// New content, after a change.
    Replace(Content),
    /// The search index of a generation of the content.
    Search(u64, Vec<OutputFile>),
}
