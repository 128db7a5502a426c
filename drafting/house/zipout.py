"""The package of a document built on a house file: the house members in their order, then ours.

Members the house file brings unchanged (media, theme, headers without
fields…) are deflated once per house file and copied as bytes for every
document of a batch (``drafting.docx.fast.zipwrite``); only document.xml is
deflated each time.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

from drafting.docx.fast.zipwrite import deflate, zip_bytes
from drafting.house.package import HousePackage

MAX_CACHED_PARTS = 64  # distinct filled parts kept deflated per house file


def package_bytes(package: HousePackage, cache: dict[object, object], replaced: dict[str, bytes], added: dict[str, bytes]) -> bytes:
    """The package: the house members in their order (``cache`` keeps deflated ones between documents), then ``added``."""
    names = [*package.order, *added]
    moment = datetime(*package.infos[package.main].date_time)
    if not all(name.isascii() for name in names):  # zipwrite writes ASCII names only
        return _zip_slowly(package, replaced, added)
    members = []
    for name in package.order:
        data = replaced.get(name)
        if data is None:
            key: tuple[object, ...] = ("deflated", name)
        elif name != package.main:  # styles, rels, filled headers: mostly the same for every document of a batch
            key = ("deflated", name, hash(data))
        else:
            members.append(deflate(name, data))
            continue
        if key not in cache:
            if sum(1 for k in cache if isinstance(k, tuple) and len(k) == 3 and k[0] == "deflated") > MAX_CACHED_PARTS:
                members.append(deflate(name, data))  # type: ignore[arg-type]
                continue
            cache[key] = deflate(name, package.blobs[name] if data is None else data)
        members.append(cache[key])
    members += [deflate(name, data) for name, data in added.items()]
    return zip_bytes(members, moment)  # type: ignore[arg-type]


def _zip_slowly(package: HousePackage, replaced: dict[str, bytes], added: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in package.order:
            original = package.infos[name]
            info = zipfile.ZipInfo(name, original.date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = original.external_attr
            archive.writestr(info, replaced.get(name, package.blobs[name]))
        for name, data in added.items():
            archive.writestr(zipfile.ZipInfo(name, package.infos[package.main].date_time), data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
