"""The output folder: which folders a build may replace, one build at a time per folder, and a swap with no gap.

A build writes into `--out` only when the folder is missing, empty, or an earlier output of this package: its
datapackage.json names the package, and every entry of the folder is a regular file that the descriptor lists (or
the descriptor itself). Anything else is refused before any work is done, and checked again just before the swap.
A symbolic link is followed and the rule applies to the folder it points to; the link stays a link.

Builds into one folder take a lock beside it (`.<folder>.lock`, with filelock) around the swap, so a second build
waits for the first. The new package is built in a hidden folder beside the output and exchanged with the old one
in one step (Linux `renameat2` with RENAME_EXCHANGE), so a reader finds either the old or the new package at the
path, never nothing; where the system cannot exchange, two renames leave the path empty for an instant.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import stat
from collections.abc import Iterable
from pathlib import Path

import filelock

from pipeline import PROJECT_ROOT
from pipeline.errors import PipelineError
from pipeline.guards import kind_of
from pipeline.package import DESCRIPTOR, Package
LOCK_WAIT_SECONDS = 600.0
SHOWN_ENTRIES = 3


class OutputError(PipelineError):
    """The output folder is not one the build may write into."""


def output_target(out: Path, package_name: str, source: Path | None = None,
                  own_names: Iterable[str] = (), option: str = "--out") -> Path:
    """The real folder a package named `package_name` may be written to for `out`; OutputError when it is a place
    the build must not replace. `own_names` are further files, besides the descriptor's, that an earlier output
    holds (a release's data card, say); `option` is what the user gave the folder with, for the message."""
    target = Path(os.path.realpath(Path(out)))
    shown = str(out) if str(out) not in ("", ".") else f"{out!s} ({target})"
    if protected := _protected_place(target, source):
        raise OutputError(shown, f"expected a folder of its own for the dataset, found {protected}; "
                                 f"choose another {option}")
    try:
        status = os.lstat(target)
    except FileNotFoundError:
        return target
    except OSError as exc:
        raise OutputError(shown, f"expected a folder the build can write, found {exc.strerror.lower()}") from None
    if not stat.S_ISDIR(status.st_mode):
        raise OutputError(shown, f"expected a folder, found {kind_of(status.st_mode)}; choose another {option}")
    try:
        strangers = foreign_entries(target, package_name, own_names)
    except OSError as exc:
        raise OutputError(shown, f"expected a folder the build can read, found {exc.strerror.lower()}") from None
    if strangers:
        raise OutputError(shown, f"expected a missing or empty folder or an earlier output of {package_name}, "
                                 f"found {strangers}; move it away or choose another {option}")
    return target


def _protected_place(target: Path, source: Path | None) -> str | None:
    """Words for why `target` may never be replaced, or None: it is or holds the source, the current folder, the
    project or a home folder, or it is the root of the file system."""
    if target == Path(target.anchor):
        return "the root of the file system"
    places = [(source, "the source"), (_cwd(), "the current folder"), (PROJECT_ROOT, "the project's folder"),
              (Path.home(), "a home folder")]
    for place, words in places:
        if place is None:
            continue
        place = Path(os.path.realpath(place))
        if place == target:
            return words
        if place.is_relative_to(target):
            return f"a folder that holds {words} ({place})"
    return None


def _cwd() -> Path | None:
    try:
        return Path.cwd()
    except OSError:
        return None


def foreign_entries(folder: Path, package_name: str, own_names: Iterable[str] = ()) -> str:
    """'' when `folder` is empty or an earlier output of the package; otherwise what in it the build did not write,
    in words."""
    entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    if not entries:
        return ""
    listed = _listed_files(folder / DESCRIPTOR, package_name)
    if isinstance(listed, str):
        names = ", ".join(_entry_name(entry) for entry in entries[:SHOWN_ENTRIES])
        more = f" and {len(entries) - SHOWN_ENTRIES} more" if len(entries) > SHOWN_ENTRIES else ""
        return f"{listed} among its {len(entries)} entries ({names}{more})"
    allowed = listed | {DESCRIPTOR} | set(own_names)
    foreign = [entry for entry in entries
               if entry.name not in allowed or not entry.is_file(follow_symlinks=False)]
    if not foreign:
        return ""
    names = ", ".join(_entry_name(entry) for entry in foreign[:SHOWN_ENTRIES])
    more = f" and {len(foreign) - SHOWN_ENTRIES} more" if len(foreign) > SHOWN_ENTRIES else ""
    return f"{names}{more}, which the build did not write"


def _entry_name(entry: os.DirEntry) -> str:
    if entry.is_symlink():
        return f"{entry.name} (a link)"
    return f"{entry.name}/" if entry.is_dir() else entry.name


def _listed_files(descriptor_path: Path, package_name: str) -> set[str] | str:
    """The files an earlier output's descriptor lists, or words for why the folder is not one."""
    try:
        if not stat.S_ISREG(os.lstat(descriptor_path).st_mode):
            return f"no {DESCRIPTOR} of {package_name}"
        package = Package.open_folder(descriptor_path.parent)
    except FileNotFoundError:
        return f"no {DESCRIPTOR} of {package_name}"
    except (PipelineError, OSError):
        return f"a {DESCRIPTOR} that cannot be read"
    if package.name != package_name:
        return f"a {DESCRIPTOR} of another package ({package.name!r})"
    return {resource["path"] for resource in package.resources}


def lock_path(target: Path) -> Path:
    """The lock file of builds into `target`: a hidden file beside it."""
    return target.with_name(f".{target.name}.lock")


def install(staging: Path, target: Path, package_name: str, own_names: Iterable[str] = (),
            wait: float = LOCK_WAIT_SECONDS, option: str = "--out") -> None:
    """Put the package built in `staging` at `target`, holding the folder's lock: check once more that `target` may
    be replaced, exchange the two folders, and delete the earlier package, unless something the build did not
    write appeared in it meanwhile, in which case it is kept beside the output and an OutputError says where."""
    own_names = tuple(own_names)
    try:
        lock = filelock.FileLock(lock_path(target), timeout=wait)
        with lock:
            output_target(target, package_name, own_names=own_names, option=option)
            old = _exchange(staging, target)
    except filelock.Timeout:
        raise OutputError(target, f"expected to be the only build writing here, found another build holding "
                                  f"{lock_path(target).name} for {wait:g} s; try again when it has finished") from None
    except OSError as exc:
        raise OutputError(target, f"expected to put the new package here, found {exc.strerror.lower()} "
                                  f"({exc.filename or target})") from None
    if old is None:
        return
    if foreign_entries(old, package_name, own_names):
        kept = target.with_name(f"{target.name}.kept-{os.getpid()}")
        os.rename(old, kept)
        raise OutputError(target, f"expected its earlier package to be left alone during the build, found files "
                                  f"added to it; the new package is in place and the earlier folder, with "
                                  f"those files, is kept as {kept}")
    shutil.rmtree(old)


def _exchange(staging: Path, target: Path) -> Path | None:
    """Put `staging` at `target`; return where the earlier folder now is (to delete), or None if there was none."""
    if not os.path.lexists(target):
        os.rename(staging, target)
        return None
    try:
        _rename_exchange(staging, target)
        return staging
    except OSError as exc:
        if exc.errno not in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
            raise
    backup = target.with_name(f".{target.name}.old-{os.getpid()}")
    os.rename(target, backup)
    os.rename(staging, target)
    return backup


def _rename_exchange(first: Path, second: Path) -> None:
    """Swap two paths in one step with Linux's renameat2(RENAME_EXCHANGE); OSError(ENOSYS) where there is none."""
    function = getattr(_libc(), "renameat2", None)
    if function is None:
        raise OSError(errno.ENOSYS, "renameat2 is not available")
    at_fdcwd, rename_exchange = -100, 2
    if function(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(second))


def _libc():
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None
