"""What identity reaches outside its store: its signing keys on disk and notify (the OTP SMS)."""
