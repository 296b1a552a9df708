"""Notices to people: planned once per occasion, delivered once, listed in-app, mailed by preference.

The modules, each importing only those above it in this list (tests/test_layering.py and the
import-linter contracts of pyproject.toml hold them to it):

- `mentoring.registry`, `mentoring.models`, `mentoring.emails`: the kinds the apps declared, the
  rows, the messages.
- `preferences`: how each person wants each kind (by e-mail, in a digest, in-app only).
- `planning`: what a sweep or an action found due becomes rows, once (`Occasion`, `plan`), and
  which rows wait for a worker (`deliverable_ids`, `run_sweep`).
- `delivery`: a chunk of rows claimed, mailed over one connection and recorded (`deliver_chunk`).
- `tasks`: the Celery entry points, and `enqueue`, the one way to hand ids to them.
- `dispatch`: notices an action causes (`notify`) and a failed one sent again (`resend`).
- `inbox`: what a person does with their notices (mark read).

A sweep (mentoring/reminders.py) finds what is due and plans it; the unique `dedupe_key` makes
planning the same notice again a no-op, so two sweeps, or two beats by mistake, insert nothing
twice. `enqueue` hands the ids to the broker in chunks; `deliver_chunk` claims a chunk with one
conditional UPDATE, so two workers holding the same id send it once. What neither closes is named
at the one place it lives: see `delivery.deliver_chunk`.
"""
