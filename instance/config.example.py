# Copy to instance/config.py and adjust; that file (and everything else in instance/) stays out of git.
# Any of these can also be set as an environment variable with the prefix LEXFLODE_,
# e.g. LEXFLODE_DATABASE_URL=postgresql://lexflode@db.example/lexflode

# DATABASE_URL = "postgresql://lexflode:secret@localhost:5432/lexflode"
# SECRET_KEY = "…"  # if unset, a random key is created in instance/secret_key
# MUNICIPALITY_NAME = "Exempelby kommun"
# COMMITTEE_NAME = "Socialnämnden"
# SESSION_COOKIE_SECURE = True  # behind HTTPS
