"""Intake's commands, one module per concern; `application.IntakeApplication` combines them."""
