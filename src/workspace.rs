//! workspace: placeholder, filled by its issue.
