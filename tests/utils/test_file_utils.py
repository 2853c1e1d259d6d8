import hashlib
import io
import os
import tarfile
import urllib.request
import warnings
import zipfile

import pytest

import lamina
from lamina.legacy import arguments
from lamina.testing import dataset_fixtures
from lamina.utils import file_utils
from lamina.utils.file_utils import DownloadError, get_file

_REAL_URLOPEN = urllib.request.urlopen


@pytest.fixture
def homes(tmp_path, monkeypatch):
    """(lamina datasets dir, keras datasets dir, a folder of sources)."""
    lamina_dir, keras_dir = dataset_fixtures.isolate(monkeypatch, tmp_path)
    sources = tmp_path / "sources"
    sources.mkdir()
    return lamina_dir, keras_dir, sources


def _serve(monkeypatch, payloads):
    """urlopen answers `payloads[url]` (bytes); records the URLs asked."""
    asked = []

    def urlopen(url, *args, **kwargs):
        asked.append(url)
        response = io.BytesIO(payloads[url])
        response.headers = {"Content-Length": str(len(payloads[url]))}
        return response

    monkeypatch.setattr(urllib.request, "urlopen", urlopen)
    return asked


def _read(path, mode="r"):
    with open(path, mode) as f:
        return f.read()


def _leftovers(folder):
    return [n for n in os.listdir(folder) if n.endswith(".part")] if \
        os.path.isdir(folder) else []


def test_exported_from_lamina_utils():
    assert lamina.utils.get_file is get_file


def test_downloads_into_lamina_home_with_sha256_check(homes, monkeypatch):
    lamina_dir, _, _ = homes
    data = b"some bytes\n" * 100
    asked = _serve(monkeypatch, {"https://host/a/data.bin": data})
    path = get_file("data.bin", "https://host/a/data.bin",
                    file_hash=hashlib.sha256(data).hexdigest())
    assert path == os.path.join(lamina_dir, "data.bin")
    assert _read(path, "rb") == data
    assert asked == ["https://host/a/data.bin"]
    # Cached now: a second call does not ask the network.
    assert get_file("data.bin", "https://host/a/data.bin") == path
    assert len(asked) == 1


def test_real_file_url_and_name_from_origin(homes, monkeypatch):
    lamina_dir, _, sources = homes
    (sources / "hello.txt").write_text("hi")
    # A local file:// URL through the real urlopen: no network involved.
    monkeypatch.setattr(urllib.request, "urlopen", _REAL_URLOPEN)
    path = get_file(origin=(sources / "hello.txt").as_uri(),
                    file_hash=hashlib.md5(b"hi").hexdigest())
    assert path == os.path.join(lamina_dir, "hello.txt")
    assert _read(path) == "hi"


def test_keras_cache_is_searched_after_lamina_home(homes):
    lamina_dir, keras_dir, _ = homes
    os.makedirs(keras_dir)
    with open(os.path.join(keras_dir, "k.txt"), "w") as f:
        f.write("keras")
    # Network is off: the file comes from Keras's cache.
    assert get_file("k.txt", "https://host/k.txt") == os.path.join(
        keras_dir, "k.txt")
    os.makedirs(lamina_dir, exist_ok=True)
    with open(os.path.join(lamina_dir, "k.txt"), "w") as f:
        f.write("lamina")
    assert get_file("k.txt", "https://host/k.txt") == os.path.join(
        lamina_dir, "k.txt")


def test_offline_error_names_file_url_and_places(homes):
    lamina_dir, keras_dir, _ = homes
    with pytest.raises(DownloadError) as info:
        get_file("x.npz", "https://host/x.npz")
    assert isinstance(info.value, OSError)
    message = str(info.value)
    assert "'x.npz'" in message and "https://host/x.npz" in message
    assert os.path.join(lamina_dir, "x.npz") in message
    assert os.path.join(keras_dir, "x.npz") in message
    assert not os.path.exists(os.path.join(lamina_dir, "x.npz"))
    assert _leftovers(lamina_dir) == []


def test_hash_mismatch_leaves_no_file(homes, monkeypatch):
    lamina_dir, _, _ = homes
    _serve(monkeypatch, {"https://host/y.bin": b"tampered"})
    with pytest.raises(ValueError, match="hash"):
        get_file("y.bin", "https://host/y.bin",
                 file_hash=hashlib.sha256(b"original").hexdigest())
    assert not os.path.exists(os.path.join(lamina_dir, "y.bin"))
    assert _leftovers(lamina_dir) == []


def test_interrupted_download_leaves_no_file(homes, monkeypatch):
    lamina_dir, _, _ = homes

    class Broken:
        def __init__(self):
            self.calls = 0
            self.headers = {}

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def read(self, n):
            self.calls += 1
            if self.calls > 2:
                raise ConnectionResetError("connection reset")
            return b"x" * n

    monkeypatch.setattr(urllib.request, "urlopen", lambda *a, **k: Broken())
    with pytest.raises(DownloadError, match="connection reset"):
        get_file("z.bin", "https://host/z.bin")
    assert os.listdir(lamina_dir) == []


def test_cached_file_with_wrong_hash_is_downloaded_again(homes, monkeypatch):
    lamina_dir, _, _ = homes
    os.makedirs(lamina_dir, exist_ok=True)
    with open(os.path.join(lamina_dir, "w.bin"), "wb") as f:
        f.write(b"stale")
    asked = _serve(monkeypatch, {"https://host/w.bin": b"fresh"})
    path = get_file("w.bin", "https://host/w.bin",
                    file_hash=hashlib.sha256(b"fresh").hexdigest())
    assert _read(path, "rb") == b"fresh" and len(asked) == 1
    # force_download fetches even a valid cached file.
    get_file("w.bin", "https://host/w.bin", force_download=True)
    assert len(asked) == 2


def test_md5_hash_is_the_keras_1_spelling(homes, monkeypatch):
    _serve(monkeypatch, {"https://host/m.bin": b"m"})
    arguments._warned.discard(("get_file", "md5_hash"))
    digest = hashlib.md5(b"m").hexdigest()
    with pytest.warns(DeprecationWarning, match=f"file_hash='{digest}'"):
        get_file("m.bin", "https://host/m.bin", md5_hash=digest)
    _serve(monkeypatch, {"https://host/n.bin": b"n"})
    with pytest.raises(ValueError, match="md5"):
        get_file("n.bin", "https://host/n.bin", md5_hash=digest)


def test_cache_dir_and_absolute_cache_subdir(homes, monkeypatch, tmp_path):
    lamina_dir, _, _ = homes
    _serve(monkeypatch, {"https://host/c.txt": b"c"})
    path = get_file("c.txt", "https://host/c.txt",
                    cache_dir=str(tmp_path / "mine"), cache_subdir="sub")
    assert path == str(tmp_path / "mine" / "sub" / "c.txt")
    path = get_file("c.txt", "https://host/c.txt",
                    cache_subdir=str(tmp_path / "abs"))
    assert path == str(tmp_path / "abs" / "c.txt")
    assert not os.path.exists(os.path.join(lamina_dir, "c.txt"))


def _tar_bytes(top, files, mode="w:gz"):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode=mode) as tar:
        for name, content in files.items():
            info = tarfile.TarInfo(f"{top}/{name}" if top else name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


def test_extract_keras_3_layout(homes, monkeypatch):
    lamina_dir, _, _ = homes
    archive = _tar_bytes("pkg", {"a.txt": b"A", "b/c.txt": b"C"})
    _serve(monkeypatch, {"https://host/pkg.tar.gz": archive})
    # A name with a dot: the archive keeps it, the folder is <stem>_extracted.
    path = get_file("pkg.tar.gz", "https://host/pkg.tar.gz", extract=True)
    assert path == os.path.join(lamina_dir, "pkg_extracted")
    assert _read(os.path.join(path, "pkg", "b", "c.txt")) == "C"
    assert os.path.isfile(os.path.join(lamina_dir, "pkg.tar.gz"))
    # A name without a dot: the folder has the name, the archive _archive.
    path = get_file("pkgdir", "https://host/pkg.tar.gz", extract=True)
    assert path == os.path.join(lamina_dir, "pkgdir")
    assert _read(os.path.join(path, "pkg", "a.txt")) == "A"
    assert os.path.isfile(os.path.join(lamina_dir, "pkgdir_archive"))


def test_extract_zip(homes, monkeypatch):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("z/one.txt", "1")
    _serve(monkeypatch, {"https://host/z.zip": buffer.getvalue()})
    path = get_file("z.zip", "https://host/z.zip", extract=True)
    assert _read(os.path.join(path, "z", "one.txt")) == "1"


def test_untar_keras_2_layout(homes, monkeypatch):
    lamina_dir, _, _ = homes
    archive = _tar_bytes("olddata", {"x.txt": b"X"})
    asked = _serve(monkeypatch, {"https://host/o.tar.gz": archive})
    arguments._warned.discard(("get_file", "untar"))
    with pytest.warns(DeprecationWarning, match="extract=True"):
        path = get_file("olddata", "https://host/o.tar.gz", untar=True)
    assert path == os.path.join(lamina_dir, "olddata")
    assert _read(os.path.join(path, "x.txt")) == "X"
    assert os.path.isfile(os.path.join(lamina_dir, "olddata.tar.gz"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert get_file("olddata", "https://host/o.tar.gz",
                        untar=True) == path
    assert len(asked) == 1


def test_extract_refuses_paths_outside_the_target(tmp_path):
    evil = tmp_path / "evil.tar"
    evil.write_bytes(_tar_bytes("", {"../outside.txt": b"!"}, mode="w"))
    with pytest.raises(ValueError, match="outside"):
        file_utils.extract_archive(str(evil), str(tmp_path / "out"))
    assert not (tmp_path / "outside.txt").exists()


def test_hash_helpers_match_hashlib(tmp_path):
    path = tmp_path / "f.bin"
    path.write_bytes(b"abc" * 1000)
    sha = hashlib.sha256(b"abc" * 1000).hexdigest()
    md5 = hashlib.md5(b"abc" * 1000).hexdigest()
    assert file_utils.hash_file(str(path)) == sha
    assert file_utils.hash_file(str(path), "md5") == md5
    assert file_utils.validate_file(str(path), sha)  # auto: 64 -> sha256
    assert file_utils.validate_file(str(path), md5)  # auto: else md5
    assert not file_utils.validate_file(str(path), md5, "sha256")


def test_bad_arguments():
    with pytest.raises(ValueError, match="origin"):
        get_file("a.txt")
    with pytest.raises(ValueError, match="hash_algorithm"):
        get_file("a.txt", "https://host/a.txt", hash_algorithm="sha1")
    with pytest.raises(ValueError, match="fname"):
        get_file(origin="https://host/")


def test_any_os_error_while_connecting_is_a_download_error(
        homes, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("no route to host")

    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    with pytest.raises(DownloadError, match="no route to host"):
        get_file("r.bin", "https://host/r.bin")
