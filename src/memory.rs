//! The app's memory allocator: `petitie_core::memory::Pool` on the wasm's own memory.

use petitie_core::memory::{Grow, Pool, PAGE};

/// The wasm's linear memory, grown a page at a time.
pub struct WasmMemory;

impl Grow for WasmMemory {
    fn grow(&self, pages: usize) -> Option<usize> {
        let before = core::arch::wasm32::memory_grow(0, pages);
        (before != usize::MAX).then(|| before * PAGE)
    }
}

#[global_allocator]
static POOL: Pool<WasmMemory> = Pool::new(WasmMemory);
