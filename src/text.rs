//! text: placeholder, filled by its issue.
