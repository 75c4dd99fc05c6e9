//! Keeps a panic in a third-party decoder from reaching the user: it becomes an error.
//!
//! Some decoders are documented to panic on malformed input. Their calls run inside
//! [`contain`]; while one runs, the panic hook installed by [`install_quiet_panic_hook`] stays
//! silent, so the user sees one clear error instead of a backtrace.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};

thread_local! {
    static CONTAINING: Cell<u32> = const { Cell::new(0) };
}

/// Runs `f`; a panic inside it is returned as `Err` with its message.
pub fn contain<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    CONTAINING.with(|c| c.set(c.get() + 1));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    CONTAINING.with(|c| c.set(c.get() - 1));
    result.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a decoder panicked".to_owned())
    })
}

/// Installs a panic hook that is silent for panics that [`contain`] turns into errors and
/// defers to the previous hook for every other panic.
pub fn install_quiet_panic_hook() {
    let previous = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        if CONTAINING.with(|c| c.get()) == 0 {
            previous(info);
        }
    }));
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_panic_becomes_an_error() {
        let result: Result<(), String> = super::contain(|| panic!("boom {}", 1));
        assert_eq!(result, Err("boom 1".to_owned()));
        assert_eq!(super::contain(|| 5), Ok(5));
    }
}
