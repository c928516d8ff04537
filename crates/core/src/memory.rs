//! A small memory allocator for the app's wasm, in place of the standard library's general
//! one (about 2 KB of the brotli download).
//!
//! Every block is a power of two in size (8 bytes up), and each size has its own list of
//! freed blocks. A request takes a freed block of its size if there is one, else a new block
//! cut from the end of the memory obtained so far, which grows by whole pages. Freed blocks
//! are reused for their own size only and never merged: the app's allocations are small and
//! repeat (signals, views, strings, JSON), so its memory stays near its peak use. A block is
//! aligned to its own size (up to a page), so any request fits any freed block of its size.
//!
//! The pool is for one thread (the browser's main thread); see [`Pool`].

use core::cell::UnsafeCell;
use core::ptr::null_mut;

/// The unit in which memory grows (a wasm page).
pub const PAGE: usize = 65_536;
/// The smallest block: it holds the link to the next freed block.
const MIN_BLOCK: usize = 8;
/// Pages taken at least at a time, so that growing is rare.
const MIN_GROWTH: usize = 4;
/// Block sizes 2^3 up to 2^(usize::BITS - 1).
const CLASSES: usize = usize::BITS as usize - 3;

/// Where new memory comes from.
pub trait Grow {
    /// Adds `pages` pages and returns the address of the first, or `None` if there is no
    /// more memory. Pages usually follow the previous ones; where they do not, the pool
    /// starts afresh in the new ones.
    fn grow(&self, pages: usize) -> Option<usize>;
}

/// The size class (index and block size) for a request, or `None` if none is big enough.
pub fn class(size: usize, align: usize) -> Option<(usize, usize)> {
    let block = size.max(align).max(MIN_BLOCK).checked_next_power_of_two()?;
    Some((block.trailing_zeros() as usize - 3, block))
}

struct State {
    /// The first freed block of each class (0: none); each freed block holds the next.
    free: [usize; CLASSES],
    /// The unused memory at the end: from `top` to `end`.
    top: usize,
    end: usize,
}

/// The allocator. It keeps its lists without locks, so it must only be used from one
/// thread: it is `Sync` (as a `#[global_allocator]` must be) on wasm32 only, where the app
/// runs on one thread.
pub struct Pool<G> {
    state: UnsafeCell<State>,
    grow: G,
}

// SAFETY: wasm32 without the atomics feature has one thread; nothing can race.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
unsafe impl<G: Grow> Sync for Pool<G> {}

impl<G: Grow> Pool<G> {
    pub const fn new(grow: G) -> Pool<G> {
        Pool {
            state: UnsafeCell::new(State {
                free: [0; CLASSES],
                top: 0,
                end: 0,
            }),
            grow,
        }
    }

    /// A block for `size` bytes aligned to `align` (a power of two), or null.
    ///
    /// # Safety
    /// Not to be called again while a call is running (one thread).
    pub unsafe fn allocate(&self, size: usize, align: usize) -> *mut u8 {
        let Some((class, block)) = class(size, align) else {
            return null_mut();
        };
        // SAFETY: one thread and no re-entry (the caller's promise).
        let state = unsafe { &mut *self.state.get() };
        let head = state.free[class];
        if head != 0 {
            // SAFETY: `head` is a freed block of this class; its first word is the link.
            state.free[class] = unsafe { *(head as *const usize) };
            return head as *mut u8;
        }
        let alignment = block.min(PAGE);
        let fits = |top: usize, end: usize| {
            let start = top.checked_add(alignment - 1)? & !(alignment - 1);
            let new_top = start.checked_add(block)?;
            (new_top <= end).then_some((start, new_top))
        };
        let (start, new_top) = match fits(state.top, state.end) {
            Some(found) => found,
            None => {
                // Enough for the block wherever the new pages start.
                let Some(pages) = block
                    .checked_add(alignment)
                    .map(|bytes| bytes.div_ceil(PAGE).max(MIN_GROWTH))
                else {
                    return null_mut();
                };
                let Some(at) = self.grow.grow(pages) else {
                    return null_mut();
                };
                if at != state.end {
                    state.top = at;
                }
                state.end = at + pages * PAGE;
                match fits(state.top, state.end) {
                    Some(found) => found,
                    None => return null_mut(),
                }
            }
        };
        state.top = new_top;
        start as *mut u8
    }

    /// Gives back a block from [`Pool::allocate`] with the same size and alignment.
    ///
    /// # Safety
    /// `ptr` came from this pool for `size` and `align` and is not used afterwards; one
    /// thread.
    pub unsafe fn release(&self, ptr: *mut u8, size: usize, align: usize) {
        let Some((class, _)) = class(size, align) else {
            return;
        };
        // SAFETY: one thread; the block is at least a word and aligned to one.
        unsafe {
            let state = &mut *self.state.get();
            *(ptr as *mut usize) = state.free[class];
            state.free[class] = ptr as usize;
        }
    }

    /// Resizes a block: the same block while the size class stays, else a new one with the
    /// contents copied.
    ///
    /// # Safety
    /// As [`Pool::release`] for `ptr`, `size` and `align`.
    pub unsafe fn resize(&self, ptr: *mut u8, size: usize, align: usize, new: usize) -> *mut u8 {
        if class(size, align) == class(new, align) {
            return ptr;
        }
        // SAFETY: as promised by the caller; the blocks do not overlap.
        unsafe {
            let moved = self.allocate(new, align);
            if !moved.is_null() {
                core::ptr::copy_nonoverlapping(ptr, moved, size.min(new));
                self.release(ptr, size, align);
            }
            moved
        }
    }
}

// SAFETY: blocks are at least `layout.size()` bytes, aligned to `layout.align()`, and never
// handed out twice while in use.
unsafe impl<G: Grow> core::alloc::GlobalAlloc for Pool<G> {
    unsafe fn alloc(&self, layout: core::alloc::Layout) -> *mut u8 {
        unsafe { self.allocate(layout.size(), layout.align()) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: core::alloc::Layout) {
        unsafe { self.release(ptr, layout.size(), layout.align()) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: core::alloc::Layout, new: usize) -> *mut u8 {
        unsafe { self.resize(ptr, layout.size(), layout.align(), new) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::alloc::{alloc, dealloc, Layout};
    use std::cell::Cell;

    /// Pages from one buffer, in order; `gap` pages are skipped before the next growth, as
    /// if something else had taken them.
    struct Arena {
        base: *mut u8,
        pages: usize,
        used: Cell<usize>,
        gap: Cell<usize>,
    }

    impl Arena {
        fn new(pages: usize) -> Arena {
            let base = unsafe { alloc(Layout::from_size_align(pages * PAGE, PAGE).unwrap()) };
            assert!(!base.is_null());
            Arena {
                base,
                pages,
                used: Cell::new(0),
                gap: Cell::new(0),
            }
        }

        fn contains(&self, ptr: *mut u8, size: usize) -> bool {
            let (start, end) = (
                self.base as usize,
                self.base as usize + self.used.get() * PAGE,
            );
            ptr as usize >= start && ptr as usize + size <= end
        }
    }

    impl Drop for Arena {
        fn drop(&mut self) {
            unsafe {
                dealloc(
                    self.base,
                    Layout::from_size_align(self.pages * PAGE, PAGE).unwrap(),
                )
            }
        }
    }

    impl Grow for &Arena {
        fn grow(&self, pages: usize) -> Option<usize> {
            let first = self.used.get() + self.gap.take();
            if first + pages > self.pages {
                return None;
            }
            self.used.set(first + pages);
            Some(self.base as usize + first * PAGE)
        }
    }

    #[test]
    fn classes_are_powers_of_two_from_eight() {
        assert_eq!(class(0, 1), Some((0, 8)));
        assert_eq!(class(8, 8), Some((0, 8)));
        assert_eq!(class(9, 1), Some((1, 16)));
        assert_eq!(class(3, 16), Some((1, 16)));
        assert_eq!(class(100, 4), Some((4, 128)));
        assert_eq!(class(PAGE + 1, 8), Some((14, 2 * PAGE)));
        assert_eq!(class(usize::MAX, 1), None);
    }

    #[test]
    fn a_freed_block_is_reused_for_its_size_only() {
        let arena = Arena::new(64);
        let pool = Pool::new(&arena);
        unsafe {
            let a = pool.allocate(24, 8);
            let b = pool.allocate(24, 8);
            assert_ne!(a, b);
            pool.release(a, 24, 8);
            assert_ne!(pool.allocate(8, 8), a, "another size does not take it");
            assert_eq!(pool.allocate(30, 4), a, "the same size does");
        }
    }

    #[test]
    fn resizing_within_the_size_keeps_the_block_and_beyond_it_keeps_the_contents() {
        let arena = Arena::new(64);
        let pool = Pool::new(&arena);
        unsafe {
            let a = pool.allocate(20, 4);
            for i in 0..20 {
                *a.add(i) = i as u8;
            }
            assert_eq!(pool.resize(a, 20, 4, 32), a);
            let moved = pool.resize(a, 32, 4, 100);
            assert_ne!(moved, a);
            assert_eq!(
                std::slice::from_raw_parts(moved, 20),
                (0..20).collect::<Vec<u8>>()
            );
            assert_eq!(pool.allocate(32, 4), a, "the old block is free again");
        }
    }

    #[test]
    fn memory_grows_by_pages_and_starts_afresh_after_a_gap() {
        let arena = Arena::new(64);
        let pool = Pool::new(&arena);
        unsafe {
            let big = pool.allocate(3 * PAGE, 8);
            assert_eq!(big as usize % PAGE, 0);
            assert!(arena.contains(big, 3 * PAGE));
            arena.gap.set(2);
            let after = pool.allocate(5 * PAGE, 1);
            assert!(arena.contains(after, 5 * PAGE));
            assert!(
                after as usize >= big as usize + 5 * PAGE,
                "the skipped pages are not used"
            );
            assert!(pool.allocate(100 * PAGE, 8).is_null(), "no more memory");
            assert!(!pool.allocate(16, 8).is_null(), "small blocks still come");
        }
    }

    #[derive(Debug, Clone)]
    enum Op {
        Allocate(usize, u32),
        Release(usize),
        Resize(usize, usize),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            4 => (0usize..5000, 0u32..7).prop_map(|(size, align)| Op::Allocate(size, align)),
            3 => any::<usize>().prop_map(Op::Release),
            2 => (any::<usize>(), 0usize..9000).prop_map(|(i, size)| Op::Resize(i, size)),
        ]
    }

    proptest! {
        /// Any run of requests: blocks are aligned, inside the memory, never overlap, and
        /// keep their contents (each block is filled with its own byte and checked).
        #[test]
        fn blocks_never_overlap_and_keep_their_contents(ops in prop::collection::vec(op(), 1..300)) {
            let arena = Arena::new(128);
            let pool = Pool::new(&arena);
            let mut live: Vec<(*mut u8, usize, usize, u8)> = Vec::new();
            let check = |&(ptr, size, _, fill): &(*mut u8, usize, usize, u8)| unsafe {
                std::slice::from_raw_parts(ptr, size).iter().all(|&b| b == fill)
            };
            for (n, op) in ops.into_iter().enumerate() {
                let fill = n as u8;
                match op {
                    Op::Allocate(size, align) => unsafe {
                        let align = 1usize << align;
                        let ptr = pool.allocate(size, align);
                        prop_assert!(!ptr.is_null());
                        prop_assert_eq!(ptr as usize % align, 0);
                        prop_assert!(arena.contains(ptr, size));
                        std::ptr::write_bytes(ptr, fill, size);
                        live.push((ptr, size, align, fill));
                    },
                    Op::Release(i) if !live.is_empty() => unsafe {
                        let block = live.swap_remove(i % live.len());
                        prop_assert!(check(&block));
                        pool.release(block.0, block.1, block.2);
                    },
                    Op::Resize(i, new) if !live.is_empty() => unsafe {
                        let i = i % live.len();
                        prop_assert!(check(&live[i]));
                        let (ptr, size, align, old_fill) = live[i];
                        let moved = pool.resize(ptr, size, align, new);
                        prop_assert!(!moved.is_null());
                        prop_assert_eq!(moved as usize % align, 0);
                        let kept = std::slice::from_raw_parts(moved, size.min(new));
                        prop_assert!(kept.iter().all(|&b| b == old_fill));
                        std::ptr::write_bytes(moved, fill, new);
                        live[i] = (moved, new, align, fill);
                    },
                    _ => {}
                }
            }
            // A block that another one overlapped has lost its fill.
            for block in &live {
                prop_assert!(check(block), "a block lost its contents");
            }
        }
    }
}
