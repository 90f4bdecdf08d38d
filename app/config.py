"""Built-in defaults. A deployment overrides them in instance/config.py or LEXFLODE_* variables."""

from datetime import timedelta

# Left empty on purpose: the factory points it at a SQLite file in the instance folder.
DATABASE_URL = ""
SECRET_KEY = ""

BABEL_DEFAULT_LOCALE = "sv"
BABEL_DEFAULT_TIMEZONE = "Europe/Stockholm"
# The languages a user may choose (app/account/). The msgids are the Swedish text itself, so
# Swedish needs no catalog; English is app/translations/en (relative to the app package, so an
# installed package finds it too). `make translations` extracts, updates and compiles.
LANGUAGES = ["sv", "en"]
BABEL_TRANSLATION_DIRECTORIES = "translations"

MUNICIPALITY_NAME = "Exempelby kommun"
COMMITTEE_NAME = "Socialnämnden"

# Uploaded attachments live outside the web root, under the instance folder.
UPLOAD_FOLDER = "attachments"
MAX_CONTENT_LENGTH = 20 * 1024 * 1024
ALLOWED_UPLOAD_EXTENSIONS = ["pdf", "jpg", "jpeg", "png", "txt", "docx", "odt"]

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
PERMANENT_SESSION_LIFETIME = timedelta(hours=8)

# --- Web hardening (issue 6, OWASP ASVS level 2; app/security/, app/auth/) ---------------------
# The session cookie is Secure by default. Browsers accept a Secure cookie from http://localhost
# and http://127.0.0.1 too, so `make run` works as it is; for plain http on any other host
# (development only) set LEXFLODE_SESSION_COOKIE_SECURE=false. SameSite stays Lax, not Strict:
# with Strict, following a mail's link to a case would arrive without the cookie and show the
# login page to someone already signed in. Behind a TLS-terminating proxy, wrap the app in
# werkzeug's ProxyFix so that request.is_secure (HSTS) and the client address (throttle) are right.
SESSION_COOKIE_SECURE = True
# How many reverse proxies stand in front (LEXFLODE_PROXY_COUNT=1 behind one nginx); 0 trusts no
# X-Forwarded-* header. The client's address (login throttle, rate limits, access log) is read
# from X-Forwarded-For only through werkzeug's ProxyFix with this count: it takes the address the
# PROXY_COUNT-th proxy from us saw, so set it to exactly the number of proxies. Too low (0 behind
# a proxy) and every client has the proxy's address: all logins share one address's ceiling and
# the API's one address limit. Too high and a client writes its own X-Forwarded-For and chooses
# its address, escaping every per-address limit.
PROXY_COUNT = 0
# Flask-Login's "remember me" is not offered; should it be, its cookie is as guarded.
REMEMBER_COOKIE_SECURE = True
REMEMBER_COOKIE_HTTPONLY = True
REMEMBER_COOKIE_SAMESITE = "Lax"
SESSION_IDLE_MINUTES = 30
SESSION_ABSOLUTE_HOURS = 10
# Failed logins within LOGIN_FAILURE_WINDOW_MINUTES lock out for LOGIN_LOCKOUT_MINUTES
# (app/auth/throttle.py): this many for one e-mail from any address lock that e-mail; this many
# for one e-mail from one address lock that pair (a success by the owner elsewhere does not reset
# it); and this many from one address, all e-mails together, lock the address. The last is a
# ceiling, not the old 20: a municipality's staff share one public address (NAT), and 30 people
# mistyping twice must not lock the town hall out.
LOGIN_MAX_FAILURES_PER_EMAIL = 5
LOGIN_MAX_FAILURES_PER_ADDRESS_AND_EMAIL = 5
LOGIN_MAX_FAILURES_PER_ADDRESS = 200
LOGIN_FAILURE_WINDOW_MINUTES = 15
LOGIN_LOCKOUT_MINUTES = 15
# Login attempts (an address and the e-mail typed) are deleted by the scheduler after this many
# days (app/auth/pruning.py); never sooner than the lockout looks back.
LOGIN_ATTEMPTS_KEEP_DAYS = 30
# Requests to /api/v1 per API_RATE_WINDOW_SECONDS, per token and per client address (0: no
# limit); beyond, 429 with Retry-After. An integration polling every few seconds stays far below;
# a runaway script or a token guesser does not. Counted in the database (rate_counters), so all
# workers share one count.
API_RATE_LIMIT_PER_TOKEN = 300
API_RATE_LIMIT_PER_ADDRESS = 600
API_RATE_WINDOW_SECONDS = 60
# Requests to /scim/v2 per API_RATE_WINDOW_SECONDS per client address (0: no limit). A
# directory's first full synchronisation sends a few requests per user in bursts; Entra ID
# itself stays well under this.
SCIM_RATE_LIMIT_PER_ADDRESS = 1200
# Password reset requests (/glomt-losenord) per RESET_RATE_WINDOW_MINUTES: per e-mail as typed
# (each may mail at most once per 5 minutes anyway) and per address (above a town hall's Monday
# morning, below a script mailing every colleague).
RESET_RATE_LIMIT_PER_EMAIL = 5
RESET_RATE_LIMIT_PER_ADDRESS = 50
RESET_RATE_WINDOW_MINUTES = 60
# How long a new API token works unless its maker says otherwise (Mitt konto, flask users token).
API_TOKEN_DAYS = 90
# One attachment; MAX_CONTENT_LENGTH above bounds the whole request.
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# Left empty: app/auth/passwords.py's METHOD (scrypt). Only a test suite sets a cheap one.
PASSWORD_HASH_METHOD = ""

WTF_CSRF_TIME_LIMIT = None

PAGE_SIZE = 50
# A national deployment lists a million cases: lists count at most COUNT_LIMIT rows ("more than
# 1 000" beyond; counting to 10 000 cost a SAS's list 55 ms at a million cases), page numbers
# reach PAGE_DEPTH_LIMIT rows deep (the API goes on with its cursor, the UI, whose pages follow
# the count, with its filters), and Att göra weighs the INBOX_LIMIT most urgent cases.
COUNT_LIMIT = 1_000
PAGE_DEPTH_LIMIT = 10_000
INBOX_LIMIT = 50

# The clock (DOMAIN.md §4, §6). Links in mails point here; mails carry nothing else of a case.
BASE_URL = "http://localhost:5000"
SMTP_HOST = "localhost"
SMTP_PORT = 25
SMTP_TIMEOUT = 10
SMTP_USERNAME = ""
SMTP_PASSWORD = ""
# The older switch for STARTTLS; SMTP_SECURITY says it all and wins when set.
SMTP_STARTTLS = False
# How mail to the server is encrypted: "starttls" (port 587 or 25), "ssl" (implicit TLS, port
# 465) or "none" (only for a relay on this machine). Both kinds of TLS verify the server's
# certificate and name. Empty: SMTP_STARTTLS decides (True is "starttls", False "none").
SMTP_SECURITY = ""
# A PEM file of CA certificates to verify the mail server with instead of the system's: for a
# municipality's internal CA.
SMTP_CA_FILE = ""
# A mail a sender claimed and never marked sent (the process died) is sent again after this
# long: at-least-once for that mail alone (notifications/outbox.py). It must be far longer than
# one mail can take: at least 10 × SMTP_TIMEOUT, or the outbox refuses to send.
SMTP_LEASE_SECONDS = 600
MAIL_FROM = "lexflode@localhost"
# The sweep and the outbox run every few minutes. Embedded: inside `flask run` (the README's
# run command). Production sets it False and runs exactly one `flask scheduler run`.
SCHEDULER_EMBEDDED = True
SCHEDULER_INTERVAL_MINUTES = 5

# Where the accessibility statement (/tillganglighet) sends reports of shortcomings; empty:
# readers are told to contact the system administrator.
ACCESSIBILITY_CONTACT = ""

# --- Operating the service (issue 13; app/ops/) -------------------------------------------------
# "production" (LEXFLODE_ENV_NAME=production) makes the app refuse to start while it would mail
# links to localhost, send from lexflode@localhost, let the demo users sign in, run on a schema
# behind the migrations or hand out the session cookie without Secure; it also logs JSON lines.
ENV_NAME = "development"
# "json" (one object a line, for a log collector) or "console" (readable, for a developer);
# empty: json in production, console otherwise.
LOG_FORMAT = ""
# The name of this scheduler's heartbeat row (scheduler_heartbeats).
SCHEDULER_NAME = "clock"
# /readyz fails once the newest heartbeat is older than this; 0: three scheduler intervals
# (one missed run is not an outage, three are).
READINESS_HEARTBEAT_MINUTES = 0
# /metrics answers a scraper that sends "Authorization: Bearer <METRICS_TOKEN>" (empty: no token
# is accepted) or connects from one of these addresses (after PROXY_COUNT's X-Forwarded-For);
# anyone else gets 404, so the endpoint is not advertised.
METRICS_TOKEN = ""
METRICS_ALLOWED_ADDRESSES = ["127.0.0.1", "::1"]

# --- Sign-in through the municipality's identity provider (issue 15; app/auth/sso/) -----------
# OpenID Connect (Entra ID, AD FS, Keycloak, Inera's IdP): on when OIDC_ISSUER and
# OIDC_CLIENT_ID are set. The redirect URI to register at the provider is
# BASE_URL + "/sso/oidc/callback". The subject is the claim that never changes for a person
# ("oid" in Entra ID, whose "sub" differs per application); groups come from OIDC_GROUPS_CLAIM
# in the ID token.
OIDC_ISSUER = ""
OIDC_CLIENT_ID = ""
OIDC_CLIENT_SECRET = ""
OIDC_SCOPES = "openid email profile"
OIDC_SUBJECT_CLAIM = "sub"
OIDC_GROUPS_CLAIM = "groups"
# SAML 2.0: on when SAML_IDP_METADATA names the IdP's metadata, a file path or an https URL.
# Lexflöde's own metadata is at BASE_URL + "/saml/metadata" (also its default entity id), the
# assertion consumer service at BASE_URL + "/saml/acs". The NameID is the subject; ask for a
# persistent one (a transient NameID is refused). Attributes are looked up by these names
# (e-mail and name also under their usual names: mail, emailAddress, displayName, …).
SAML_IDP_METADATA = ""
SAML_IDP_ENTITY_ID = ""  # when the metadata describes several IdPs
SAML_SP_ENTITY_ID = ""
SAML_SP_KEY_FILE = ""  # optional: signs AuthnRequests and decrypts encrypted assertions
SAML_SP_CERT_FILE = ""
SAML_NAMEID_FORMAT = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"
SAML_GROUPS_ATTRIBUTE = "groups"
SAML_EMAIL_ATTRIBUTE = "mail"
SAML_NAME_ATTRIBUTE = "displayName"
# The login page's button texts; empty: "Logga in med e-legitimation / organisationskonto".
SSO_OIDC_LABEL = ""
SSO_SAML_LABEL = ""
# A person the identity provider vouches for, whose groups give a role, gets an account at their
# first sign-in; off: only accounts already made (by SCIM or the administrator) can sign in.
SSO_JIT_CREATE = True
# Link an existing local account (one with no subject yet) by its e-mail address, once, at the
# owner's first sign-in through the IdP. Off by default: whoever controls an address in the IdP
# would take over the account that has it.
SSO_LINK_BY_EMAIL = False
# Group → role mappings besides those the administrator keeps under Administration; written to
# the same list at the next sign-in. Each: {"group": <name or object id>, "role": <role>} and,
# for "manager", "unit": <the unit's name>.
GROUP_MAPPINGS: list[dict[str, str]] = []

# --- Sign-in with a local password (issue 15; DOMAIN.md §2 rev. 2; app/auth/second_factor.py) --
# "on": anyone with a local password may sign in with it. "break_glass": only the addresses in
# BREAK_GLASS_EMAILS may (the administrator's way in when the identity provider is down); everyone
# else signs in through the municipality's directory.
LOCAL_SIGN_IN = "on"
BREAK_GLASS_EMAILS: list[str] = []
# A local account holding a role that reads case content (or administers those who do) signs in
# with a code from an authenticator app (TOTP) after the password, and is made to set one up at
# its first sign-in. Production refuses to start with this off. The demo users, which exist only
# outside production, sign in without one.
TOTP_REQUIRED = True
# The name authenticator apps show next to the code.
TOTP_ISSUER = "Lexflöde"

# --- Archive before purge (DOMAIN.md §9, rev. 2; app/archive/) --------------------------------
# Cases the document management plan keeps are delivered as FGS packages (one zip per case) to
# this folder, relative to the instance folder unless absolute, for the e-archive to collect;
# or, when ARCHIVE_URL is set, posted there instead (an endpoint that accepts application/zip).
ARCHIVE_DIRECTORY = "e-arkiv"
ARCHIVE_URL = ""
