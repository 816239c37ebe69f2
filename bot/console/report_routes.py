"""The reports (supervisors and admins): the period's figures, charts' data and tables as CSV,
and QA sampling with the rubric's scores."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel, Field

from bot.console.access import CurrentAgent, signed_in
from bot.desk.transcripts import Transcripts
from bot.reports.qa import QaSampling
from bot.reports.service import Reports

STATIC = Path(__file__).with_name("static")


class SampleIn(BaseModel):
    start: str = Field(default="", max_length=10)
    end: str = Field(default="", max_length=10)
    size: int = Field(default=10, ge=1, le=50)
    channel: str = Field(default="", max_length=10)
    language: str = Field(default="", max_length=5)


class ReviewIn(BaseModel):
    listen: int = Field(ge=0, le=2)
    empathize: int = Field(ge=0, le=2)
    resolve: int = Field(ge=0, le=2)
    action: int = Field(ge=0, le=2)
    correct_answer: int = Field(ge=0, le=2)
    tone: int = Field(ge=0, le=2)
    resolution: int = Field(ge=0, le=2)
    note: str = Field(default="", max_length=2000)


def report_router(reports: Reports, qa: QaSampling, transcripts: Transcripts) -> APIRouter:
    api = APIRouter(tags=["reports"], dependencies=[Depends(signed_in)])

    @api.get("/console/reports", include_in_schema=False)
    async def page() -> FileResponse:
        return FileResponse(STATIC / "reports.html")

    @api.get("/api/console/reports/summary")
    async def summary(
        agent: CurrentAgent,
        start: str = Query("", max_length=10),
        end: str = Query("", max_length=10),
        channel: str = Query("", max_length=10),
        language: str = Query("", max_length=5),
    ) -> dict[str, Any]:
        """Every figure of the period (shop-local days, the end included); see the README."""
        return await reports.summary(reports.period(start, end, channel, language))

    @api.get("/api/console/reports/{table}.csv")
    async def table(
        table: str,
        agent: CurrentAgent,
        start: str = Query("", max_length=10),
        end: str = Query("", max_length=10),
        channel: str = Query("", max_length=10),
        language: str = Query("", max_length=5),
    ) -> Response:
        period = reports.period(start, end, channel, language)
        text = await reports.table(table, period)
        name = f"lera-{table}-{period.start}-{period.end}.csv"
        return Response(
            "\ufeff" + text,  # a BOM, so spreadsheets read the Chinese right
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    @api.post("/api/console/reports/qa/sample")
    async def sample(body: SampleIn, agent: CurrentAgent) -> dict[str, Any]:
        period = reports.period(body.start, body.end, body.channel, body.language)
        return {"items": await qa.sample(period, body.size)}

    @api.get("/api/console/reports/qa/conversations/{conversation_id}")
    async def transcript(conversation_id: int, agent: CurrentAgent) -> dict[str, Any]:
        found = await transcripts.conversation(conversation_id)
        return {**found, "reviews": await qa.reviews(conversation_id)}

    @api.post("/api/console/reports/qa/conversations/{conversation_id}/reviews")
    async def review(conversation_id: int, body: ReviewIn, agent: CurrentAgent) -> dict[str, Any]:
        scores = body.model_dump(exclude={"note"})
        return await qa.review(conversation_id, agent, scores, body.note)

    return api
