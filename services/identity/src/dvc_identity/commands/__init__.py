"""Identity's commands, grouped by what they act on; ``application.IdentityApplication`` joins them."""
