"""drafting: turn meeting data into GB/T 9704 official documents and check drafts."""

__version__ = "0.1.0"
