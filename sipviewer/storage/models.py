"""SQLAlchemy 2.0 models of the archive (SQLite here; nothing SQLite-only, so PostgreSQL works).

Schema changes go through Alembic migrations in ``sipviewer.db`` (the repository's ``db/``).
Every table has an integer primary key; children cascade with their volume.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Meta(Base):
    """Key/value facts about the archive, e.g. ``generation``: bumped by every write."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Department(Base):
    __tablename__ = "departments"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    # department | supplier | photographer | newspaper
    kind: Mapped[str] = mapped_column(String(20), default="department")
    aliases: Mapped[list[DepartmentAlias]] = relationship(
        back_populates="department", cascade="all, delete-orphan")


class DepartmentAlias(Base):
    __tablename__ = "department_aliases"
    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id", ondelete="CASCADE"))
    alias: Mapped[str] = mapped_column(String(200), unique=True)
    department: Mapped[Department] = relationship(back_populates="aliases")


class Volume(Base):
    __tablename__ = "volumes"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    edition_year: Mapped[int | None] = mapped_column(Integer)
    covered_year: Mapped[int | None] = mapped_column(Integer)
    source_name: Mapped[str] = mapped_column(String(500))
    checksum: Mapped[str] = mapped_column(String(64), unique=True)
    encoding: Mapped[str] = mapped_column(String(20))
    char_count: Mapped[int] = mapped_column(Integer, default=0)
    imported_at: Mapped[datetime] = mapped_column(DateTime)
    sections: Mapped[list[Section]] = relationship(
        back_populates="volume", cascade="all, delete-orphan", order_by="Section.ord")


class Section(Base):
    __tablename__ = "sections"
    id: Mapped[int] = mapped_column(primary_key=True)
    volume_id: Mapped[int] = mapped_column(ForeignKey("volumes.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    ord: Mapped[int] = mapped_column(Integer)
    volume: Mapped[Volume] = relationship(back_populates="sections")
    articles: Mapped[list[Article]] = relationship(
        back_populates="section", cascade="all, delete-orphan", order_by="Article.ord")
    events: Mapped[list[Event]] = relationship(
        back_populates="section", cascade="all, delete-orphan", order_by="Event.ord")


class Article(Base):
    __tablename__ = "articles"
    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("sections.id", ondelete="CASCADE"), index=True)
    volume_id: Mapped[int] = mapped_column(ForeignKey("volumes.id", ondelete="CASCADE"), index=True)
    ord: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    attribution: Mapped[str | None] = mapped_column(String(200))
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("departments.id", ondelete="SET NULL"), index=True)
    source_note: Mapped[str | None] = mapped_column(Text)
    page_start: Mapped[int] = mapped_column(Integer)
    page_end: Mapped[int] = mapped_column(Integer)
    # the volume's covered year: what the article reports on
    date_start: Mapped[date | None] = mapped_column(Date)
    date_end: Mapped[date | None] = mapped_column(Date)
    section: Mapped[Section] = relationship(back_populates="articles")
    paragraphs: Mapped[list[Paragraph]] = relationship(
        cascade="all, delete-orphan", order_by="Paragraph.ord")
    photos: Mapped[list[Photo]] = relationship(
        back_populates="article", cascade="all, delete-orphan", order_by="Photo.ord")
    tables: Mapped[list[DataTable]] = relationship(
        back_populates="article", cascade="all, delete-orphan", order_by="DataTable.ord")


class Paragraph(Base):
    __tablename__ = "paragraphs"
    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    ord: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    __table_args__ = (Index("ix_paragraphs_article_ord", "article_id", "ord"),)


class Photo(Base):
    __tablename__ = "photos"
    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    volume_id: Mapped[int] = mapped_column(ForeignKey("volumes.id", ondelete="CASCADE"), index=True)
    ord: Mapped[int] = mapped_column(Integer)
    caption: Mapped[str] = mapped_column(Text)
    date_start: Mapped[date | None] = mapped_column(Date)
    date_end: Mapped[date | None] = mapped_column(Date)
    date_precision: Mapped[str] = mapped_column(String(10), default="none")
    credit: Mapped[str | None] = mapped_column(String(200))
    credit_kind: Mapped[str | None] = mapped_column(String(20))
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("departments.id", ondelete="SET NULL"), index=True)
    page: Mapped[int] = mapped_column(Integer)
    image_sha256: Mapped[str | None] = mapped_column(String(64))
    image_ext: Mapped[str | None] = mapped_column(String(10))
    notes: Mapped[str | None] = mapped_column(Text)
    # catalogue fields (Dublin Core title / IPTC location / rights; the original file name)
    title: Mapped[str | None] = mapped_column(Text)
    location: Mapped[str | None] = mapped_column(String(200))
    rights: Mapped[str | None] = mapped_column(Text)
    image_name: Mapped[str | None] = mapped_column(String(500))
    revision: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime)
    article: Mapped[Article] = relationship(back_populates="photos")
    tags: Mapped[list[PhotoTag]] = relationship(cascade="all, delete-orphan")
    changes: Mapped[list[PhotoChange]] = relationship(
        cascade="all, delete-orphan", order_by="PhotoChange.id")


class PhotoTag(Base):
    __tablename__ = "photo_tags"
    photo_id: Mapped[int] = mapped_column(
        ForeignKey("photos.id", ondelete="CASCADE"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(100), primary_key=True)


class ChangeSet(Base):
    """One cataloguing action (an edit of one or many photos, an attach, a revert): who did it
    and when. Its field changes are `PhotoChange` rows; a revert names the set it undid."""

    __tablename__ = "change_sets"
    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    user: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(20))  # edit | attach | revert
    summary: Mapped[str] = mapped_column(Text, default="")
    reverts_id: Mapped[int | None] = mapped_column(
        ForeignKey("change_sets.id", ondelete="SET NULL"))


class PhotoChange(Base):
    """The cataloguing history: one row per changed field, never deleted with an edit.

    Values are text: dates as ISO 8601 (``2020``, ``2020-02``, ``2020-01-08``, or an interval
    ``2020-01-08/2020-01-19``, so the text carries the precision), tags as a JSON list."""

    __tablename__ = "photo_changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    photo_id: Mapped[int] = mapped_column(ForeignKey("photos.id", ondelete="CASCADE"), index=True)
    change_set_id: Mapped[int | None] = mapped_column(
        ForeignKey("change_sets.id", ondelete="CASCADE"), index=True)
    changed_at: Mapped[datetime] = mapped_column(DateTime)
    field: Mapped[str] = mapped_column(String(40))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)


class DataTable(Base):
    """A printed table (表N). Named DataTable because `Table` is SQLAlchemy's own."""

    __tablename__ = "data_tables"
    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    volume_id: Mapped[int] = mapped_column(ForeignKey("volumes.id", ondelete="CASCADE"), index=True)
    ord: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    columns_json: Mapped[str] = mapped_column(Text)
    n_rows: Mapped[int] = mapped_column(Integer)
    attribution: Mapped[str | None] = mapped_column(String(200))
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("departments.id", ondelete="SET NULL"), index=True)
    page: Mapped[int] = mapped_column(Integer)
    date_start: Mapped[date | None] = mapped_column(Date)
    date_end: Mapped[date | None] = mapped_column(Date)
    article: Mapped[Article] = relationship(back_populates="tables")
    cells: Mapped[list[TableCell]] = relationship(
        cascade="all, delete-orphan", order_by="(TableCell.row, TableCell.col)")


class TableCell(Base):
    __tablename__ = "table_cells"
    id: Mapped[int] = mapped_column(primary_key=True)
    table_id: Mapped[int] = mapped_column(ForeignKey("data_tables.id", ondelete="CASCADE"))
    row: Mapped[int] = mapped_column(Integer)
    col: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    number: Mapped[float | None] = mapped_column(Float)  # the printed value, e.g. 72.40 for 72.40%
    number_max: Mapped[float | None] = mapped_column(Float)  # upper end of a range (30—32)
    unit: Mapped[str | None] = mapped_column(String(20))  # %, or what follows the number
    __table_args__ = (UniqueConstraint("table_id", "row", "col"),)


class Event(Base):
    """A 大事记 (chronology) entry: a day or a range of days, its text, its page."""

    __tablename__ = "events"
    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("sections.id", ondelete="CASCADE"), index=True)
    volume_id: Mapped[int] = mapped_column(ForeignKey("volumes.id", ondelete="CASCADE"), index=True)
    ord: Mapped[int] = mapped_column(Integer)
    date_start: Mapped[date | None] = mapped_column(Date, index=True)  # None: year unknown
    date_end: Mapped[date | None] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    page: Mapped[int] = mapped_column(Integer)
    section: Mapped[Section] = relationship(back_populates="events")
    departments: Mapped[list[EventDepartment]] = relationship(cascade="all, delete-orphan")


class EventDepartment(Base):
    """A department an event names (any of its names or aliases found in the text)."""

    __tablename__ = "event_departments"
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    department_id: Mapped[int] = mapped_column(
        ForeignKey("departments.id", ondelete="CASCADE"), primary_key=True, index=True)
