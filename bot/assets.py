"""The browser's ES modules: the agent console's (`/console/<folder>/<file>`) and the ones the
chat widget and the staff pages share (`/static/<folder>/<file>`).

Native modules, no build step: each file is served as it is in the package. The shared ones
are fetched by the widget from shop pages on other origins, and a cross-origin module script
must come with CORS. Modules are revalidated on every load (ETag), so that after an upgrade a
browser never mixes old and new modules of one page.
"""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse

PACKAGE = Path(__file__).resolve().parent
CONSOLE = PACKAGE / "console" / "static"
PUBLIC = PACKAGE / "static"
MEDIA = {"js": "text/javascript", "css": "text/css", "svg": "image/svg+xml"}
SEGMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


def _file(root: Path, folder: str, name: str, ext: str) -> Path:
    """root/folder/name.ext, if it is a file there (no other folder, no hidden file)."""
    path = root / folder / f"{name}.{ext}"
    if (
        ext not in MEDIA
        or not SEGMENT.fullmatch(folder)
        or not SEGMENT.fullmatch(name)
        or ".." in f"{folder}/{name}"
        or path.parent.parent != root
        or not path.is_file()
    ):
        raise HTTPException(status_code=404)
    return path


def assets_router() -> APIRouter:
    api = APIRouter(include_in_schema=False)

    @api.get("/console/{folder}/{name}.{ext}")
    async def console_module(folder: str, name: str, ext: str) -> FileResponse:
        path = _file(CONSOLE, folder, name, ext)
        return FileResponse(path, media_type=MEDIA[ext], headers={"Cache-Control": "no-cache"})

    @api.get("/static/{folder}/{name}.{ext}")
    async def public_module(folder: str, name: str, ext: str) -> FileResponse:
        path = _file(PUBLIC, folder, name, ext)
        headers = {"Cache-Control": "no-cache", "Access-Control-Allow-Origin": "*"}
        return FileResponse(path, media_type=MEDIA[ext], headers=headers)

    return api
