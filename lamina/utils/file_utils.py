"""`get_file`: a download cache in the form of Keras's `keras.utils.get_file`.

Files live in `$LAMINA_HOME/<cache_subdir>` (default `~/.lamina/datasets`).
A file that is not there is looked up next in Keras's own cache,
`$KERAS_HOME/<cache_subdir>` (default `~/.keras/datasets`), so data that
Keras downloaded once is used as it is. A missing file is downloaded from
its origin into a temporary file next to its final place, checked against
the expected hash, and only then renamed into place: an interrupted or
corrupted download never leaves a file that looks complete.

This module imports only the standard library, and that lazily (hashing,
network and archive modules), so `import lamina` does not pay for them.
"""

import os

_CHUNK = 1 << 16


class DownloadError(OSError):
    """A file could not be downloaded (no network, or the server refused).

    The message names the file, the URL and where the file can be placed by
    hand instead.
    """


def keras_home():
    """Keras's cache folder: `$KERAS_HOME`, or `~/.keras`."""
    return os.path.expanduser(os.environ.get("KERAS_HOME") or "~/.keras")


def lamina_home():
    """lamina's folder: `$LAMINA_HOME`, or `~/.lamina` (see lamina.config)."""
    from lamina import config
    return config.home()


def _resolve_algorithm(algorithm, file_hash):
    if algorithm not in ("auto", "sha256", "md5"):
        raise ValueError(f"`hash_algorithm` must be 'auto', 'sha256' or "
                         f"'md5'; got {algorithm!r}.")
    if algorithm == "auto":
        # Keras's rule: a 64-character hash is SHA-256, anything else MD5.
        return "sha256" if file_hash is not None and len(
            file_hash) == 64 else "md5"
    return algorithm


def hash_file(fpath, algorithm="sha256", chunk_size=_CHUNK):
    """The hex digest of a file.

    Args:
        fpath: path of the file.
        algorithm: `"sha256"`, `"md5"`, or `"auto"` (SHA-256).
        chunk_size: bytes read at a time.

    Returns:
        The digest as a lowercase hex string.
    """
    import hashlib
    algorithm = "sha256" if algorithm == "auto" else algorithm
    hasher = hashlib.new(algorithm)
    with open(fpath, "rb") as f:
        for chunk in iter(lambda: f.read(chunk_size), b""):
            hasher.update(chunk)
    return hasher.hexdigest()


def validate_file(fpath, file_hash, algorithm="auto", chunk_size=_CHUNK):
    """Whether a file's hash is `file_hash` (SHA-256 or MD5, see `auto`)."""
    algorithm = _resolve_algorithm(algorithm, file_hash)
    return hash_file(fpath, algorithm, chunk_size) == str(file_hash).lower()


def _safe_members(archive, target):
    """The archive's members that stay inside `target` (no links)."""
    import tarfile
    base = os.path.realpath(target)
    if isinstance(archive, tarfile.TarFile):
        members = [m for m in archive.getmembers()
                   if m.isfile() or m.isdir()]
        names = [m.name for m in members]
    else:
        members = archive.infolist()
        names = [m.filename for m in members]
    for name in names:
        dest = os.path.realpath(os.path.join(base, name))
        if os.path.commonpath([dest, base]) != base:
            raise ValueError(f"refusing to extract archive member {name!r}: "
                             f"it points outside {target!r}.")
    return members


def extract_archive(file_path, path=".", archive_format="auto"):
    """Extracts a tar (`.tar`, `.tar.gz`, `.tar.bz2`) or zip archive.

    Members that would land outside `path` are refused and links are
    skipped.

    Args:
        file_path: the archive.
        path: the folder to extract into (created if needed).
        archive_format: `"auto"` (tar, then zip), `"tar"`, `"zip"`, a list
            of these, or None (extract nothing).

    Returns:
        True if the file was an archive of an allowed format and was
        extracted, False otherwise.
    """
    import tarfile
    import zipfile
    if archive_format is None:
        return False
    if archive_format == "auto":
        archive_format = ["tar", "zip"]
    if isinstance(archive_format, str):
        archive_format = [archive_format]
    for kind in archive_format:
        if kind == "tar" and tarfile.is_tarfile(file_path):
            with tarfile.open(file_path) as archive:
                members = _safe_members(archive, path)
                os.makedirs(path, exist_ok=True)
                kwargs = {"filter": "data"} if hasattr(
                    tarfile, "data_filter") else {}
                archive.extractall(path, members=members, **kwargs)
            return True
        if kind == "zip" and zipfile.is_zipfile(file_path):
            with zipfile.ZipFile(file_path) as archive:
                members = _safe_members(archive, path)
                os.makedirs(path, exist_ok=True)
                archive.extractall(path, members=members)
            return True
        if kind not in ("tar", "zip"):
            raise ValueError(f"`archive_format` entries must be 'tar' or "
                             f"'zip'; got {kind!r}.")
    return False


def download(origin, target, file_hash=None, hash_algorithm="auto",
             where=None, verbose=True):
    """Downloads `origin` to `target`, all or nothing.

    The bytes go to a temporary file in `target`'s folder, which is checked
    against `file_hash` and then renamed to `target` (atomic on one file
    system); on any failure the temporary file is removed.

    Args:
        origin: the URL (`https://`, `http://`, `file://`, ...).
        target: the final path of the file.
        file_hash: the expected SHA-256 or MD5 hex digest, or None.
        hash_algorithm: `"auto"`, `"sha256"` or `"md5"`.
        where: text for the offline error saying where the file may be
            placed by hand (default: `target`).
        verbose: print the URL and a progress bar.

    Returns:
        `target`.

    Raises:
        DownloadError: the URL could not be read (offline, HTTP error).
        ValueError: the downloaded file does not have the expected hash.
    """
    import hashlib
    import tempfile
    import urllib.error
    import urllib.request
    algorithm = _resolve_algorithm(hash_algorithm, file_hash)
    folder = os.path.dirname(os.path.abspath(target))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=os.path.basename(target) + ".",
                               suffix=".part", dir=folder)
    try:
        hasher = hashlib.new(algorithm)
        try:
            with os.fdopen(fd, "wb") as out, \
                    urllib.request.urlopen(origin, timeout=60) as response:
                _copy(response, out, hasher, origin, verbose)
        except (urllib.error.URLError, OSError) as e:
            reason = getattr(e, "reason", None) or e
            raise DownloadError(
                f"could not download {os.path.basename(target)!r} from "
                f"{origin} ({reason}). Without network access, get the "
                f"file elsewhere and place it at "
                f"{where or os.path.abspath(target)}.") from e
        if file_hash is not None and hasher.hexdigest() != str(
                file_hash).lower():
            raise ValueError(
                f"the file downloaded from {origin} is incomplete or "
                f"corrupted: its {algorithm} hash is {hasher.hexdigest()}, "
                f"expected {file_hash}. Nothing was saved; try again.")
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return target


def _copy(response, out, hasher, origin, verbose):
    total = response.headers.get("Content-Length") if getattr(
        response, "headers", None) is not None else None
    bar = None
    if verbose:
        print(f"Downloading data from {origin}")
        from lamina.utils.progbar import Progbar
        bar = Progbar(int(total) if total else None)
    done = 0
    for chunk in iter(lambda: response.read(_CHUNK), b""):
        out.write(chunk)
        hasher.update(chunk)
        done += len(chunk)
        if bar is not None:
            bar.update(done)
    if bar is not None:
        bar.finish()


def _targets(datadir, fname, provided, untar, extract):
    """(file to download, folder to return or None) inside `datadir`."""
    if untar:
        # Keras 1/2: `<fname>.tar.gz`, extracted into the cache folder,
        # returning `<cache>/<fname>` (the archive's top folder).
        return os.path.join(datadir, fname + ".tar.gz"), os.path.join(
            datadir, fname)
    if extract:
        # Keras 3: the archive is extracted into a folder of its own.
        if provided and "." in fname:
            stem = fname[:fname.find(".")]
            return os.path.join(datadir, fname), os.path.join(
                datadir, stem + "_extracted")
        return os.path.join(datadir, fname + "_archive"), os.path.join(
            datadir, fname)
    return os.path.join(datadir, fname), None


def _writable_dir(base, cache_subdir):
    datadir = os.path.join(os.path.expanduser(base), cache_subdir)
    try:
        os.makedirs(datadir, exist_ok=True)
        if os.access(datadir, os.W_OK):
            return datadir
    except OSError:
        pass
    import tempfile
    # Keras falls back to a temporary folder when its cache is read-only.
    datadir = os.path.join(tempfile.gettempdir(), ".lamina", cache_subdir)
    os.makedirs(datadir, exist_ok=True)
    return datadir


def get_file(fname=None, origin=None, untar=False, md5_hash=None,
             file_hash=None, cache_subdir="datasets", hash_algorithm="auto",
             extract=False, archive_format="auto", cache_dir=None,
             force_download=False):
    """Downloads a file from a URL unless it is already cached.

    With `cache_dir=None` the file is looked up in
    `$LAMINA_HOME/<cache_subdir>` and then in Keras's cache
    `$KERAS_HOME/<cache_subdir>` (`~/.keras/datasets` by default); if it is
    in neither, or its hash does not match `file_hash`, it is downloaded
    into `$LAMINA_HOME/<cache_subdir>`. With a `cache_dir` only
    `<cache_dir>/<cache_subdir>` is used.

    Args:
        fname: the file's local name; None takes the last part of
            `origin`'s path. A path (Keras 2 allowed one) is taken
            relative to the cache folder, or as is when absolute.
        origin: the URL of the file.
        untar: Keras 1/2's flag: the file is a `.tar.gz`, saved as
            `<fname>.tar.gz`, extracted into the cache folder, and
            `<cache>/<fname>` is returned.
        md5_hash: Keras 1/2's name for an MD5 `file_hash`.
        file_hash: the expected SHA-256 or MD5 hex digest of the file.
        cache_subdir: the folder under the cache root; an absolute path is
            used as is.
        hash_algorithm: `"auto"` (SHA-256 for a 64-character hash, else
            MD5), `"sha256"` or `"md5"`.
        extract: extract the archive (tar or zip) into a folder of its own:
            `<cache>/<fname>` when `fname` has no `.` (the archive is kept
            as `<fname>_archive`), else `<cache>/<stem>_extracted`.
        archive_format: `"auto"`, `"tar"`, `"zip"`, a list, or None.
        cache_dir: the cache root; None means `$LAMINA_HOME` (then Keras's
            cache for lookups).
        force_download: download even if the file is cached.

    Returns:
        The path of the file, or of the extracted folder with `untar` or
        `extract`.

    Raises:
        DownloadError: (an `OSError`) the file is not cached and cannot be
            downloaded; the message says where to place it by hand.
        ValueError: bad arguments, or a download with the wrong hash.

    Example:

    >>> import os, tempfile
    >>> src = os.path.join(tempfile.mkdtemp(), "hello.txt")
    >>> with open(src, "w") as f:
    ...     _ = f.write("hi")
    >>> path = get_file(origin="file://" + src,
    ...                 cache_dir=tempfile.mkdtemp())  # doctest: +ELLIPSIS
    Downloading data from file://...
    >>> open(path).read()
    'hi'
    """
    if origin is None:
        raise ValueError("get_file: `origin` (the URL of the file) is "
                         "required; got None.")
    if md5_hash is not None and file_hash is None:
        from lamina.legacy.arguments import warn_once
        warn_once(("get_file", "md5_hash"),
                  f"get_file(md5_hash=...) is the Keras 1/2 spelling; write "
                  f"get_file(file_hash={md5_hash!r}).")
        file_hash, hash_algorithm = md5_hash, "md5"
    if untar:
        from lamina.legacy.arguments import warn_once
        warn_once(("get_file", "untar"),
                  "get_file(untar=True) is deprecated in Keras; lamina keeps "
                  "its Keras 1/2 meaning. In Keras 3 style write "
                  "get_file(..., extract=True) and read the archive's "
                  "content inside the returned folder.")
    algorithm = _resolve_algorithm(hash_algorithm, file_hash)
    provided = bool(fname)
    fname = os.fspath(fname) if fname else None
    if not fname:
        import urllib.parse
        fname = os.path.basename(urllib.parse.urlsplit(origin).path)
        if not fname:
            raise ValueError(f"get_file: cannot take a file name from "
                             f"origin={origin!r}; pass `fname`.")
    if cache_dir is None:
        roots = [lamina_home(), keras_home()]
    else:
        roots = [os.fspath(cache_dir)]
    write_dir = _writable_dir(roots[0], cache_subdir)
    search = [write_dir] + [os.path.join(os.path.expanduser(r), cache_subdir)
                            for r in roots[1:]]
    if not force_download:
        for datadir in search:
            found = _lookup(datadir, fname, provided, untar, extract,
                            file_hash, algorithm, archive_format, write_dir)
            if found:
                return found
    target, folder = _targets(write_dir, fname, provided, untar, extract)
    download(origin, target, file_hash, algorithm,
             where=" or ".join(_targets(d, fname, provided, untar, extract)[0]
                               for d in search))
    if folder is not None:
        _extract_to(target, folder, untar, archive_format)
        return folder
    return target


def _lookup(datadir, fname, provided, untar, extract, file_hash, algorithm,
            archive_format, write_dir):
    """The cached result in `datadir`, or None when it must be fetched."""
    target, folder = _targets(datadir, fname, provided, untar, extract)
    if folder is not None and os.path.isdir(folder):
        return folder  # extracted before
    if not os.path.isfile(target):
        return None
    if file_hash is not None and not validate_file(target, file_hash,
                                                   algorithm):
        print(f"A local file was found at {target}, but its {algorithm} "
              f"hash does not match {file_hash}: downloading it again.")
        return None
    if folder is None:
        return target
    if datadir != write_dir:  # extract into lamina's cache, not Keras's
        folder = _targets(write_dir, fname, provided, untar, extract)[1]
    _extract_to(target, folder, untar, archive_format)
    return folder


def _extract_to(archive, folder, untar, archive_format):
    if untar:
        extract_archive(archive, os.path.dirname(folder), "tar")
        return
    if not extract_archive(archive, folder, archive_format):
        import warnings
        warnings.warn(f"get_file: {archive} is not a {archive_format} "
                      f"archive; nothing was extracted.", stacklevel=3)
