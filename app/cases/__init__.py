from flask import Blueprint

bp = Blueprint("cases", __name__)


@bp.route("/")
def inbox() -> str:
    return "inbox"
