"""charset.decode: HTTP header, BOM, <meta>, then detection; lying labels do not win."""

from __future__ import annotations

import codecs

import pytest

from proxy.content.charset import codec_name, decode

RUSSIAN = (
    "Министр финансов заявил в понедельник, что бюджет страны на следующий год будет "
    "сбалансирован, а расходы на образование и здравоохранение вырастут. "
)
JAPANESE = "東京都は月曜日、来年度の予算案を発表した。教育と医療への支出が増える見通しだ。"
CHINESE = "国家统计局周一公布的数据显示，今年前三季度国内生产总值同比增长，消费持续恢复。"
TRADITIONAL = "國家統計局週一公布的數據顯示，今年前三季國內生產總值較去年同期成長。"
CHINESE_BEYOND_GB2312 = "镕"  # in GBK/GB18030 but not in GB2312: browsers read "gb2312" as GB18030
KOREAN = "정부는 월요일 내년도 예산안을 발표했다. 교육과 의료에 대한 지출이 늘어날 전망이다."
FRENCH = "L’été à Paris : « café », naïveté, déjà vu — 10 € et c’est tout."


def html(text: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html><head>{head}<title>t</title></head><body><p>{text}</p></html>"


@pytest.mark.parametrize(
    ("text", "encoding", "content_type", "head"),
    [
        (RUSSIAN, "cp1251", "text/html; charset=windows-1251", ""),
        (RUSSIAN, "cp1251", None, '<meta charset="windows-1251">'),
        (RUSSIAN, "koi8_r", "text/html; charset=KOI8-R", ""),
        (
            RUSSIAN,
            "koi8_r",
            None,
            '<meta http-equiv=Content-Type content="text/html;charset=koi8-r">',
        ),
        (JAPANESE, "shift_jis", "text/html; charset=Shift_JIS", ""),
        (JAPANESE, "cp932", None, "<meta charset=shift_jis>"),
        (JAPANESE, "euc_jp", "text/html; charset=EUC-JP", ""),
        (CHINESE, "gb18030", "text/html; charset=GB18030", ""),
        (CHINESE + CHINESE_BEYOND_GB2312, "gbk", None, '<meta charset="gb2312">'),
        (TRADITIONAL, "big5", "text/html; charset=big5", ""),
        (KOREAN, "euc_kr", "text/html; charset=EUC-KR", ""),
        (FRENCH, "cp1252", "text/html; charset=iso-8859-1", ""),
        (FRENCH, "cp1252", None, '<meta charset="windows-1252">'),
        (FRENCH, "utf-8", "text/html; charset=utf-8", ""),
    ],
    ids=lambda v: v[:12] if isinstance(v, str) else repr(v),
)
def test_declared_encodings(text: str, encoding: str, content_type: str | None, head: str) -> None:
    page = html(text, head).encode(encoding)
    assert text in decode(page, content_type)


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (RUSSIAN * 3, "cp1251"),
        (RUSSIAN * 3, "koi8_r"),
        (JAPANESE * 3, "shift_jis"),
        (CHINESE * 3, "gb18030"),
        (KOREAN * 3, "euc_kr"),
        (FRENCH * 3, "utf-8"),
    ],
    ids=lambda v: v if len(v) < 12 else v[:8],
)
def test_undeclared_encodings_are_detected(text: str, encoding: str) -> None:
    assert text in decode(html(text).encode(encoding))


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ],
)
def test_byte_order_mark_wins_over_labels(bom: bytes, codec: str) -> None:
    page = bom + html(RUSSIAN, '<meta charset="windows-1251">').encode(codec)
    decoded = decode(page, "text/html; charset=iso-8859-1")
    assert RUSSIAN in decoded and not decoded.startswith("\ufeff")


def test_page_claiming_latin1_but_sending_utf8_reads_as_utf8() -> None:
    page = html(FRENCH + RUSSIAN, '<meta charset="iso-8859-1">').encode("utf-8")
    assert FRENCH + RUSSIAN in decode(page, "text/html; charset=ISO-8859-1")


def test_utf8_page_with_one_stray_byte_stays_utf8() -> None:
    quoted = "It’s the council’s “final offer” — or so they said. " * 2
    page = html("Plain English filler. " * 30 + "\n" + quoted, '<meta charset="utf-8">').encode(
        "utf-8"
    )
    broken = page.replace(b"\n", b"\n\xe9", 1)  # one byte a template left in latin-1
    text = decode(broken, "text/html; charset=utf-8")
    assert quoted in text and text.count("\ufffd") == 1


def test_page_claiming_utf8_but_sending_windows_1251_falls_back_to_meta() -> None:
    page = html(RUSSIAN, '<meta charset="windows-1251">').encode("cp1251")
    assert RUSSIAN in decode(page, "text/html; charset=utf-8")


def test_page_claiming_utf8_but_sending_koi8_without_meta_is_detected() -> None:
    page = html(RUSSIAN * 4).encode("koi8_r")
    assert RUSSIAN in decode(page, "text/html; charset=utf-8")


@pytest.mark.parametrize("label", ["x-unknown", "rot13", "base64", "zlib", 'utf-7"><script>', ""])
def test_unknown_or_non_text_labels_are_ignored(label: str) -> None:
    page = html(RUSSIAN * 3, f'<meta charset="{label}">').encode("cp1251")
    assert RUSSIAN in decode(page, f"text/html; charset={label}")


def test_meta_utf16_label_on_ascii_bytes_means_utf8() -> None:
    page = html(FRENCH, '<meta charset="utf-16">').encode("utf-8")
    assert FRENCH in decode(page)


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"\x00" * 100,
        bytes(range(256)) * 20,
        b"\xff\xfe\x00",
        b"<html>\x81\x8d\x8f\x90\x9d</html>",
        b"\xef\xbb\xbf",
        "<p>é</p>".encode()[:-5],
    ],
    ids=repr,
)
def test_garbage_always_gives_text(body: bytes) -> None:
    assert isinstance(decode(body, "text/html; charset=utf-8"), str)
    assert isinstance(decode(body), str)


@pytest.mark.parametrize(
    ("label", "name"),
    [
        ("ISO-8859-1", "cp1252"),
        ("latin1", "cp1252"),
        ("us-ascii", "cp1252"),
        ("GB2312", "gb18030"),
        ("GBK", "gb18030"),
        ("Shift_JIS", "cp932"),
        ("EUC-KR", "cp949"),
        ("UTF-8", "utf_8"),
        ("utf-16le", "utf-8"),
        ("nonsense", None),
        (None, None),
    ],
)
def test_labels_map_as_browsers_map_them(label: str | None, name: str | None) -> None:
    assert codec_name(label) == name
