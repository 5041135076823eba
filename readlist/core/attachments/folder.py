"""The ``files/`` folder beside the resolved library.json: copies in, unique names, the trash.

``files/`` sits in the same folder as the file library.json really is (a symlinked library keeps its
files beside the target, so a synced folder carries both). A file's name is a slug of its paper's
citation key and its extension (``fedus2021switch.pdf``, then ``fedus2021switch-2.pdf``): the data
never picks a path. Removed papers' files go to ``files/.trash/`` until ``readlist trash --empty``.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import secrets
import shutil
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from readlist.core.clean import excerpt
from readlist.core.config import Settings
from readlist.core.files import NotRegularFile, fsync_directory, kind
from readlist.core.models import slugify

FOLDER = "files"
TRASH = ".trash"
PDF_MAGIC = b"%PDF-"


def library_folder(settings: Settings) -> Path:
    """The folder of the file library.json really is (its symbolic link followed)."""
    return Path(os.path.realpath(settings.library_path)).parent


def files_folder(settings: Settings) -> Path:
    return library_folder(settings) / FOLDER


def trash_folder(settings: Settings) -> Path:
    return files_folder(settings) / TRASH


def is_pdf(head: bytes) -> bool:
    """Whether a file starting with these bytes is a PDF (the header may follow up to 1 KB of junk)."""
    return PDF_MAGIC in head[:1024]


def extension(name: str, head: bytes) -> str:
    """The extension a copy gets: ``.pdf`` for a PDF, else the source's own if it is short and plain."""
    if is_pdf(head):
        return ".pdf"
    suffix = Path(name).suffix.lower()
    return suffix if re.fullmatch(r"\.[a-z0-9]{1,10}", suffix) else ""


def file_kind(name: str, head: bytes) -> str:
    """``pdf`` for a PDF, else the extension without its dot, else ``file``."""
    return extension(name, head).lstrip(".") or "file"


@dataclass
class Copied:
    """A file copied into ``files/``: its name there and what was read."""

    path: Path
    size: int
    sha256: str
    head: bytes


def copy_in(source: Path, folder: Path, stem: str, limit: int, *, shown: str | None = None) -> Copied:
    """Copy a regular file (a symlink is followed) into ``folder`` as ``<slug of stem><ext>``, unique there.

    A FIFO, device or folder is refused (:class:`NotRegularFile`, exit 2) before anything is written, as
    is a file over ``limit`` bytes. The copy is written beside its final name, fsynced, and only then
    linked under a name no other file has, so no reader ever sees half a file.
    """
    name = excerpt(shown if shown is not None else str(source), 200)
    try:
        fd = os.open(source, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise NotRegularFile(f"no file {name}") from None
    except OSError as exc:
        raise NotRegularFile(f"cannot read {name}: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(f"{name} is {kind(info.st_mode)}, not a regular file; only files can be attached")
        _check_size(name, info.st_size, limit)
        folder.mkdir(parents=True, exist_ok=True)
        return write_unique(folder, stem, source.name, lambda write: _pump(handle, write, name, limit))


def write_unique(folder: Path, stem: str, original: str, fill: Callable[[Callable[[bytes], object]], object]) -> Copied:
    """Write a new file in ``folder`` through ``fill`` (which calls ``write(chunk)``), then name it uniquely.

    The data goes to ``.<stem>.<random>.part`` first; a failure or Ctrl-C removes it, so a name
    without ``.part`` is always a whole file.
    """
    folder.mkdir(parents=True, exist_ok=True)
    slug = slugify(stem)
    part = folder / f".{slug}.{os.getpid()}.{secrets.token_hex(4)}.part"
    digest = hashlib.sha256()
    size = 0
    head = b""
    try:
        with open(part, "xb") as out:

            def write(chunk: bytes) -> None:
                nonlocal size, head
                if len(head) < 1024:
                    head += chunk[: 1024 - len(head)]
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)

            fill(write)
            out.flush()
            os.fsync(out.fileno())
        target = _link_unique(part, folder, slug, extension(original, head))
    finally:
        with contextlib.suppress(OSError):
            os.unlink(part)
    fsync_directory(folder)
    return Copied(target, size, digest.hexdigest(), head)


def _pump(handle: object, write: Callable[[bytes], object], name: str, limit: int) -> None:
    read = handle.read  # type: ignore[attr-defined]
    size = 0
    while chunk := read(1 << 20):
        size += len(chunk)
        _check_size(name, size, limit)
        write(chunk)


def _check_size(name: str, size: int, limit: int) -> None:
    if size > limit:
        raise NotRegularFile(
            f"{name} is larger than {limit / 1_000_000:g} MB, readlist's limit for an attached file "
            "(raise max_pdf_mb, READLIST_MAX_PDF_MB)"
        )


def unique_names(slug: str, ext: str) -> list[str]:
    return [f"{slug}{ext}", *(f"{slug}-{n}{ext}" for n in range(2, 1000))]


def _link_unique(part: Path, folder: Path, slug: str, ext: str) -> Path:
    """Give ``part`` the first free name: a hard link never replaces a file another process just made."""
    for candidate in unique_names(slug, ext):
        target = folder / candidate
        try:
            os.link(part, target)
            return target
        except FileExistsError:
            continue
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
                raise
            # A file system without hard links: claim the name, then move the whole file onto it.
            try:
                os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            except FileExistsError:
                continue
            os.replace(part, target)
            return target
    raise FileExistsError(errno.EEXIST, f"no free name for {slug}{ext} in {folder}")


def inside(folder: Path, path: Path) -> bool:
    """Whether ``path`` (resolved) lies inside ``folder``: a planted ``../`` path never reaches outside."""
    try:
        Path(os.path.realpath(path)).relative_to(os.path.realpath(folder))
    except ValueError:
        return False
    return True


def move_unique(source: Path, folder: Path, name: str) -> Path:
    """Move ``source`` into ``folder`` under ``name``, or ``name-2``... if it is taken; returns the new path."""
    folder.mkdir(parents=True, exist_ok=True)
    stem, ext = os.path.splitext(name)
    for candidate in unique_names(stem, ext):
        target = folder / candidate
        try:
            os.link(source, target)
        except FileExistsError:
            continue
        except OSError:
            if target.exists():
                continue
            shutil.move(os.fspath(source), target)
            return target
        os.unlink(source)
        return target
    raise FileExistsError(errno.EEXIST, f"no free name for {name} in {folder}")


def empty_trash(settings: Settings) -> tuple[int, int]:
    """Delete every file in ``files/.trash/``; returns how many and their bytes."""
    trash = trash_folder(settings)
    count = size = 0
    with contextlib.suppress(FileNotFoundError):
        for entry in os.scandir(trash):
            if entry.is_file(follow_symlinks=False) or entry.is_symlink():
                size += entry.stat(follow_symlinks=False).st_size
                os.unlink(entry.path)
                count += 1
    return count, size
