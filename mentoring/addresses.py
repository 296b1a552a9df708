"""Addresses of named views, reversed once per process.

`reverse()` walks the URL resolver's patterns for every call (about 70 µs here); the navigation
bar alone names a dozen addresses on every page, the same ones for everybody. The addresses
depend only on the URL name, its arguments and the script prefix (the deployment's mount point),
so they are kept under exactly those, in a bounded LRU.
"""

from functools import lru_cache

from django.urls import get_script_prefix, reverse


@lru_cache(maxsize=4096)
def _address(prefix: str, url_name: str, args: tuple) -> str:
    return reverse(url_name, args=args)


def address(url_name: str, *args) -> str:
    """reverse(url_name, args=args), reversed once per process (see the module)."""
    return _address(get_script_prefix(), url_name, args)
