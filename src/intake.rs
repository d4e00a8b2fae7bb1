//! intake: placeholder, filled by its issue.
