import codecs
import random

from checker.crawl.decode import decode, meta_charset

# Names with characters outside GB2312 (镕 珺 堃) are common in personnel notices; a page
# labelled gb2312 that contains them is really GBK.
GBK_PAGE = (
    '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
    "<title>人事信息</title></head><body><ul>"
    "<li><a href='/a.html'>关于王珺同志任职的通知</a>[03-08]</li>"
    "<li><a href='/b.html'>关于李镕、张堃同志试用期满考核合格的公示</a>[03-01]</li>"
    "</ul><p>版权所有：大同市平城区人民政府</p></body></html>"
)


def test_gbk_bytes_labelled_gb2312_decode_cleanly():
    body = GBK_PAGE.encode("gbk")
    d = decode(body, "text/html")
    assert d.text == GBK_PAGE
    assert "王珺" in d.text and "李镕" in d.text and "张堃" in d.text
    assert (d.encoding, d.source, d.problem) == ("gb18030", "meta", "")


def test_utf8_without_any_declaration_is_detected():
    html = "<html><body><p>政府信息公开指南：咨询电话 0591-23165385</p></body></html>"
    d = decode(html.encode("utf-8"), None)
    assert d.text == html
    assert (d.encoding, d.source, d.problem) == ("utf-8", "detected", "")


def test_ascii_without_declaration_is_default_utf8():
    d = decode(b"<html><body>Hello</body></html>", None)
    assert (d.text, d.encoding, d.source, d.problem) == ("<html><body>Hello</body></html>", "utf-8", "default", "")


def test_header_wins_when_it_fits():
    html = "<p>政务公开</p>"
    d = decode(html.encode("utf-8"), "text/html; charset=UTF-8")
    assert (d.text, d.encoding, d.source, d.problem) == (html, "utf-8", "header", "")


def test_header_utf8_but_body_gbk_falls_back_and_says_so():
    body = GBK_PAGE.encode("gbk")
    d = decode(body, "text/html; charset=utf-8")
    assert d.text == GBK_PAGE
    assert (d.encoding, d.source) == ("gb18030", "meta")
    assert d.problem == "header says utf-8 but body is not valid utf-8; decoded as gb18030 (meta)"


def test_header_utf8_body_gbk_without_meta_is_detected():
    html = "<html><body><p>平城区人民政府关于公布区级行政许可事项清单的通知，请各单位认真贯彻执行。</p></body></html>"
    d = decode(html.encode("gbk"), "text/html;charset=utf-8")
    assert d.text == html
    assert (d.encoding, d.source) == ("gb18030", "detected")
    assert "header says utf-8 but body is not valid utf-8" in d.problem


def test_server_default_latin1_header_does_not_garble_gbk():
    body = GBK_PAGE.encode("gbk")
    for ct in ("text/html; charset=ISO-8859-1", "text/html; charset=windows-1252", "text/html;charset=us-ascii"):
        d = decode(body, ct)
        assert d.text == GBK_PAGE, ct
        assert (d.encoding, d.source) == ("gb18030", "meta")
        assert "not ASCII" in d.problem


def test_latin1_header_is_fine_for_ascii_bodies():
    d = decode(b"<html><body>ok</body></html>", "text/html; charset=iso-8859-1")
    assert (d.text, d.source, d.problem) == ("<html><body>ok</body></html>", "header", "")


def test_byte_order_marks():
    html = "<p>政府信息公开</p>"
    d = decode(codecs.BOM_UTF8 + html.encode("utf-8"), "text/html; charset=gbk")
    assert (d.text, d.encoding, d.source) == (html, "utf-8", "bom")
    d = decode(codecs.BOM_UTF16_LE + html.encode("utf-16-le"), None)
    assert (d.text, d.encoding, d.source) == (html, "utf-16-le", "bom")


def test_combined_and_unquoted_meta_tags():
    assert meta_charset(b'<meta charset="utf-8" name="viewport" content="width=device-width, initial-scale=1.0" />') == "utf-8"
    assert meta_charset(b"<META HTTP-EQUIV=Content-Type CONTENT=text/html;charset=gbk>") == "gbk"
    assert meta_charset(b"<meta charset=GB2312>") == "GB2312"
    assert meta_charset(b'<meta name="viewport" content="width=device-width">') is None
    # Only the first 4 KB are read, as browsers do.
    assert meta_charset(b" " * 5000 + b"<meta charset=gbk>") is None

    html = '<html><head><meta charset="gb2312" name="viewport" content="width=device-width"></head><body>王珺</body></html>'
    d = decode(html.encode("gbk"), None)
    assert (d.text, d.encoding, d.source) == (html, "gb18030", "meta")


def test_truncated_body_keeps_its_declared_codec():
    # A size cap can cut the last character in half; that must not flip the whole page
    # to another codec.
    html = "<p>政府信息公开</p>" * 40 + "<p>公开"
    body = html.encode("utf-8")[:-1]
    d = decode(body, "text/html; charset=utf-8")
    assert d.encoding == "utf-8"
    assert d.text.startswith("<p>政府信息公开</p><p>政府信息公开</p>")
    assert d.text.endswith("<p>公\ufffd")
    assert "replaced" in d.problem


def test_unknown_declared_charset_is_reported_and_ignored():
    html = "<p>政务公开</p>"
    d = decode(html.encode("utf-8"), "text/html; charset=x-klingon")
    assert d.text == html
    assert "unknown" in d.problem


def test_garbage_bytes_never_raise():
    rng = random.Random(20240301)
    body = b"\xff\xff\x80" + bytes(rng.randrange(128, 256) for _ in range(3000)) + b"\xff"
    d = decode(body, "text/html; charset=utf-8")
    assert isinstance(d.text, str) and d.text
    assert d.source == "default"
    assert "replacement" in d.problem
    assert "\ufffd" in d.text
    assert d.undecodable  # the crawler must not judge this text


def test_a_decodable_page_is_not_flagged():
    assert not decode("<p>政务公开</p>".encode("gb18030"), "text/html; charset=gb2312").undecodable
