//! The building blocks of the pages.

pub mod closed;
pub mod counter;
pub mod field;
pub mod head;
pub mod layout;
pub mod prose;
pub mod share;
pub mod sign_form;
