"""Simulators of the outside world, for development, tests and `make bench` (never in an image):
the payment gateway and bank (`payment_gateway`), the postal operator (`postal_operator`), the
brand-name SMS provider (`sms_provider`) and an SMTP sink (`smtp_sink`). Each speaks the
protocol its service's adapter speaks, and imports that protocol from the service."""
