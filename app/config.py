"""Built-in defaults. A deployment overrides them in instance/config.py or LEXFLODE_* variables."""

from datetime import timedelta

# Left empty on purpose: the factory points it at a SQLite file in the instance folder.
DATABASE_URL = ""
SECRET_KEY = ""

BABEL_DEFAULT_LOCALE = "sv"
BABEL_DEFAULT_TIMEZONE = "Europe/Stockholm"
LANGUAGES = ["sv", "en"]

MUNICIPALITY_NAME = "Exempelby kommun"
COMMITTEE_NAME = "Socialnämnden"

# Uploaded attachments live outside the web root, under the instance folder.
UPLOAD_FOLDER = "attachments"
MAX_CONTENT_LENGTH = 20 * 1024 * 1024
ALLOWED_UPLOAD_EXTENSIONS = ["pdf", "jpg", "jpeg", "png", "txt", "docx", "odt"]

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
PERMANENT_SESSION_LIFETIME = timedelta(hours=8)

WTF_CSRF_TIME_LIMIT = None

PAGE_SIZE = 50

# The clock (DOMAIN.md §4, §6). Links in mails point here; mails carry nothing else of a case.
BASE_URL = "http://localhost:5000"
SMTP_HOST = "localhost"
SMTP_PORT = 25
SMTP_TIMEOUT = 10
SMTP_USERNAME = ""
SMTP_PASSWORD = ""
SMTP_STARTTLS = False
MAIL_FROM = "lexflode@localhost"
# The sweep and the outbox run every few minutes. Embedded: inside `flask run` (the README's
# run command). Production sets it False and runs exactly one `flask scheduler run`.
SCHEDULER_EMBEDDED = True
SCHEDULER_INTERVAL_MINUTES = 5
