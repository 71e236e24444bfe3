"""Development SMTP server: receives notify's e-mail over real SMTP and lists it over HTTP.

A separate process (`python -c "from dvc_simulators.smtp_sink.main import run; run()"`), as a
real mail server would be: SMTP on `SMTP_SINK_PORT` (8114), HTTP on `SMTP_SINK_HTTP_PORT` (8113).
"""
