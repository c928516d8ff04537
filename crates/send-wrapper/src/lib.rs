//! `SendWrapper<T>`: a value that is not `Send` (a DOM handle, an `Rc`) wrapped so that it may
//! sit in `Send` structures, on the promise that it is only used, and dropped, on the thread
//! that wrapped it. The framework wraps its browser values in it.
//!
//! On a wasm32 build without threads (the app) there is one thread, so the promise holds by
//! itself: the wrapper stores nothing besides the value and checks nothing. This keeps the
//! standard library's thread handles, and the second memory allocator that they bring, out
//! of the wasm. Elsewhere (native builds, tests) the wrapper records its thread and panics
//! when the value is used or dropped on another one.

use std::fmt;
use std::mem::{needs_drop, ManuallyDrop};
use std::ops::{Deref, DerefMut};

#[cfg(not(all(target_arch = "wasm32", not(target_feature = "atomics"))))]
mod owner {
    use std::thread::{self, ThreadId};

    /// The thread that wrapped the value.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub struct Owner(ThreadId);

    impl Owner {
        pub fn here() -> Owner {
            Owner(thread::current().id())
        }
    }
}

#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
mod owner {
    /// The only thread there is.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub struct Owner;

    impl Owner {
        pub fn here() -> Owner {
            Owner
        }
    }
}

use owner::Owner;

/// A value usable only on the thread that wrapped it (see the crate's documentation).
pub struct SendWrapper<T> {
    value: ManuallyDrop<T>,
    owner: Owner,
}

// SAFETY: the value is reached only through `deref`, `deref_mut`, `take`, `poll` and `drop`,
// which all check that they run on the owner's thread.
unsafe impl<T> Send for SendWrapper<T> {}
// SAFETY: as for `Send`: shared access is checked the same way.
unsafe impl<T> Sync for SendWrapper<T> {}

impl<T> SendWrapper<T> {
    /// Wraps `value`, owned by the current thread.
    pub fn new(value: T) -> SendWrapper<T> {
        SendWrapper {
            value: ManuallyDrop::new(value),
            owner: Owner::here(),
        }
    }

    /// Whether the current thread may use the value.
    pub fn valid(&self) -> bool {
        self.owner == Owner::here()
    }

    /// The value, unwrapped.
    ///
    /// # Panics
    /// On another thread than the owner's.
    #[track_caller]
    pub fn take(self) -> T {
        self.check("taken");
        let mut this = ManuallyDrop::new(self);
        // SAFETY: `this` is never dropped, so the value is moved out exactly once.
        unsafe { ManuallyDrop::take(&mut this.value) }
    }

    #[track_caller]
    fn check(&self, what: &str) {
        if !self.valid() {
            panic!("a SendWrapper's value was {what} on another thread than the one that made it");
        }
    }
}

impl<T> Deref for SendWrapper<T> {
    type Target = T;

    /// # Panics
    /// On another thread than the owner's.
    #[track_caller]
    fn deref(&self) -> &T {
        self.check("read");
        &self.value
    }
}

impl<T> DerefMut for SendWrapper<T> {
    /// # Panics
    /// On another thread than the owner's.
    #[track_caller]
    fn deref_mut(&mut self) -> &mut T {
        self.check("changed");
        &mut self.value
    }
}

impl<T> Drop for SendWrapper<T> {
    /// Drops the value. A value whose type has nothing to drop may go on any thread; any
    /// other panics on another thread than the owner's (unless already panicking).
    fn drop(&mut self) {
        if needs_drop::<T>() && !self.valid() {
            if std::thread::panicking() {
                return;
            }
            panic!("a SendWrapper's value was dropped on another thread than the one that made it");
        }
        // SAFETY: dropped once, here; `take` skips this.
        unsafe { ManuallyDrop::drop(&mut self.value) }
    }
}

impl<T: fmt::Debug> fmt::Debug for SendWrapper<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("SendWrapper").field(self.deref()).finish()
    }
}

impl<T: Clone> Clone for SendWrapper<T> {
    /// A wrapper of a copy of the value, owned by the current thread.
    ///
    /// # Panics
    /// On another thread than the owner's.
    fn clone(&self) -> Self {
        SendWrapper::new(self.deref().clone())
    }
}

#[cfg(feature = "futures")]
mod futures {
    use super::SendWrapper;
    use futures_core::Stream;
    use std::future::Future;
    use std::pin::Pin;
    use std::task::{Context, Poll};

    impl<F: Future> Future for SendWrapper<F> {
        type Output = F::Output;

        /// # Panics
        /// On another thread than the owner's.
        fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
            self.check("polled");
            // SAFETY: the value lives inside the pinned wrapper and is never moved out while
            // pinned (`take` needs the wrapper by value).
            unsafe { self.map_unchecked_mut(|this| &mut *this.value) }.poll(cx)
        }
    }

    impl<S: Stream> Stream for SendWrapper<S> {
        type Item = S::Item;

        /// # Panics
        /// On another thread than the owner's.
        fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<S::Item>> {
            self.check("polled");
            // SAFETY: as for `Future::poll`.
            unsafe { self.map_unchecked_mut(|this| &mut *this.value) }.poll_next(cx)
        }

        fn size_hint(&self) -> (usize, Option<usize>) {
            self.value.size_hint()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::SendWrapper;
    use std::rc::Rc;
    use std::thread;

    #[test]
    fn the_owner_thread_uses_and_takes_the_value() {
        let mut wrapped = SendWrapper::new(Rc::new(5));
        assert!(wrapped.valid());
        assert_eq!(**wrapped, 5);
        *wrapped = Rc::new(6);
        let copy = wrapped.clone();
        assert_eq!(*wrapped.take(), 6);
        assert_eq!(**copy, 6);
    }

    #[test]
    fn another_thread_may_move_it_but_not_use_it() {
        let wrapped = SendWrapper::new(Rc::new(5));
        let back = thread::spawn(move || {
            assert!(!wrapped.valid());
            let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| **wrapped));
            assert!(read.is_err(), "reading on another thread panics");
            wrapped
        })
        .join()
        .unwrap();
        assert_eq!(**back, 5, "usable again on its own thread");
    }

    #[test]
    fn dropping_on_another_thread_panics_unless_there_is_nothing_to_drop() {
        let plain = SendWrapper::new(7u32);
        thread::spawn(move || drop(plain)).join().unwrap();
        let shared = SendWrapper::new(Rc::new(7));
        assert!(thread::spawn(move || drop(shared)).join().is_err());
    }

    #[cfg(feature = "futures")]
    #[test]
    fn a_wrapped_future_polls_through() {
        use std::future::Future;
        use std::pin::pin;
        use std::task::{Context, Poll, Waker};
        let mut future = pin!(SendWrapper::new(async { 3 }));
        let mut cx = Context::from_waker(Waker::noop());
        assert_eq!(future.as_mut().poll(&mut cx), Poll::Ready(3));
    }
}
