"""Item numbers: as printed where the list numbers its items, otherwise assigned in a
stable, documented way (see ../shared/tasklists/README.md and docs/importing.md).

In order of preference:

1. every item has its own number in the 序号 column → kept as printed;
2. the 序号 column numbers groups (a merged cell: items below it have none, or the
   number is printed again at the top of a page) → `组号.行号`, rows counted from 1
   within each group (`1.1`–`1.10`, `2.1` …);
3. no 序号 column, but every item's text starts with its number (`1.聚焦…`) → that
   number, taken off the text;
4. section headings above the items (`一、…`, `（三）…`) → the headings' numbers and the
   row within the deepest heading (`2.3.1`: 二、 › （三） › first row);
5. otherwise reading order `1`, `2`, ….
"""

from __future__ import annotations

import re

from .headings import path_numbers
from .model import TaskRow

_PREFIX = re.compile(r"^\s*(\d{1,3})\s*[.．、]\s*(?!\d)")


def assign_numbers(rows: list[TaskRow]) -> str:
    """Number `rows` in place; return the convention used, in Chinese, for the
    profile's `numbering` field."""
    if not rows:
        return ""
    printed = [r.number.strip() for r in rows]
    if all(printed) and len(set(printed)) == len(printed):
        return "条目编号沿用任务分解表自己的序号。"
    if any(printed):
        group, k, seen = "", 0, []
        for r, n in zip(rows, printed, strict=True):
            if n and n != group:
                group, k = n, 0
                seen.append(n)
            k += 1
            r.number = f"{group}.{k}" if group else str(k)
        return ("任务分解表的序号只给组编号（合并单元格），组内各行没有编号。条目编号为“组号.行号”，"
                "行号按阅读顺序从1起；每页开头重复打印的组号不是新的组。")
    prefixes = [_PREFIX.match(r.content) for r in rows]
    numbers = [m.group(1) for m in prefixes if m]
    if all(prefixes) and len(set(numbers)) == len(numbers):
        for r, m in zip(rows, prefixes, strict=True):
            r.number = m.group(1)
            r.content = r.content[m.end():]
        return "条目编号沿用各项内容开头的序号（如“1.”），并从内容中去掉。"
    paths = [path_numbers(r.group) for r in rows]
    if any(paths):
        counters: dict[tuple[int, ...], int] = {}
        for r, path in zip(rows, paths, strict=True):
            key = tuple(path)
            counters[key] = counters.get(key, 0) + 1
            r.number = ".".join(str(n) for n in (*path, counters[key]))
        return ("原表不编号，条目按分级路径编号：各级标题（一、… （一）…）的序号，加上该标题下按阅读顺序的"
                "第几行（从1起），以“.”连接。")
    for i, r in enumerate(rows, 1):
        r.number = str(i)
    return "原表不编号，条目按阅读顺序编号 1、2、3……"
