//! The build's progress bar (indicatif), drawn on stderr.

/// A progress bar on stderr: drawn only when stderr is a terminal, and only
/// once the build has taken a second.
pub struct Bar {
    pb: indicatif::ProgressBar,
    done: std::sync::Arc<std::sync::Mutex<bool>>,
}

impl Bar {
    pub fn new() -> Bar {
        let pb = indicatif::ProgressBar::hidden();
        let done = std::sync::Arc::new(std::sync::Mutex::new(false));
        let (p, d) = (pb.clone(), done.clone());
        std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_secs(1));
            let done = d.lock().unwrap_or_else(|e| e.into_inner());
            if !*done {
                p.set_draw_target(indicatif::ProgressDrawTarget::stderr());
                p.enable_steady_tick(std::time::Duration::from_millis(120));
            }
        });
        Bar { pb, done }
    }
    pub fn finish(&self) {
        *self.done.lock().unwrap_or_else(|e| e.into_inner()) = true;
        self.pb.finish_and_clear();
    }
}

impl mieruka::Progress for Bar {
    fn stage(&self, name: &'static str, total: u64) {
        let style = if total > 0 {
            indicatif::ProgressStyle::with_template(
                "{spinner} {msg:8} [{bar:32}] {pos}/{len} {elapsed}",
            )
        } else {
            indicatif::ProgressStyle::with_template("{spinner} {msg:8} {elapsed}")
        };
        if let Ok(st) = style {
            self.pb.set_style(st.progress_chars("=> "));
        }
        self.pb.set_length(total);
        self.pb.set_position(0);
        self.pb.set_message(name);
    }
    fn advance(&self, n: u64) {
        self.pb.inc(n);
    }
}
