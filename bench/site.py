"""A synthetic county portal for the benchmark: TRS-style GBK pages, pre-rendered to bytes.

Shape (the default ~20,000 URLs): a homepage linking 40 columns; each column a run of
paginated list pages (`index.html`, `index_1.html` …, 20 dated items each, TRS
`createPageHTML` plus plain 首页/上一页/下一页/尾页 and page-number anchors); detail pages
with the 信息公开 metadata table (索引号, 文号, 发布机构 …), a few paragraphs and related
links; every 20th detail page links a PDF attachment. Everything is deterministic (fixed
seed), so two runs serve byte-identical sites and their crawls are comparable.
"""

from __future__ import annotations

import hashlib
import math
import random
from dataclasses import dataclass
from datetime import date, timedelta

SITE_NAME = "云溪县人民政府"
PER_LIST = 20
ATTACH_EVERY = 20
AS_OF = date(2025, 7, 1)  # the scan date the benchmark crawls and evaluates against

_COLUMN_NAMES = [
    "通知公告", "政策文件", "行政规范性文件", "政策解读", "人事信息", "财政预决算", "政府采购", "重大项目",
    "统计信息", "规划计划", "应急管理", "环境保护", "食品药品", "安全生产", "价格收费", "教育信息",
    "医疗卫生", "社会救助", "就业创业", "扶贫开发", "征地拆迁", "保障性住房", "国有企业", "公共资源交易",
    "建议提案", "审计信息", "招商引资", "农业农村", "交通运输", "文化旅游", "市场监管", "自然资源",
    "住房建设", "水利信息", "民政信息", "退役军人", "医疗保障", "乡村振兴", "营商环境", "双随机一公开",
]
_WORDS = (  # noqa: SIM905 (one string reads better than a list of 40)
    "为深入贯彻落实党中央国务院决策部署 进一步加强 政务公开 标准化规范化建设 根据 有关规定 结合我县实际 "
    "现就有关事项通知如下 各乡镇人民政府 县直各有关单位 要高度重视 切实加强组织领导 明确责任分工 "
    "认真抓好落实 确保各项工作任务 按时保质完成 推进 基层政务公开 提升 政府透明度 和公信力 "
    "严格执行 信息发布审核制度 及时回应 社会关切 优化营商环境 保障人民群众 知情权 参与权 表达权 监督权 "
    "本办法 自印发之日起施行 有效期五年 由县人民政府办公室 负责解释 附件 实施方案 工作台账"
).split()


def column_slug(i: int) -> str:
    # Letters only: the crawler's url_pattern turns digit runs into N, and each column
    # must keep its own pattern (as real columns' pinyin names do).
    return "lm" + chr(ord("a") + i // 26) + chr(ord("a") + i % 26)


@dataclass(frozen=True)
class Doc:
    column: int
    n: int  # position in the column, 0 = newest
    serial: int  # site-wide id in the file name
    day: date
    title: str
    path: str
    attachment: str | None


@dataclass
class Portal:
    """Paths → raw response bodies (GBK HTML, or PDF bytes), plus what the crawl should find."""

    pages: dict[str, tuple[bytes, str]]  # path -> (body, content type)
    columns: int
    lists: int
    details: int
    attachments: int

    @property
    def urls(self) -> int:
        return len(self.pages)


def _sentence(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(_WORDS) for _ in range(n)) + "。"


_ON = ' class="on"'


def _header(nav_current: str) -> str:
    nav = "".join(
        f'<li{_ON if href == nav_current else ""}><a href="{href}">{text}</a></li>'
        for href, text in (("/", "首页"), ("/zwgk/", "政务公开"), ("/zwgk/lmaa/", "通知公告"),
                           ("/zwgk/lmab/", "政策文件"), ("/zwgk/lmad/", "政策解读"))
    )
    return (
        '<div class="top_bar"><div class="w1200 clearfix"><span class="fl">欢迎访问云溪县人民政府门户网站</span>'
        '<span class="fr"><a href="https://www.gov.cn/" target="_blank">中国政府网</a><em>|</em>'
        '<a href="javascript:void(0);" id="wza_btn">无障碍浏览</a><em>|</em><a href="/wzdt/">网站地图</a></span>'
        '</div></div>\n<div class="header"><div class="w1200 clearfix"><div class="logo fl"><a href="/" '
        'title="云溪县人民政府"><span class="logo_txt">云溪县人民政府</span></a></div>\n<div class="search fr">'
        '<form name="searchform" id="searchform" action="/search/" method="get" target="_blank">'
        '<input type="hidden" name="channelid" value="200001" /><input type="text" name="searchword" '
        'class="sear_txt" placeholder="请输入关键字" maxlength="40" /><input type="submit" class="sear_btn" '
        'value="搜索" /></form></div></div></div>\n'
        f'<div class="nav"><ul class="w1200 clearfix">{nav}</ul></div>\n'
    )


_FOOTER = (
    '<div class="footer"><div class="w1200"><p><a href="/gywm/">关于我们</a> | <a href="/wzdt/">网站地图</a> | '
    '<a href="/lxwm/">联系我们</a></p><p>主办：云溪县人民政府办公室　承办：云溪县大数据中心　'
    '联系电话：0352-1234567</p><p>网站标识码：1402990001　<a href="https://beian.miit.gov.cn/" '
    'target="_blank">晋ICP备12345678号</a>　<a href="http://www.beian.gov.cn/">晋公网安备 14029902000001号</a>'
    '</p><p><a href="https://bszs.conac.cn/sitename?method=show&amp;id=1" target="_blank">'
    '<img src="/images/dzjg.svg" alt="党政机关" /></a></p></div></div>\n'
)


def _doc_head(title: str, column: str) -> str:
    return (
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
        '<html xmlns="http://www.w3.org/1999/xhtml">\n<head>\n'
        '<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />\n'
        f'<meta name="SiteName" content="{SITE_NAME}" />\n<meta name="SiteIDCode" content="1402990001" />\n'
        f'<meta name="ColumnName" content="{column}" />\n'
        f'<title>{title}_{SITE_NAME}</title>\n'
        '<link rel="stylesheet" type="text/css" href="/css/common.css" />\n'
        '<script type="text/javascript" src="/js/common.js"></script>\n</head>\n<body>\n'
    )


def _sidebar(col: int, columns: int) -> str:
    # Ten neighbouring columns, as a TRS 信息公开 left menu shows them.
    near = [(col + k) % columns for k in range(-5, 5) if k]
    items = "".join(f'<li><a href="/zwgk/{column_slug(c)}/">{_COLUMN_NAMES[c % len(_COLUMN_NAMES)]}</a></li>'
                    for c in near)
    return f'<div class="left_menu"><h3>信息公开目录</h3><ul>{items}</ul></div>\n'


def _list_name(k: int) -> str:
    return "index.html" if k == 0 else f"index_{k}.html"


def _list_href(k: int) -> str:
    # Page one is linked as the column folder, as the rest of the site links it: one URL per page.
    return "./" if k == 0 else _list_name(k)


def _list_page(col: int, columns: int, k: int, total: int, docs: list[Doc]) -> str:
    name = _COLUMN_NAMES[col % len(_COLUMN_NAMES)]
    slug = column_slug(col)
    rows = "".join(
        f'<li><a href="./{d.path.rsplit("/", 2)[-2]}/{d.path.rsplit("/", 1)[-1]}" target="_blank" '
        f'title="{d.title}">{d.title}</a><span class="date">{d.day.isoformat()}</span></li>\n'
        for d in docs
    )
    nums = range(max(0, k - 4), min(total, k + 5))
    anchors = [f'<a href="{_list_href(0)}">首页</a>']
    if k > 0:
        anchors.append(f'<a href="{_list_href(k - 1)}">上一页</a>')
    anchors += [f'<span class="current">{i + 1}</span>' if i == k else f'<a href="{_list_href(i)}">{i + 1}</a>'
                for i in nums]
    if k + 1 < total:
        anchors.append(f'<a href="{_list_href(k + 1)}">下一页</a>')
    anchors.append(f'<a href="{_list_href(total - 1)}">尾页</a>')
    return (
        _doc_head(name, name) + _header("/zwgk/")
        + f'<div class="position w1200"><span>当前位置：</span><a href="/">首页</a> &gt; <a href="/zwgk/">政府信息公开'
        f'</a> &gt; <a href="/zwgk/{slug}/">{name}</a></div>\n<div class="main w1200 clearfix">\n'
        + _sidebar(col, columns)
        + f'<div class="list_right"><div class="list_tit"><h2>{name}</h2></div>\n<ul class="list">\n{rows}</ul>\n'
        f'<div class="page"><script type="text/javascript">createPageHTML({total}, {k}, "index", "html");</script>'
        f'<noscript>{" ".join(anchors)}</noscript>{" ".join(anchors)}</div>\n</div></div>\n'
        + _FOOTER + "</body></html>\n"
    )


def _detail_page(doc: Doc, rng: random.Random, related: list[Doc]) -> str:
    name = _COLUMN_NAMES[doc.column % len(_COLUMN_NAMES)]
    year = doc.day.year
    written = doc.day - timedelta(days=3)
    paras = "".join(f"<p>{_sentence(rng, rng.randint(20, 45))}</p>\n" for _ in range(rng.randint(4, 8)))
    attach = ""
    if doc.attachment:
        attach = (f'<div class="fujian"><p>附件：<a href="./{doc.attachment.rsplit("/", 1)[-1]}">'
                  f'{doc.title[:20]}实施方案.pdf</a></p></div>\n')
    rel = "".join(f'<li><a href="../../{column_slug(r.column)}/{r.path.split("/", 3)[-1]}">{r.title}</a></li>'
                  for r in related)
    return (
        _doc_head(doc.title, name) + _header("/zwgk/")
        + f'<div class="position w1200"><span>当前位置：</span><a href="../../../">首页</a> &gt; '
        f'<a href="../../">政府信息公开</a> &gt; <a href="../">{name}</a></div>\n'
        '<div class="main w1200"><div class="detail_box">\n'
        '<table class="xxgk_table" cellspacing="0" cellpadding="0" width="100%"><tbody>\n'
        f'<tr><td class="t1">索引号：</td><td class="t2">11140299733952104R/{year}-{doc.serial:05d}</td>'
        f'<td class="t1">信息分类：</td><td class="t2">{name}</td></tr>\n'
        f'<tr><td class="t1">发布机构：</td><td class="t2">{SITE_NAME}办公室</td><td class="t1">生成日期：</td>'
        f'<td class="t2">{doc.day.isoformat()}</td></tr>\n'
        f'<tr><td class="t1">名称：</td><td class="t2" colspan="3">{doc.title}</td></tr>\n'
        f'<tr><td class="t1">文号：</td><td class="t2">云政办发〔{year}〕{doc.n % 200 + 1}号</td>'
        f'<td class="t1">发布日期：</td><td class="t2">{doc.day.isoformat()}</td></tr>\n'
        f'<tr><td class="t1">成文日期：</td><td class="t2">{written.isoformat()}</td><td class="t1">有效性：</td>'
        '<td class="t2">有效</td></tr>\n</tbody></table>\n'
        f'<div class="detail_tit"><h1>{doc.title}</h1></div>\n'
        f'<div class="detail_info"><span>发布时间：{doc.day.isoformat()} 09:30</span><span>来源：{SITE_NAME}</span>'
        '</div>\n<div class="detail_con"><div class="TRS_Editor">\n' + paras + "</div></div>\n" + attach
        + f'<div class="related"><h3>相关文件</h3><ul>{rel}</ul></div>\n'
        f'<div class="detail_close"><a href="javascript:window.print();">打印本页</a>'
        f'<a href="javascript:window.close();">关闭窗口</a></div>\n</div></div>\n'
        + _FOOTER + "</body></html>\n"
    )


def _home(columns: int, newest: list[Doc]) -> str:
    cols = "".join(f'<li><a href="/zwgk/{column_slug(c)}/">{_COLUMN_NAMES[c % len(_COLUMN_NAMES)]}</a></li>'
                   for c in range(columns))
    news = "".join(f'<li><a href="{d.path}">{d.title}</a><span>{d.day.isoformat()}</span></li>' for d in newest)
    return (
        _doc_head(SITE_NAME, "首页").replace(f"<title>{SITE_NAME}_{SITE_NAME}</title>", f"<title>{SITE_NAME}</title>")
        + _header("/")
        + f'<div class="main w1200"><div class="tzgg"><h3>通知公告</h3><ul>{news}</ul></div>\n'
        f'<div class="xxgk_ml"><h3>政府信息公开目录</h3><ul>{cols}</ul></div></div>\n'
        + _FOOTER + "</body></html>\n"
    )


def _zwgk(columns: int) -> str:
    cols = "".join(f'<li><a href="/zwgk/{column_slug(c)}/">{_COLUMN_NAMES[c % len(_COLUMN_NAMES)]}</a></li>'
                   for c in range(columns))
    return (_doc_head("政府信息公开", "政府信息公开") + _header("/zwgk/")
            + '<div class="position w1200"><span>当前位置：</span><a href="/">首页</a> &gt; <span>政府信息公开</span>'
            f'</div>\n<div class="main w1200"><ul class="xxgk_lm">{cols}</ul></div>\n' + _FOOTER + "</body></html>\n")


def _small(title: str) -> str:
    return (_doc_head(title, title) + _header("") + f'<div class="main w1200"><h1>{title}</h1>'
            f'<p>{title}页面。</p></div>\n' + _FOOTER + "</body></html>\n")


def pdf_bytes(text: str) -> bytes:
    """A small valid one-page PDF saying `text` (ASCII), with a correct xref table."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def build(target_urls: int = 20_000, columns: int = 40, seed: int = 20250701) -> Portal:
    """The portal with about `target_urls` crawlable URLs (pages + attachments)."""
    rng = random.Random(seed)
    fixed = 6  # home, /zwgk/, 网站地图, 关于我们, 联系我们, /css + /js are not links the crawl follows
    # Per column: d details, ceil(d/20) lists, floor(d/20) attachments.
    per_col = max(1, round((target_urls - fixed) / columns / (1 + 1 / PER_LIST + 1 / ATTACH_EVERY)))
    pages: dict[str, tuple[bytes, str]] = {}
    html = "text/html"
    all_docs: list[list[Doc]] = []
    serial = 1000
    for col in range(columns):
        slug = column_slug(col)
        docs = []
        day = AS_OF - timedelta(days=rng.randint(1, 20))
        for n in range(per_col):
            serial += 1
            title = f"{SITE_NAME}办公室关于{rng.choice(_WORDS)}{rng.choice(_WORDS)}的通知（{serial}）"
            folder = f"{day.year}{day.month:02d}"
            path = f"/zwgk/{slug}/{folder}/t{day.strftime('%Y%m%d')}_{serial}.html"
            att = f"/zwgk/{slug}/{folder}/P0{day.strftime('%Y%m%d')}{serial}.pdf" if n % ATTACH_EVERY == 7 else None
            docs.append(Doc(col, n, serial, day, title, path, att))
            day -= timedelta(days=rng.randint(0, 3))
        all_docs.append(docs)
    n_lists = n_attach = 0
    for col, docs in enumerate(all_docs):
        slug = column_slug(col)
        total = math.ceil(len(docs) / PER_LIST)
        for k in range(total):
            body = _list_page(col, columns, k, total, docs[k * PER_LIST:(k + 1) * PER_LIST])
            pages[f"/zwgk/{slug}/{_list_name(k)}"] = (body.encode("gbk"), html)
            n_lists += 1
        for doc in docs:
            related = [docs[(doc.n + j) % len(docs)] for j in (1, 2, 3)]
            related.append(all_docs[(col + 1) % columns][doc.n % len(all_docs[(col + 1) % columns])])
            pages[doc.path] = (_detail_page(doc, rng, related).encode("gbk"), html)
            if doc.attachment:
                pages[doc.attachment] = (pdf_bytes(f"Attachment {doc.serial}: implementation plan"), "application/pdf")
                n_attach += 1
    newest = [docs[0] for docs in all_docs[:10]]
    pages["/index.html"] = (_home(columns, newest).encode("gbk"), html)
    pages["/zwgk/index.html"] = (_zwgk(columns).encode("gbk"), html)
    for slug, title in (("wzdt", "网站地图"), ("gywm", "关于我们"), ("lxwm", "联系我们")):
        pages[f"/{slug}/index.html"] = (_small(title).encode("gbk"), html)
    pages["/css/common.css"] = (b"body{font-size:14px}", "text/css")
    pages["/js/common.js"] = (b"function createPageHTML(){}", "application/javascript")
    pages["/robots.txt"] = (b"User-agent: *\nAllow: /\n", "text/plain")
    details = sum(len(d) for d in all_docs)
    return Portal(pages, columns, n_lists, details, n_attach)


def etag(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=8).hexdigest() + '"'
