from flask import Flask


def register_commands(app: Flask) -> None:
    from .db import db_cli
    from .demo import demo_cli
    from .users import users_cli

    app.cli.add_command(db_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
