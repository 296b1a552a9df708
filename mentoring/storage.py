"""Static files as deployed: whitenoise's compressed manifest storage, with each file's address
looked up once per process. Every page names the same stylesheets and scripts; finding a name's
hashed version in the manifest and joining it to STATIC_URL is the same work each time, and the
manifest does not change while a process runs (collectstatic is followed by a restart)."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._addresses: dict[str, str] = {}

    def url(self, name, force=False):
        if force:
            return super().url(name, force)
        try:
            return self._addresses[name]
        except KeyError:
            # A name missing from the manifest raises here, every time: only found ones are kept.
            address = self._addresses[name] = super().url(name)
            return address
