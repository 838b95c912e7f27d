"""A realistic ScanResult built in code, for the report tests (and for looking at the page).

Two profiles: `pingcheng-2024` (items from the real 平城区 2024 task list, every status, a veto
pass and a veto fail, manual items, an ungrouped item) and `national` (veto items only, one
failing, so the grade is 不合格). Evidence carries hostile scraped text: markup, an `onerror`
attribute break-out, a template expression, a `javascript:` URL, bidi overrides and a very
long paragraph. Counts and scores are derived from the items, so they stay consistent.
"""

from __future__ import annotations

from datetime import date

from checker.results import (
    CheckResult,
    Counts,
    Evidence,
    ItemResult,
    ProfileResult,
    ScanInfo,
    ScanResult,
    Status,
)

SITE = "http://www.pingcheng.gov.cn"
SCRIPT = "<script>alert(1)</script>"
IMG_BREAKOUT = '"><img src=x onerror=alert(1)>'
TEMPLATE_EXPR = "{{ 7*7 }}"
LONG_MARKER = "冗长正文"
LONG_TEXT = ("这是从页面抓取的一段很长的正文，" * 10 + LONG_MARKER) * 60  # ≈ 10 000 characters
BIDI = "\u202egpj.exe"
BLOCKED_REASON = "页面被拦截（HTTP 412，疑似防火墙），无法获取“双公示”栏目"
MANUAL_REASON = "听取政务公开工作汇报属于内部工作，公开网站上无法核实，请查阅会议纪要"
UNREACHABLE_REASON = "连接超时（3 次重试均失败）：www.pingcheng.gov.cn:80"

# Item numbers per profile, in the order the sample lists them: tests check each appears.
PINGCHENG_NUMBERS = ["1", "2", "3", "6", "7", "12", "14", "15", "26", "28", "38", "附1"]
NATIONAL_NUMBERS = ["V1", "V2", "V3", "V4", "5"]


def _fp(check_id: str, number: str, where: str = "") -> str:
    return f"{check_id}:{number}:{where}" if where else f"{check_id}:{number}"


def _item(number: str, name: str, group: str, content: str, status: Status, *, checks=(),
          lead_unit: str = "区政府办", units: str = "各部门、各街道", deadline_text: str = "全年",
          deadline: date | None = None, weight: float = 1.0, veto: bool = False,
          manual_reason: str | None = None, manual_note: str | None = None) -> ItemResult:
    return ItemResult(
        number=number, name=name, group=group, content=content, lead_unit=lead_unit, units=units,
        deadline_text=deadline_text, deadline=deadline, weight=weight, veto=veto, status=status,
        manual_reason=manual_reason, manual_note=manual_note, checks=list(checks),
    )


def _pingcheng_items() -> list[ItemResult]:
    t = "2024-11-20T01:3{}:0{}Z"
    return [
        _item("1", "加强组织领导", "组织领导与保障",
              "主要负责人要加强统筹协调，落实各项工作部署，年内至少要听取一次政务公开工作汇报并作工作安排。",
              Status.MANUAL, manual_reason=MANUAL_REASON),
        _item("2", "加强培训考核", "组织领导与保障",
              "认真学习政务公开行政法规，将政务公开纳入领导干部培训和公务员初任培训。年内至少组织开展一次本地本部门政务公开业务培训。",
              Status.MANUAL, manual_reason="培训记录不在门户网站公开，请查阅培训通知和签到表"),
        _item("3", "完善政府信息公开目录", "基础信息公开",
              "建立健全主动公开事项目录制度，……形成主动公开事项目录，实行清单化管理并及时动态更新，不断丰富公开内容。",
              Status.PASS, lead_unit="区政府信息化中心", checks=[
                  CheckResult(
                      check_id="catalog.exists", kind="exists", title="主动公开事项目录栏目存在",
                      status=Status.PASS, summary="找到栏目「主动公开事项目录」，共 37 条信息",
                      evidence=[Evidence(url=f"{SITE}/zwgk/zdgkml/", http_status=200,
                                         fetched_at=t.format(0, 5), found="主动公开事项目录",
                                         context="首页 > 政府信息公开 > 主动公开事项目录 > 列表")],
                      fingerprint=_fp("catalog.exists", "3", "/zwgk/zdgkml/"),
                  ),
              ]),
        _item("6", "职能机构信息", "基础信息公开",
              "通过政府门户网站及时、规范、集中公开机构职能、领导设置、内设机构、办公地址、办公时间、联系方式、负责人姓名等信息。",
              Status.FAIL, lead_unit="区政府信息化中心", checks=[
                  CheckResult(
                      check_id="org.leaders", kind="exists", title="领导信息栏目存在",
                      status=Status.FAIL, summary="未找到「领导信息」栏目",
                      evidence=[Evidence(looked_for="栏目「领导信息、领导之窗、区领导」",
                                         where="导航、面包屑与页面标题（已抓取 412 个页面）")],
                      fingerprint=_fp("org.leaders", "6"),
                  ),
                  CheckResult(
                      check_id="org.functions", kind="not_blank", title="机构职能栏目有内容",
                      status=Status.PASS, summary="「机构职能」栏目有 12 条信息",
                      evidence=[Evidence(url=f"{SITE}/zwgk/jgzn/", http_status=200,
                                         fetched_at=t.format(1, 2), found="机构职能")],
                      fingerprint=_fp("org.functions", "6", "/zwgk/jgzn/"),
                  ),
              ]),
        _item("7", "“双公示”信息", "基础信息公开",
              "各部门要做好“双公示”信息公开，……在作出行政决定之日起7个工作日内上网公示，不得迟报、漏报。",
              Status.UNKNOWN, lead_unit="区发改局", units="各部门", checks=[
                  CheckResult(
                      check_id="sgs.updated", kind="updated_within", title="“双公示”栏目 7 个工作日内有更新",
                      status=Status.UNKNOWN, summary="栏目页面被拦截，无法判断更新情况",
                      reason=BLOCKED_REASON,
                      evidence=[Evidence(url=f"{SITE}/zwgk/sgs/", http_status=412,
                                         fetched_at=t.format(2, 7), note="服务器返回 412")],
                      fingerprint=_fp("sgs.updated", "7", "/zwgk/sgs/"),
                  ),
              ]),
        _item("12", "政府信息公开指南", "基础信息公开",
              "及时更新政府信息公开指南，指南中要明确提供政府信息获取渠道，……联系电话原则上公开固定电话。",
              Status.PASS, lead_unit="区政府信息化中心", units="涉及政务新媒体账号单位", veto=True, checks=[
                  CheckResult(
                      check_id="guide.phone", kind="text_matches", title="公开指南含固定电话",
                      status=Status.PASS, summary="指南中找到固定电话",
                      evidence=[Evidence(url=f"{SITE}/zwgk/zn/202401/t20240115_1.html", http_status=200,
                                         fetched_at=t.format(3, 1), found="0352-1234567",
                                         context="受理机构：平城区人民政府办公室 联系电话：0352-1234567 "
                                                 "办公时间：工作日 8:30-12:00")],
                      fingerprint=_fp("guide.phone", "12", "/zwgk/zn/202401/t20240115_1.html"),
                  ),
              ]),
        _item("14", "政府信息公开年报", "基础信息公开",
              "要严格按照国办公开办函〔2021〕30号文件要求，编报本级本部门政府信息公开年报，……按规定时间在政府门户网站公开发布。",
              Status.FAIL, lead_unit="区政府信息化中心", veto=True, deadline_text="2024年1月31日前",
              deadline=date(2024, 1, 31), checks=[
                  CheckResult(
                      check_id="annual-report.published", kind="documents_match",
                      title="2023 年度政府信息公开年报按时发布",
                      status=Status.FAIL, summary="年报发布于 2024-02-06，晚于 2024-01-31",
                      evidence=[Evidence(url=f"{SITE}/zwgk/ndbg/202402/t20240206_9.html", http_status=200,
                                         fetched_at=t.format(4, 4), found="发布日期：2024-02-06",
                                         context="索引号：11140202MB1234567X/2024-00012 发布日期：2024-02-06 "
                                                 "文号：无 标题：平城区2023年政府信息公开工作年度报告",
                                         looked_for="发布日期不晚于 2024-01-31")],
                      fingerprint=_fp("annual-report.published", "14", "/zwgk/ndbg/202402/t20240206_9.html"),
                  ),
              ]),
        _item("15", "征地信息", "基础信息公开",
              "要按时限、标准将征地信息录入“山西省征地信息公开查询系统”。……",
              Status.NOT_APPLICABLE, lead_unit="区自然资源局", units="", checks=[
                  CheckResult(
                      check_id="land.column", kind="exists", title="征地信息栏目存在",
                      status=Status.NOT_APPLICABLE, summary="站点无征地信息栏目",
                      reason="本区年内无征地项目，站点未设该栏目（按规则视为不适用）",
                      fingerprint=_fp("land.column", "15"),
                  ),
              ]),
        _item("26", "行政规范性文件", "加强信息管理",
              "各单位在制发规范性文件时要严格执行《山西省行政规范性文件制定与监督管理办法》，对本单位行政规范性文件统一编号，集中在政府门户网站公开并动态更新。",
              Status.FAIL, units="区司法局", weight=2.0,
              manual_note="统一编号是否连续需人工比对备案登记表", checks=[
                  CheckResult(
                      check_id="norms.numbered", kind="documents_match", title="规范性文件有统一编号",
                      status=Status.FAIL, summary="20 件中 6 件未见统一编号（要求大多数具备）",
                      evidence=[
                          Evidence(url=f"{SITE}/zwgk/gfxwj/202403/t20240311_5.html", http_status=200,
                                   fetched_at=t.format(5, 0), found=SCRIPT,
                                   context=f"文号：{SCRIPT} 发布机构：平城区人民政府",
                                   looked_for="统一编号（如 PCQG-2024-001）",
                                   where="文件元数据表 文号 一栏"),
                          Evidence(url=f'{SITE}/zwgk/gfxwj/?q="><script>alert(2)</script>', http_status=200,
                                   fetched_at=t.format(5, 1), found=IMG_BREAKOUT,
                                   context=f"标题：关于印发{IMG_BREAKOUT}的通知 文号：无",
                                   looked_for="统一编号", where="文件元数据表"),
                          Evidence(url="javascript:alert(3)", found=TEMPLATE_EXPR,
                                   context=f"模板：{TEMPLATE_EXPR} 未渲染", note=BIDI),
                      ],
                      fingerprint=_fp("norms.numbered", "26", "/zwgk/gfxwj/"),
                  ),
              ]),
        _item("28", "行政规范性文件（有效期与解读）", "加强信息管理",
              "行政性规范文件不得以内部文件形式印发执行，……行政规范性文件要在文件末尾标注本文有效期限和解读主体。",
              Status.FAIL, units="区司法局", checks=[
                  CheckResult(
                      check_id="norms.validity", kind="documents_match", title="规范性文件标注有效期",
                      status=Status.FAIL, summary="文件末尾未见有效期",
                      evidence=[Evidence(url=f"{SITE}/zwgk/gfxwj/202405/t20240520_2.html", http_status=200,
                                         fetched_at=t.format(6, 3), found="本办法自发布之日起施行",
                                         context=LONG_TEXT + "本办法自发布之日起施行。" + LONG_TEXT,
                                         looked_for="有效期（如“有效期至2029年5月20日”）",
                                         where="正文末尾 200 字")],
                      fingerprint=_fp("norms.validity", "28", "/zwgk/gfxwj/202405/t20240520_2.html"),
                  ),
                  CheckResult(
                      check_id="norms.interpretation", kind="documents_match", title="规范性文件标注解读主体",
                      status=Status.UNKNOWN, summary="附件 PDF 无法解析",
                      reason="附件为扫描件 PDF，无法提取文字",
                      evidence=[Evidence(url=f"{SITE}/zwgk/gfxwj/202405/P020240520.pdf", http_status=200,
                                         fetched_at=t.format(6, 4), found=LONG_TEXT)],
                      fingerprint=_fp("norms.interpretation", "28", "/zwgk/gfxwj/202405/P020240520.pdf"),
                  ),
              ]),
        _item("38", "网站和新媒体管理", "公开渠道",
              "……确保网站和政务新媒体不存在安全事故、严重表述错误、断错链等问题。",
              Status.FAIL, lead_unit="区政府信息化中心", units="涉及政务新媒体账号单位", checks=[
                  CheckResult(
                      check_id="site.broken-links", kind="broken_links", title="首页及栏目无断链",
                      status=Status.FAIL, summary="发现 60 个断链",
                      evidence=[Evidence(url=f"{SITE}/old/page{n}.html", http_status=404,
                                         fetched_at=t.format(7, n % 10),
                                         where=f"链接出现在 {SITE}/index.html，锚文本「旧栏目{n}」")
                                for n in range(60)],
                      fingerprint=_fp("site.broken-links", "38"),
                  ),
              ]),
        _item("附1", "网站页脚信息", "",
              "网站页脚应标注主办单位、网站标识码、ICP 备案号和公安机关备案号。",
              Status.PASS, lead_unit="", units="", deadline_text="", checks=[
                  CheckResult(
                      check_id="footer.ids", kind="footer_has", title="页脚含网站标识码",
                      status=Status.PASS, summary="页脚找到网站标识码",
                      evidence=[Evidence(url=f"{SITE}/", http_status=200, fetched_at=t.format(0, 1),
                                         found="网站标识码：1402130001",
                                         context="主办单位：平城区人民政府办公室 网站标识码：1402130001 "
                                                 "晋ICP备12345678号")],
                      fingerprint=_fp("footer.ids", "附1", "/"),
                  ),
              ]),
    ]


def _national_items() -> list[ItemResult]:
    t = "2024-11-20T01:4{}:00Z"
    return [
        _item("V1", "站点无法访问", "单项否决指标",
              "监测 1 周，超过 15 秒网站仍无法访问的次数累计超过（含）总监测次数的 5%。",
              Status.PASS, lead_unit="", units="", deadline_text="", veto=True, checks=[
                  CheckResult(
                      check_id="national.reachable", kind="exists", title="首页可访问",
                      status=Status.PASS, summary="首页返回 200",
                      evidence=[Evidence(url=f"{SITE}/", http_status=200, fetched_at=t.format(0))],
                      fingerprint=_fp("national.reachable", "V1", "/"),
                  ),
              ]),
        _item("V2", "网站不更新", "单项否决指标",
              "首页栏目信息超过 2 周未更新。", Status.FAIL, lead_unit="", units="", deadline_text="",
              veto=True, checks=[
                  CheckResult(
                      check_id="national.home-updated", kind="updated_within", title="首页信息 2 周内有更新",
                      status=Status.FAIL, summary="首页最新信息为 2024-10-28，已 23 天未更新",
                      evidence=[Evidence(url=f"{SITE}/", http_status=200, fetched_at=t.format(1),
                                         found="2024-10-28", context="[工作动态] 区政府召开常务会议 2024-10-28",
                                         looked_for="2024-11-06 之后的日期", where="首页各栏目列表")],
                      fingerprint=_fp("national.home-updated", "V2", "/"),
                  ),
              ]),
        _item("V3", "栏目不更新", "单项否决指标",
              "动态、要闻类栏目超过 2 周未更新；通知公告、政策文件类栏目超过 6 个月未更新。",
              Status.UNKNOWN, lead_unit="", units="", deadline_text="", veto=True, checks=[
                  CheckResult(
                      check_id="national.columns-updated", kind="updated_within", title="动态类栏目 2 周内有更新",
                      status=Status.UNKNOWN, summary="部分栏目抓取超时",
                      reason="3 个栏目页面抓取超时（30 秒），无法判断更新时间",
                      fingerprint=_fp("national.columns-updated", "V3"),
                  ),
              ]),
        _item("V4", "严重表述错误", "单项否决指标",
              "网站出现严重错别字（如将党和国家领导人姓名写错）、严重政治性表述错误。",
              Status.MANUAL, lead_unit="", units="", deadline_text="", veto=True,
              manual_reason="严重表述错误需人工通读核查"),
        _item("5", "互动回应", "",
              "设置统一的互动交流入口，留言办理及时。", Status.NOT_APPLICABLE, lead_unit="", units="",
              deadline_text="", weight=0.5, checks=[
                  CheckResult(
                      check_id="national.interaction", kind="exists", title="互动交流栏目存在",
                      status=Status.NOT_APPLICABLE, summary="站点使用市级统一互动平台",
                      reason="互动交流由市级平台集约提供，不在本站范围",
                      fingerprint=_fp("national.interaction", "5"),
                  ),
              ]),
    ]


def _profile(pid: str, title: str, source: str, items: list[ItemResult], issuer: str = "",
             year: int | None = None) -> ProfileResult:
    by_status = {s: sum(1 for i in items if i.status == s) for s in Status}
    judged = [i for i in items if i.status in (Status.PASS, Status.FAIL)]
    total = sum(i.weight for i in judged)
    score = round(100 * sum(i.weight for i in judged if i.status == Status.PASS) / total, 1) if total else None
    veto_hits = [i.number for i in items if i.veto and i.status == Status.FAIL]
    if score is None:
        grade = "无法评分"
    elif veto_hits or score < 60:
        grade = "不合格"
    else:
        grade = "优秀" if score >= 90 else "良好" if score >= 80 else "合格"
    return ProfileResult(
        id=pid, title=title, source=source, issuer=issuer, year=year, score=score, grade=grade,
        veto_hits=veto_hits,
        counts=Counts(pass_=by_status[Status.PASS], fail=by_status[Status.FAIL],
                      unknown=by_status[Status.UNKNOWN], manual=by_status[Status.MANUAL],
                      not_applicable=by_status[Status.NOT_APPLICABLE]),
        items=items,
    )


def sample_scan(status: str = "partial") -> ScanInfo:
    """Crawl facts for the sample site; `status` picks complete / partial / interrupted / unreachable."""
    if status == "unreachable":
        return ScanInfo(start_url=f"{SITE}/", hosts=["www.pingcheng.gov.cn"],
                        started_at="2024-11-20T01:30:00Z", finished_at="2024-11-20T01:31:40Z",
                        as_of=date(2024, 11, 20), status="unreachable", status_reason=UNREACHABLE_REASON,
                        pages=0, fetch_errors=1, blocked=0, snapshot="snapshot.sqlite")
    reason = {"complete": None, "partial": "3 个页面被拦截（HTTP 412）",
              "interrupted": "用户中断（Ctrl-C），已抓取 412 个页面"}[status]
    return ScanInfo(start_url=f"{SITE}/", hosts=["www.pingcheng.gov.cn", "zwgk.pingcheng.gov.cn"],
                    started_at="2024-11-20T01:30:00Z", finished_at="2024-11-20T01:52:13Z",
                    as_of=date(2024, 11, 20), status=status, status_reason=reason,
                    pages=412, fetch_errors=5 if status != "complete" else 0,
                    blocked=3 if status != "complete" else 0, budget_exhausted=False,
                    robots="obeyed", snapshot="snapshot.sqlite")


def _unseen(items: list[ItemResult]) -> list[ItemResult]:
    """What the engine makes of an unreachable site: every checked item unknown, manual stays manual."""
    out = []
    for item in items:
        if item.status == Status.MANUAL:
            out.append(item)
            continue
        checks = [c.model_copy(update={"status": Status.UNKNOWN, "summary": "站点无法访问，未能检查",
                                       "reason": UNREACHABLE_REASON, "evidence": []}) for c in item.checks]
        out.append(item.model_copy(update={"status": Status.UNKNOWN, "checks": checks}))
    return out


def sample_result(status: str = "partial") -> ScanResult:
    """The sample scan; with `status="unreachable"` nothing could be judged and no score is given."""
    pingcheng, national = _pingcheng_items(), _national_items()
    if status == "unreachable":
        pingcheng, national = _unseen(pingcheng), _unseen(national)
    return ScanResult(
        tool="gov-portal-checker",
        tool_version="0.1.0",
        evaluated_at="2024-11-20T02:00:00Z",
        scan=sample_scan(status),
        profiles=[
            _profile("pingcheng-2024", "2024年平城区政务公开工作任务分解表", "000_d1a42ae4060ce4a9.txt",
                     pingcheng, issuer="平城区人民政府办公室", year=2024),
            _profile("national", "政府网站与政务新媒体检查指标", "国办函〔2019〕19号", national,
                     issuer="国务院办公厅", year=2019),
        ],
    )
