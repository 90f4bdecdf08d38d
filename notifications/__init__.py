"""What to tell whom, in the app and by e-mail (DOMAIN.md §6).

Notifications and mails are written in the transaction of the change that causes them; the
outbox is delivered after commit (``outbox.deliver``). Nothing here reads a request: the sweep
and the scheduler write notifications far from any.
"""
