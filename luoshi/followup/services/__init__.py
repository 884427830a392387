"""The write path of follow-through: reports, extensions, completion and closing."""
