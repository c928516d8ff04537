//! One module per route.

pub mod confirm;
pub mod embed;
pub mod municipalities;
pub mod not_found;
pub mod petition;
pub mod privacy;
pub mod thanks;
