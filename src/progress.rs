//! A progress bar on standard error for builds long enough to want one:
//! it appears only when standard error is a terminal, and only once the
//! build has run for about a second, so quick builds and scripts see
//! nothing.

use std::sync::mpsc;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a build runs before its progress bar appears.
pub const DELAY: Duration = Duration::from_millis(1000);

/// Progress of a build: phases, each with a count of items where it has one.
/// Cheap to call from many threads; does nothing when hidden.
pub struct Progress {
    bar: Option<ProgressBar>,
    /// Dropping it tells the thread that would show the bar that the build is over.
    _done: Option<mpsc::Sender<()>>,
}

impl Progress {
    /// No bar at all.
    pub fn hidden() -> Progress {
        Progress {
            bar: None,
            _done: None,
        }
    }

    /// A bar on standard error, shown after `DELAY` if standard error is
    /// a terminal.
    pub fn on_terminal() -> Progress {
        if !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
            return Progress::hidden();
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg:<10} [{bar:30}] {pos}/{len}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        let (tx, rx) = mpsc::channel::<()>();
        let shown = bar.clone();
        std::thread::spawn(move || {
            // Either the build ends first (the sender is dropped) or the
            // delay passes and the bar appears.
            if let Err(mpsc::RecvTimeoutError::Timeout) = rx.recv_timeout(DELAY)
                && !shown.is_finished()
            {
                shown.set_draw_target(ProgressDrawTarget::stderr());
                shown.enable_steady_tick(Duration::from_millis(120));
            }
        });
        Progress {
            bar: Some(bar),
            _done: Some(tx),
        }
    }

    /// Starts a phase of `len` items (`None`: a phase without a count).
    pub fn phase(&self, name: &'static str, len: Option<usize>) {
        if let Some(b) = &self.bar {
            b.set_message(name);
            b.set_position(0);
            match len {
                Some(n) => b.set_length(n as u64),
                None => b.unset_length(),
            }
        }
    }

    /// Counts `n` items of the current phase as done.
    pub fn inc(&self, n: usize) {
        if let Some(b) = &self.bar {
            b.inc(n as u64);
        }
    }

    /// Removes the bar from the terminal.
    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}
