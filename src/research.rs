//! research: placeholder, filled by its issue.
