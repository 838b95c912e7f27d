import pytest

from checker.crawl.urls import Scope, normalize, url_pattern

BASE = "http://www.pingcheng.gov.cn/zwgk/zfxxgk/tzgg/index.html"


@pytest.mark.parametrize(
    "href, expected",
    [
        ("./202403/t20240301_123456.html", "http://www.pingcheng.gov.cn/zwgk/zfxxgk/tzgg/202403/t20240301_123456.html"),
        ("../fdzdgknr/", "http://www.pingcheng.gov.cn/zwgk/zfxxgk/fdzdgknr/"),
        ("/zwgk/", "http://www.pingcheng.gov.cn/zwgk/"),
        ("//xxgk.pingcheng.gov.cn/a.html", "http://xxgk.pingcheng.gov.cn/a.html"),
        ("index_1.html", "http://www.pingcheng.gov.cn/zwgk/zfxxgk/tzgg/index_1.html"),
        ("?page=2", "http://www.pingcheng.gov.cn/zwgk/zfxxgk/tzgg/?page=2"),
        ("  /a.html\n", "http://www.pingcheng.gov.cn/a.html"),
    ],
)
def test_relative_links_resolve_against_base(href, expected):
    assert normalize(href, BASE) == expected


@pytest.mark.parametrize(
    "href",
    ["javascript:void(0);", "JavaScript:;", "mailto:pcqzfb@163.com", "tel:0352-1234567", "data:text/html,hi", "#", "#top", "", "   ", "ftp://ftp.a.gov.cn/x"],
)
def test_non_http_links_are_dropped(href):
    assert normalize(href, BASE) is None


def test_scheme_host_port_fragment():
    assert normalize("HTTP://WWW.A.GOV.CN:80/Zwgk/#top") == "http://www.a.gov.cn/Zwgk/"
    assert normalize("https://a.gov.cn:443") == "https://a.gov.cn/"
    assert normalize("http://a.gov.cn:8080/x") == "http://a.gov.cn:8080/x"
    assert normalize("http://user:secret@a.gov.cn/x") == "http://a.gov.cn/x"
    assert normalize("http://a.gov.cn:99999/") is None


def test_tracking_parameters_dropped_and_query_sorted():
    url = "http://a.gov.cn/art.html?b=2&utm_source=wx&a=1&spm=a2c4g&_=1709251200000&from=singlemessage&tdsourcetag=s_pcqq&wxshare_count=2"
    assert normalize(url) == "http://a.gov.cn/art.html?a=1&b=2"
    # `from` selects content on some CMSs; only the WeChat share values are tracking.
    assert normalize("http://a.gov.cn/s?from=zwgk") == "http://a.gov.cn/s?from=zwgk"
    assert normalize("http://a.gov.cn/s?utm_medium=x") == "http://a.gov.cn/s"
    assert normalize("http://a.gov.cn/a?&&") == "http://a.gov.cn/a"


def test_path_cleanup():
    assert normalize("http://a.gov.cn//zwgk///xxgk//") == "http://a.gov.cn/zwgk/xxgk/"
    assert normalize("http://a.gov.cn/a/b/../c/./d") == "http://a.gov.cn/a/c/d"
    assert normalize("http://a.gov.cn/a/b/../../../../c") == "http://a.gov.cn/c"
    assert normalize("http://a.gov.cn") == "http://a.gov.cn/"
    assert normalize("http://a.gov.cn?x=1") == "http://a.gov.cn/?x=1"
    assert normalize("http://a.gov.cn/list.jsp;jsessionid=8A3F0C?id=3") == "http://a.gov.cn/list.jsp?id=3"
    assert normalize("http://a.gov.cn\\zwgk\\a.html") == "http://a.gov.cn/zwgk/a.html"


@pytest.mark.parametrize("index", ["index.html", "index.htm", "index.shtml", "default.htm", "default.html", "INDEX.HTML"])
def test_index_files_equal_their_directory(index):
    assert normalize(f"http://a.gov.cn/zwgk/{index}") == normalize("http://a.gov.cn/zwgk/") == "http://a.gov.cn/zwgk/"


def test_other_files_keep_their_names():
    assert normalize("http://a.gov.cn/zwgk/index_1.html") == "http://a.gov.cn/zwgk/index_1.html"
    assert normalize("http://a.gov.cn/zwgk/myindex.html") == "http://a.gov.cn/zwgk/myindex.html"


def test_non_ascii_paths_round_trip():
    raw = normalize("http://a.gov.cn/中文/政务公开.html")
    assert raw == "http://a.gov.cn/%E4%B8%AD%E6%96%87/%E6%94%BF%E5%8A%A1%E5%85%AC%E5%BC%80.html"
    assert normalize("http://a.gov.cn/%E4%B8%AD%E6%96%87/%E6%94%BF%E5%8A%A1%E5%85%AC%E5%BC%80.html") == raw
    assert normalize("http://a.gov.cn/%e4%b8%ad%e6%96%87/%e6%94%bf%e5%8a%a1%e5%85%ac%e5%bc%80.html") == raw
    assert normalize("http://a.gov.cn/%7Euser/%41%2Fb") == "http://a.gov.cn/~user/A%2Fb"  # %2F stays a non-separator
    assert normalize("http://a.gov.cn/a b") == "http://a.gov.cn/a%20b"
    assert normalize("http://a.gov.cn/50%/") == "http://a.gov.cn/50%25/"
    assert normalize("http://例子.中国/") == "http://xn--fsqu00a.xn--fiqs8s/"


TRICKY = [
    "HTTP://WWW.A.GOV.CN:80/zwgk/index.html#x",
    "http://a.gov.cn/中文/",
    "http://a.gov.cn/%e4%b8%ad/",
    "http://a.gov.cn//a///b/./c/../d?b=2&a=1&utm_source=x",
    "http://a.gov.cn/50%/x%zz",
    "http://a.gov.cn/%2e%2e/x",
    "http://a.gov.cn/a/%2E/b/",
    "http://a.gov.cn/index.html/index.html",
    "http://a.gov.cn/?q=中文&x=%zz&y=a=b",
    "http://a.gov.cn/?a&a=&a=1",
    "http://a.gov.cn/a/.",
    "http://a.gov.cn/a/..",
    "http://[::1]:8080/a",
    "http://a.gov.cn/x;JSESSIONID=1;/y",
    "http://a.gov.cn/a%20b c/",
    "http://a.gov.cn/<script>/\"q\"",
    "https://a.gov.cn:443/%41%42%43?%41=%42",
]


@pytest.mark.parametrize("url", TRICKY)
def test_normalize_is_idempotent(url):
    once = normalize(url)
    assert once is not None
    assert normalize(once) == once


def test_scope_hosts_and_www_variant():
    scope = Scope("https://www.pingcheng.gov.cn/", ["xxgk.pingcheng.gov.cn", "http://127.0.0.1:8080/"])
    assert scope.hosts == ["www.pingcheng.gov.cn", "xxgk.pingcheng.gov.cn", "127.0.0.1:8080"]
    assert scope.contains("http://pingcheng.gov.cn/zwgk/")
    assert scope.contains("https://WWW.PINGCHENG.GOV.CN/a.html")
    assert scope.contains("http://xxgk.pingcheng.gov.cn/gkml/")
    assert scope.contains("http://127.0.0.1:8080/x")
    assert not scope.contains("http://127.0.0.1:8081/x")
    assert not scope.contains("http://www.dt.gov.cn/")
    assert not scope.contains("http://evil.com/?u=www.pingcheng.gov.cn")
    assert not scope.contains("http://www.pingcheng.gov.cn.evil.com/")
    assert not scope.contains("javascript:;")
    bare = Scope("http://pingcheng.gov.cn")
    assert bare.contains("http://www.pingcheng.gov.cn/")
    assert not bare.contains("http://xxgk.pingcheng.gov.cn/")


def test_scope_rejects_non_http_start():
    with pytest.raises(ValueError):
        Scope("ftp://a.gov.cn/")


def test_url_pattern_bounds_traps():
    assert url_pattern("http://a.gov.cn/zwgk/202403/t20240301_123.html?page=3&id=5") == "a.gov.cn/zwgk/N/tN_N.html?id&page"
    assert url_pattern("http://a.gov.cn/cal?y=2024&m=3") == url_pattern("http://a.gov.cn/cal?m=11&y=1999")
    assert url_pattern("http://a.gov.cn/list_2.html") == url_pattern("http://a.gov.cn/list_37.html")
    assert url_pattern("http://a.gov.cn/a/") != url_pattern("http://a.gov.cn/b/")
