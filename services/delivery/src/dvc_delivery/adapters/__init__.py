"""Delivery's I/O other than its event store: signing, the PDF, the post, packaged rule data."""
