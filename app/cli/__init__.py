from flask import Flask


def register_commands(app: Flask) -> None:
    from .archive import archive_cli
    from .audit import audit_cli
    from .backup import backup_cli
    from .clock import deadlines_cli, outbox_cli, scheduler_cli
    from .db import db_cli
    from .demo import demo_cli
    from .retention import retention_cli
    from .scim import scim_cli
    from .statistics import statistics_cli
    from .users import users_cli

    app.cli.add_command(audit_cli)
    app.cli.add_command(db_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(backup_cli)
    app.cli.add_command(retention_cli)
    app.cli.add_command(scim_cli)
    app.cli.add_command(archive_cli)
    app.cli.add_command(statistics_cli)
    for command in (deadlines_cli, outbox_cli, scheduler_cli):
        app.cli.add_command(command)
