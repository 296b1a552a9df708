from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    """Searches by name ignore accents (mentoring/search.py). On SQLite nothing is created: each
    connection is given an `unaccent` function instead."""

    dependencies = [("mentoring", "0005_drop_kept_pages_watch")]

    operations = [UnaccentExtension()]
