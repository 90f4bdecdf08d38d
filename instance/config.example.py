# Copy to instance/config.py and adjust; that file (and everything else in instance/) stays out of git.
# Any of these can also be set as an environment variable with the prefix LEXFLODE_,
# e.g. LEXFLODE_DATABASE_URL=postgresql://lexflode@db.example/lexflode

# DATABASE_URL = "postgresql://lexflode:secret@localhost:5432/lexflode"
# SECRET_KEY = "…"  # if unset, a random key is created in instance/secret_key
# MUNICIPALITY_NAME = "Exempelby kommun"
# COMMITTEE_NAME = "Socialnämnden"
# SESSION_COOKIE_SECURE = True  # behind HTTPS

# The clock: links in mails, the mail server, and where the scheduler runs.
# BASE_URL = "https://lexflode.exempelby.se"
# SMTP_HOST = "smtp.exempelby.se"
# SMTP_PORT = 587
# SMTP_STARTTLS = True
# SMTP_USERNAME = "lexflode"
# SMTP_PASSWORD = "…"
# MAIL_FROM = "lexflode@exempelby.se"
# In production: no scheduler inside the web workers; run exactly one `flask scheduler run`.
# SCHEDULER_EMBEDDED = False
# SCHEDULER_INTERVAL_MINUTES = 5

# Archive before purge: where `flask archive deliver` puts the FGS packages (a zip per case),
# or the e-archive's address to POST them to instead.
# ARCHIVE_DIRECTORY = "/mnt/e-arkiv/inleverans"
# ARCHIVE_URL = "https://e-arkiv.exempelby.se/inleverans"
