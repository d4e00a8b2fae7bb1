//! index: placeholder, filled by its issue.
