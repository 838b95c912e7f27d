"""Builders for snapshot records, and a small county portal modelled on real ones.

The demo portal (`portal()`) follows what real county sites look like: a TRS-style
政府信息公开 section (/zwgk/…/t20261102_1234.html), 规范性文件 with a 索引号/文号
metadata table, a 政府信息公开指南 published as the one item of its own column, a
footer with 网站标识码/ICP/公网安备 and the 党政机关 badge rewritten through an IPv6
gateway, and a news item whose title mentions 权责清单 (the locate trap).
"""

from __future__ import annotations

from datetime import date

from checker.engine.kinds import KINDS
from checker.site.records import FetchError, Form, Link, ListItem, PageRecord

BASE = "http://demo.test/"
AS_OF = date(2026, 11, 21)
FETCHED = "2026-11-21T02:03:04Z"
DEFAULT_META = {
    "start_url": BASE,
    "hosts": ["demo.test"],
    "started_at": "2026-11-21T02:00:00Z",
    "finished_at": "2026-11-21T02:30:00Z",
    "as_of": AS_OF.isoformat(),
    "status": "complete",
    "status_reason": "",
    "budget_exhausted": "false",
    "robots": "obeyed",
}


def url(path: str) -> str:
    return path if path.startswith(("http://", "https://")) else BASE + path.lstrip("/")


def link(path: str, text: str, region: str = "nav", internal: bool = True) -> Link:
    return Link(url(path), text, region, internal)


def item(title: str, path: str, day: date | str | None = None, raw: str | None = None) -> ListItem:
    d = date.fromisoformat(day) if isinstance(day, str) else day
    return ListItem(title, url(path), d, raw if raw is not None else (d.isoformat() if d else ""))


def error(path: str, kind: str, status: int | None = None, anchor: str = "", message: str = "") -> FetchError:
    return FetchError(url(path), kind, message or f"{kind} {status or ''}".strip(), FETCHED, status, BASE, anchor)


def page(
    path: str,
    *,
    kind: str = "other",
    title: str = "",
    breadcrumb: tuple[str, ...] = (),
    body: str = "",
    text: str | None = None,
    footer: str = "",
    meta: dict[str, str] | None = None,
    published: date | str | None = None,
    items: tuple[ListItem, ...] | list[ListItem] = (),
    empty: bool = False,
    links: tuple[Link, ...] | list[Link] = (),
    forms: tuple[Form, ...] = (),
    status: int = 200,
    problem: str = "",
    depth: int = 1,
) -> PageRecord:
    pub = date.fromisoformat(published) if isinstance(published, str) else published
    return PageRecord(
        url=url(path), final_url=url(path), status=status, fetched_at=FETCHED, depth=depth,
        content_type="text/html", encoding="gb18030", encoding_source="meta", kind=kind, title=title,
        breadcrumb=tuple(breadcrumb), text=text if text is not None else f"{title}\n{body}\n{footer}", body=body,
        footer=footer, meta=dict(meta or {}), published=pub, list_items=tuple(items), empty_list=empty,
        links=tuple(links), forms=forms, problem=problem,
    )


FOOTER = (
    "主办单位：大同市平城区人民政府办公室 承办：平城区政务服务中心 联系电话：0352-2043166 "
    "网站标识码：1402020001 晋ICP备05004519号-1 晋公网安备 14020202000123号"
)
NAV = (
    link("/", "首页"),
    link("/zwgk/", "政府信息公开"),
    link("/zwgk/qzqd/", "权责清单"),
    link("/zwgk/zn/", "政府信息公开指南"),
    link("/zwgk/gfxwj/", "行政规范性文件"),
    link("/tzgg/", "通知公告"),
)
FOOTER_LINKS = (
    link("https://bszs-conac-cnx45c1a2b.ipv6best.cn/sitename?method=show&id=0A1B2C", "党政机关", "footer", False),
    link("https://zfwzzc.www.gov.cn/check_web/errorInfo_querySiteId.action?siteid=1402020001", "我为政府网站找错",
         "footer", False),
    link("/lxwm/", "联系我们", "footer"),
)
SEARCH = Form("/search/", "get", ("searchword", "channelid"), True)

GUIDE_BODY = (
    "根据《中华人民共和国政府信息公开条例》，编制本指南。一、主动公开 （一）公开工作机构 "
    "平城区人民政府办公室 办公地址：大同市平城区文兴路1号 办公时间：周一至周五 上午8:00-12:00 "
    "联系电话：0352-2043166 传真号码：0352-2043167 电子邮箱：pcqzfxxgk@163.com "
    "网址：www.pingcheng.gov.cn 二、依申请公开 ……"
)


def gfxwj_doc(n: int, *, validity: bool = True, day: str = "2026-10-0{n}") -> PageRecord:
    """A 行政规范性文件 detail page in the TRS layout, metadata box first, 有效期 at the end."""
    day = day.format(n=n)
    tail = f"本办法自发布之日起施行，有效期{n + 2}年。" if validity else "本办法自发布之日起施行。"
    return page(
        f"/zwgk/gfxwj/202610/t2026100{n}_10{n}.html", kind="detail", published=day,
        title=f"平城区人民政府关于印发平城区第{n}项管理办法的通知",
        breadcrumb=("首页", "政府信息公开", "行政规范性文件"),
        meta={"索引号": f"11140202MB1955820B/2026-0000{n}", "文号": f"平政发〔2026〕{n}号", "发布机构": "平城区人民政府",
              "有效性": "有效", "发布日期": day},
        body=f"第一条 为规范管理，制定本办法。……第二十条 本办法由区司法局负责解释。{tail}",
    )


def portal(*, news_day: str = "2026-11-18") -> list[PageRecord]:
    """The demo portal: homepage, 政府信息公开 hub, four columns and their documents."""
    home = page(
        "/", kind="home", title="大同市平城区人民政府", depth=0, footer=FOOTER,
        items=(item("平城区召开政务公开工作推进会", "/xwzx/202611/t20261118_9.html", news_day),
               item("平城区开展安全生产大检查", "/xwzx/202611/t20261110_8.html", "2026-11-10")),
        links=(*NAV, link("/xwzx/202611/t20261118_9.html", "平城区召开政务公开工作推进会", "list"),
               link("/tzgg/202611/t20261102_1.html", "关于做好权责清单公开工作的通知", "list"),
               *FOOTER_LINKS),
        forms=(SEARCH,),
    )
    hub = page("/zwgk/", title="政府信息公开_大同市平城区人民政府", breadcrumb=("首页", "政府信息公开"),
               body="政府信息公开指南 政府信息公开制度 法定主动公开内容 政府信息公开年报", links=NAV)
    qzqd = page(
        "/zwgk/qzqd/", kind="list", title="权责清单_大同市平城区人民政府",
        breadcrumb=("首页", "政府信息公开", "权责清单"),
        items=(item("平城区人民政府权责清单（2026年版）", "/zwgk/qzqd/202611/t20261102_501.html", "2026-11-02"),
               item("平城区权责清单动态调整情况", "/zwgk/qzqd/202609/t20260901_499.html", "2026-09-01")),
        links=NAV,
    )
    tzgg = page(
        "/tzgg/", kind="list", title="通知公告_大同市平城区人民政府", breadcrumb=("首页", "通知公告"),
        items=(item("关于做好权责清单公开工作的通知", "/tzgg/202611/t20261102_1.html", "2026-11-02"),),
        links=(*NAV, link("/tzgg/202611/t20261102_1.html", "关于做好权责清单公开工作的通知", "list")),
    )
    notice = page(
        "/tzgg/202611/t20261102_1.html", kind="detail", title="关于做好权责清单公开工作的通知",
        breadcrumb=("首页", "通知公告"), published="2026-11-02",
        body="各乡镇、各部门：为做好权责清单公开工作，现将有关事项通知如下……", links=NAV,
    )
    zn_list = page(
        "/zwgk/zn/", kind="list", title="政府信息公开指南_大同市平城区人民政府",
        breadcrumb=("首页", "政府信息公开", "政府信息公开指南"),
        items=(item("平城区人民政府信息公开指南", "/zwgk/zn/202603/t20260301_77.html", "2026-03-01"),),
        links=NAV,
    )
    zn_doc = page(
        "/zwgk/zn/202603/t20260301_77.html", kind="detail", title="平城区人民政府信息公开指南",
        breadcrumb=("首页", "政府信息公开", "政府信息公开指南"), published="2026-03-01", body=GUIDE_BODY,
    )
    docs = [gfxwj_doc(n) for n in (1, 2, 3)]
    gfxwj = page(
        "/zwgk/gfxwj/", kind="list", title="行政规范性文件_大同市平城区人民政府",
        breadcrumb=("首页", "政府信息公开", "行政规范性文件"),
        items=tuple(item(d.title, d.url, d.published) for d in docs), links=NAV,
    )
    return [home, hub, qzqd, tzgg, notice, zn_list, zn_doc, gfxwj, *docs]


def check(kind: str, **fields):
    """A validated check of `kind` (its Params model), id and title filled in."""
    module = KINDS[kind]
    return module.Params.model_validate({"id": f"t-{kind.replace('_', '-')}", "title": "测试", "kind": kind, **fields})


def run_check(snapshot, chk):
    """Run one check the way evaluate() does: its kind's run() with a fresh context."""
    from checker.engine.kinds.base import CheckContext
    from checker.engine.locate import Locator

    ctx = CheckContext(snapshot=snapshot, as_of=date.fromisoformat(snapshot.meta["as_of"]), locator=Locator(snapshot))
    return KINDS[chk.kind].run(chk, ctx)
