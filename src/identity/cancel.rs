//! Stopping a load that the user no longer wants: key derivations check the flag as they run,
//! so a cancelled load stops using the CPU instead of finishing in the background.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::LoadError;

/// A flag shared between whoever starts a load and the load itself.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    /// A flag that is not set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Asks the load to stop at its next check.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// Whether [`Cancel::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// `Err(LoadError::Cancelled)` once the load was cancelled.
    pub(crate) fn check(&self) -> Result<(), LoadError> {
        if self.is_cancelled() {
            Err(LoadError::Cancelled)
        } else {
            Ok(())
        }
    }
}
