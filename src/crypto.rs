//! crypto: placeholder, filled by its issue.
